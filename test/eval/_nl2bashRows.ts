/** Reads NL2Bash-style JSON lines `{"nl", "cmd"}` for the evals; bad lines are reported and skipped. */
import { existsSync, readFileSync } from 'node:fs';

export interface Nl2BashRow {
  nl: string;
  cmd: string;
}

export function argValue(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(name);
  if (i >= 0) return argv[i + 1];
  const eq = argv.find((a) => a.startsWith(`${name}=`));
  return eq?.slice(name.length + 1);
}

/** The rows of `file`, or null (after a one-line message on stderr) when it does not exist. */
export function readNl2BashRows(file: string, label: string, limit = Infinity): Nl2BashRow[] | null {
  if (!existsSync(file)) {
    process.stderr.write(`${label}: data file not found: ${file}\n`);
    return null;
  }
  const rows: Nl2BashRow[] = [];
  for (const [i, line] of readFileSync(file, 'utf8').split('\n').entries()) {
    if (rows.length >= limit) break;
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as { nl?: unknown; cmd?: unknown };
      if (typeof r.nl === 'string' && typeof r.cmd === 'string') rows.push({ nl: r.nl, cmd: r.cmd });
      else process.stderr.write(`${label}: line ${i + 1}: needs string fields nl and cmd, skipped\n`);
    } catch {
      process.stderr.write(`${label}: line ${i + 1}: not JSON, skipped\n`);
    }
  }
  return rows;
}
