#!/usr/bin/env bash
# Install the Debian packages the kit's tests need, only when they are missing:
# Chromium (browser tests; Playwright cannot download a browser here), an emoji font so pages look
# as teachers see them, PostgreSQL (the store is tested against a real server) and npm (fetches
# reveal.js once so the slides view works offline).
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Color Emoji" || need+=(fonts-noto-color-emoji)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v npm >/dev/null || need+=(npm)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "Please install these Debian packages (as root): ${need[*]}" >&2; exit 1; fi
fi
echo "Installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
