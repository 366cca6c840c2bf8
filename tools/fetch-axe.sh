#!/usr/bin/env bash
# Put axe-core (the accessibility rules engine tests/browser/test_browser_axe.py injects into each
# page) under .cache/npm, fetched once from the npm registry with npm's own client; never committed.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/.cache/npm"
if [ -f "$DEST/node_modules/axe-core/axe.min.js" ]; then exit 0; fi
command -v npm >/dev/null || { echo "npm is needed once to fetch axe-core: sudo apt-get install -y npm" >&2; exit 1; }
mkdir -p "$DEST"
npm install --prefix "$DEST" --no-audit --no-fund --silent "axe-core@4" >/dev/null
echo "axe-core $(node -p "require('$DEST/node_modules/axe-core/package.json').version" 2>/dev/null || echo 4) is in $DEST"
