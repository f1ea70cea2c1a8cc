/**
 * `npm run --silent bench -- monitor [--json] [--ticks N] [--si-ticks N]`
 *
 * Measures the Kernel Monitor's cost on this machine's real /proc:
 * - tick_cpu_ms: CPU time (user + system) of one full tick (collect + trends + rules + 6 fitted
 *   anomaly detectors + alerts), mean over --ticks ticks spaced 200 ms apart;
 * - si_tick_cpu_ms: systeminformation collecting the same data in the same run (currentLoad, mem,
 *   fsSize, networkStats, disksIO, processes, cpuTemperature), including the CPU of the shells it
 *   spawns (cutime + cstime), mean over --si-ticks rounds spaced 700 ms apart (to defeat its caches);
 * - ratio = si_tick_cpu_ms / tick_cpu_ms;
 * - rss_mb: resident memory of the compiled monitor in a plain Node child (6 detectors with full
 *   windows, history buffers allocated, 60 real ticks); rss_under_tsx_mb and monitor_added_mb for this process;
 * - detector_fit_ms: one Isolation Forest refit of a detector on a full 2000-sample window.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { monitorConfig } from '../../src/shared/config/monitor';
import { Monitor } from '../../src/services/monitor/monitor';
import { StreamingDetector } from '../../src/services/monitor/detector';

const r2 = (x: number): number => Math.round(x * 100) / 100;
const log = (s: string): void => void process.stderr.write(s + '\n');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function arg(argv: string[], name: string, def: number): number {
  const i = argv.indexOf(name);
  const v = i >= 0 ? Number(argv[i + 1]) : def;
  if (!Number.isInteger(v) || v <= 0) {
    process.stderr.write(`bench monitor: ${name} needs a positive integer\n`);
    process.exit(2);
  }
  return v;
}

/** CPU ms of this process and of its waited-for children (cutime + cstime), from /proc/self/stat. */
function cpuWithChildren(): number {
  const u = process.cpuUsage();
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const children = (Number(f[13]) + Number(f[14])) * 10; // cutime, cstime in ticks of 10 ms
  return (u.user + u.system) / 1000 + children;
}

/** A full garbage collection when it can be had (so RSS shows live memory, not pending garbage). */
function collectGarbage(): void {
  try {
    setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
  } catch {
    // not available: RSS then includes garbage not yet collected
  }
}

/**
 * RSS of the monitor as production runs it: compiled JavaScript under plain Node (not tsx), with
 * the default configuration, detectors fitted and history filling. Bundles monitor.ts with esbuild
 * (electron-vite's bundler) into a temp dir and measures a child process.
 */
async function productionRss(): Promise<{ rss_mb: number; baseline_mb: number; live_mb: number } | null> {
  const dir = mkdtempSync(join(tmpdir(), 'ainl-monbench-'));
  try {
    const { build } = await import('esbuild');
    const repo = resolve(import.meta.dirname, '..', '..');
    await build({
      entryPoints: [join(repo, 'src/services/monitor/monitor.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile: join(dir, 'monitor.mjs'),
      logLevel: 'silent',
      nodePaths: [join(repo, 'node_modules')],
    });
    const cfgJson = JSON.stringify(monitorConfig.parse({ unitsEveryS: 0 }));
    writeFileSync(
      join(dir, 'run.mjs'),
      `gc(); const base = process.memoryUsage().rss;
const { Monitor } = await import('./monitor.mjs');
const m = new Monitor(${cfgJson}, { events: { record() {} }, dataDir: null });
// full detector windows (fed directly: a tight loop of ticks would only measure V8's young
// generation growing under an allocation rate 1000× the real one), history buffers preallocated
for (const [, d] of m.detectorList) { for (let i = 0; i < 2200; i++) d.push(50 + 10 * Math.sin(i / 30) + (i % 7)); d.refitIfDue(); }
for (let i = 0; i < 60; i++) { m.tick(); await new Promise((r) => setTimeout(r, 50)); }
m.refitNow();
gc(); gc();
const mu = process.memoryUsage();
process.stdout.write(JSON.stringify({ rss: mu.rss, base, heap: mu.heapUsed, buffers: mu.arrayBuffers }));
m.dispose();
`,
    );
    const r = spawnSync(process.execPath, ['--expose-gc', join(dir, 'run.mjs')], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (r.status !== 0) {
      log(`production RSS run failed: ${r.stderr.slice(0, 500)}`);
      return null;
    }
    const v = JSON.parse(r.stdout) as { rss: number; base: number; heap: number; buffers: number };
    return {
      rss_mb: r2(v.rss / 2 ** 20),
      baseline_mb: r2(v.base / 2 ** 20),
      live_mb: r2((v.heap + v.buffers) / 2 ** 20),
    };
  } catch (err) {
    log(`production RSS run failed: ${(err as Error).message}`);
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stderr.write(
      'usage: npm run --silent bench -- monitor [--json] [--ticks N (default 100)] [--si-ticks N (default 8)]\n',
    );
    return;
  }
  const json = argv.includes('--json');
  const ticks = arg(argv, '--ticks', 100);
  const siTicks = arg(argv, '--si-ticks', 8);
  collectGarbage();
  const rssBefore = process.memoryUsage().rss;

  // the production configuration: 5 s interval, anomaly detectors on, every rule enabled
  const cfg = monitorConfig.parse({ unitsEveryS: 0 });
  const monitor = new Monitor(cfg, { events: { record: () => undefined }, dataDir: null });
  // warm up: enough virtual-time ticks (real /proc) for the detectors to be fitted
  log('warming up the detectors (400 ticks)…');
  let t = Date.now() - 400 * 5000;
  for (let i = 0; i < 400; i++) {
    monitor.tick(t);
    t += 5000;
    if (i % 50 === 49) monitor.refitNow();
  }
  monitor.refitNow();
  const fitted = monitor.detectorList.filter(([, d]) => d.isFitted).length;
  log(`${fitted}/${monitor.detectorList.length} detectors fitted; measuring ${ticks} ticks…`);
  await sleep(300);
  const per: number[] = [];
  for (let i = 0; i < ticks; i++) {
    monitor.tick();
    per.push(monitor.lastTickCpuMs);
    await sleep(200);
  }
  // detectors refit every 100 samples: add the amortised refit cost to the tick figure
  const fitDet = new StreamingDetector({ inlineRefit: false });
  for (let i = 0; i < 2200; i++) fitDet.push(50 + 10 * Math.sin(i / 30) + ((i * 7919) % 13));
  const fits: number[] = [];
  for (let i = 0; i < 10; i++) {
    fitDet.refit();
    fits.push(fitDet.lastFitMs);
  }
  const fitMs = fits.sort((a, b) => a - b)[Math.floor(fits.length / 2)]!;
  const tickMs = per.reduce((s, x) => s + x, 0) / per.length;
  const sortedTicks = [...per].sort((a, b) => a - b);
  const amortisedFit = (fitMs * monitor.detectorList.length) / cfg.anomaly.refitEvery;
  collectGarbage();
  const rssMb = process.memoryUsage().rss / 2 ** 20;
  const addedMb = (process.memoryUsage().rss - rssBefore) / 2 ** 20;
  const snap = monitor.current();
  monitor.dispose();

  log('RSS of the compiled monitor under plain Node…');
  const prod = await productionRss();
  log(`systeminformation: ${siTicks} rounds…`);
  const si = (await import('systeminformation')).default;
  // first calls prime caches and currentLoad's baseline
  await si.currentLoad();
  await si.processes();
  await sleep(700);
  const siPer: number[] = [];
  for (let i = 0; i < siTicks; i++) {
    const c0 = cpuWithChildren();
    await si.currentLoad();
    await si.mem();
    await si.fsSize();
    await si.networkStats('*');
    await si.disksIO();
    await si.processes();
    await si.cpuTemperature();
    siPer.push(cpuWithChildren() - c0);
    await sleep(700);
  }
  const siMs = siPer.reduce((s, x) => s + x, 0) / siPer.length;
  const result = {
    tick_cpu_ms: r2(tickMs),
    tick_cpu_ms_p50: r2(sortedTicks[Math.floor(sortedTicks.length / 2)]!),
    tick_cpu_ms_p95: r2(sortedTicks[Math.floor(sortedTicks.length * 0.95)]!),
    tick_cpu_ms_with_refits: r2(tickMs + amortisedFit),
    si_tick_cpu_ms: r2(siMs),
    ratio: r2(siMs / tickMs),
    rss_mb: prod?.rss_mb ?? null,
    rss_node_baseline_mb: prod?.baseline_mb ?? null,
    live_heap_and_buffers_mb: prod?.live_mb ?? null,
    rss_under_tsx_mb: r2(rssMb),
    monitor_added_mb: r2(addedMb),
    detector_fit_ms: r2(fitMs),
    detectors: monitor.detectorList.length,
    metrics: Object.keys(snap.metrics).length,
    processes: snap.processes.count,
    interval_s: cfg.intervalS,
    cpu_share_pct: r2((100 * (tickMs + amortisedFit)) / (cfg.intervalS * 1000)),
    ticks,
    si_ticks: siTicks,
  };
  if (json) process.stdout.write(JSON.stringify(result) + '\n');
  else {
    process.stdout.write(
      [
        `monitor tick: ${result.tick_cpu_ms} ms CPU (p50 ${result.tick_cpu_ms_p50}, p95 ${result.tick_cpu_ms_p95}; ${result.tick_cpu_ms_with_refits} with amortised refits)`,
        `systeminformation, same collection: ${result.si_tick_cpu_ms} ms CPU → ratio ${result.ratio}`,
        `RSS ${result.rss_mb} MB compiled under plain Node (empty Node ${result.rss_node_baseline_mb} MB; ${result.rss_under_tsx_mb} MB under tsx, monitor added ${result.monitor_added_mb} MB); detector fit ${result.detector_fit_ms} ms`,
        `${result.metrics} metrics, ${result.processes} processes, ${result.detectors} detectors; ${result.cpu_share_pct} % of a core at ${cfg.intervalS} s`,
      ].join('\n') + '\n',
    );
  }
}
