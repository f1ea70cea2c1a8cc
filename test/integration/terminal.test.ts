/**
 * The terminal service with real node-pty shells (bash and zsh) under plain Node: output events,
 * resize, flow control under a flood, UTF-8 across chunk boundaries, exit, validation, the
 * environment and the Quest Log hook loading.
 */
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { EventName } from '../../src/shared/contract';
import { Dispatcher, type Emit } from '../../src/services/core/dispatcher';
import { TerminalService, type TerminalServiceOptions } from '../../src/services/terminal/service';

interface Captured {
  data: Map<string, string[]>;
  seqs: Map<string, number[]>;
  exits: Map<string, { exitCode: number; signal: number | null }>;
}

/** zsh is in .ci/apt-packages; a developer machine without it skips the zsh cases. */
const haveZsh = ['/usr/bin/zsh', '/bin/zsh'].some((p) => existsSync(p));

let root: string;
let home: string;
const services: TerminalService[] = [];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ainl-term-'));
  home = join(root, 'home');
  mkdirSync(home);
  writeFileSync(join(home, '.bashrc'), 'PS1="$ "\n');
  writeFileSync(join(home, '.zshrc'), 'PS1="%% "\n');
});

afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.dispose(500)));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

function baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    LANG: 'C.UTF-8',
    SHELL: '/bin/bash',
    XDG_RUNTIME_DIR: join(root, 'run'),
    ...extra,
  };
}

function makeService(opts: Partial<TerminalServiceOptions> = {}): {
  svc: TerminalService;
  cap: Captured;
  d: Dispatcher;
} {
  const cap: Captured = { data: new Map(), seqs: new Map(), exits: new Map() };
  const emit: Emit = (event: EventName, payload: unknown) => {
    if (event === 'terminal:data') {
      const p = payload as { id: string; data: string; seq: number };
      if (!cap.seqs.has(p.id)) cap.seqs.set(p.id, []);
      cap.seqs.get(p.id)?.push(p.seq);
      // a custom sink (the flood test) takes the data instead of the capture
      if (opts.emit) return opts.emit(event, payload as never);
      if (!cap.data.has(p.id)) cap.data.set(p.id, []);
      cap.data.get(p.id)?.push(p.data);
    } else if (event === 'terminal:exit') {
      const p = payload as { id: string; exitCode: number; signal: number | null };
      cap.exits.set(p.id, { exitCode: p.exitCode, signal: p.signal });
    }
  };
  const svc = new TerminalService({
    runtimeDir: join(root, 'run'),
    env: baseEnv(),
    hookDir: null,
    ...opts,
    emit,
  });
  services.push(svc);
  const d = new Dispatcher();
  d.register(svc.handlers());
  return { svc, cap, d };
}

const output = (cap: Captured, id: string): string => (cap.data.get(id) ?? []).join('');

async function waitFor(cond: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const call = (d: Dispatcher, channel: string, payload: unknown): Promise<unknown> =>
  d.call(channel, payload, { transport: 'internal' });

async function problemOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (err) {
    return `${(err as { problem: string }).problem}: ${(err as Error).message}`;
  }
  return 'no error';
}

describe('terminal sessions with real shells', () => {
  it('runs bash: create → echo → terminal:data, listed with its cwd', async () => {
    const { cap, d } = makeService();
    const r = (await call(d, 'terminal:create', { cols: 80, rows: 24, cwd: root })) as {
      id: string;
      shell: string;
      pid: number;
    };
    expect(r.shell).toBe('/bin/bash');
    expect(r.pid).toBeGreaterThan(0);
    await call(d, 'terminal:write', { id: r.id, data: 'echo "hello-$((20+22))"\r' });
    await waitFor(() => output(cap, r.id).includes('hello-42'), 'echo output');
    const seqs = cap.seqs.get(r.id) ?? [];
    expect(seqs).toEqual(seqs.map((_, i) => i + 1)); // 1, 2, 3 … without gaps
    const list = (await call(d, 'terminal:list', {})) as {
      sessions: Array<{ id: string; cwd: string; process: string; cols: number }>;
    };
    const s = list.sessions.find((x) => x.id === r.id);
    expect(s?.cwd).toBe(root);
    expect(s?.cols).toBe(80);
    expect(s?.process).toBe('bash');
  });

  it('resizes: the shell sees the new size', async () => {
    const { cap, d } = makeService();
    const { id } = (await call(d, 'terminal:create', { cols: 80, rows: 24 })) as { id: string };
    await call(d, 'terminal:resize', { id, cols: 123, rows: 45 });
    await call(d, 'terminal:write', { id, data: 'echo "size=$(stty size)"\r' });
    await waitFor(() => output(cap, id).includes('size=45 123'), 'stty size 45 123');
  });

  it.skipIf(!haveZsh)('runs zsh with the generated ZDOTDIR, restoring the user ZDOTDIR', async () => {
    const { cap, d } = makeService();
    const r = (await call(d, 'terminal:create', { cols: 80, rows: 24, shell: 'zsh' })) as {
      id: string;
      shell: string;
    };
    expect(r.shell).toMatch(/\/zsh$/);
    await call(d, 'terminal:write', { id: r.id, data: 'echo "z$((6*7)) zd=$ZDOTDIR"\r' });
    await waitFor(() => output(cap, r.id).includes(`z42 zd=${home}`), 'zsh echo');
  });

  it('ends with terminal:exit carrying the exit code, after all output', async () => {
    const { svc, cap, d } = makeService();
    const { id } = (await call(d, 'terminal:create', { cols: 80, rows: 24 })) as { id: string };
    // the short sleep lets the kernel hand the last line to the master side before the hangup: on a
    // heavily loaded machine Linux may otherwise drop output written in the same instant the shell exits
    await call(d, 'terminal:write', { id, data: 'echo "bye-$((3*3))"; sleep 0.2; exit 7\r' });
    await waitFor(() => cap.exits.has(id), 'exit event');
    expect(cap.exits.get(id)).toEqual({ exitCode: 7, signal: null });
    expect(output(cap, id)).toContain('bye-9');
    expect(svc.list().some((s) => s.id === id)).toBe(false);
    expect(await problemOf(call(d, 'terminal:write', { id, data: 'x' }))).toMatch(
      /^not-found: .*no terminal session/,
    );
  });

  it('terminal:close hangs up the shell and reports its exit', async () => {
    const { cap, d } = makeService();
    const { id } = (await call(d, 'terminal:create', { cols: 80, rows: 24 })) as { id: string };
    await call(d, 'terminal:close', { id });
    await waitFor(() => cap.exits.has(id), 'exit after close');
    expect(cap.exits.get(id)?.signal).toBe(1); // SIGHUP
  });

  it('flow control: a 20 MiB flood pauses the pty and loses no byte', async () => {
    // count as the data arrives (a 31 MB string re-joined on every poll would dominate the test)
    let phase: 'before' | 'body' | 'done' = 'before';
    let carry = '';
    let bodyChars = 0;
    let badChars = 0;
    let received = 0;
    const PATTERN = [0x79, 0x0d, 0x0a]; // y \r \n
    const sink = (_e: string, p: { data: string }): void => {
      received += p.data.length;
      let text = carry + p.data;
      carry = '';
      if (phase === 'before') {
        const at = text.indexOf('BEGIN42\r\n');
        if (at < 0) {
          carry = text.slice(-16);
          return;
        }
        phase = 'body';
        text = text.slice(at + 'BEGIN42\r\n'.length);
      }
      if (phase === 'body') {
        const end = text.indexOf('END43');
        const part = end < 0 ? text.slice(0, Math.max(0, text.length - 8)) : text.slice(0, end);
        if (end < 0) carry = text.slice(part.length);
        else phase = 'done';
        for (let i = 0; i < part.length; i++) {
          if (part.charCodeAt(i) !== PATTERN[(bodyChars + i) % 3]) badChars++;
        }
        bodyChars += part.length;
      }
    };
    const { svc, cap, d } = makeService({ emit: sink as unknown as Emit });
    const { id } = (await call(d, 'terminal:create', { cols: 200, rows: 50 })) as { id: string };
    const session = svc.get(id);
    let acked = 0;
    let maxUnacked = 0;
    // a slow client: acks what it has every 15 ms
    const acker = setInterval(() => {
      maxUnacked = Math.max(maxUnacked, session.unackedChars);
      if (received > acked) {
        session.ack(received - acked);
        acked = received;
      }
    }, 15);
    try {
      await call(d, 'terminal:write', {
        id,
        data: "printf 'BEGIN%s\\n' $((40+2)); yes | head -c 20M; printf 'END%s\\n' $((40+3))\r",
      });
      await waitFor(() => phase === 'done', 'end of the flood', 60_000);
    } finally {
      clearInterval(acker);
    }
    expect(bodyChars).toBe(20 * 1024 * 1024 * 1.5); // "y\n" → "y\r\n" through the tty
    expect(session.pauseCount).toBeGreaterThan(0);
    // unacknowledged output stays bounded: the high watermark plus at most one batch in flight
    expect(maxUnacked).toBeLessThan(100_000 + 2 * 100 * 1024);
    const seqs = cap.seqs.get(id) ?? [];
    expect(seqs.at(-1)).toBe(seqs.length);
    expect(badChars).toBe(0);
  }, 90_000);

  it('ends a session whose output nobody acknowledges (its window is gone)', async () => {
    const { svc, cap, d } = makeService({ orphanAfterMs: 300 });
    const { id } = (await call(d, 'terminal:create', { cols: 80, rows: 24 })) as { id: string };
    await call(d, 'terminal:write', { id, data: 'yes\r' }); // floods until paused, then waits forever
    await waitFor(() => svc.list().find((s) => s.id === id)?.paused === true, 'the pause');
    await waitFor(() => cap.exits.has(id), 'the orphan to be ended', 15_000);
    expect(svc.list().some((s) => s.id === id)).toBe(false);
  });

  it('keeps multi-byte UTF-8 characters whole across chunks', async () => {
    const { cap, d } = makeService({ batch: { maxBytes: 1001, intervalMs: 5 } });
    const unit = 'aé€😀中\n'; // 1, 2, 3, 4, 3-byte characters
    const text = unit.repeat(40_000); // ~560 KB
    const file = join(root, 'utf8.txt');
    writeFileSync(file, text);
    const { id } = (await call(d, 'terminal:create', { cols: 80, rows: 24, flowControl: false })) as {
      id: string;
    };
    await call(d, 'terminal:write', {
      id,
      data: `printf 'S%s\\n' $((1+1)); cat '${file}'; printf 'E%s\\n' $((1+2))\r`,
    });
    await waitFor(() => output(cap, id).includes('E3'), 'end of the UTF-8 stream', 30_000);
    const all = output(cap, id);
    const body = all.slice(all.indexOf('S2\r\n') + 4, all.lastIndexOf('E3'));
    expect(body).not.toContain('\uFFFD');
    expect(body).toBe(text.replace(/\n/g, '\r\n'));
    // every event was within the batch limit
    for (const chunk of cap.data.get(id) ?? []) expect(Buffer.byteLength(chunk)).toBeLessThanOrEqual(1001);
  });

  it('strips secret-looking and app-internal variables, sets terminal identity', async () => {
    const { cap, d } = makeService({
      env: baseEnv({
        MY_API_TOKEN: 'tok-123',
        DB_PASSWORD: 'pw',
        NODE_OPTIONS: '--inspect',
        SSH_AUTH_SOCK: '/tmp/agent.sock',
        KEEP_ME: 'yes',
      }),
    });
    const { id } = (await call(d, 'terminal:create', { cols: 100, rows: 24 })) as { id: string };
    await call(d, 'terminal:write', {
      id,
      data: 'echo "[${MY_API_TOKEN:-none}|${DB_PASSWORD:-none}|${NODE_OPTIONS:-none}|$SSH_AUTH_SOCK|$KEEP_ME|$TERM|${AINL_TERMINAL_ID:0:1}]"\r',
    });
    await waitFor(
      () => output(cap, id).includes('[none|none|none|/tmp/agent.sock|yes|xterm-256color|t]'),
      'environment line',
    );
  });

  it.skipIf(!haveZsh)('loads ~/.bashrc then the Quest Log hook (bash and zsh)', async () => {
    const hookDir = join(root, 'hooks');
    mkdirSync(hookDir, { recursive: true });
    writeFileSync(join(hookDir, 'questlog.bash'), 'AINL_ORDER="${AINL_ORDER}hook-bash"\n');
    writeFileSync(join(hookDir, 'questlog.zsh'), 'AINL_ORDER="${AINL_ORDER}hook-zsh"\n');
    const h2 = join(root, 'home2');
    mkdirSync(h2, { recursive: true });
    writeFileSync(join(h2, '.bashrc'), 'AINL_ORDER="rc,"\n');
    writeFileSync(join(h2, '.zshrc'), 'AINL_ORDER="zrc,"\n');
    const { cap, d } = makeService({ hookDir, env: baseEnv({ HOME: h2 }) });
    const b = (await call(d, 'terminal:create', { cols: 80, rows: 24 })) as {
      id: string;
      questlogHook: boolean;
    };
    const z = (await call(d, 'terminal:create', { cols: 80, rows: 24, shell: 'zsh' })) as {
      id: string;
      questlogHook: boolean;
    };
    expect(b.questlogHook).toBe(true);
    expect(z.questlogHook).toBe(true);
    await call(d, 'terminal:write', { id: b.id, data: 'echo "order=$AINL_ORDER"\r' });
    await call(d, 'terminal:write', { id: z.id, data: 'echo "order=$AINL_ORDER"\r' });
    await waitFor(() => output(cap, b.id).includes('order=rc,hook-bash'), 'bash rc then hook');
    await waitFor(() => output(cap, z.id).includes('order=zrc,hook-zsh'), 'zsh rc then hook');
  });
});

describe('terminal input validation', () => {
  it('answers bad sizes, ids, shells, directories and writes with clear problems', async () => {
    const { d } = makeService();
    const cases: Array<[string, unknown, RegExp]> = [
      ['terminal:create', { cols: 0, rows: 24 }, /^invalid-input: terminal:create: cols/],
      ['terminal:create', { cols: 80, rows: 100_000 }, /^invalid-input: terminal:create: rows/],
      ['terminal:create', { cols: 80.5, rows: 24 }, /^invalid-input/],
      ['terminal:create', { cols: 80, rows: 24, evil: true }, /^invalid-input/],
      ['terminal:create', { cols: 80, rows: 24, cwd: 'relative/dir' }, /^invalid-input: .*absolute/],
      [
        'terminal:create',
        { cols: 80, rows: 24, cwd: join(root, 'missing') },
        /^not-found: .*not an existing directory/,
      ],
      [
        'terminal:create',
        { cols: 80, rows: 24, shell: '/usr/bin/python3' },
        /^invalid-input: .*\/etc\/shells/,
      ],
      ['terminal:create', { cols: 80, rows: 24, shell: 'sh -c evil' }, /^invalid-input: .*absolute/],
      ['terminal:write', { id: '../../etc/passwd', data: 'x' }, /^invalid-input: terminal:write: id/],
      ['terminal:write', { id: 'nope', data: 'x' }, /^not-found: no terminal session "nope"/],
      ['terminal:write', { id: 'nope', data: 'x'.repeat(70_000) }, /^invalid-input: .*at most 65536/],
      ['terminal:resize', { id: 'nope', cols: 80, rows: 24 }, /^not-found/],
      ['terminal:resize', { id: 'nope', cols: -1, rows: 24 }, /^invalid-input/],
      ['terminal:ack', { id: 'nope', chars: -5 }, /^invalid-input/],
      ['terminal:close', { id: '' }, /^invalid-input/],
    ];
    for (const [channel, payload, expected] of cases) {
      expect(
        await problemOf(call(d, channel, payload)),
        `${channel} ${JSON.stringify(payload).slice(0, 60)}`,
      ).toMatch(expected);
    }
  });

  it('refuses more sessions than the limit', async () => {
    const { d } = makeService({ maxSessions: 1 });
    await call(d, 'terminal:create', { cols: 80, rows: 24 });
    expect(await problemOf(call(d, 'terminal:create', { cols: 80, rows: 24 }))).toMatch(
      /^unavailable: too many terminal sessions/,
    );
  });
});
