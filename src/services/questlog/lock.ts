/**
 * The daemon lock: one writer ingests spools and follows the journal per database. The lock is an
 * exclusive SQLite lock on a side file, held for the life of the process; the kernel releases it
 * when the process dies (even by SIGKILL), so a stale lock never blocks a restart.
 */
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';

export interface DaemonLock {
  release(): void;
}

export class LockHeld extends Error {
  constructor(
    readonly lockFile: string,
    readonly ownerPid: number | null,
  ) {
    super(
      `another Quest Log daemon${ownerPid ? ` (pid ${ownerPid})` : ''} already owns ${lockFile.replace(/\.lock$/, '.db')}; ` +
        'this one will not ingest (stop the other one, or use it)',
    );
    this.name = 'LockHeld';
  }
}

export function acquireDaemonLock(lockFile: string): DaemonLock {
  const db = new Database(lockFile, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = DELETE');
    db.exec('CREATE TABLE IF NOT EXISTS owner (pid INTEGER)');
    db.exec('BEGIN EXCLUSIVE');
    db.exec(`DELETE FROM owner; INSERT INTO owner VALUES (${process.pid})`);
  } catch (err) {
    db.close();
    if (/busy|locked/i.test(String((err as Error).message))) {
      let pid: number | null;
      try {
        pid = Number(readFileSync(`${lockFile}.pid`, 'utf8').trim()) || null;
      } catch {
        pid = null;
      }
      throw new LockHeld(lockFile, pid);
    }
    throw err;
  }
  try {
    writeFileSync(`${lockFile}.pid`, `${process.pid}\n`, { mode: 0o600 });
  } catch {
    // informational only
  }
  return {
    release: () => {
      try {
        db.exec('ROLLBACK');
      } catch {
        // already gone
      }
      db.close();
    },
  };
}
