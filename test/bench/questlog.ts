/**
 * Quest Log benchmark: `npm run --silent bench -- questlog --json [--quick] [--ingest-only] [--crash | --crash-only] [--crash-commands N]`.
 *
 * Prints one JSON object: hook_ms_per_command (bash and zsh, built-ins only), insert_p99_ms (single
 * events, autocommit), ingest_rows_per_s (batched spool ingest), open_ms_1m (writable open),
 * search_p95_ms_1m and stats_ms_1m (on a generated 1M-command database, cached in $TMPDIR per
 * schema version), bytes_per_1000_events, and with --crash the kill -9 crash test (real bash and
 * zsh through node-pty, daemon killed repeatedly).
 * Progress goes to stderr. Also exports the shell driver and the corpus generator for the tests.
 */
import { mulberry32 } from '../../src/shared/random';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as pty from 'node-pty';
import { QuestlogStore, SCHEMA_VERSION, type NewCommand } from '../../src/services/questlog/store';
import { ingestSpools } from '../../src/services/questlog/spool';

const ROOT = resolve(import.meta.dirname, '..', '..');
const HOOK = (shell: 'bash' | 'zsh'): string => join(ROOT, 'resources', 'shell', `questlog.${shell}`);
const log = (msg: string): void => void process.stderr.write(`[questlog bench] ${msg}\n`);

// ------------------------------------------------------------------ shells through node-pty

export interface ShellOptions {
  shell: 'bash' | 'zsh';
  home: string;
  dataHome: string;
  /** text put into the rc file before the hook is loaded */
  preamble?: string;
  /** the hook to load (default: resources/shell/questlog.<shell>) */
  hookFile?: string;
}

/** An interactive bash or zsh in a pty, with the Quest Log hook loaded from its rc file. */
export class PtyShell {
  readonly proc: pty.IPty;
  output = '';
  private markN = 0;
  exited: Promise<number>;

  constructor(opts: ShellOptions) {
    const rcDir = mkdtempSync(join(opts.home, `${opts.shell}rc-`));
    const hook = opts.hookFile ?? HOOK(opts.shell);
    const rc = `PS1='$ '\nunset PROMPT_COMMAND\n${opts.preamble ?? ''}\nsource ${JSON.stringify(hook)}\n`;
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: opts.home,
      XDG_DATA_HOME: opts.dataHome,
      TERM: 'dumb',
      LANG: 'C.UTF-8',
      USER: process.env.USER ?? 'root',
      QL_QUIET: '1',
      HISTFILE: join(rcDir, 'history'),
    };
    let args: string[];
    if (opts.shell === 'bash') {
      writeFileSync(join(rcDir, 'bashrc'), rc);
      args = ['--noprofile', '--rcfile', join(rcDir, 'bashrc'), '-i'];
    } else {
      writeFileSync(join(rcDir, '.zshrc'), `unsetopt ZLE 2>/dev/null; setopt NO_BEEP\n${rc}`);
      env.ZDOTDIR = rcDir;
      args = ['-i'];
    }
    this.proc = pty.spawn(opts.shell, args, { name: 'dumb', cols: 200, rows: 50, cwd: opts.home, env });
    this.proc.onData((d) => {
      this.output += d;
      if (this.output.length > 200_000) this.output = this.output.slice(-100_000);
    });
    this.exited = new Promise((r) => this.proc.onExit((e) => r(e.exitCode)));
  }

  /** Types a line (Enter included). */
  type(line: string): void {
    this.proc.write(`${line}\r`);
  }

  /** Waits until the shell has executed everything typed so far. */
  async sync(timeoutMs = 30_000): Promise<void> {
    const n = ++this.markN;
    const want = `QLMARK${n * 7}`;
    this.type(`echo QLMARK$((${n}*7))`);
    const end = Date.now() + timeoutMs;
    while (!this.output.includes(want)) {
      if (Date.now() > end)
        throw new Error(
          `shell did not answer (${want}); output tail: ${JSON.stringify(this.output.slice(-400))}`,
        );
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  async exit(): Promise<void> {
    this.type('exit');
    await Promise.race([this.exited, new Promise((r) => setTimeout(r, 3000))]);
    try {
      this.proc.kill();
    } catch {
      // gone
    }
  }
}

// ------------------------------------------------------------------ synthetic corpus (atuin-bench shaped)

const rng = mulberry32;

const HEAD = [
  'ls',
  'git status',
  'cd ..',
  'git diff',
  'll',
  'clear',
  'git log --oneline',
  'make',
  'vim .',
  'htop',
];
const WORDS = [
  'fix',
  'update',
  'parser',
  'config',
  'tests',
  'docs',
  'build',
  'cache',
  'login',
  'deploy',
  'refactor',
  'api',
  'ui',
  'db',
];
const TEMPLATES: Array<(r: () => number, w: () => string, n: () => number) => string> = [
  (_, w) => `git commit -m "${w()} ${w()} ${w()}"`,
  (_, w) => `git checkout -b ${w()}-${w()}`,
  (_, w, n) => `git push origin ${w()}-${n()}`,
  (_, w) => `cd ~/src/${w()}/${w()}`,
  (_, w) => `vim src/${w()}/${w()}.ts`,
  (_, w) => `cargo build --release -p ${w()}`,
  (_, w) => `docker compose up -d ${w()}`,
  (_, w, n) => `docker run --rm -it ${w()}:${n()} bash`,
  (_, w, n) => `ssh ${w()}${n()}.example.org`,
  (_, w) => `grep -rn "${w()}" src/`,
  (_, w) => `npm run ${w()}`,
  (_, w) => `kubectl get pods -n ${w()}`,
  (_, w) => `sudo systemctl restart ${w()}.service`,
  (_, w) => `journalctl -u ${w()}.service -n 100`,
  (_, w) => `rg ${w()} --type ts`,
  (_, w, n) => `curl -s https://api.example.org/v${n() % 3}/${w()} | jq .`,
  (_, w) => `python3 -m pytest tests/test_${w()}.py -x`,
  (_, w) => `find . -name "*.${w()}" -mtime -3`,
];

export function* generateCorpus(
  count: number,
  seed = 42,
  start = Date.UTC(2024, 0, 1),
): Generator<NewCommand> {
  const r = rng(seed);
  const w = (): string => WORDS[Math.floor(r() * WORDS.length)] as string;
  const n = (): number => Math.floor(r() * 50);
  const span = 2 * 365 * 86_400_000;
  const dirs = Array.from(
    { length: 200 },
    (_, i) => `/home/alice/src/${WORDS[i % WORDS.length]}/${Math.floor(i / WORDS.length)}`,
  );
  let session = '';
  for (let i = 0; i < count; i++) {
    if (i % 200 === 0) session = `s${(i / 200).toString(16)}x${Math.floor(r() * 1e9).toString(16)}`;
    const x = r();
    let command: string;
    if (x < 0.45) command = HEAD[Math.floor(r() * HEAD.length)] as string;
    else if (x < 0.97)
      command = (TEMPLATES[Math.floor(r() * TEMPLATES.length)] as (typeof TEMPLATES)[number])(r, w, n);
    else
      command = `for f in $(ls *.${w()}); do echo "$f"; ${w()} --${w()} "$f" | tee -a /tmp/${w()}.log; done # ${Math.floor(r() * 1e6)}`;
    yield {
      ts: start + Math.floor((i / count) * span),
      duration: Math.floor(r() ** 3 * 5000),
      exit: r() < 0.9 ? 0 : r() < 0.5 ? 1 : 127,
      command,
      cwd: dirs[Math.floor(r() ** 2 * dirs.length)] as string,
      user: 'alice',
      host: 'laptop',
      tty: `/dev/pts/${Math.floor(r() * 8)}`,
      session,
      shell: r() < 0.6 ? 'bash' : 'zsh',
    };
  }
}

/** Builds (or reuses) a database with `count` generated commands. */
export function generatedDb(
  count: number,
  dir = join(tmpdir(), 'ainl-questlog-bench'),
): { file: string; buildS: number | null } {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `commands-${count}-v${SCHEMA_VERSION}.db`);
  if (existsSync(file)) return { file, buildS: null };
  const tmp = `${file}.building`;
  rmSync(tmp, { force: true });
  rmSync(`${tmp}-wal`, { force: true });
  rmSync(`${tmp}-shm`, { force: true });
  const t0 = performance.now();
  const store = QuestlogStore.open(tmp);
  let batch: NewCommand[] = [];
  let done = 0;
  for (const c of generateCorpus(count)) {
    batch.push(c);
    if (batch.length === 20_000) {
      store.insertCommands(batch);
      done += batch.length;
      batch = [];
      if (done % 100_000 === 0) log(`generating ${count} commands: ${done}`);
    }
  }
  if (batch.length) store.insertCommands(batch);
  store.db.exec("INSERT INTO commands_fts(commands_fts) VALUES('optimize')");
  store.close();
  renameSync(tmp, file);
  return { file, buildS: (performance.now() - t0) / 1000 };
}

// ------------------------------------------------------------------ measurements

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const round = (x: number, d = 3): number => Math.round(x * 10 ** d) / 10 ** d;

/**
 * Per-command cost of the hook in a real shell: (loop with hook − empty loop) / N, each loop run
 * `rounds` times interleaved and the fastest run of each kept (robust against a busy machine).
 */
export function measureHook(shell: 'bash' | 'zsh', n = 20_000, rounds = 5): number {
  const dir = mkdtempSync(join(tmpdir(), 'ql-hookbench-'));
  try {
    const body =
      shell === 'bash'
        ? `t0=$EPOCHREALTIME; for ((i=0;i<${n};i++)); do __ql_dummy=\${PS0@P}; :; done; t1=$EPOCHREALTIME
  for ((i=0;i<${n};i++)); do __ql_dummy=\${PS0@P}; __ql_precmd; done; t2=$EPOCHREALTIME
  echo "$t0 $t1 $t2"`
        : `t0=$EPOCHREALTIME; for ((i=0;i<${n};i++)); do :; done; t1=$EPOCHREALTIME
  for ((i=0;i<${n};i++)); do __ql_preexec "echo $i"; __ql_precmd; done; t2=$EPOCHREALTIME
  echo "$t0 $t1 $t2"`;
    const script = `source ${JSON.stringify(HOOK(shell))}\nfor ((r=0;r<${rounds};r++)); do\n  ${body}\ndone`;
    const args =
      shell === 'bash' ? ['--norc', '--noprofile', '-i', '-c', script] : ['-f', '-i', '-c', script];
    const outp = execFileSync(shell, args, {
      env: { PATH: process.env.PATH ?? '', HOME: dir, XDG_DATA_HOME: dir, QL_QUIET: '1', PS0: '' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let base = Infinity;
    let hooked = Infinity;
    for (const line of outp.trim().split('\n')) {
      const [a, b, c] = line.split(' ').map((x) => Number(x.replace(',', '.')));
      if (a === undefined || b === undefined || c === undefined || !Number.isFinite(a + b + c)) continue;
      base = Math.min(base, b - a);
      hooked = Math.min(hooked, c - b);
    }
    const spool = join(dir, 'ai-native-linux', 'spool');
    // sanity: the records were really written
    const name = existsSync(spool)
      ? execFileSync('ls', [spool], { encoding: 'utf8' }).trim().split('\n')[0]
      : undefined;
    const written = name ? readFileSync(join(spool, name)) : Buffer.alloc(0);
    const records = written.toString('latin1').split('\x1e').length - 2;
    if (records < n * rounds)
      throw new Error(`${shell} hook wrote ${records} records for ${n * rounds} commands`);
    return ((hooked - base) * 1000) / n;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function measureInsert(n: number): { p50: number; p99: number; max: number } {
  const dir = mkdtempSync(join(tmpdir(), 'ql-insbench-'));
  try {
    const store = QuestlogStore.open(join(dir, 'q.db'));
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      store.insertEvents([
        {
          type: 'alert.fired',
          source: 'monitor',
          severity: 'warning',
          message: `cpu ${i % 100}% on core ${i % 8}`,
          data: { value: i % 100, core: i % 8 },
        },
      ]);
      times.push(performance.now() - t0);
      if (i % 1000 === 999) store.checkpoint(); // the daemon checkpoints on an idle timer
    }
    store.close();
    return { p50: pct(times, 50), p99: pct(times, 99), max: Math.max(...times) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function measureIngest(rows: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'ql-ingbench-'));
  try {
    const spool = join(dir, 'spool');
    mkdirSync(spool);
    const US = '\x1f';
    const files = 8;
    const per = Math.ceil(rows / files);
    const gen = generateCorpus(rows, 7);
    for (let f = 0; f < files; f++) {
      const parts: string[] = [
        ['H', 'bash', `sess${f}`, 'alice', 'laptop', '/dev/pts/1', '1'].join(US) + '\x1e',
      ];
      for (let i = 0; i < per; i++) {
        const c = gen.next().value as NewCommand | undefined;
        if (!c) break;
        parts.push(
          [
            'h',
            String(c.exit),
            String(c.ts * 1000),
            String((c.ts + (c.duration ?? 0)) * 1000),
            c.cwd,
            `${String(i + 1).padStart(5)}  ${c.command}\n`,
          ].join(US) + '\x1e',
        );
      }
      writeFileSync(join(spool, `bash-${f}-sess${f}.spool`), parts.join(''));
    }
    const store = QuestlogStore.open(join(dir, 'q.db'));
    const t0 = performance.now();
    const r = ingestSpools(store, spool, { isAlive: () => true });
    const s = (performance.now() - t0) / 1000;
    store.close();
    if (r.commands !== rows) throw new Error(`ingested ${r.commands} of ${rows}`);
    return rows / s;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const QUERIES: Array<{ query: string; mode: 'fulltext' | 'prefix' | 'fuzzy' }> = [
  { query: '', mode: 'fulltext' },
  { query: 'g', mode: 'fulltext' },
  { query: 'git', mode: 'fulltext' },
  { query: 'git p', mode: 'fulltext' },
  { query: 'cargo build', mode: 'fulltext' },
  { query: 'docker compose up', mode: 'fulltext' },
  { query: 'xyzzy-no-match', mode: 'fulltext' },
  { query: 'git', mode: 'prefix' },
  { query: 'kubectl get', mode: 'prefix' },
];

function measureSearch(
  file: string,
  reps: number,
): { p95: number; p50: number; perQuery: Record<string, number>; filteredP95: number } {
  const store = QuestlogStore.open(file, { readonly: true });
  const all: number[] = [];
  const perQuery: Record<string, number> = {};
  for (const q of QUERIES) {
    const ts: number[] = [];
    store.search({ query: q.query, mode: q.mode, limit: 50 }); // warm
    for (let i = 0; i < reps; i++) {
      const t0 = performance.now();
      store.search({ query: q.query, mode: q.mode, limit: 50 });
      ts.push(performance.now() - t0);
    }
    perQuery[`${q.mode}:${q.query || '(empty)'}`] = round(pct(ts, 95));
    all.push(...ts);
  }
  const filtered: number[] = [];
  const filters = [
    { failed: true },
    { cwd: '/home/alice/src/fix/0' },
    { query: 'git', cwd: '/home/alice/src/api/1' },
    { since: Date.UTC(2025, 5, 1), until: Date.UTC(2025, 5, 8), query: 'docker' },
  ];
  for (const f of filters) {
    store.search({ ...f, limit: 50 });
    for (let i = 0; i < reps; i++) {
      const t0 = performance.now();
      store.search({ ...f, limit: 50 });
      filtered.push(performance.now() - t0);
    }
  }
  store.close();
  return { p95: pct(all, 95), p50: pct(all, 50), perQuery, filteredP95: pct(filtered, 95) };
}

/**
 * Opening the database for writing (as the daemon and the CLI do): migrations checked and the
 * trigram index's coverage checked (nothing to catch up here). Median of `reps` open + close.
 */
function measureOpen(file: string, reps: number): number {
  QuestlogStore.open(file).close();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    const s = QuestlogStore.open(file);
    ts.push(performance.now() - t0);
    s.close();
  }
  return pct(ts, 50);
}

function measureStats(file: string, reps: number): { ms: number; filteredMs: number } {
  const store = QuestlogStore.open(file, { readonly: true });
  store.stats({});
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    store.stats({ top: 10 });
    ts.push(performance.now() - t0);
  }
  const t0 = performance.now();
  store.stats({ since: Date.UTC(2025, 0, 1), until: Date.UTC(2025, 1, 1) });
  const filteredMs = performance.now() - t0;
  store.close();
  return { ms: pct(ts, 50), filteredMs };
}

function measureEventBytes(n: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'ql-sizebench-'));
  try {
    const store = QuestlogStore.open(join(dir, 'q.db'));
    const types = ['alert.fired', 'alert.resolved', 'healing.restart', 'unit.failed', 'assistant.suggestion'];
    const batch = [];
    for (let i = 0; i < n; i++) {
      batch.push({
        ts: Date.UTC(2026, 0, 1) + i * 1000,
        type: types[i % types.length] as string,
        source: 'monitor',
        severity: 'warning' as const,
        message: `cpu usage ${50 + (i % 50)}% above threshold on core ${i % 8}`,
        unit: i % 3 === 0 ? `svc${i % 20}.service` : null,
        data: { value: 50 + (i % 50), threshold: 90 },
      });
    }
    store.insertEvents(batch);
    store.close();
    return (statSync(join(dir, 'q.db')).size / n) * 1000;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ------------------------------------------------------------------ crash test

const CLI = join(ROOT, 'src', 'cli', 'questlog.ts');

export function startDaemon(home: string, dataHome: string): ChildProcess {
  // node itself (not the tsx wrapper), so that SIGKILL hits the daemon and not a parent of it
  return spawn(process.execPath, ['--import', 'tsx', CLI, 'daemon'], {
    cwd: ROOT,
    env: {
      ...process.env,
      HOME: home,
      XDG_DATA_HOME: dataHome,
      XDG_CONFIG_HOME: join(home, 'cfg'),
      AINL_QUESTLOG__JOURNALD: 'false',
      AINL_QUESTLOG__INGEST_INTERVAL_MS: '100',
      AINL_LOG_LEVEL: 'error',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

export interface CrashResult {
  commands: number;
  stored: number;
  duplicates: number;
  missing: number;
  kills: number;
  integrity: string;
  seconds: number;
}

function daemonReady(d: ChildProcess, timeoutMs = 30_000): Promise<boolean> {
  return new Promise((resolveReady) => {
    let buf = '';
    const done = (v: boolean): void => {
      clearTimeout(t);
      d.stderr?.off('data', onData);
      resolveReady(v);
    };
    const onData = (chunk: Buffer): void => {
      buf += chunk.toString();
      if (buf.includes('questlog daemon: ingesting')) done(true);
    };
    const t = setTimeout(() => done(false), timeoutMs);
    d.stderr?.on('data', onData);
    d.once('exit', () => done(false));
  });
}

export interface CrashOptions {
  /** mean pause between a ready daemon and its SIGKILL */
  killEveryMs?: number;
  /** typing waits so that at least one kill happens per this many chunks (per shell) */
  chunksPerKill?: number;
  chunk?: number;
  progress?: (msg: string) => void;
}

/** Real bash and zsh run `: ql-<shell>-<i>` commands while the daemon is SIGKILLed and restarted. */
export async function crashTest(total: number, opts: CrashOptions = {}): Promise<CrashResult> {
  const killEveryMs = opts.killEveryMs ?? 1500;
  const CHUNK = opts.chunk ?? 200;
  const progress = opts.progress ?? (() => undefined);
  const home = mkdtempSync(join(tmpdir(), 'ql-crash-'));
  const dataHome = join(home, 'data');
  const t0 = performance.now();
  let daemon = startDaemon(home, dataHome);
  let ready = daemonReady(daemon);
  let kills = 0;
  let stop = false;
  const killer = (async () => {
    while (!stop) {
      await ready;
      await new Promise((r) => setTimeout(r, killEveryMs * (0.5 + Math.random())));
      if (stop) break;
      daemon.kill('SIGKILL');
      kills++;
      await new Promise((r) => daemon.once('exit', r));
      daemon = startDaemon(home, dataHome);
      ready = daemonReady(daemon);
    }
  })();
  const shells = (['bash', 'zsh'] as const).map((shell) => ({
    shell,
    sh: new PtyShell({ shell, home, dataHome }),
  }));
  const per = Math.ceil(total / shells.length);
  try {
    await Promise.all(shells.map((s) => s.sh.sync(30_000)));
    await Promise.all(
      shells.map(async ({ shell, sh }) => {
        let chunkNo = 0;
        for (let i = 0; i < per; i += CHUNK) {
          const lines: string[] = [];
          for (let j = i; j < Math.min(per, i + CHUNK); j++) lines.push(`: ql-${shell}-${j}`);
          sh.proc.write(lines.join('\r') + '\r');
          await sh.sync(60_000);
          chunkNo++;
          if (opts.chunksPerKill) {
            const want = Math.floor(chunkNo / opts.chunksPerKill);
            while (kills < want) await new Promise((r) => setTimeout(r, 20));
          }
          if (i % 10_000 === 0) progress(`${shell}: ${i}/${per} commands typed, ${kills} kills`);
        }
      }),
    );
  } catch (err) {
    stop = true;
    await killer;
    daemon.kill('SIGKILL');
    for (const s of shells) s.sh.proc.kill();
    rmSync(home, { recursive: true, force: true });
    throw err;
  }
  stop = true;
  await killer;
  await Promise.all(shells.map((s) => s.sh.exit()));
  // let the last daemon ingest what is left, then stop it cleanly
  const db = join(dataHome, 'ai-native-linux', 'questlog.db');
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 500));
    if (!existsSync(db)) continue;
    const s = QuestlogStore.open(db, { readonly: true });
    const stored = (
      s.db.prepare("SELECT count(*) AS n FROM commands WHERE command LIKE ': ql-%'").get() as { n: number }
    ).n;
    s.close();
    if (stored >= per * shells.length) break;
  }
  daemon.kill('SIGTERM');
  await new Promise((r) => daemon.once('exit', r));
  const s = QuestlogStore.open(db);
  ingestSpools(s, join(dataHome, 'ai-native-linux', 'spool'));
  const rows = s.db
    .prepare("SELECT command, count(*) AS n FROM commands WHERE command LIKE ': ql-%' GROUP BY command")
    .all() as Array<{ command: string; n: number }>;
  const integrity = s.integrityCheck();
  s.close();
  const seen = new Map(rows.map((r) => [r.command, r.n]));
  let missing = 0;
  let duplicates = 0;
  for (const shell of ['bash', 'zsh']) {
    for (let i = 0; i < per; i++) {
      const n = seen.get(`: ql-${shell}-${i}`) ?? 0;
      if (n === 0) missing++;
      if (n > 1) duplicates += n - 1;
    }
  }
  rmSync(home, { recursive: true, force: true });
  return {
    commands: per * 2,
    stored: rows.reduce((a, r) => a + r.n, 0),
    duplicates,
    missing,
    kills,
    integrity,
    seconds: (performance.now() - t0) / 1000,
  };
}

// ------------------------------------------------------------------ main

export async function main(argv: string[]): Promise<void> {
  const asJson = argv.includes('--json');
  const quick = argv.includes('--quick');
  const crash = argv.includes('--crash');
  const ci = argv.indexOf('--crash-commands');
  const crashN = ci >= 0 ? Number(argv[ci + 1]) : 100_000;
  const size = quick ? 100_000 : 1_000_000;
  const result: Record<string, unknown> = { suite: 'questlog', corpus_commands: size };
  if (argv.includes('--ingest-only')) {
    // quick A/B of the ingest path alone: best of three runs (the machine is shared)
    const n = quick ? 50_000 : 200_000;
    let best = 0;
    for (let i = 0; i < 3; i++) best = Math.max(best, measureIngest(n));
    result.ingest_rows_per_s = Math.round(best);
    result.ingest_rows = n;
    if (asJson) process.stdout.write(JSON.stringify(result) + '\n');
    else process.stderr.write(JSON.stringify(result, null, 2) + '\n');
    return;
  }
  if (argv.includes('--crash-only')) {
    log(`crash test: ${crashN} commands from bash and zsh, daemon killed with SIGKILL repeatedly …`);
    result.crash = await crashTest(crashN, { killEveryMs: 400, progress: log });
    if (asJson) process.stdout.write(JSON.stringify(result) + '\n');
    else process.stderr.write(JSON.stringify(result, null, 2) + '\n');
    return;
  }

  log('hook cost (bash, zsh) …');
  const hb = measureHook('bash', quick ? 5000 : 20_000);
  const hz = measureHook('zsh', quick ? 5000 : 20_000);
  result.hook_ms_per_command = round(Math.max(hb, hz), 4);
  result.hook_ms_per_command_bash = round(hb, 4);
  result.hook_ms_per_command_zsh = round(hz, 4);

  log('single-event inserts …');
  const ins = measureInsert(quick ? 2000 : 10_000);
  result.insert_p50_ms = round(ins.p50, 4);
  result.insert_p99_ms = round(ins.p99, 4);

  log('batched spool ingest …');
  result.ingest_rows_per_s = Math.round(measureIngest(quick ? 50_000 : 200_000));

  log(`generated database (${size} commands) …`);
  const { file, buildS } = generatedDb(size);
  if (buildS !== null) result.corpus_build_s = round(buildS, 1);
  const sizeBytes = statSync(file).size;
  result.db_bytes = sizeBytes;
  result.bytes_per_1000_commands = Math.round((sizeBytes / size) * 1000);

  log('open …');
  result[quick ? 'open_ms_100k' : 'open_ms_1m'] = round(measureOpen(file, 21));

  log('search …');
  const sr = measureSearch(file, quick ? 5 : 20);
  result[quick ? 'search_p95_ms_100k' : 'search_p95_ms_1m'] = round(sr.p95);
  result.search_p50_ms = round(sr.p50);
  result.search_filtered_p95_ms = round(sr.filteredP95);
  result.search_p95_by_query = sr.perQuery;

  log('stats …');
  const st = measureStats(file, quick ? 5 : 20);
  result[quick ? 'stats_ms_100k' : 'stats_ms_1m'] = round(st.ms);
  result.stats_filtered_month_ms = round(st.filteredMs);

  log('event storage size …');
  result.bytes_per_1000_events = Math.round(measureEventBytes(100_000));

  if (crash) {
    log(`crash test: ${crashN} commands from bash and zsh, daemon killed with SIGKILL repeatedly …`);
    const cr = await crashTest(crashN, { killEveryMs: 400, progress: log });
    result.crash = cr;
  }
  result.targets = {
    hook_ms_per_command: '<= 0.1',
    insert_p99_ms: '< 1',
    ingest_rows_per_s: '>= 100000',
    search_p95_ms_1m: '<= 20',
    stats_ms_1m: '<= 50',
    bytes_per_1000_events: '<= 300000',
  };
  if (asJson) process.stdout.write(JSON.stringify(result) + '\n');
  else process.stderr.write(JSON.stringify(result, null, 2) + '\n');
}
