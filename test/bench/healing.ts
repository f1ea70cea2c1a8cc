/**
 * Healing benchmark against a real systemd (test/harness sandbox):
 *  - detect: kill -9 of a unit's main PID → the engine knows (Subscribe + PropertiesChanged)
 *  - recover: kill → unit active again and its HTTP probe passing (unit has Restart=no)
 *  - the same detection by a monit-style poll every 1 s, side by side
 *  - rss_added_mb: resident memory the engine + D-Bus connection add to this process
 *
 * npm run --silent bench -- healing [--json] [--iterations N]
 */
import { writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import { Sandbox, SandboxUnavailable } from '../harness/sandbox';
import { HTTP_SERVER_JS, randomPort } from '../harness/healingFixture';

function pct(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
}
const r1 = (x: number): number => Math.round(x * 10) / 10;
/** A full GC without --expose-gc on the command line, so RSS readings are not garbage. */
function gc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function main(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const iIdx = argv.indexOf('--iterations');
  const iterations = iIdx >= 0 ? Number(argv[iIdx + 1]) : 20;
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > 1000) {
    process.stderr.write('healing bench: --iterations needs an integer 1..1000\n');
    process.exit(2);
  }
  const say = (s: string): void => void process.stderr.write(s + '\n');

  gc();
  const rssStart = process.memoryUsage().rss;
  // code load (under tsx this includes transpiling); reported separately from the running cost
  const { connectSystemBus } = await import('../../src/services/healing/bus');
  const { SystemdClient } = await import('../../src/services/healing/systemd');
  const { HealingEngine } = await import('../../src/services/healing/engine');
  const { healingConfig } = await import('../../src/shared/config/healing');
  gc();
  const rssCode = process.memoryUsage().rss;

  let sb: Sandbox;
  try {
    sb = await Sandbox.start();
  } catch (err) {
    const reason = err instanceof SandboxUnavailable ? err.message : String(err);
    if (json) process.stdout.write(JSON.stringify({ suite: 'healing', skipped: true, reason }) + '\n');
    say(`healing bench skipped: ${reason}`);
    process.exit(1);
  }
  const port = randomPort();
  writeFileSync(join(sb.share, 'http-server.cjs'), HTTP_SERVER_JS);
  await sb.writeFile('/etc/systemd/system/bench.service', `[Unit]\nStartLimitIntervalSec=0\n[Service]\nExecStart=/usr/bin/node /ainl-share/http-server.cjs ${port}\nRestart=no\n`);
  await sb.run(['systemctl', 'daemon-reload']);
  await sb.run(['systemctl', 'start', 'bench.service']);
  const systemdVersion = (await sb.run(['systemctl', '--version'])).split('\n')[0] ?? '';

  await sleep(300);
  gc();
  const rssBefore = process.memoryUsage().rss; // after the harness work, before any engine/bus object
  const bus = await connectSystemBus(3000, sb.busAddress);
  const sd = new SystemdClient(bus);
  await sd.subscribe();
  const config = healingConfig.parse({
    reconcileIntervalSec: 30,
    targets: [
      {
        name: 'bench.service',
        probes: [{ type: 'http', url: `http://127.0.0.1:${port}/`, intervalSec: 1, timeoutMs: 1000, failureThreshold: 3 }],
        policy: { maxRestarts: 1000, windowSec: 60, backoffInitialSec: 0, cooldownSec: 0, stableSec: 0.2, verifyTimeoutSec: 10 },
      },
    ],
  });
  const engine = new HealingEngine({ config });
  engine.start();
  await engine.attach(sd);

  // monit-style poller: every 1 s, ask systemd whether the unit is active
  let pollSeenDownAt = 0;
  let killAt = 0;
  const poller = setInterval(() => {
    void sd
      .snapshot('bench.service')
      .then((s) => {
        if (killAt && !pollSeenDownAt && s.activeState !== 'active') pollSeenDownAt = Date.now();
      })
      .catch(() => undefined);
  }, 1000);

  const waitHealthy = async (): Promise<void> => {
    for (let i = 0; i < 200; i++) {
      const t = engine.status().targets[0];
      if (t?.phase === 'healthy' && t.probes[0]?.ok === true) return;
      await sleep(50);
    }
    throw new Error(`bench.service not healthy: ${JSON.stringify(engine.status().targets[0])}`);
  };

  const detect: number[] = [];
  const recover: number[] = [];
  const poll: number[] = [];
  const detectB: number[] = [];
  const pollIterations = Math.min(iterations, 10);
  try {
    await waitHealthy();
    for (let i = 0; i < iterations; i++) {
      await waitHealthy();
      await sleep(200 + Math.random() * 1000); // random phase against the 1 s poll
      const inside = engine.status().targets[0]?.mainPid ?? 0;
      const hostPid = inside > 1 ? sb.hostPid(inside) : 0;
      if (hostPid <= 1) throw new Error(`cannot find the host PID of bench.service (inside ${inside})`);
      const detected = new Promise<number>((res) => engine.once('detect', (d: { at: number }) => res(d.at)));
      const up = new Promise<number>((res) => engine.once('up', (d: { at: number }) => res(d.at)));
      pollSeenDownAt = 0;
      killAt = Date.now();
      process.kill(hostPid, 'SIGKILL');
      const dAt = await Promise.race([detected, sleep(10_000).then(() => NaN)]);
      const uAt = await Promise.race([up, sleep(15_000).then(() => NaN)]);
      for (let w = 0; w < 30 && !pollSeenDownAt; w++) await sleep(100);
      const d = dAt - killAt;
      const u = uAt - killAt;
      const pl = pollSeenDownAt ? pollSeenDownAt - killAt : NaN;
      detect.push(d);
      recover.push(u);
      if (!Number.isNaN(pl)) poll.push(pl);
      killAt = 0;
      say(`iteration ${i + 1}/${iterations}: detect ${d} ms, recover ${u} ms, 1 s poll ${Number.isNaN(pl) ? 'missed' : pl} ms`);
    }
    // phase B: healing paused, so the unit stays down until seen; the 1 s poll vs the event, same kills
    engine.pause('bench');
    for (let i = 0; i < pollIterations; i++) {
      await waitHealthy();
      await sleep(200 + Math.random() * 1000);
      const inside = engine.status().targets[0]?.mainPid ?? 0;
      const hostPid = inside > 1 ? sb.hostPid(inside) : 0;
      if (hostPid <= 1) throw new Error(`cannot find the host PID of bench.service (inside ${inside})`);
      const detected = new Promise<number>((res) => engine.once('detect', (d: { at: number }) => res(d.at)));
      pollSeenDownAt = 0;
      killAt = Date.now();
      process.kill(hostPid, 'SIGKILL');
      const dAt = await Promise.race([detected, sleep(10_000).then(() => NaN)]);
      for (let w = 0; w < 40 && !pollSeenDownAt; w++) await sleep(50);
      const pl = pollSeenDownAt ? pollSeenDownAt - killAt : NaN;
      if (!Number.isNaN(pl)) poll.push(pl);
      detectB.push(dAt - killAt);
      say(`poll ${i + 1}/${pollIterations}: event ${dAt - killAt} ms, 1 s poll ${Number.isNaN(pl) ? 'missed' : pl} ms`);
      killAt = 0;
      await sd.job('restart', 'bench.service');
    }
    engine.resume('bench');
  } finally {
    clearInterval(poller);
  }
  gc();
  await sleep(300);
  gc();
  const rssAfter = process.memoryUsage().rss;
  engine.dispose();
  sd.dispose();
  bus.disconnect();
  await sb.stop();

  const result = {
    suite: 'healing',
    iterations,
    detect_p50_ms: r1(pct(detect, 50)),
    detect_p95_ms: r1(pct(detect, 95)),
    recover_p50_ms: r1(pct(recover, 50)),
    recover_p95_ms: r1(pct(recover, 95)),
    rss_added_mb: r1((rssAfter - rssBefore) / 1048576),
    rss_code_load_mb: r1((rssCode - rssStart) / 1048576),
    poll_1s_detect_p50_ms: r1(pct(poll, 50)),
    poll_1s_detect_p95_ms: r1(pct(poll, 95)),
    poll_samples: poll.length,
    event_detect_same_kills_p95_ms: r1(pct(detectB, 95)),
    targets: { detect_p95_ms: 200, recover_p95_ms: 2000, rss_added_mb: 20 },
    pass: pct(detect, 95) <= 200 && pct(recover, 95) <= 2000 && (rssAfter - rssBefore) / 1048576 <= 20,
    systemd: systemdVersion,
    node: process.version,
  };
  if (json) process.stdout.write(JSON.stringify(result) + '\n');
  else {
    say(`detect   p50 ${result.detect_p50_ms} ms  p95 ${result.detect_p95_ms} ms   (event-driven, Subscribe + PropertiesChanged)`);
    say(`poll 1 s p50 ${result.poll_1s_detect_p50_ms} ms  p95 ${result.poll_1s_detect_p95_ms} ms   (monit-style)`);
    say(`recover  p50 ${result.recover_p50_ms} ms  p95 ${result.recover_p95_ms} ms   (kill → active + HTTP probe passing)`);
    say(`rss added ${result.rss_added_mb} MB`);
  }
}
