#!/usr/bin/env bash
# Installs everything AI-Native Linux needs on Debian/Ubuntu, from nothing, then runs one job:
#   bash scripts/bootstrap.sh serve   # the app in serve mode (UI in your browser, 127.0.0.1 only)
#   bash scripts/bootstrap.sh test    # lint, typecheck, build, unit, integration and e2e tests
#   bash scripts/bootstrap.sh start   # the desktop tray app (needs the Electron binary: a connected machine)
set -euo pipefail
job="${1:-serve}"
shift || true
cd "$(dirname "$0")/.."

say() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }

# 1. Debian packages (Chromium for the browser tests, zsh for shell capture tests, Xvfb ...)
missing=()
while read -r pkg; do
  [[ -z "$pkg" || "$pkg" == \#* ]] && continue
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done < .ci/apt-packages
if ((${#missing[@]})); then
  if [[ "$job" == serve || "$job" == start ]] && [[ $(id -u) -ne 0 ]] && ! command -v sudo >/dev/null; then
    say "optional packages missing (${missing[*]}); continuing without them"
  else
    say "installing Debian packages: ${missing[*]}"
    SUDO=""
    [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
fi

# 2. npm dependencies (native modules compile against this machine's Node headers)
command -v node >/dev/null || { echo "bootstrap: Node.js >= 20.19 is required (apt-get install nodejs npm)" >&2; exit 1; }
[[ -f /usr/include/node/node.h ]] && export npm_config_nodedir=/usr
export JOBS=max PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
stamp=node_modules/.ainl-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" ]]; then
  say "installing npm dependencies (native modules compile: ~2 minutes)"
  # the Electron binary is fetched on first `npm start`, not here; tests never need it
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund
  echo "$want" > "$stamp"
fi

# 3. the job
case "$job" in
  serve) exec npm run serve -- "$@" ;;
  test) exec npm test ;;
  start) exec npm start ;;
  *) echo "bootstrap: unknown job '$job' (serve | test | start)" >&2; exit 2 ;;
esac
