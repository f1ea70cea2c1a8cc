/**
 * Healing benchmark against a real systemd (test/harness sandbox):
 *  - detect: kill -9 of a unit's main PID → the engine knows (Subscribe + PropertiesChanged)
 *  - recover: kill → unit active again and its HTTP probe passing (unit has Restart=no)
 *  - the same detection by a monit-style poll every 1 s, side by side (healing paused, so the
 *    failure stays visible until the poll comes round)
 *  - rss_added_mb: resident memory the engine + its D-Bus connection add to a process (measured in
 *    a child that runs nothing else; the driver's own work stays here)
 *
 * npm run --silent bench -- healing [--json] [--iterations N]
 */
import { writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Sandbox, SandboxUnavailable } from '../harness/sandbox';
import { HTTP_SERVER_JS, randomPort } from '../harness/healingFixture';
import { connectSystemBus } from '../../src/services/healing/bus';
import { SystemdClient } from '../../src/services/healing/systemd';

function pct(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
}
const r1 = (x: number): number => Math.round(x * 10) / 10;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

type ChildMsg = {
  type: string;
  at?: number;
  phase?: string;
  mainPid?: number;
  probeOk?: boolean | null;
  base?: number;
  now?: number;
  heapUsed?: number;
};

class Child {
  private waiters: Array<{ type: string; resolve: (m: ChildMsg) => void }> = [];
  constructor(readonly proc: ChildProcess) {
    proc.on('message', (m: ChildMsg) => {
      const i = this.waiters.findIndex((w) => w.type === m.type);
      if (i >= 0) this.waiters.splice(i, 1)[0]?.resolve(m);
    });
  }
  next(type: string, timeoutMs: number): Promise<ChildMsg | null> {
    return new Promise((resolve) => {
      const w = { type, resolve: (m: ChildMsg | null) => resolve(m) };
      this.waiters.push(w as { type: string; resolve: (m: ChildMsg) => void });
      setTimeout(() => {
        const i = this.waiters.indexOf(w as { type: string; resolve: (m: ChildMsg) => void });
        if (i >= 0) {
          this.waiters.splice(i, 1);
          resolve(null);
        }
      }, timeoutMs);
    });
  }
  async ask(cmd: string, reply: string): Promise<ChildMsg | null> {
    const p = this.next(reply, 5000);
    this.proc.send({ cmd });
    return p;
  }
}

export async function main(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const iIdx = argv.indexOf('--iterations');
  const iterations = iIdx >= 0 ? Number(argv[iIdx + 1]) : 20;
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > 1000) {
    process.stderr.write('healing bench: --iterations needs an integer 1..1000\n');
    process.exit(2);
  }
  const say = (s: string): void => void process.stderr.write(s + '\n');

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
  await sb.writeFile(
    '/etc/systemd/system/bench.service',
    `[Unit]\nStartLimitIntervalSec=0\n[Service]\nExecStart=/usr/bin/node /ainl-share/http-server.cjs ${port}\nRestart=no\n`,
  );
  await sb.run(['systemctl', 'daemon-reload']);
  await sb.run(['systemctl', 'start', 'bench.service']);
  const systemdVersion = (await sb.run(['systemctl', '--version'])).split('\n')[0] ?? '';

  const childFile = join(dirname(fileURLToPath(import.meta.url)), '_healingChild.ts');
  const child = new Child(
    fork(childFile, [sb.busAddress, String(port)], {
      execArgv: process.execArgv,
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    }),
  );
  const ready = await child.next('ready', 30_000);
  if (!ready) throw new Error('engine child did not start');

  // the monit-style poller (here, not in the measured child): every 1 s, is the unit active?
  const bus = await connectSystemBus(3000, sb.busAddress);
  const sd = new SystemdClient(bus);
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

  const status = async (): Promise<ChildMsg> => (await child.ask('status', 'status')) ?? { type: 'status' };
  const waitHealthy = async (): Promise<number> => {
    for (let i = 0; i < 400; i++) {
      const s = await status();
      if (s.phase === 'healthy' && s.probeOk === true && (s.mainPid ?? 0) > 1) return s.mainPid as number;
      await sleep(50);
    }
    throw new Error(`bench.service not healthy: ${JSON.stringify(await status())}`);
  };
  const kill = (inside: number): void => {
    const hostPid = sb.hostPid(inside);
    if (hostPid <= 1) throw new Error(`cannot find the host PID of bench.service (inside ${inside})`);
    pollSeenDownAt = 0;
    killAt = Date.now();
    process.kill(hostPid, 'SIGKILL');
  };

  const detect: number[] = [];
  const recover: number[] = [];
  const poll: number[] = [];
  const detectB: number[] = [];
  const pollIterations = Math.min(iterations, 10);
  let rss: ChildMsg | null;
  try {
    for (let i = 0; i < iterations; i++) {
      await waitHealthy();
      await sleep(200 + Math.random() * 800);
      const inside = await waitHealthy();
      const detected = child.next('detect', 10_000);
      const up = child.next('up', 15_000);
      kill(inside);
      const d = ((await detected)?.at ?? NaN) - killAt;
      const u = ((await up)?.at ?? NaN) - killAt;
      detect.push(d);
      recover.push(u);
      killAt = 0;
      say(`recover ${i + 1}/${iterations}: detect ${d} ms, active + probe passing ${u} ms`);
    }
    child.proc.send({ cmd: 'pause' });
    for (let i = 0; i < pollIterations; i++) {
      const inside = await waitHealthy();
      await sleep(200 + Math.random() * 1000); // random phase against the 1 s poll
      const detected = child.next('detect', 10_000);
      kill(inside);
      const d = ((await detected)?.at ?? NaN) - killAt;
      for (let w = 0; w < 60 && !pollSeenDownAt; w++) await sleep(50);
      const pl = pollSeenDownAt ? pollSeenDownAt - killAt : NaN;
      if (!Number.isNaN(pl)) poll.push(pl);
      detectB.push(d);
      say(`poll ${i + 1}/${pollIterations}: event ${d} ms, 1 s poll ${Number.isNaN(pl) ? 'missed' : pl} ms`);
      killAt = 0;
      await sd.job('restart', 'bench.service');
    }
    child.proc.send({ cmd: 'resume' });
    rss = await child.ask('rss', 'rss');
  } finally {
    clearInterval(poller);
    child.proc.send({ cmd: 'exit' });
    sd.dispose();
    bus.disconnect();
    await sleep(200);
    if (child.proc.exitCode === null) child.proc.kill('SIGKILL');
    await sb.stop();
  }
  const rssAdded = rss?.base && rss.now ? (rss.now - rss.base) / 1048576 : NaN;

  const result = {
    suite: 'healing',
    iterations,
    detect_p50_ms: r1(pct(detect, 50)),
    detect_p95_ms: r1(pct(detect, 95)),
    recover_p50_ms: r1(pct(recover, 50)),
    recover_p95_ms: r1(pct(recover, 95)),
    rss_added_mb: r1(rssAdded),
    heap_used_mb: r1((rss?.heapUsed ?? NaN) / 1048576),
    poll_1s_detect_p50_ms: r1(pct(poll, 50)),
    poll_1s_detect_p95_ms: r1(pct(poll, 95)),
    event_detect_same_kills_p50_ms: r1(pct(detectB, 50)),
    event_detect_same_kills_p95_ms: r1(pct(detectB, 95)),
    poll_samples: poll.length,
    targets: { detect_p95_ms: 200, recover_p95_ms: 2000, rss_added_mb: 20 },
    pass: pct(detect, 95) <= 200 && pct(recover, 95) <= 2000 && rssAdded <= 20,
    systemd: systemdVersion,
    node: process.version,
  };
  if (json) process.stdout.write(JSON.stringify(result) + '\n');
  else {
    say(
      `detect   p50 ${result.detect_p50_ms} ms  p95 ${result.detect_p95_ms} ms   (event-driven, Subscribe + PropertiesChanged)`,
    );
    say(
      `poll 1 s p50 ${result.poll_1s_detect_p50_ms} ms  p95 ${result.poll_1s_detect_p95_ms} ms   (monit-style, same kills: event p95 ${result.event_detect_same_kills_p95_ms} ms)`,
    );
    say(
      `recover  p50 ${result.recover_p50_ms} ms  p95 ${result.recover_p95_ms} ms   (kill → active + HTTP probe passing)`,
    );
    say(`rss added ${result.rss_added_mb} MB (engine + D-Bus connection, after code load)`);
  }
}
