#!/bin/sh
# Runs as PID 1 of fresh namespaces (started by sandbox.ts through unshare). Builds a
# copy-on-write view of the host root, mounts the API file systems, pivots into it and execs
# the distribution's systemd, which boots only ainl-sandbox.target (basic.target + D-Bus).
# Arguments: STATE_DIR SYSTEMD_BINARY
set -eu
state=$1
systemd_bin=$2
layer=$state/layer
root=$layer/root

mount --make-rprivate /
mount -t tmpfs -o mode=0755 ainl-layer "$layer"
mkdir -p "$layer/upper" "$layer/work" "$root"
mount -t overlay ainl-root -o "lowerdir=/,upperdir=$layer/upper,workdir=$layer/work" "$root"

mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
# keep /proc/sys and sysrq read-only, like a container
for p in sys sysrq-trigger; do
  if [ -e "$root/proc/$p" ]; then
    mount --bind "$root/proc/$p" "$root/proc/$p"
    mount -o remount,bind,ro "$root/proc/$p"
  fi
done
mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$root/sys"
mount -t cgroup2 -o nosuid,nodev,noexec cgroup2 "$root/sys/fs/cgroup"

mount -t tmpfs -o mode=0755,nosuid,size=4m ainl-dev "$root/dev"
for node in null zero full random urandom tty; do
  touch "$root/dev/$node"
  mount --bind "/dev/$node" "$root/dev/$node"
done
mkdir -p "$root/dev/pts" "$root/dev/shm"
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts "$root/dev/pts"
ln -sf pts/ptmx "$root/dev/ptmx"
mount -t tmpfs -o mode=1777,nosuid,nodev ainl-shm "$root/dev/shm"
ln -sf /proc/self/fd "$root/dev/fd"
for i in 0:stdin 1:stdout 2:stderr; do ln -sf "/proc/self/fd/${i%%:*}" "$root/dev/${i#*:}"; done

mount -t tmpfs -o mode=0755,nosuid,nodev ainl-run "$root/run"
mount -t tmpfs -o mode=1777,nosuid,nodev ainl-tmp "$root/tmp"
# host directories hidden by the fresh tmpfs mounts above (a checkout under /tmp): bind them back
for keep in ${AINL_SANDBOX_BIND:-}; do
  case $keep in
    /tmp/*|/run/*)
      if [ -d "$keep" ]; then mkdir -p "$root$keep" && mount --bind "$keep" "$root$keep"; fi ;;
  esac
done
# what the host sees: the system bus socket directory and a shared scratch directory
mkdir -p "$root/run/dbus" "$root/ainl-share"
mount --bind "$state/bus" "$root/run/dbus"
mount --bind "$state/share" "$root/ainl-share"

units=$root/etc/systemd/system
# the host's enabled units must not start in here
find "$units" -maxdepth 1 -name '*.wants' -exec rm -rf {} + 2>/dev/null || true
cat > "$units/ainl-sandbox.target" <<'UNIT'
[Unit]
Description=AI-Native Linux test sandbox
Requires=basic.target
Wants=dbus.socket dbus.service
After=basic.target dbus.socket dbus.service
AllowIsolate=yes
UNIT
echo ainl-sandbox > "$root/etc/hostname"

cd "$root"
mkdir -p .old-root
pivot_root . .old-root
umount -l /.old-root
rmdir /.old-root
exec env -i container=ainl-sandbox PATH=/usr/sbin:/usr/bin:/sbin:/bin \
  setpriv --bounding-set -sys_module,-sys_time,-sys_rawio,-syslog,-wake_alarm,-block_suspend,-mac_admin,-mac_override,-audit_control,-audit_read \
  "$systemd_bin" --unit=ainl-sandbox.target
