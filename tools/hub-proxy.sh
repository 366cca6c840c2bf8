#!/usr/bin/env bash
# Install configurable-http-proxy (JupyterHub's default proxy, a Node program) into the
# repository's .cache/npm once, for the hub end-to-end test (tests/hub). Never committed.
# Prints the path of the proxy's command.
set -euo pipefail
VERSION=${CHP_VERSION:-5.3.0}
DEST="$(cd "$(dirname "$0")/.." && pwd)/.cache/npm"
BIN="$DEST/node_modules/.bin/configurable-http-proxy"
if [ ! -x "$BIN" ]; then
  command -v npm >/dev/null || { echo "npm is needed once for the hub test: sudo apt-get install -y npm" >&2; exit 1; }
  mkdir -p "$DEST"
  npm install --prefix "$DEST" --no-audit --no-fund --silent "configurable-http-proxy@$VERSION" >&2
fi
"$BIN" --version >/dev/null
echo "$BIN"
