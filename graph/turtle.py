"""Writes files so that a crash never leaves a half-written one in place of a good one."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: Path, data) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename over.

    `data` is bytes, or a function that writes into the open binary file (so that a
    large graph is serialised straight to disk, never held whole in memory)."""
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
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def turtle(graph) -> bytes:
    return graph.serialize(format="turtle", encoding="utf-8")
