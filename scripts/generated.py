"""Writing a generated data file, or checking that the committed one is current."""
from __future__ import annotations

import sys
from pathlib import Path


def write_or_check(out: Path, text: str, script: str, argv: list[str]) -> int:
    """`--check` in argv: exit status 1 when `out` differs from `text`; else write it."""
    if "--check" in argv:
        current = out.read_text(encoding="utf-8") if out.exists() else ""
        if current != text:
            print(f"{out.name} is out of date: run scripts/{script}", file=sys.stderr)
            return 1
        return 0
    out.write_text(text, encoding="utf-8")
    rows = sum(1 for line in text.splitlines() if line and not line.startswith("#")) - 1
    print(f"wrote {rows} rows to {out}")
    return 0
