#!/usr/bin/env bash
# Make sure the end-to-end browser tests have what they need: Chromium, axe-core and
# configurable-http-proxy (the local JupyterHub test), the last two from package.json.
# Set KNEESCI_SKIP_BROWSER=1 to run the suite without the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${KNEESCI_SKIP_BROWSER:-0}" = "1" ]; then
  echo "browser tests skipped (KNEESCI_SKIP_BROWSER=1)"
  exit 0
fi
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "Chromium is needed for the browser tests. Install it (Debian/Ubuntu: sudo apt-get install chromium)" >&2
    echo "or run the rest of the suite with KNEESCI_SKIP_BROWSER=1 make test." >&2
    exit 1
  fi
fi
if [ ! -f node_modules/axe-core/axe.min.js ] || [ ! -x node_modules/.bin/configurable-http-proxy ]; then
  if command -v npm >/dev/null 2>&1; then
    npm ci --silent --no-audit --no-fund
  else
    echo "npm is needed to install axe-core and configurable-http-proxy for the browser tests (or set KNEESCI_SKIP_BROWSER=1)." >&2
    exit 1
  fi
fi
