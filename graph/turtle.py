"""Writes a build's outputs so that a crash never leaves a half-written file in place of a
good one, nor the Turtle of one build beside the page of another; and keeps two builds
from writing into one folder at once."""
from __future__ import annotations

import errno
import json
import os
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from newskg.errors import UsageError

JOURNAL = ".newskg-swap.json"     # the renames a build is making, while it makes them
LOCK = ".newskg.lock"             # held by the build writing into the folder


def _temporary(path: Path, data) -> Path:
    """`data` written in full and flushed to disk in a new file beside `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temporary, 0o666 & ~umask)   # mkstemp makes it private; outputs are for sharing
    try:
        with os.fdopen(handle, "wb") as out:
            if callable(data):
                data(out)
            else:
                out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def write_atomic(path: Path, data) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename over.

    `data` is bytes, or a function that writes into the open binary file (so that a
    large graph is serialised straight to disk, never held whole in memory)."""
    temporary = _temporary(path, data)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_together(folder: Path, files: dict[str, object]) -> None:
    """Files that belong together (graph.ttl and graph.html) put in place as a pair: each
    is written in full beside its target first, then a journal names the renames, then
    they are made one right after the other. A build killed between two renames is
    finished by the next one to start (`finish_swap`), so the folder never keeps the
    Turtle of one build beside the page of another."""
    temporaries: dict[str, Path] = {}
    try:
        for name, data in files.items():
            temporaries[name] = _temporary(folder / name, data)
        write_atomic(folder / JOURNAL, json.dumps(
            {name: path.name for name, path in temporaries.items()}).encode("utf-8"))
    except BaseException:
        for path in temporaries.values():
            path.unlink(missing_ok=True)
        raise
    finish_swap(folder)


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def finish_swap(folder: Path) -> bool:
    """Make the renames the journal names whose files are still there, then drop it:
    whether it was cut short or not, the pair it names ends up in place together.
    Names are checked (plain names, temporaries of their own target) since anyone may
    write into the folder. True when there was a journal."""
    journal = folder / JOURNAL
    if not _regular(journal):
        return False
    try:
        renames = json.loads(journal.read_bytes())
    except (OSError, ValueError):
        renames = None
    if isinstance(renames, dict):
        for name, temporary in renames.items():
            if not (isinstance(temporary, str) and "/" not in name + temporary
                    and not name.startswith(".") and temporary.startswith(f".{name}.")
                    and temporary.endswith(".tmp")):
                continue
            if _regular(folder / temporary):
                os.replace(folder / temporary, folder / name)
        _sync(folder)
    journal.unlink(missing_ok=True)
    _sync(folder)
    return True


def _sync(folder: Path) -> None:
    """Renames in `folder` on disk: a crash after this keeps them."""
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(handle)
    except OSError:
        pass                # some file systems cannot sync a folder; the renames still hold
    finally:
        os.close(handle)


def remove_leftovers(folder: Path, patterns: Iterable[str]) -> list[str]:
    """Remove what killed builds left in `folder` (temporary files, scratch folders) and
    say what. Only for the build that holds the folder's lock: another build's files in
    flight look just the same."""
    removed = []
    for pattern in patterns:
        for path in sorted(folder.glob(pattern)):
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path.name)
    return removed


def recover_replaced(target: Path) -> list[str]:
    """A folder replaced by renames (the store, graph/store.py) by a build that was killed:
    the new one half made is removed; the old one is put back if the build was killed
    between its two renames, else removed."""
    removed = remove_leftovers(target.parent, [f".{target.name}.new-*"])
    olds = sorted(target.parent.glob(f".{target.name}.old-*"), key=lambda p: p.lstat().st_mtime)
    if olds and not target.exists() and olds[-1].is_dir() and not olds[-1].is_symlink():
        os.rename(olds.pop(), target)
        removed.append(f"{target.name} put back")
    for old in olds:
        shutil.rmtree(old, ignore_errors=True)
        removed.append(old.name)
    return removed


class FolderLock:
    """One build at a time into a folder: an exclusive lock on a lock file there, which the
    system releases when the build ends or its process dies, even by SIGKILL. A POSIX
    record lock, not flock: forked workers do not inherit it, so the workers a killed
    build leaves behind never keep the folder locked (it is the process's, so two threads
    of one process do not exclude each other). A second build waits up to `wait` seconds
    (saying so once), then gives up with a one-line error. The file is removed on
    release, and whoever locks checks that the file it locked is still the one there."""

    def __init__(self, path: Path, wait: float, notice: Callable[[str], None] | None = None):
        self.path, self.wait, self.notice = path, wait, notice
        self.handle: int | None = None

    def _holder(self) -> str:
        try:
            return f" (pid {int(self.path.read_text(encoding='ascii').split()[0])})"
        except (OSError, ValueError, IndexError):
            return ""

    def __enter__(self) -> "FolderLock":
        import fcntl        # POSIX only, as the build's forked workers are

        deadline, told = time.monotonic() + self.wait, False
        while True:
            try:
                handle = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW
                                 | os.O_NONBLOCK | os.O_CLOEXEC, 0o666)
            except OSError as error:
                raise UsageError(f"{self.path}: cannot lock the folder: "
                                 f"{error.strerror or error}") from None
            try:
                fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as error:
                os.close(handle)
                if error.errno not in (errno.EACCES, errno.EAGAIN):
                    raise UsageError(f"{self.path}: cannot lock the folder: "
                                     f"{error.strerror or error}") from None
                if time.monotonic() >= deadline:
                    raise UsageError(f"{self.path.parent}: another build{self._holder()} is "
                                     f"writing there; gave up after {self.wait:g} s") from None
                if not told and self.notice:
                    self.notice(f"{self.path.parent}: another build{self._holder()} is writing "
                                f"there; waiting for it (at most {self.wait:g} s)")
                told = True
                time.sleep(0.05)
                continue
            try:
                same = os.path.samestat(os.fstat(handle), os.lstat(self.path))
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(handle)      # its holder removed it as we opened it: lock the new one
        self.handle = handle
        os.ftruncate(handle, 0)
        os.write(handle, f"{os.getpid()}\n".encode("ascii"))
        return self

    def __exit__(self, *_) -> None:
        if self.handle is not None:
            self.path.unlink(missing_ok=True)
            os.close(self.handle)
            self.handle = None


def turtle(graph) -> bytes:
    return graph.serialize(format="turtle", encoding="utf-8")
