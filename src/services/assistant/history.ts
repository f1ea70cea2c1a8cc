/**
 * The assistant's history: every suggestion (request, cwd, candidates), what the user did with
 * it (accepted / edited / rejected, final command) and the exit code when it ran. Success rates
 * per command re-rank future candidates. Own SQLite file: <dataDir>/assistant.db.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type Outcome = 'accepted' | 'edited' | 'rejected';

export interface HistoryRow {
  id: string;
  ts: number;
  request: string;
  cwd: string | null;
  suggested: string | null;
  outcome: Outcome | null;
  finalCommand: string | null;
  exitCode: number | null;
  candidates: number;
}

export interface HistoryStats {
  total: number;
  accepted: number;
  edited: number;
  rejected: number;
  succeeded: number;
  failed: number;
}

/** Normalises a command for statistics: whitespace collapsed. */
export function commandKey(cmd: string): string {
  return cmd.trim().replace(/\s+/g, ' ').slice(0, 2000);
}

export class AssistantHistory {
  private readonly db: Database.Database;

  constructor(
    file: string,
    private readonly limit = 20000,
  ) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 2000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS suggestions (
        id TEXT PRIMARY KEY,
        ts INTEGER NOT NULL,
        request TEXT NOT NULL,
        cwd TEXT,
        candidates TEXT NOT NULL,
        outcome TEXT CHECK (outcome IN ('accepted','edited','rejected')),
        final_command TEXT,
        exit_code INTEGER
      );
      CREATE INDEX IF NOT EXISTS suggestions_ts ON suggestions(ts);
      CREATE TABLE IF NOT EXISTS command_stats (
        command TEXT PRIMARY KEY,
        accepted INTEGER NOT NULL DEFAULT 0,
        rejected INTEGER NOT NULL DEFAULT 0,
        succeeded INTEGER NOT NULL DEFAULT 0,
        failed INTEGER NOT NULL DEFAULT 0
      );
    `);
  }

  record(id: string, request: string, cwd: string | null, candidates: string[], ts = Date.now()): void {
    this.db
      .prepare('INSERT OR REPLACE INTO suggestions (id, ts, request, cwd, candidates) VALUES (?, ?, ?, ?, ?)')
      .run(id, ts, request, cwd, JSON.stringify(candidates));
    const count = (this.db.prepare('SELECT COUNT(*) AS n FROM suggestions').get() as { n: number }).n;
    if (count > this.limit) {
      this.db
        .prepare('DELETE FROM suggestions WHERE id IN (SELECT id FROM suggestions ORDER BY ts ASC LIMIT ?)')
        .run(count - this.limit);
    }
  }

  private bump(command: string, column: 'accepted' | 'rejected' | 'succeeded' | 'failed'): void {
    this.db
      .prepare(
        `INSERT INTO command_stats (command, ${column}) VALUES (?, 1) ON CONFLICT(command) DO UPDATE SET ${column} = ${column} + 1`,
      )
      .run(commandKey(command));
  }

  /** Returns false when the suggestion id is unknown. */
  feedback(id: string, outcome: Outcome, finalCommand?: string, exitCode?: number): boolean {
    const row = this.db.prepare('SELECT candidates FROM suggestions WHERE id = ?').get(id) as
      { candidates: string } | undefined;
    if (!row) return false;
    const candidates = JSON.parse(row.candidates) as string[];
    const tx = this.db.transaction(() => {
      const final = finalCommand
        ? commandKey(finalCommand)
        : outcome === 'accepted' && candidates[0]
          ? commandKey(candidates[0])
          : null;
      this.db
        .prepare(
          'UPDATE suggestions SET outcome = ?, final_command = ?, exit_code = COALESCE(?, exit_code) WHERE id = ?',
        )
        .run(outcome, final, exitCode ?? null, id);
      if (outcome === 'accepted' && finalCommand) this.bump(finalCommand, 'accepted');
      else if (outcome === 'accepted' && candidates[0]) this.bump(candidates[0], 'accepted');
      if (outcome === 'rejected') for (const c of candidates.slice(0, 1)) this.bump(c, 'rejected');
      if (outcome === 'edited' && finalCommand) this.bump(finalCommand, 'accepted');
      if (exitCode !== undefined && finalCommand)
        this.bump(finalCommand, exitCode === 0 ? 'succeeded' : 'failed');
    });
    tx();
    return true;
  }

  /**
   * Exit code of a command that ran (from the Quest Log's events, or the CLI). Attaches it to the
   * newest suggestion whose final command matches, within `windowMs`.
   */
  recordExit(command: string, exitCode: number, ts = Date.now(), windowMs = 10 * 60_000): boolean {
    const key = commandKey(command);
    this.bump(key, exitCode === 0 ? 'succeeded' : 'failed');
    const row = this.db
      .prepare('SELECT id FROM suggestions WHERE final_command = ? AND ts >= ? ORDER BY ts DESC LIMIT 1')
      .get(key, ts - windowMs) as { id: string } | undefined;
    if (row) this.db.prepare('UPDATE suggestions SET exit_code = ? WHERE id = ?').run(exitCode, row.id);
    return row !== undefined;
  }

  /** A re-ranking bonus in about −0.15..+0.15 from past feedback and exit codes. */
  bonus(command: string): number {
    const r = this.db
      .prepare('SELECT accepted, rejected, succeeded, failed FROM command_stats WHERE command = ?')
      .get(commandKey(command)) as
      { accepted: number; rejected: number; succeeded: number; failed: number } | undefined;
    if (!r) return 0;
    const good = r.accepted + r.succeeded;
    const bad = r.rejected + 1.5 * r.failed;
    return 0.15 * Math.tanh((good - bad) / 3);
  }

  list(limit = 50, search?: string): HistoryRow[] {
    const rows = (
      search
        ? this.db
            .prepare(
              "SELECT * FROM suggestions WHERE request LIKE ? ESCAPE '\\' OR final_command LIKE ? ESCAPE '\\' ORDER BY ts DESC LIMIT ?",
            )
            .all(`%${search.replace(/[\\%_]/g, '\\$&')}%`, `%${search.replace(/[\\%_]/g, '\\$&')}%`, limit)
        : this.db.prepare('SELECT * FROM suggestions ORDER BY ts DESC LIMIT ?').all(limit)
    ) as Array<{
      id: string;
      ts: number;
      request: string;
      cwd: string | null;
      candidates: string;
      outcome: Outcome | null;
      final_command: string | null;
      exit_code: number | null;
    }>;
    return rows.map((r) => {
      const c = JSON.parse(r.candidates) as string[];
      return {
        id: r.id,
        ts: r.ts,
        request: r.request,
        cwd: r.cwd,
        suggested: c[0] ?? null,
        outcome: r.outcome,
        finalCommand: r.final_command,
        exitCode: r.exit_code,
        candidates: c.length,
      };
    });
  }

  stats(): HistoryStats {
    const r = this.db
      .prepare(
        `SELECT COUNT(*) AS total,
      SUM(outcome = 'accepted') AS accepted, SUM(outcome = 'edited') AS edited, SUM(outcome = 'rejected') AS rejected,
      SUM(exit_code = 0) AS succeeded, SUM(exit_code IS NOT NULL AND exit_code != 0) AS failed FROM suggestions`,
      )
      .get() as Record<string, number | null>;
    return {
      total: r.total ?? 0,
      accepted: r.accepted ?? 0,
      edited: r.edited ?? 0,
      rejected: r.rejected ?? 0,
      succeeded: r.succeeded ?? 0,
      failed: r.failed ?? 0,
    };
  }

  close(): void {
    this.db.close();
  }
}
