import si from 'systeminformation';
import { readFile } from 'node:fs/promises';
import type { SystemOverview } from '../../shared/contract/system';

/** File systems that are not user storage: left out of the overview. */
const PSEUDO_FS =
  /^(tmpfs|devtmpfs|overlay|squashfs|proc|sysfs|cgroup2?|nsfs|efivarfs|ramfs|autofs|fuse\..*portal)$/i;

async function distroFromOsRelease(): Promise<string | null> {
  try {
    const text = await readFile('/etc/os-release', 'utf8');
    const m = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(text);
    return m?.[1] ?? null;
  } catch {
    return null;
  }
}

/** Reads the machine inventory with systeminformation (inventory, not the hot loop). */
export async function readOverview(): Promise<SystemOverview> {
  const [os, cpu, mem, fsSize, time, pretty] = await Promise.all([
    si.osInfo(),
    si.cpu(),
    si.mem(),
    si.fsSize().catch(() => []),
    Promise.resolve(si.time()),
    distroFromOsRelease(),
  ]);
  const seen = new Set<string>();
  const disks = fsSize
    .filter((d) => d.size > 0 && !PSEUDO_FS.test(d.type) && !d.mount.startsWith('/snap/'))
    .filter((d) => (seen.has(d.fs + d.mount) ? false : (seen.add(d.fs + d.mount), true)))
    .map((d) => ({
      mount: d.mount,
      fs: d.fs,
      type: d.type,
      sizeBytes: d.size,
      usedBytes: d.used,
      usePercent: Number.isFinite(d.use) ? Math.round(d.use * 10) / 10 : 0,
    }));
  return {
    hostname: os.hostname,
    distro: pretty ?? (`${os.distro} ${os.release}`.trim() || 'Linux'),
    kernel: os.kernel,
    arch: os.arch,
    uptimeSeconds: Math.round(Number(time.uptime) || 0),
    cpu: {
      model: `${cpu.manufacturer} ${cpu.brand}`.trim() || 'unknown CPU',
      cores: cpu.cores,
      physicalCores: cpu.physicalCores,
    },
    memory: { totalBytes: mem.total, availableBytes: mem.available },
    disks,
    collectedAt: new Date().toISOString(),
  };
}

/**
 * Caches the inventory: a read takes ~100 ms+ and the data barely changes. Uptime and available
 * memory are refreshed cheaply from /proc on every call so the popup never shows stale values.
 */
export class OverviewCache {
  private cached: SystemOverview | null = null;
  private cachedAt = 0;
  private inflight: Promise<SystemOverview> | null = null;

  constructor(
    private readonly ttlMs = 60_000,
    private readonly read: () => Promise<SystemOverview> = readOverview,
  ) {}

  async get(refresh = false): Promise<SystemOverview> {
    const fresh = this.cached && Date.now() - this.cachedAt < this.ttlMs;
    if (!refresh && fresh && this.cached) return { ...this.cached, ...(await liveFigures(this.cached)) };
    if (!this.inflight) {
      this.inflight = this.read()
        .then((o) => {
          this.cached = o;
          this.cachedAt = Date.now();
          return o;
        })
        .finally(() => {
          this.inflight = null;
        });
    }
    return this.inflight;
  }
}

async function liveFigures(base: SystemOverview): Promise<Partial<SystemOverview>> {
  try {
    const [uptime, meminfo] = await Promise.all([
      readFile('/proc/uptime', 'utf8'),
      readFile('/proc/meminfo', 'utf8'),
    ]);
    const up = Math.round(Number.parseFloat(uptime.split(' ')[0] ?? ''));
    const avail = /^MemAvailable:\s+(\d+)/m.exec(meminfo);
    return {
      uptimeSeconds: Number.isFinite(up) ? up : base.uptimeSeconds,
      memory: {
        totalBytes: base.memory.totalBytes,
        availableBytes: avail?.[1] ? Number(avail[1]) * 1024 : base.memory.availableBytes,
      },
    };
  } catch {
    return {};
  }
}
