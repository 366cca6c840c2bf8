#!/usr/bin/env bash
# Put reveal.js (the slide engine behind Voila's reveal template) next to the notebooks, so the
# slides view works with no internet access in the room. Fetched once from the npm registry
# (or copied by hand from another machine into modules/reveal.js/); never committed.
set -euo pipefail
VERSION=4.0.2   # the version nbconvert's reveal template is written for
JQUERY=2.2.4    # the template loads jQuery 2 from a CDN unless told otherwise (tools/slides/voila.json)
DEST="$(cd "$(dirname "$0")/.." && pwd)/modules/reveal.js"
if [ -f "$DEST/dist/reveal.js" ] && [ -f "$DEST/jquery.min.js" ]; then exit 0; fi
command -v npm >/dev/null || { echo "npm is needed once to fetch reveal.js: sudo apt-get install -y npm" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack "reveal.js@$VERSION" --silent >/dev/null && tar xzf "reveal.js-$VERSION.tgz")
(cd "$tmp" && npm pack "jquery@$JQUERY" --silent >/dev/null && mkdir jq && tar xzf "jquery-$JQUERY.tgz" -C jq)
rm -rf "$DEST"
mkdir -p "$DEST"
cp -r "$tmp/package/dist" "$tmp/package/plugin" "$tmp/package/LICENSE" "$DEST/"
cp "$tmp/jq/package/dist/jquery.min.js" "$DEST/"
echo "reveal.js $VERSION is in $DEST"
