/** Column order of a Quest Log command in exports (CSV from the CLI and from the Quest Log page). */
import type { QuestCommand } from './contract/questlog';

export const QUEST_COMMAND_COLUMNS = [
  'id',
  'ts',
  'duration',
  'exit',
  'command',
  'cwd',
  'user',
  'host',
  'tty',
  'session',
  'shell',
  'redacted',
] as const satisfies ReadonlyArray<keyof QuestCommand>;

/** A cell that starts with one of these is read as a formula by spreadsheet programs. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell (RFC 4180) for every Quest Log export, the CLI's and the page's: null and undefined
 * are empty, objects are JSON, a string starting with a formula character (= + - @ tab CR) gets a
 * leading `'` so spreadsheets show it as text (numbers stay as they are: -1 is a value, not a
 * formula), and a cell holding a comma, quote, CR or LF is quoted with its quotes doubled.
 */
export function csvCell(v: unknown): string {
  let s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (typeof v === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
