import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { QuestlogStore } from './store';
import { programOf } from './program';

let dir: string;
let store: QuestlogStore;
const T0 = Date.UTC(2026, 0, 15, 12, 0, 0);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ql-store-'));
  store = QuestlogStore.open(join(dir, 'data', 'questlog.db'));
  store.insertCommands([
    {
      ts: T0,
      command: 'git status',
      exit: 0,
      duration: 12,
      cwd: '/home/u/proj',
      session: 's1',
      user: 'u',
      host: 'h',
      shell: 'bash',
    },
    {
      ts: T0 + 1000,
      command: 'make build',
      exit: 2,
      duration: 3000,
      cwd: '/home/u/proj',
      session: 's1',
      user: 'u',
      host: 'h',
      shell: 'bash',
    },
    {
      ts: T0 + 2000,
      command: 'make build',
      exit: 0,
      duration: 2000,
      cwd: '/home/u/proj/sub',
      session: 's1',
      user: 'u',
      host: 'h',
      shell: 'bash',
    },
    {
      ts: T0 + 3000,
      command: 'sudo apt install zsh',
      exit: 100,
      duration: 500,
      cwd: '/',
      session: 's2',
      user: 'root',
      host: 'h2',
      shell: 'zsh',
    },
    {
      ts: T0 + 4000,
      command: 'echo 100% done_ok',
      exit: 0,
      duration: 1,
      cwd: '/tmp',
      session: 's2',
      user: 'root',
      host: 'h2',
      shell: 'zsh',
    },
  ]);
});

afterEach(() => {
  try {
    store.close();
  } catch {
    // already closed
  }
  try {
    chmodSync(join(dir, 'data'), 0o700);
  } catch {
    // gone
  }
  rmSync(dir, { recursive: true, force: true });
});

const cmds = (r: { items: Array<{ command: string }> }): string[] => r.items.map((c) => c.command);

describe('QuestlogStore', () => {
  it('creates the database 0600 in a 0700 directory with WAL and a schema version', () => {
    expect(statSync(join(dir, 'data')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'data', 'questlog.db')).mode & 0o777).toBe(0o600);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('user_version', { simple: true })).toBe(3);
    expect(store.integrityCheck()).toBe('ok');
  });

  const ftsOk = (s: QuestlogStore): void => {
    // throws SQLITE_CORRUPT_VTAB when the trigram index and the commands table disagree
    s.db.exec("INSERT INTO commands_fts(commands_fts, rank) VALUES ('integrity-check', 1)");
  };

  it('indexes each batch in one statement; the index stays exact across deletes, reused ids and imports', () => {
    ftsOk(store);
    const batch = Array.from({ length: 500 }, (_, i) => ({
      ts: T0 + 10_000 + i,
      command: `batchcmd-${i} --flag`,
      session: 's3',
    }));
    expect(store.insertCommands(batch).inserted).toBe(500);
    expect(store.search({ query: 'batchcmd-499' }).total).toBe(1);
    expect(store.search({ query: 'atchcm', limit: 1 }).total).toBe(500);
    ftsOk(store);
    // delete the newest rows: the next insert reuses their ids and must be indexed as itself
    const newest = store.search({ query: 'batchcmd', limit: 3 }).items.map((c) => c.id);
    expect(store.delete({ ids: newest }).deleted).toBe(3);
    expect(store.insertCommands([{ ts: T0 + 20_000, command: 'reused id row' }]).inserted).toBe(1);
    expect(cmds(store.search({ query: 'reused' }))).toEqual(['reused id row']);
    expect(store.search({ query: 'batchcmd-499' }).total).toBe(0);
    // an import already present is skipped and adds nothing to the index
    const imp = { ts: T0 + 30_000, command: 'imported once', session: 'import:bash' };
    expect(store.insertCommands([imp]).inserted).toBe(1);
    expect(store.insertCommands([imp, { ...imp, ts: T0 + 30_001 }]).inserted).toBe(1);
    expect(store.search({ query: 'imported once' }).total).toBe(2);
    ftsOk(store);
  });

  it('inserts a big mixed batch in order: multi-row runs, imports already present and unusable rows', () => {
    store.insertCommands([{ ts: T0 + 60_000, command: 'mixcmd imported before', session: 'import:bash' }]);
    const batch = Array.from({ length: 100 }, (_, i) => ({
      ts: T0 + 61_000 + i,
      command: `mixcmd ${i}`,
      exit: i % 7 === 0 ? 1 : 0,
      duration: i,
      session: 's9',
    }));
    batch[10] = {
      ts: T0 + 60_000,
      command: 'mixcmd imported before',
      exit: 0,
      duration: 0,
      session: 'import:bash',
    }; // present: skipped
    batch[40] = { ts: T0 + 61_040, command: 'mixcmd 40', exit: 0, duration: 0, session: 'IMPORT:zsh' }; // new import
    batch[70] = { ts: Number.NaN, command: 'mixcmd 70', exit: 0, duration: 0, session: 's9' }; // no time: refused
    const before = store.stats({}).totals.commands;
    const r = store.insertCommands(batch);
    expect(r.inserted).toBe(98);
    const got = store.search({ query: 'mixcmd', order: 'oldest', limit: 200 }).items;
    const want = [
      'mixcmd imported before',
      ...batch.filter((_, i) => i !== 10 && i !== 70).map((b) => b.command),
    ];
    expect(got.map((c) => c.command)).toEqual(want);
    expect(got.at(-1)?.id).toBe(r.lastId);
    for (let i = 1; i < got.length; i++) expect((got[i]?.id ?? 0) > (got[i - 1]?.id ?? 0)).toBe(true);
    const stats = store.stats({});
    expect(stats.totals.commands).toBe(before + 98);
    store.rebuildRollups();
    expect(store.stats({}).totals).toEqual(stats.totals);
    expect(store.stats({}).topCommands).toEqual(stats.topCommands);
    ftsOk(store);
  });

  it('upgrades a version 1 database (per-row index trigger) without losing search', () => {
    const file = join(dir, 'v1.db');
    const v1 = QuestlogStore.open(file);
    v1.insertCommands([{ ts: T0, command: 'old row from v1' }]);
    // put the database back into its version 1 shape
    v1.db.exec(`CREATE TRIGGER commands_ai AFTER INSERT ON commands BEGIN
      INSERT INTO commands_fts(rowid, command) VALUES (new.id, new.command); END;`);
    v1.db.pragma('user_version = 1');
    v1.db.prepare('INSERT INTO commands(ts, command) VALUES (?, ?)').run(T0 + 1, 'second v1 row');
    v1.close();
    const up = QuestlogStore.open(file);
    try {
      expect(up.db.pragma('user_version', { simple: true })).toBe(3);
      expect(
        up.db
          .prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'trigger' AND name = 'commands_ai'")
          .get(),
      ).toEqual({ n: 0 });
      up.insertCommands([{ ts: T0 + 2, command: 'new row after upgrade' }]);
      expect(cmds(up.search({ query: 'row' }))).toEqual([
        'new row after upgrade',
        'second v1 row',
        'old row from v1',
      ]);
      ftsOk(up);
    } finally {
      up.close();
    }
  });

  it('searches full-text (substring, several words, exclusion, short words), newest first', () => {
    expect(cmds(store.search({ query: 'build' }))).toEqual(['make build', 'make build']);
    expect(cmds(store.search({ query: 'ake uil' }))).toEqual(['make build', 'make build']);
    expect(cmds(store.search({ query: 'a !make' }))).toEqual(['sudo apt install zsh', 'git status']);
    expect(cmds(store.search({ query: '100%' }))).toEqual(['echo 100% done_ok']);
    expect(cmds(store.search({ query: 'ne_o' }))).toEqual(['echo 100% done_ok']);
    expect(cmds(store.search({ query: 'STATUS' }))).toEqual(['git status']);
    expect(store.search({ query: 'nothing-like-this' }).total).toBe(0);
  });

  it('supports prefix, fuzzy and regex modes and rejects a bad regex', () => {
    expect(cmds(store.search({ query: 'make', mode: 'prefix' }))).toEqual(['make build', 'make build']);
    expect(cmds(store.search({ query: 'ma', mode: 'prefix' }))).toEqual(['make build', 'make build']);
    expect(cmds(store.search({ query: 'gst', mode: 'fuzzy' }))).toEqual(['git status']);
    expect(cmds(store.search({ query: '^(git|sudo) ', mode: 'regex' }))).toEqual([
      'sudo apt install zsh',
      'git status',
    ]);
    expect(() => store.search({ query: '(', mode: 'regex' })).toThrow(/invalid regular expression/);
  });

  it('filters by time, cwd (tree), exit, failed, session, user, host, shell', () => {
    expect(store.search({ since: T0 + 1000, until: T0 + 3000 }).total).toBe(2);
    expect(store.search({ cwd: '/home/u/proj' }).total).toBe(2);
    expect(store.search({ cwd: '/home/u/proj/', cwdTree: true }).total).toBe(3);
    expect(store.search({ exit: 100 }).items[0]?.command).toBe('sudo apt install zsh');
    expect(store.search({ failed: true }).total).toBe(2);
    expect(store.search({ session: 's2' }).total).toBe(2);
    expect(store.search({ user: 'root', host: 'h2', shell: 'zsh' }).total).toBe(2);
    expect(store.search({ query: 'make', failed: true }).total).toBe(1);
  });

  it('pages with a total count and oldest-first order', () => {
    const p1 = store.search({ limit: 2 });
    expect(p1.items).toHaveLength(2);
    expect(p1.total).toBe(5);
    const p3 = store.search({ limit: 2, offset: 4, order: 'oldest' });
    expect(cmds(p3)).toEqual(['echo 100% done_ok']);
    const q = store.search({ query: 'a', limit: 1 });
    expect(q.total).toBe(4);
    expect(q.totalCapped).toBe(false);
  });

  it('computes stats from rollups that stay right after deletes', () => {
    let s = store.stats({});
    expect(s.totals.commands).toBe(5);
    expect(s.totals.failed).toBe(2);
    const make = s.topCommands.find((c) => c.program === 'make build');
    expect(make).toMatchObject({ count: 2, failed: 1, failureRate: 0.5, avgDurationMs: 2500 });
    expect(s.topCommands[0]?.program).toBe('make build');
    expect(s.topCommands.map((c) => c.program)).toContain('apt install');
    expect(s.hours.reduce((a, b) => a + b, 0)).toBe(5);
    expect(s.directories[0]).toEqual({ cwd: '/home/u/proj', count: 2, failed: 1 });
    const filtered = store.stats({ since: T0 + 1000, until: T0 + 2500 });
    expect(filtered.totals.commands).toBe(2);
    const r = store.delete({ filter: { query: 'make' } });
    expect(r.deleted).toBe(2);
    s = store.stats({});
    expect(s.totals.commands).toBe(3);
    expect(s.topCommands.find((c) => c.program === 'make build')).toBeUndefined();
    expect(store.search({ query: 'build' }).total).toBe(0);
  });

  it('refuses to delete without a criterion; previews with dryRun; deletes by id', () => {
    expect(() => store.delete({})).toThrow(/refusing/);
    expect(() => store.delete({ filter: {} })).toThrow(/refusing/);
    const dry = store.delete({ filter: { failed: true }, dryRun: true });
    expect(dry).toMatchObject({ matched: 2, deleted: 0 });
    expect(store.search({}).total).toBe(5);
    expect(store.delete({ ids: [1, 999] })).toMatchObject({ matched: 1, deleted: 1 });
    expect(store.getCommand(1)).toBeNull();
  });

  it('redacts repeated texts every time, and follows a changed redactor', () => {
    const secret = 'export API_TOKEN=s3cr3t-value-1234';
    store.insertCommands([
      { ts: T0 + 50_000, command: secret },
      { ts: T0 + 50_001, command: 'sudo git push' },
      { ts: T0 + 50_002, command: secret },
    ]);
    store.insertCommands([{ ts: T0 + 50_003, command: secret }]);
    const stored = store.search({ query: 'API_TOKEN' }).items;
    expect(stored).toHaveLength(3);
    for (const c of stored) {
      expect(c.command).toBe('export API_TOKEN=[REDACTED:secret-variable]');
      expect(c.redacted).toBe('secret-variable');
    }
    expect(store.stats({}).topCommands.find((p) => p.program === 'git push')?.count).toBe(1);
    // a new redactor (configuration reloaded) applies to texts seen before
    store.setRedactor({
      redact: (text) => ({ text: text.replace('push', '[REDACTED:custom]'), categories: 'custom' }),
    });
    store.insertCommands([{ ts: T0 + 50_004, command: 'sudo git push' }]);
    expect(store.search({ query: 'git', limit: 1 }).items[0]).toMatchObject({
      command: 'sudo git [REDACTED:custom]',
      redacted: 'custom',
    });
  });

  it('gives a detail view with session neighbours, run counts and nearby events', () => {
    store.insertEvents([
      {
        ts: T0 + 1500,
        type: 'unit.failed',
        source: 'journald',
        severity: 'error',
        message: 'foo.service failed',
        unit: 'foo.service',
      },
    ]);
    const d = store.detail(2);
    expect(d.previous?.command).toBe('git status');
    expect(d.next?.id).toBe(3);
    expect(d.runs).toBe(2);
    expect(d.failures).toBe(1);
    expect(d.avgDurationMs).toBe(2500);
    expect(d.events.map((e) => e.type)).toEqual(['unit.failed']);
    expect(() => store.detail(12345)).toThrow(/no command/);
  });

  it('stores events, ignores a repeated journald cursor, filters by type/severity/unit', () => {
    const a = store.insertEvents([
      {
        type: 'unit.failed',
        source: 'journald',
        severity: 'error',
        message: 'x failed',
        unit: 'x.service',
        cursor: 'c1',
        ts: T0,
      },
      {
        type: 'alert.fired',
        source: 'monitor',
        severity: 'warning',
        message: 'cpu high',
        data: { value: 97 },
        ts: T0 + 1,
      },
    ]);
    expect(a.inserted).toBe(2);
    expect(
      store.insertEvents([
        { type: 'unit.failed', source: 'journald', severity: 'error', message: 'dup', cursor: 'c1' },
      ]).inserted,
    ).toBe(0);
    expect(store.events({ types: ['alert.*'] }).items[0]?.data).toEqual({ value: 97 });
    expect(store.events({ minSeverity: 'error' }).total).toBe(1);
    expect(store.events({ unit: 'x.service' }).total).toBe(1);
    expect(store.events({ query: 'cpu' }).total).toBe(1);
    expect(store.lastJournal()).toEqual({ cursor: 'c1', ts: T0 });
  });

  it('redacts secrets before storage', () => {
    store.insertCommands([
      { ts: T0 + 9000, command: 'export GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789' },
    ]);
    const c = store.search({ query: 'GITHUB' }).items[0];
    expect(c?.command).toBe('export GITHUB_TOKEN=[REDACTED:github-token]');
    expect(c?.redacted).toBe('github-token');
    const raw = store.db.prepare("SELECT count(*) AS n FROM commands WHERE command LIKE '%ghp_%'").get() as {
      n: number;
    };
    expect(raw.n).toBe(0);
  });

  it('applies retention', () => {
    const r = store.applyRetention(30, T0 + 30 * 86_400_000 + 2500);
    expect(r.commands).toBe(3);
    expect(store.stats({}).totals.commands).toBe(2);
    expect(store.applyRetention(0)).toEqual({ commands: 0, events: 0 });
  });

  it('opens read-only for readers, and says so clearly when the file is not a database', () => {
    store.close();
    const ro = QuestlogStore.open(join(dir, 'data', 'questlog.db'), { readonly: true });
    expect(ro.search({}).total).toBe(5);
    expect(() => ro.insertCommands([{ ts: 1, command: 'x' }])).toThrow();
    ro.close();
    const bad = join(dir, 'bad.db');
    writeFileSync(bad, 'this is not sqlite, just some text that is long enough to be a header '.repeat(20));
    expect(() => QuestlogStore.open(bad)).toThrow(/not a valid Quest Log database/);
    expect(() => QuestlogStore.open(join(dir, 'missing.db'), { readonly: true })).toThrow(
      /no Quest Log database/,
    );
  });

  it('reports a read-only data directory clearly', () => {
    store.close();
    if (process.getuid?.() === 0) {
      // root ignores directory permissions; use a path under a regular file instead
      writeFileSync(join(dir, 'file'), '');
      expect(() => QuestlogStore.open(join(dir, 'file', 'sub', 'q.db'))).toThrow(
        /cannot create the data directory/,
      );
    } else {
      const ro = join(dir, 'ro');
      rmSync(ro, { recursive: true, force: true });
      mkdirSync(ro, { mode: 0o500 });
      expect(() => QuestlogStore.open(join(ro, 'q.db'))).toThrow(/cannot/);
    }
  });
});

describe('programOf', () => {
  it.each([
    ['git commit -m x', 'git commit'],
    ['sudo -u root systemctl restart nginx', 'systemctl restart'],
    ['FOO=1 make -j4', 'make'],
    ['/usr/bin/ls -la', 'ls'],
    ['  ', ''],
    ['docker --debug run x', 'docker run'],
  ])('%s → %s', (cmd, prog) => expect(programOf(cmd)).toBe(prog));
});
