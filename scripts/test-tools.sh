#!/usr/bin/env bash
# What `make test` needs besides Python packages: a real Chromium for the page tests
# and curl for the README's endpoint example. Installs whatever is missing, saying in
# one line what it does: Debian's packages through apt when it can (root or sudo
# without a password), otherwise Playwright's own Chromium in the user's cache.
set -euo pipefail
BIN=${1:-.venv/bin}

have_chromium() {
    [ -n "${NEWSKG_CHROMIUM:-}" ] && [ -x "${NEWSKG_CHROMIUM}" ] && return 0
    command -v chromium >/dev/null 2>&1 && return 0
    command -v chromium-browser >/dev/null 2>&1 && return 0
    # a Chromium that `playwright install chromium` put in the cache earlier
    "$BIN/python" -c 'import os, sys
from playwright.sync_api import sync_playwright
with sync_playwright() as p:
    sys.exit(0 if os.path.exists(p.chromium.executable_path) else 1)' 2>/dev/null
}

apt_get() {
    if [ "$(id -u)" = 0 ]; then
        DEBIAN_FRONTEND=noninteractive apt-get "$@"
    else
        sudo -n env DEBIAN_FRONTEND=noninteractive apt-get "$@"
    fi
}

can_apt() {
    command -v apt-get >/dev/null 2>&1 || return 1
    [ "$(id -u)" = 0 ] || sudo -n true 2>/dev/null
}

missing=()
have_chromium || missing+=(chromium)
command -v curl >/dev/null 2>&1 || missing+=(curl)
[ ${#missing[@]} -eq 0 ] && exit 0

if can_apt; then
    echo "make test: installing ${missing[*]} with apt-get (the page tests drive a real browser)"
    apt_get update -qq >/dev/null
    apt_get install -y -qq "${missing[@]}" >/dev/null
    exit 0
fi
for tool in "${missing[@]}"; do
    case $tool in
    chromium)
        echo "make test: no Chromium and no root for apt: installing Playwright's Chromium (playwright install chromium)"
        "$BIN/playwright" install chromium >/dev/null ;;
    curl)
        echo "make test: curl is missing and cannot be installed without root; install it (the README's endpoint example uses it)" >&2
        exit 1 ;;
    esac
done
