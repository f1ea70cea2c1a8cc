#!/bin/sh
# stage-install.sh: lays out the packaged app from a built source checkout, the way the .deb
# unpacks it (/opt/ai-native-linux with resources/app, resources/resources, resources/systemd,
# resources/bin), under DESTDIR. Used by the packaging tests (then the maintainer scripts run
# against the staged tree) and for a manual install from source on a machine without Electron.
#
#   packaging/stage-install.sh DESTDIR [--link-node-modules]
#
# Instead of Electron, <app>/ai-native-linux is a small shim that runs Node.js (>= 20.19) when
# ELECTRON_RUN_AS_NODE=1 (the CLIs, the daemon, the root helper); the desktop GUI needs the real
# packaged app. --link-node-modules symlinks the checkout's node_modules instead of copying them
# (tests; the checkout must stay where it is).
# Exit codes: 0 ok, 1 failure, 2 usage error.
set -eu
usage() { echo "usage: stage-install.sh DESTDIR [--link-node-modules]" >&2; exit 2; }
[ $# -ge 1 ] || usage
dest=$1
shift
link=0
while [ $# -gt 0 ]; do
  case $1 in
    --link-node-modules) link=1 ;;
    -h|--help) sed -n 's/^#   //p' "$0"; exit 0 ;;
    *) usage ;;
  esac
  shift
done
case $dest in /*) ;; *) echo "stage-install.sh: DESTDIR must be an absolute path" >&2; exit 2 ;; esac
src=$(cd "$(dirname "$0")/.." && pwd -P)
[ -f "$src/out/main/cli.js" ] || { echo "stage-install.sh: $src is not built; run \"npm run build\" first" >&2; exit 1; }
[ -d "$src/node_modules" ] || { echo "stage-install.sh: $src/node_modules is missing; run \"npm ci\" first" >&2; exit 1; }
command -v node >/dev/null 2>&1 || { echo "stage-install.sh: node is required" >&2; exit 1; }

app=${dest%/}/opt/ai-native-linux
rm -rf "$app"
mkdir -p "$app/resources/app/resources" "$app/resources/resources" "$app/resources/systemd" "$app/resources/bin"
cp -R "$src/out" "$src/package.json" "$app/resources/app/"
for d in shell assistant; do
  [ -d "$src/resources/$d" ] && cp -R "$src/resources/$d" "$app/resources/app/resources/"
done
if [ "$link" = 1 ]; then
  ln -s "$src/node_modules" "$app/resources/app/node_modules"
else
  cp -R "$src/node_modules" "$app/resources/app/node_modules"
fi
# extraResources (the same mapping as electron-builder.yml)
for e in "$src"/resources/*; do
  [ "$(basename "$e")" = assistant ] && continue
  cp -R "$e" "$app/resources/resources/"
done
cp "$src"/systemd/*.service "$app/resources/systemd/"
cp "$src"/packaging/bin/* "$app/resources/bin/"
mkdir -p "$app/resources/docs"
cp "$src"/docs/*.md "$app/resources/docs/"
chmod 0755 "$app/resources/bin/"* "$app/resources/resources/deb/"*

node=$(command -v node)
cat > "$app/ai-native-linux" <<SHIM
#!/bin/sh
# Stand-in for the Electron binary in a staged or manual install: Node mode only.
if [ "\${ELECTRON_RUN_AS_NODE:-}" != 1 ]; then
  echo "ai-native-linux: this is a Node-only install (no Electron): use ainl serve for the UI" >&2
  exit 1
fi
exec $node "\$@"
SHIM
chmod 0755 "$app/ai-native-linux"
chmod -R go-w "$app"
echo "staged $app" >&2
