/**
 * Quest Log full-text index after a schema upgrade: rows that a writer stored without indexing
 * them (a daemon of an older version still running after a newer program upgraded the database
 * and dropped the insert trigger that version relied on) must still be found by search, through
 * the store and through the `questlog` CLI. Real SQLite files; the "old writer" is plain SQL on a
 * second connection that touches only the commands table.
 */
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/questlog';
import { QuestlogStore } from '../../src/services/questlog/store';

const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ql-fts-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** Inserts rows the way a writer that does not index does: into the commands table only. */
function oldWriterInsert(file: string, commands: string[], ts = T0 + 1000): void {
  const db = new Database(file);
  try {
    db.pragma('busy_timeout = 5000');
    const ins = db.prepare(
      "INSERT INTO commands(ts, duration, exit, command, cwd, session, shell) VALUES (?, 5, 0, ?, '/home/u', 'old-daemon', 'bash')",
    );
    db.transaction(() => commands.forEach((c, i) => ins.run(ts + i, c)))();
  } finally {
    db.close();
  }
}

const found = (s: QuestlogStore, query: string, mode?: 'prefix'): string[] =>
  s.search({ query, mode, order: 'oldest' }).items.map((c) => c.command);

const ftsIntegrity = (s: QuestlogStore): void => {
  // throws SQLITE_CORRUPT_VTAB when the trigram index and the commands table disagree
  s.db.exec("INSERT INTO commands_fts(commands_fts, rank) VALUES ('integrity-check', 1)");
};

function newDb(file: string): void {
  const s = QuestlogStore.open(file);
  s.insertCommands([{ ts: T0, command: 'git status', session: 'new' }]);
  s.close();
}

describe('Quest Log search finds rows an old writer did not index', () => {
  it('finds them after the current program opens the database', () => {
    const file = join(dir, 'q.db');
    newDb(file);
    oldWriterInsert(file, ['terraform plan -out tfplan', 'kubectl rollout status deploy/web']);
    const s = QuestlogStore.open(file);
    try {
      expect(found(s, 'terraform')).toEqual(['terraform plan -out tfplan']);
      expect(found(s, 'rollout status')).toEqual(['kubectl rollout status deploy/web']);
      expect(found(s, 'kubectl', 'prefix')).toEqual(['kubectl rollout status deploy/web']);
      expect(s.search({ query: 'st' }).total).toBe(2); // short word: no index, as before
      ftsIntegrity(s);
    } finally {
      s.close();
    }
  });

  it('finds rows written while it is open (old daemon still running), in a writer and a reader', () => {
    const file = join(dir, 'q.db');
    newDb(file);
    const s = QuestlogStore.open(file);
    const ro = QuestlogStore.open(file, { readonly: true });
    try {
      expect(found(s, 'ansible')).toEqual([]);
      oldWriterInsert(file, ['ansible-playbook site.yml', 'ansible all -m ping']);
      // the read-only connection cannot index: it searches without the index
      expect(found(ro, 'ansible')).toEqual(['ansible-playbook site.yml', 'ansible all -m ping']);
      expect(found(ro, 'ansible', 'prefix')).toEqual(['ansible-playbook site.yml', 'ansible all -m ping']);
      // the writable one indexes the missing rows first
      expect(found(s, 'ansible')).toEqual(['ansible-playbook site.yml', 'ansible all -m ping']);
      expect(found(ro, 'playbook')).toEqual(['ansible-playbook site.yml']);
      // a new batch after more old rows leaves no gap behind it
      oldWriterInsert(file, ['ansible-galaxy install x'], T0 + 2000);
      s.insertCommands([{ ts: T0 + 3000, command: 'ansible --version', session: 'new' }]);
      expect(found(ro, 'ansible')).toHaveLength(4);
      expect(s.detail(s.search({ query: 'ansible-galaxy' }).items[0]?.id ?? -1).runs).toBe(1);
      expect([...s.iterateCommands({ query: 'ansible' })].map((c) => c.command)).toEqual([
        'ansible-playbook site.yml',
        'ansible all -m ping',
        'ansible-galaxy install x',
        'ansible --version',
      ]);
      ftsIntegrity(s);
    } finally {
      ro.close();
      s.close();
    }
  });

  it('deletes rows the index never had without failing, and keeps the index exact', () => {
    const file = join(dir, 'q.db');
    newDb(file);
    const s = QuestlogStore.open(file);
    try {
      oldWriterInsert(file, ['rm -rf build/', 'make clean']);
      const ids = (
        s.db.prepare("SELECT id FROM commands WHERE session = 'old-daemon'").all() as Array<{
          id: number;
        }>
      ).map((r) => r.id);
      // by id: nothing has searched yet, so these rows are still outside the index
      expect(s.delete({ ids }).deleted).toBe(2);
      // the old writer deleting (retention) a row of its own that nobody indexed
      oldWriterInsert(file, ['docker system prune'], T0 + 5000);
      const db = new Database(file);
      db.prepare("DELETE FROM commands WHERE command = 'docker system prune'").run();
      db.close();
      oldWriterInsert(file, ['make install'], T0 + 6000);
      expect(found(s, 'make')).toEqual(['make install']);
      ftsIntegrity(s);
    } finally {
      s.close();
    }
  });

  it('upgrades a version 2 database with unindexed rows below indexed ones', () => {
    const file = join(dir, 'q.db');
    newDb(file);
    // version 2 shape: no insert trigger, delete/update triggers for every row
    const db = new Database(file);
    db.exec(`
      DROP TRIGGER commands_ad; DROP TRIGGER commands_au;
      CREATE TRIGGER commands_ad AFTER DELETE ON commands BEGIN
        INSERT INTO commands_fts(commands_fts, rowid, command) VALUES ('delete', old.id, old.command); END;
      CREATE TRIGGER commands_au AFTER UPDATE OF command ON commands BEGIN
        INSERT INTO commands_fts(commands_fts, rowid, command) VALUES ('delete', old.id, old.command);
        INSERT INTO commands_fts(rowid, command) VALUES (new.id, new.command); END;
      PRAGMA user_version = 2;`);
    db.close();
    // an old daemon's rows, then a version 2 batch that indexed only its own rows
    oldWriterInsert(file, ['helm upgrade web ./chart']);
    const v2 = new Database(file);
    const before = (v2.prepare('SELECT max(id) AS n FROM commands').get() as { n: number }).n;
    v2.prepare("INSERT INTO commands(ts, command) VALUES (?, 'helm list -A')").run(T0 + 4000);
    v2.prepare('INSERT INTO commands_fts(rowid, command) SELECT id, command FROM commands WHERE id > ?').run(
      before,
    );
    v2.close();
    const s = QuestlogStore.open(file);
    try {
      expect(found(s, 'helm')).toEqual(['helm upgrade web ./chart', 'helm list -A']);
      expect(s.db.pragma('user_version', { simple: true })).toBe(3);
      ftsIntegrity(s);
    } finally {
      s.close();
    }
  });

  it('`questlog search` finds them', async () => {
    const home = join(dir, 'home');
    mkdirSync(home);
    const env = {
      HOME: home,
      XDG_DATA_HOME: join(home, 'data'),
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_RUNTIME_DIR: join(home, 'run'),
      PATH: process.env.PATH,
    };
    const file = join(home, 'data', 'ai-native-linux', 'questlog.db');
    newDb(file);
    oldWriterInsert(file, ['systemctl --user restart pipewire']);
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    stdout.on('data', (d: Buffer) => (out += d.toString()));
    stderr.on('data', () => undefined);
    const code = await runCli(['search', 'pipewire'], { stdout, stderr, env });
    expect(code).toBe(0);
    expect(out).toMatch(/systemctl --user restart pipewire/);
  });
});
