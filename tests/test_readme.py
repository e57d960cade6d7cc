"""Every command the README shows (a `$ ` line in a code block) runs, in order, in a folder
laid out like the project (seeds/, queries/, tests/data/gold/), and prints what the README shows.

A line `...` in the README's output stands for lines left out; the parts between must
appear in that order. `newskg serve` runs in the background until the block's other
commands are done, on a free port (`--port`) written in place of the README's 7878. The `make` lines
of "Two commands" are not run here: they are what runs this suite (`.ci/run` calls
`make test`), and `test_the_two_commands_are_the_makefiles` checks what they name.
"""
from __future__ import annotations

import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BIN = Path(sys.executable).parent

pytestmark = pytest.mark.model     # the first command builds the seeds


def blocks(text: str) -> list[list[str]]:
    found, current = [], None
    for line in text.splitlines():
        if line.startswith("```"):
            if current is None:
                current = []
            else:
                found.append(current)
                current = None
        elif current is not None:
            current.append(line)
    return found


def complete(command: str) -> bool:
    try:
        shlex.split(command)
        return True
    except ValueError:      # an open quotation: the command goes on on the next line
        return False


def commands(block: list[str]) -> list[tuple[str, list[str]]]:
    """(command, expected output lines) for each `$ ` line of a block."""
    found, n = [], 0
    while n < len(block):
        if not block[n].startswith("$ "):
            n += 1
            continue
        command = block[n][2:]
        n += 1
        while not complete(command) and n < len(block):
            command += "\n" + block[n]
            n += 1
        expected = []
        while n < len(block) and not block[n].startswith("$ "):
            expected.append(block[n].rstrip())
            n += 1
        found.append((command, expected))
    return found


def matches(expected: list[str], output: list[str]) -> bool:
    """The expected lines, with `...` for lines left out, against the output's lines."""
    if "..." not in expected:
        return expected == output
    segments, current = [], []
    for line in expected:
        if line == "...":
            segments.append(current)
            current = []
        else:
            current.append(line)
    segments.append(current)
    at = 0
    for number, segment in enumerate(segments):
        if not segment:
            continue
        if number == 0:
            if output[:len(segment)] != segment:
                return False
            at = len(segment)
            continue
        while at + len(segment) <= len(output) and output[at:at + len(segment)] != segment:
            at += 1
        if at + len(segment) > len(output):
            return False
        at += len(segment)
    return not segments[-1] or at == len(output)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("readme")
    for name in ("seeds", "queries", "tests/data/gold"):
        shutil.copytree(ROOT / name, folder / name)
    return folder


def env() -> dict:
    return {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
            "COLUMNS": "200"}


def lines(text: str) -> list[str]:
    return [line.rstrip() for line in text.rstrip("\n").splitlines()]


def test_the_readme_shows_commands():
    shown = [c for block in blocks(README.read_text(encoding="utf-8")) for c, _ in commands(block)]
    assert len(shown) >= 8
    assert shown[0] == "newskg build seeds --out out"


def test_every_readme_command_prints_what_the_readme_shows(workdir):
    if shutil.which("curl") is None:
        pytest.fail("curl is needed for the README's endpoint example (`make test` installs it: scripts/test-tools.sh)")
    failures = []
    for block in blocks(README.read_text(encoding="utf-8")):
        server = None
        port = str(free_port())
        try:
            for command, expected in commands(block):
                command = command.replace("7878", port)
                expected = [line.replace("7878", port) for line in expected]
                if command.startswith("newskg serve"):
                    if "--port" not in command:
                        command += f" --port {port}"
                    server = subprocess.Popen(command, shell=True, cwd=workdir, env=env(),
                                              stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                              text=True, start_new_session=True)
                    got = [server.stdout.readline().rstrip() for _ in expected]
                    if got != expected:
                        failures.append((command, expected, got))
                    wait_for(port)
                    continue
                run = subprocess.run(["bash", "-c", command], cwd=workdir, env=env(),
                                     capture_output=True, text=True, timeout=300)
                out, err = lines(run.stdout), lines(run.stderr)
                if "Traceback" in run.stderr or not (matches(expected, out) or
                                                     (not out and matches(expected, err))):
                    failures.append((command, expected, out + ["--- stderr:"] + err))
        finally:
            if server is not None:
                os.killpg(server.pid, 15)
                server.wait(timeout=15)
    assert not failures, "\n\n".join(
        f"$ {c}\nREADME:\n" + "\n".join(e) + "\nGOT:\n" + "\n".join(g[:40])
        for c, e, g in failures)


def wait_for(port: str) -> None:
    import urllib.request

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the README's endpoint did not answer within 30 s")


def test_the_two_commands_are_the_makefiles():
    """The `make` lines the README gives are Makefile targets, and CI runs `make test`."""
    text = README.read_text(encoding="utf-8")
    shown = re.findall(r"^make (\w+)", text, flags=re.M)
    assert shown[:2] == ["demo", "test"]
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in shown:
        assert re.search(rf"^{target}:", makefile, flags=re.M), target
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
