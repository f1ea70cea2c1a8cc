/**
 * `npm run --silent bench -- fleet [--json] [--scrapes N] [--events N]`
 *
 * scrape_ms: median wall time of one scrape of the Prometheus endpoint (HTTP GET over a kept-alive
 *   loopback connection, full render: /proc, monitor snapshot and alerts, Quest Log status), with
 *   the monitor and the Quest Log running in the same process as in the background host.
 * forward_events_per_s: Quest Log events forwarded per second by log forwarding: N events are in
 *   the Quest Log, the fleet service starts with its cursor before them, and the clock runs until a
 *   local syslog TCP receiver has all N (read from the Quest Log, queued on disk, encoded as RFC
 *   5424, sent, acknowledged). journald_events_per_s: the same to a unix datagram listener in the
 *   journald native protocol.
 * scrape_cpu_ms and forward_events_per_cpu_s give the same per CPU time of this process, which a
 * busy machine does not distort (the wall-time figures wait for a core when the load is high).
 * Targets: scrape_ms ≤ 10, forward_events_per_s ≥ 5000.
 */
import { homeWithConfig } from '../helpers/home';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, get } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { spawn } from 'node:child_process';
import { composeServices } from '../../src/hosts/runtime';
import { createQuestlogModule } from '../../src/services/questlog/module';
import { createMonitorModule } from '../../src/services/monitor/module';
import { createFleetModule } from '../../src/services/fleet/module';

function arg(argv: string[], name: string, def: number): number {
  const i = argv.indexOf(name);
  const v = i >= 0 ? Number(argv[i + 1]) : def;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} needs a positive number`);
  return v;
}

const env = homeWithConfig;

const quiet = { questlog: { journald: false } };

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

async function waitFor(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 2));
  }
}

async function benchScrape(
  n: number,
): Promise<{ median: number; p95: number; cpuMs: number; bytes: number; samples: number }> {
  const root = mkdtempSync(join(tmpdir(), 'ainl-bench-fleet-'));
  try {
    const c = await composeServices(
      'bench',
      [
        ['questlog', createQuestlogModule],
        ['monitor', createMonitorModule],
        ['fleet', createFleetModule],
      ],
      () => undefined,
      env(root, {
        ...quiet,
        monitor: { intervalS: 1, unitsEveryS: 0 },
        fleet: { metrics: { enabled: true, port: 0 } },
      }),
    );
    try {
      const url = (await c.ctx.call('fleet:status', {})).metrics.url;
      if (!url) throw new Error('the endpoint did not start');
      await new Promise((r) => setTimeout(r, 1500)); // a few monitor samples
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      const once = (): Promise<string> =>
        new Promise((resolve, reject) => {
          get(url, { agent }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (d: string) => (body += d));
            res.on('end', () =>
              res.statusCode === 200 ? resolve(body) : reject(new Error(`HTTP ${res.statusCode}`)),
            );
          }).on('error', reject);
        });
      let body = '';
      for (let i = 0; i < 20; i++) body = await once();
      const times: number[] = [];
      const cpu0 = process.cpuUsage();
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        await once();
        times.push(performance.now() - t0);
      }
      const cpu = process.cpuUsage(cpu0);
      agent.destroy();
      times.sort((a, b) => a - b);
      // CPU of this process (endpoint and client) per scrape: independent of how busy the machine is
      const cpuMs = (cpu.user + cpu.system) / 1000 / n;
      return {
        median: pct(times, 0.5),
        p95: pct(times, 0.95),
        cpuMs,
        bytes: Buffer.byteLength(body),
        samples: body.split('\n').filter((l) => l && !l.startsWith('#')).length,
      };
    } finally {
      await c.dispose();
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** N events into a Quest Log at `root`, then the forwarder's cursor set before them. */
async function seed(root: string, n: number): Promise<void> {
  const c = await composeServices(
    'bench',
    [['questlog', createQuestlogModule]],
    () => undefined,
    env(root, quiet),
  );
  for (let i = 0; i < n; i++) {
    c.ctx.events.record({
      type: 'unit.failed',
      source: 'bench',
      severity: i % 5 ? 'info' : 'error',
      message: `bench event ${i}: nginx.service failed`,
      data: { i, unit: 'nginx.service' },
    });
  }
  await c.dispose();
  const dir = join(root, 'data', 'ai-native-linux', 'fleet', 'logs');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'cursor.json'), JSON.stringify({ event: 0, command: 0 }));
}

async function benchForwardTcp(n: number): Promise<{ perS: number; perCpuS: number }> {
  const root = mkdtempSync(join(tmpdir(), 'ainl-bench-fleet-'));
  const conns = new Set<Socket>();
  let frames = 0;
  const server = createServer((s) => {
    conns.add(s);
    let pending: Buffer = Buffer.alloc(0);
    s.on('data', (d: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, d]) : d;
      let i = 0;
      for (;;) {
        const sp = pending.indexOf(0x20, i);
        if (sp < 0) break;
        const len = Number(pending.subarray(i, sp).toString());
        if (sp + 1 + len > pending.length) break;
        frames++;
        i = sp + 1 + len;
      }
      pending = pending.subarray(i);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as { port: number }).port;
  try {
    await seed(root, n);
    const e = env(root, {
      ...quiet,
      fleet: { logs: { enabled: true, target: 'syslog', syslog: { transport: 'tcp', port } } },
    });
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const c = await composeServices(
      'bench',
      [
        ['questlog', createQuestlogModule],
        ['fleet', createFleetModule],
      ],
      () => undefined,
      e,
    );
    await waitFor(() => frames >= n, 120_000);
    const s = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    await c.dispose();
    return { perS: n / s, perCpuS: n / ((cpu.user + cpu.system) / 1e6) };
  } finally {
    for (const s of conns) s.destroy();
    server.close();
    rmSync(root, { recursive: true, force: true });
  }
}

async function benchForwardJournal(n: number): Promise<number> {
  const root = mkdtempSync(join(tmpdir(), 'ainl-bench-fleet-'));
  const sock = join(root, 'journal.sock');
  const listener = spawn(
    'perl',
    [
      '-e',
      'use Socket; use IO::Handle; my $p = shift; socket(my $s, AF_UNIX, SOCK_DGRAM, 0) or die; bind($s, sockaddr_un($p)) or die; STDOUT->autoflush(1); print "ready\\n"; my $n = 0; while (defined recv($s, my $b, 1048576, 0)) { $n++; print "$n\\n" if $n % 100 == 0; }',
      sock,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let got = 0;
  let ready = false;
  listener.stdout.setEncoding('utf8');
  listener.stdout.on('data', (s: string) => {
    for (const l of s.split('\n')) {
      if (l === 'ready') ready = true;
      else if (/^\d+$/.test(l)) got = Number(l);
    }
  });
  try {
    await waitFor(() => ready, 10_000);
    await seed(root, n);
    const e = env(root, {
      ...quiet,
      fleet: { logs: { enabled: true, target: 'journald', journalSocket: sock } },
    });
    const t0 = performance.now();
    const c = await composeServices(
      'bench',
      [
        ['questlog', createQuestlogModule],
        ['fleet', createFleetModule],
      ],
      () => undefined,
      e,
    );
    await waitFor(() => got >= Math.floor(n / 100) * 100, 120_000);
    const s = (performance.now() - t0) / 1000;
    await c.dispose();
    return n / s;
  } finally {
    listener.kill();
    rmSync(root, { recursive: true, force: true });
  }
}

export async function main(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const scrapes = arg(argv, '--scrapes', 200);
  const events = arg(argv, '--events', 20_000);
  process.stderr.write(`fleet bench: ${scrapes} scrapes …\n`);
  const scrape = await benchScrape(scrapes);
  process.stderr.write(`fleet bench: forwarding ${events} events over syslog TCP …\n`);
  const tcp = await benchForwardTcp(events);
  process.stderr.write(
    `fleet bench: forwarding ${events} events to a journald-style unix datagram socket …\n`,
  );
  const journal = await benchForwardJournal(events);
  const result = {
    /** the machine's 1-minute load average when the bench ended (the figures are wall times) */
    load1: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
    cores: cpus().length,
    scrape_ms: Math.round(scrape.median * 100) / 100,
    scrape_p95_ms: Math.round(scrape.p95 * 100) / 100,
    scrape_cpu_ms: Math.round(scrape.cpuMs * 100) / 100,
    scrape_bytes: scrape.bytes,
    scrape_samples: scrape.samples,
    forward_events_per_s: Math.round(tcp.perS),
    /** events per CPU-second of this process (receiver included): the rate on an idle core */
    forward_events_per_cpu_s: Math.round(tcp.perCpuS),
    journald_events_per_s: Math.round(journal),
    events,
    scrapes,
    targets: { scrape_ms: 10, forward_events_per_s: 5000 },
  };
  if (json) process.stdout.write(JSON.stringify(result) + '\n');
  else
    process.stderr.write(
      `scrape ${result.scrape_ms} ms median (p95 ${result.scrape_p95_ms} ms, ${result.scrape_cpu_ms} ms CPU, ${result.scrape_samples} samples, ${result.scrape_bytes} bytes)\n` +
        `forwarding ${result.forward_events_per_s} events/s (syslog TCP; ${result.forward_events_per_cpu_s} per CPU-second), ${result.journald_events_per_s} events/s (journald native)\n` +
        `load average ${result.load1} on ${result.cores} cores\n`,
    );
  // services may leave timers of their own; the bench is done
  process.exit(0);
}
