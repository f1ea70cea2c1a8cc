#!/bin/sh
# Runs out/main/<entry>.js: with `node` in a source checkout, or with the packaged app's Electron
# binary in Node mode (ELECTRON_RUN_AS_NODE) when installed from a package.
entry="$1"
shift
here="$(dirname "$(readlink -f "$0")")/.."
if [ -n "${AINL_ELECTRON:-}" ] && [ -x "$AINL_ELECTRON" ]; then
  ELECTRON_RUN_AS_NODE=1 exec "$AINL_ELECTRON" "$here/out/main/$entry.js" "$@"
fi
if [ ! -f "$here/out/main/$entry.js" ]; then
  echo "$entry: not built yet; run \"npm run build\" in $here" >&2
  exit 1
fi
exec node "$here/out/main/$entry.js" "$@"
