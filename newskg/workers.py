"""The processes that run the endpoint's queries, and the deadline that stops them.

Oxigraph cannot stop a query from another thread: an aggregate over a cross join runs to
its end, however long. So each query runs in a worker process holding the store open
read-only, and a worker still busy when the query's deadline passes is killed (its CPU is
free at once) and replaced. Requests wait for a free worker; the deadline counts from the
request's arrival, queue included, so the time limit holds whatever the load.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass

import pyoxigraph as ox

from .results import Answer, answer, refusal

# a worker that takes longer than this to open the store is taken as broken
START_SECONDS = 120


class TimedOut(Exception):
    """The query's deadline passed: while it waited for a worker (`queued`) or ran."""

    def __init__(self, queued: bool):
        super().__init__("queued" if queued else "running")
        self.queued = queued


class WorkerLost(Exception):
    """The worker running the query died (a crash in the engine, or killed from outside)."""


class Stopping(Exception):
    """The endpoint is shutting down."""


@dataclass(frozen=True)
class Job:
    """One query as a worker runs it: the text Oxigraph parses, the client's Accept
    header, and the graphs of the SPARQL Protocol's default-graph-uri/named-graph-uri."""
    query: str
    accept: str = ""
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] | None = None


def evaluate(store, job: Job, max_rows: int, max_bytes: int, prefixes: dict) -> Answer:
    """Run one job in a worker: the answer, or the error to send the client."""
    graphs = {}
    if job.default_graphs:
        graphs["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
    if job.named_graphs is not None:
        graphs["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    try:
        result = store.query(job.query, **graphs)
        return answer(result, job.accept, max_rows, max_bytes, prefixes)
    except SyntaxError as error:
        return Answer(400, "text/plain; charset=utf-8", str(error).encode("utf-8"), syntax=True)
    except (RuntimeError, OSError, ValueError) as error:
        message = (str(error).splitlines() or [type(error).__name__])[0]
        return refusal(500, f"the query failed: {message[:300]}")


def serve_jobs(location: str, connection, max_rows: int, max_bytes: int, prefixes: dict):
    """A worker's life: open the store read-only, say so, then answer jobs until the server
    closes the connection. Ctrl-C is the server's to handle: it stops its workers."""
    from .query_limits import on_big_stack

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_exit_with, args=(os.getppid(),), daemon=True).start()
    try:
        store = ox.Store.read_only(location)
    except OSError as error:
        connection.send(("failed", (str(error).splitlines() or ["cannot open"])[0]))
        return
    connection.send(("ready", None))
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        connection.send(on_big_stack(evaluate, store, job, max_rows, max_bytes, prefixes))


def _exit_with(server: int) -> None:
    """End the worker when the server is gone, even in the middle of a query: a server killed
    with SIGKILL would otherwise leave it computing on, a core busy. (PR_SET_PDEATHSIG
    would not do: it fires when the thread that started the worker ends, and workers are
    restarted from short-lived threads.)"""
    while os.getppid() == server:
        time.sleep(0.5)
    os._exit(1)


class _Worker:
    def __init__(self, context, location: str, limits: tuple):
        self.connection, child = context.Pipe()
        self.process = context.Process(target=serve_jobs, args=(location, child, *limits),
                                       name="newskg-query", daemon=True)
        # started with SIGINT blocked, which the child keeps: Ctrl-C in a terminal goes to
        # the whole process group, and the server, not each worker, handles it
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        try:
            self.process.start()
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        child.close()

    def wait_ready(self) -> str | None:
        """None once the worker has the store open, else why it could not."""
        try:
            if not self.connection.poll(START_SECONDS):
                return f"no answer in {START_SECONDS} s"
            state, message = self.connection.recv()
        except (EOFError, OSError):
            return f"it exited with status {self.process.exitcode}"
        return None if state == "ready" else message

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.connection.close()


class Workers:
    """`count` worker processes over the store at `location`; `run` hands a job to a free
    one and kills it at the deadline."""

    def __init__(self, location, count: int, max_rows: int, max_bytes: int, prefixes: dict):
        self._context = multiprocessing.get_context("spawn")   # no copy of the server's threads
        self._location = str(location)
        self._limits = (max_rows, max_bytes, dict(prefixes))
        self._count = count
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._changed = threading.Condition()
        self._closed = False

    def start(self) -> None:
        """Start every worker and wait until each has the store open; raises RuntimeError
        naming why one could not."""
        workers = []
        try:
            for _ in range(self._count):
                workers.append(_Worker(self._context, self._location, self._limits))
            problems = [problem for problem in (w.wait_ready() for w in workers) if problem]
        except BaseException:         # a signal while starting: no worker left behind
            for worker in workers:
                worker.kill()
            raise
        if problems:
            for worker in workers:
                worker.kill()
            raise RuntimeError(problems[0])
        with self._changed:
            self._idle.extend(workers)
            self._changed.notify_all()

    def run(self, job: Job, deadline: float) -> Answer:
        """The worker's answer to `job`; TimedOut if `deadline` (time.monotonic) passes
        first, WorkerLost if the worker dies, Stopping if the endpoint is closing."""
        worker = self._take(deadline)
        try:
            worker.connection.send(job)
        except OSError:          # it died while idle (killed from outside): another one
            self._replace(worker)
            return self.run(job, deadline)
        try:
            finished = worker.connection.poll(max(0.0, deadline - time.monotonic()))
            if finished:
                result = worker.connection.recv()
        except (EOFError, OSError):
            self._replace(worker)
            raise WorkerLost() from None
        if not finished:
            self._replace(worker)
            raise TimedOut(queued=False)
        self._give_back(worker)
        return result

    def _take(self, deadline: float) -> _Worker:
        with self._changed:
            while not self._idle and not self._closed:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimedOut(queued=True)
                self._changed.wait(left)
            if self._closed:
                raise Stopping()
            if deadline <= time.monotonic():
                raise TimedOut(queued=True)
            worker = self._idle.pop(0)
            self._busy.add(worker)
            return worker

    def _give_back(self, worker: _Worker) -> None:
        with self._changed:
            self._busy.discard(worker)
            if self._closed:
                worker.kill()
                return
            self._idle.append(worker)
            self._changed.notify()

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker now and start another in the background: the request that timed
        out is answered at once, and the others keep the workers still running."""
        with self._changed:
            self._busy.discard(worker)
        worker.kill()
        threading.Thread(target=self._add_one, name="newskg-respawn", daemon=True).start()

    def _add_one(self) -> None:
        with self._changed:
            if self._closed:
                return
        worker = _Worker(self._context, self._location, self._limits)
        problem = worker.wait_ready()
        with self._changed:
            if problem is None and not self._closed:
                self._idle.append(worker)
                self._changed.notify()
                return
        worker.kill()
        if problem is not None:
            print(f"newskg: a query worker could not restart: {problem}", file=sys.stderr)

    def close(self) -> None:
        """Kill every worker; requests still waiting or running get Stopping or WorkerLost."""
        with self._changed:
            self._closed = True
            workers = self._idle + list(self._busy)
            self._idle.clear()
            self._changed.notify_all()
        for worker in workers:
            worker.kill()
