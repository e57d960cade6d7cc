"""Which Chromium the page tests and the page benchmark drive."""
from __future__ import annotations

import os
import shutil

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def launch_options() -> dict:
    """Debian's Chromium when there is one (NEWSKG_CHROMIUM, or chromium on PATH), else
    the Chromium that `playwright install chromium` put in the user's cache (see
    scripts/test-tools.sh, which `make test` runs first). No browser at all fails the
    launch: a page test is never skipped."""
    path = (os.environ.get("NEWSKG_CHROMIUM") or shutil.which("chromium")
            or shutil.which("chromium-browser"))
    return {"args": ARGS, **({"executable_path": path} if path else {})}
