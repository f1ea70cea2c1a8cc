#!/usr/bin/env bash
# Builds the release packages: AppImage and .deb for x64 and arm64, with checksums.
#
# Runs on a CONNECTED Linux machine only (electron-builder downloads Electron, fpm and the AppImage
# tools): never in CI and never on the project's offline build machines. See docs/install.md,
# "Building a release".
#
#   scripts/release.sh [--arch x64|arm64|both] [--skip-tests]
#
# Steps: clean install (npm ci), tests (npm test, unless --skip-tests), build (electron-vite),
# native modules rebuilt for Electron (electron-builder install-app-deps), packages
# (electron-builder --linux AppImage deb), SHA256SUMS in dist/, then native modules rebuilt back
# for Node so the checkout's tests keep working.
# Exit codes: 0 ok, 1 a step failed, 2 usage error.
set -euo pipefail
cd "$(dirname "$0")/.."

arch=both
tests=1
while (($#)); do
  case "$1" in
    --arch) arch="${2:-}"; shift 2 || { echo "release: --arch needs a value" >&2; exit 2; } ;;
    --skip-tests) tests=0; shift ;;
    -h|--help) sed -n 's/^#   //p;s/^# Steps/Steps/p' "$0"; exit 0 ;;
    *) echo "release: unknown option $1" >&2; exit 2 ;;
  esac
done
case "$arch" in
  x64) archflags=(--x64) ;;
  arm64) archflags=(--arm64) ;;
  both) archflags=(--x64 --arm64) ;;
  *) echo "release: --arch is x64, arm64 or both" >&2; exit 2 ;;
esac

say() { printf '\033[1m==>\033[0m %s\n' "$*" >&2; }
version=$(node -p 'require("./package.json").version')
say "AI-Native Linux $version: ${archflags[*]}"

export npm_config_nodedir="${npm_config_nodedir:-}"
[[ -f /usr/include/node/node.h && -z "$npm_config_nodedir" ]] && export npm_config_nodedir=/usr
say "clean install"
npm ci --no-audit --no-fund
if ((tests)); then
  say "tests"
  npm test
fi
say "build"
npm run build
say "native modules for Electron"
npx electron-builder install-app-deps
say "packages"
rm -rf dist
npx electron-builder --linux AppImage deb "${archflags[@]}" --publish never
say "native modules back for Node"
npm rebuild better-sqlite3 node-pty
( cd dist && sha256sum ./*.AppImage ./*.deb > SHA256SUMS )
say "done:"
ls -l dist/*.AppImage dist/*.deb dist/SHA256SUMS >&2
