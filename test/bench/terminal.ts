/**
 * `npm run --silent bench -- terminal [--json] [--mb N] [--rounds N]`
 *
 * Measures the AI terminal's pty path end to end, as the app uses it: Backend → Supervisor →
 * forked pty host (src/hosts/ptyHost.ts) → node-pty bash, and back as terminal:data events with
 * ack flow control. Figures: shell start (create → first output), keystroke echo round trip,
 * flood throughput with acks, bytes lost (must be 0), and the parent's event-loop lag during the
 * flood (the process that also serves monitoring must stay responsive).
 * Output is batched for 16 ms, except the first output after a quiet spell (a keystroke's echo).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Backend } from '../../src/services/core/backend';
import { forkLauncher } from '../../src/services/core/forkLauncher';
import { Supervisor } from '../../src/services/core/supervisor';
import { Problem } from '../../src/shared/problems';

function arg(argv: string[], name: string, def: number): number {
  const i = argv.indexOf(name);
  const v = i >= 0 ? Number(argv[i + 1]) : def;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} needs a positive number`);
  return v;
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] as number) : NaN;
};
const r2 = (x: number): number => Math.round(x * 100) / 100;
const log = (s: string): void => void process.stderr.write(s + '\n');

export async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help')) {
    process.stderr.write(
      'usage: npm run --silent bench -- terminal [--json] [--mb N (flood size, default 20)] [--rounds N (echo rounds, default 50)]\n',
    );
    return;
  }
  const json = argv.includes('--json');
  const mb = arg(argv, '--mb', 20);
  const rounds = Math.round(arg(argv, '--rounds', 50));
  const root = mkdtempSync(join(tmpdir(), 'ainl-bench-term-'));
  const home = join(root, 'home');
  mkdirSync(home);
  writeFileSync(join(home, '.bashrc'), 'PS1="$ "\n');
  const env = {
    ...process.env,
    HOME: home,
    SHELL: '/bin/bash',
    XDG_CONFIG_HOME: join(root, 'config'),
    XDG_DATA_HOME: join(root, 'data'),
    XDG_STATE_HOME: join(root, 'state'),
    XDG_RUNTIME_DIR: join(root, 'run'),
    AINL_SYSTEM_CONFIG_DIR: join(root, 'etc'),
    AINL_LOG_LEVEL: 'warn',
  };
  let backend: Backend | null = null;
  const listeners = new Set<(name: string, p: { id: string; data?: string; seq?: number }) => void>();
  const pty = new Supervisor({
    name: 'pty',
    launch: forkLauncher(resolve(import.meta.dirname, '../../src/hosts/ptyHost.ts'), {
      env,
      execArgv: ['--import', 'tsx'],
    }),
    onEvent: (name, payload) => {
      for (const l of listeners) l(name, payload as { id: string; data?: string });
    },
  });
  const background = new Supervisor({
    name: 'background',
    launch: () => {
      throw new Problem('unavailable', 'not used by this bench');
    },
  });
  backend = new Backend({ version: 'bench', transport: 'websocket', background, routes: { terminal: pty } });
  const call = async <T>(channel: string, payload: unknown): Promise<T> => {
    const r = await backend!.invoke(channel, payload);
    if (!r.ok) throw new Error(`${channel}: ${r.problem}: ${r.message}`);
    return r.value as T;
  };

  try {
    const t0 = performance.now();
    await pty.start();
    const hostStartMs = performance.now() - t0;
    log(`pty host ready in ${hostStartMs.toFixed(0)} ms`);

    // 1. shell start: create → first output (the prompt), 10 times
    const spawnMs: number[] = [];
    for (let i = 0; i < 10; i++) {
      const start = performance.now();
      let first = 0;
      let sid = '';
      const l = (name: string, p: { id: string }): void => {
        if (name === 'terminal:data' && p.id === sid && !first) first = performance.now();
      };
      listeners.add(l);
      sid = (await call<{ id: string }>('terminal:create', { cols: 120, rows: 40 })).id;
      while (!first) await new Promise((r) => setTimeout(r, 1));
      spawnMs.push(first - start);
      listeners.delete(l);
      await call('terminal:close', { id: sid });
    }
    log(`shell start p50 ${pct(spawnMs, 50).toFixed(1)} ms`);

    // 2. echo round trip: write a line, wait for its computed output
    const { id } = await call<{ id: string }>('terminal:create', { cols: 120, rows: 40 });
    let buf = '';
    let acked = 0;
    let received = 0;
    listeners.add((name, p) => {
      if (name !== 'terminal:data' || p.id !== id || p.data === undefined) return;
      received += p.data.length;
      buf = (buf + p.data).slice(-64);
      if (received - acked >= 5_000) {
        const chars = received - acked;
        acked = received;
        void call('terminal:ack', { id, chars }).catch(() => undefined);
      }
    });
    await new Promise((r) => setTimeout(r, 300));
    const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
    // keystroke echo: what typing feels like (one key, readline echoes it), at a human pace
    const keyMs: number[] = [];
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    for (let i = 0; i < rounds; i++) {
      const ch = letters[i % 26] as string;
      const before = received;
      const start = performance.now();
      await call('terminal:write', { id, data: ch });
      while (received === before || !buf.endsWith(ch)) await new Promise((r) => setImmediate(r));
      keyMs.push(performance.now() - start);
      await pause(30);
      if (i % 20 === 19) {
        await call('terminal:write', { id, data: '\x15' });
        await pause(30);
      }
    }
    await call('terminal:write', { id, data: '\x15' });
    log(`keystroke echo p50 ${pct(keyMs, 50).toFixed(2)} ms p95 ${pct(keyMs, 95).toFixed(2)} ms`);
    // command round trip: a whole line run by bash, output back
    await pause(100);
    const echoMs: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const want = `r${i}x${i * 7}`;
      const start = performance.now();
      await call('terminal:write', { id, data: `echo r${i}x$((${i}*7))\r` });
      while (!buf.includes(want)) await new Promise((r) => setImmediate(r));
      echoMs.push(performance.now() - start);
      await pause(30);
    }
    log(`command round trip p50 ${pct(echoMs, 50).toFixed(2)} ms p95 ${pct(echoMs, 95).toFixed(2)} ms`);

    // 3. flood with acks: `yes | head -c N` between two computed markers
    let phase = 0;
    let body = 0;
    let carry = '';
    let pauses = 0;
    listeners.add((name, p) => {
      if (name !== 'terminal:data' || p.id !== id || p.data === undefined) return;
      let t = carry + p.data;
      carry = '';
      if (phase === 0) {
        const a = t.indexOf('FLOODSTART7\r\n');
        if (a < 0) return void (carry = t.slice(-16));
        phase = 1;
        t = t.slice(a + 'FLOODSTART7\r\n'.length);
      }
      if (phase === 1) {
        const e = t.indexOf('FLOODEND9');
        if (e >= 0) {
          body += e;
          phase = 2;
        } else {
          body += Math.max(0, t.length - 12);
          carry = t.slice(Math.max(0, t.length - 12));
        }
      }
    });
    const lag = monitorEventLoopDelay({ resolution: 5 });
    const poll = setInterval(() => {
      void call<{ sessions: Array<{ id: string; paused: boolean }> }>('terminal:list', {})
        .then((l) => {
          if (l.sessions.find((s) => s.id === id)?.paused) pauses++;
        })
        .catch(() => undefined);
    }, 50);
    const fStart = performance.now();
    lag.enable();
    await call('terminal:write', {
      id,
      data: `printf 'FLOODSTART%s\\n' $((3+4)); yes | head -c ${mb}M; printf 'FLOODEND%s\\n' $((4+5))\r`,
    });
    const deadline = Date.now() + 300_000;
    while (phase < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    lag.disable();
    clearInterval(poll);
    const fSec = (performance.now() - fStart) / 1000;
    const expected = mb * 1024 * 1024 * 1.5; // "y\n" → "y\r\n"
    const result = {
      suite: 'terminal',
      path: 'backend → supervisor → forked pty host → node-pty bash (flow control on)',
      pty_host_start_ms: Math.round(hostStartMs),
      shell_start_p50_ms: r2(pct(spawnMs, 50)),
      shell_start_p95_ms: r2(pct(spawnMs, 95)),
      keystroke_echo_p50_ms: r2(pct(keyMs, 50)),
      keystroke_echo_p95_ms: r2(pct(keyMs, 95)),
      command_roundtrip_p50_ms: r2(pct(echoMs, 50)),
      command_roundtrip_p95_ms: r2(pct(echoMs, 95)),
      rounds,
      flood_mib: mb,
      flood_chars_expected: expected,
      flood_chars_received: body,
      flood_chars_lost: expected - body,
      flood_seconds: r2(fSec),
      flood_throughput_mib_s: r2(body / 1024 / 1024 / fSec),
      flood_paused_samples: pauses,
      parent_loop_lag_p99_ms: r2(lag.percentile(99) / 1e6),
      parent_loop_lag_max_ms: r2(lag.max / 1e6),
      completed: phase === 2,
    };
    log(
      `flood ${mb} MiB in ${fSec.toFixed(2)} s, lost ${expected - body} chars, parent loop lag p99 ${result.parent_loop_lag_p99_ms} ms`,
    );
    await call('terminal:close', { id }).catch(() => undefined);
    if (json) process.stdout.write(JSON.stringify(result) + '\n');
    else for (const [k, v] of Object.entries(result)) process.stderr.write(`${k.padEnd(28)} ${String(v)}\n`);
    if (!result.completed || result.flood_chars_lost !== 0) process.exitCode = 1;
  } finally {
    await backend.dispose();
    rmSync(root, { recursive: true, force: true });
  }
}
