"""The fact cache's entries: data, never code.

An entry is one file per article: a header line with a SHA-256 digest of the JSON that
follows, then the article's facts as JSON. Reading it runs no code whatever it holds (a
pickle planted in the folder is never loaded), and an entry that is not a regular file,
too big, cut short, flipped by a bit, or not of the facts' shape is refused with the
reason, so the build reads the article again and gives the graph of a cold build. The
digest guards against damage, not against someone who may write into the folder: such a
person can plant facts, as they could edit the articles, but never run anything.
"""
from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import stat
import types
import typing
from pathlib import Path

MAGIC = b"newskg-facts 1 "
LIMIT = 256 * 1024 * 1024      # no article's facts come near; a bigger entry is not ours


class Refused(ValueError):
    """Why an entry is not used; the build reports it and reads the article again."""


def dumps(result, key: str) -> bytes:
    """An entry: the result's fields but its article (the reader has it), as JSON."""
    body = {f.name: _plain(getattr(result, f.name)) for f in dataclasses.fields(result)
            if f.name != "article"}
    payload = json.dumps({"key": key, "result": body}, ensure_ascii=True, sort_keys=True,
                         separators=(",", ":")).encode("ascii")
    return MAGIC + hashlib.sha256(payload).hexdigest().encode("ascii") + b"\n" + payload


def loads(data: bytes, key: str, cls: type, article):
    """The result an entry holds, with `article` as its article; Refused if it is not one."""
    head, newline, payload = data.partition(b"\n")
    if not newline or not head.startswith(MAGIC):
        raise Refused("not a newskg cache entry")
    if head[len(MAGIC):] != hashlib.sha256(payload).hexdigest().encode("ascii"):
        raise Refused("damaged (its digest does not match)")
    try:
        document = json.loads(payload)
    except (ValueError, RecursionError):
        raise Refused("not JSON") from None
    if not isinstance(document, dict) or set(document) != {"key", "result"}:
        raise Refused("not an entry's shape")
    if document["key"] != key:
        raise Refused("holds the facts of another article")
    body = document["result"]
    names = {f.name for f in dataclasses.fields(cls)} - {"article"}
    if not isinstance(body, dict) or set(body) != names:
        raise Refused("not the shape of an article's facts")
    hints = _hints(cls)
    try:
        return cls(article=article, **{name: _typed(body[name], hints[name]) for name in names})
    except (TypeError, ValueError) as error:
        raise Refused(f"not the shape of an article's facts ({error})") from None


def read(path: Path) -> bytes | None:
    """An entry's bytes; None if there is none. Never opens anything but a regular file
    (a FIFO would hang the build, a device never end), and never follows a link."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise Refused(f"cannot be read ({error.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        raise Refused("not a regular file")
    if info.st_size > LIMIT:
        raise Refused("too big")
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise Refused(f"cannot be read ({error.strerror})") from None
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):     # swapped since the lstat
            raise Refused("not a regular file")
        parts, size = [], 0
        while size <= LIMIT:
            part = os.read(handle, 1 << 20)
            if not part:
                break
            parts.append(part)
            size += len(part)
    except OSError as error:
        raise Refused(f"cannot be read ({error.strerror})") from None
    finally:
        os.close(handle)
    if size > LIMIT:
        raise Refused("too big")
    if not size:
        raise Refused("empty")
    return b"".join(parts)


def _plain(value):
    """Dataclasses, lists, tuples and dicts as JSON values."""
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot keep a {type(value).__name__} in the cache")


def _typed(value, hint):
    """`value` read back as `hint` (the field's annotation), or TypeError."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        kinds = [a for a in args if a is not type(None)]
        if len(kinds) != 1:
            raise TypeError(f"cannot read {hint}")
        return _typed(value, kinds[0])
    if dataclasses.is_dataclass(hint):
        if not isinstance(value, dict) or set(value) != {f.name for f in dataclasses.fields(hint)}:
            raise TypeError(f"not a {hint.__name__}")
        hints = _hints(hint)
        return hint(**{k: _typed(v, hints[k]) for k, v in value.items()})
    if origin is list:
        _expect(value, list)
        return [_typed(v, args[0]) for v in value]
    if origin is tuple:
        _expect(value, list)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_typed(v, args[0]) for v in value)
        if len(value) != len(args):
            raise TypeError(f"not a {hint}")
        return tuple(_typed(v, a) for v, a in zip(value, args))
    if origin is dict:
        _expect(value, dict)
        return {_typed(k, args[0]): _typed(v, args[1]) for k, v in value.items()}
    if hint in (str, int, float, bool):
        _expect(value, hint)
        return value
    raise TypeError(f"cannot read {hint}")


@functools.cache
def _hints(cls: type) -> dict:
    return typing.get_type_hints(cls)


def _expect(value, kind: type) -> None:
    # exact types: JSON's true is no integer offset, nor 1.0 a count
    if type(value) is not kind:
        raise TypeError(f"{type(value).__name__} where a {kind.__name__} belongs")
