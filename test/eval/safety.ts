/**
 * `npm run --silent eval -- safety --data FILE.jsonl [--json]`
 *
 * Reads lines {"cmd": …} (an optional "expect" level is scored) and prints one JSON line per
 * input {"cmd","risk","reasons"} with --json, a table otherwise. With expectations present, a
 * summary goes to stderr: exact level agreement, and the acceptance bars (expected
 * dangerous/blocked → got dangerous/blocked; expected safe/caution → got safe/caution).
 */
import { existsSync, readFileSync } from 'node:fs';
import { checkCommandSync, type Risk } from '../../src/services/assistant/safety/check';
import { initBashParser } from '../../src/services/assistant/bash/parser';

const RISKS = new Set(['safe', 'caution', 'dangerous', 'blocked']);

export async function main(argv: string[]): Promise<void> {
  const i = argv.indexOf('--data');
  const data = i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith('--data='))?.slice(7);
  if (!data || argv.includes('--help')) {
    process.stderr.write('usage: npm run --silent eval -- safety --data FILE.jsonl [--json]\n');
    process.exitCode = data ? 0 : 2;
    return;
  }
  if (!existsSync(data)) {
    process.stderr.write(`safety: data file not found: ${data}\n`);
    process.exitCode = 2;
    return;
  }
  const json = argv.includes('--json');
  await initBashParser();
  let scored = 0;
  let exact = 0;
  let barOk = 0;
  const misses: string[] = [];
  const lines = readFileSync(data, 'utf8').split('\n');
  const t0 = performance.now();
  let n = 0;
  for (const [ln, line] of lines.entries()) {
    if (!line.trim()) continue;
    let row: { cmd?: unknown; expect?: unknown };
    try {
      row = JSON.parse(line) as { cmd?: unknown; expect?: unknown };
    } catch {
      process.stderr.write(`safety: line ${ln + 1}: not JSON, skipped\n`);
      continue;
    }
    if (typeof row.cmd !== 'string') {
      process.stderr.write(`safety: line ${ln + 1}: "cmd" must be a string, skipped\n`);
      continue;
    }
    n++;
    let verdict: { risk: Risk; reasons: string[] };
    try {
      verdict = checkCommandSync(row.cmd);
    } catch (err) {
      verdict = {
        risk: 'caution',
        reasons: [`checker error: ${err instanceof Error ? err.message : String(err)}`],
      };
    }
    if (json)
      process.stdout.write(
        `${JSON.stringify({ cmd: row.cmd, risk: verdict.risk, reasons: verdict.reasons })}\n`,
      );
    else
      process.stdout.write(
        `${verdict.risk.padEnd(10)} ${row.cmd}${verdict.risk === 'safe' ? '' : `\n           ${verdict.reasons.slice(0, 2).join('; ')}`}\n`,
      );
    if (typeof row.expect === 'string' && RISKS.has(row.expect)) {
      scored++;
      if (row.expect === verdict.risk) exact++;
      const wantBad = row.expect === 'dangerous' || row.expect === 'blocked';
      const gotBad = verdict.risk === 'dangerous' || verdict.risk === 'blocked';
      if (wantBad === gotBad) barOk++;
      else misses.push(`${row.expect} → ${verdict.risk}: ${row.cmd}`);
    }
  }
  const ms = performance.now() - t0;
  process.stderr.write(
    `safety: ${n} commands in ${ms.toFixed(0)} ms (${n ? (ms / n).toFixed(2) : 0} ms each)\n`,
  );
  if (scored > 0) {
    process.stderr.write(
      `safety: acceptance ${barOk}/${scored} (${((100 * barOk) / scored).toFixed(1)}%), exact level ${exact}/${scored} (${((100 * exact) / scored).toFixed(1)}%)\n`,
    );
    for (const m of misses.slice(0, 20)) process.stderr.write(`  miss: ${m}\n`);
  }
}
