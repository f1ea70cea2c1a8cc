/**
 * `npm run --silent eval -- everyday [--data FILE.jsonl ...] [--json] [--verbose]`
 *
 * Everyday Linux-desktop requests ("restart nginx", "which process uses port 8080") run through
 * AssistantService.suggest as a user gets them (LLM off, history re-ranking off, in-memory
 * history, the current cwd). Lines are {"nl", "accept": [regex, ...], "topic"}; a candidate is
 * acceptable when, with its whitespace collapsed, one regex matches it whole (^(?:regex)$).
 *
 * Default data: test/eval/data/everyday-dev.jsonl and everyday-holdout.jsonl. Each file is
 * reported under its name (less "everyday-" and ".jsonl"), and all files together under "all":
 * {"dev": {"count","top1","top5","p95_ms"}, "holdout": {...}, "all": {...}}.
 * --verbose lists the requests whose first candidate is not acceptable on stderr.
 * Exit 2: a data file is missing, or an accept regex does not compile.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { assistantConfig } from '../../src/shared/config/assistant';
import { AssistantService } from '../../src/services/assistant/service';

interface Row {
  nl: string;
  accept: RegExp[];
  topic: string;
  set: string;
}

interface Summary {
  count: number;
  top1: number;
  top5: number;
  p95_ms: number;
}

const DEFAULT_DATA = ['everyday-dev.jsonl', 'everyday-holdout.jsonl'].map((f) =>
  join(import.meta.dirname, 'data', f),
);

function args(argv: string[], name: string): string[] {
  const out: string[] = [];
  argv.forEach((a, i) => {
    if (a === name && argv[i + 1] !== undefined) out.push(argv[i + 1] as string);
    else if (a.startsWith(`${name}=`)) out.push(a.slice(name.length + 1));
  });
  return out;
}

/** "everyday-dev.jsonl" → "dev"; "x/tiny.jsonl" → "tiny". */
export function setName(file: string): string {
  return basename(file)
    .replace(/\.jsonl$/, '')
    .replace(/^everyday-/, '');
}

/** Whitespace runs → one space, trimmed: the form the accept regexes are matched against. */
export function normalise(command: string): string {
  return command.replace(/\s+/g, ' ').trim();
}

/** Reads one data file; malformed lines are reported and skipped, a bad regex throws. */
function load(file: string, set: string): Row[] {
  const rows: Row[] = [];
  for (const [i, line] of readFileSync(file, 'utf8').split('\n').entries()) {
    if (!line.trim()) continue;
    let r: { nl?: unknown; accept?: unknown; topic?: unknown };
    try {
      r = JSON.parse(line) as typeof r;
    } catch {
      process.stderr.write(`everyday: ${file}:${i + 1}: not JSON, skipped\n`);
      continue;
    }
    if (
      !r ||
      typeof r !== 'object' ||
      typeof r.nl !== 'string' ||
      !r.nl.trim() ||
      !Array.isArray(r.accept) ||
      r.accept.length === 0 ||
      !r.accept.every((a) => typeof a === 'string')
    ) {
      process.stderr.write(
        `everyday: ${file}:${i + 1}: needs a string nl and a non-empty string array accept, skipped\n`,
      );
      continue;
    }
    const accept = (r.accept as string[]).map((a) => {
      try {
        return new RegExp(`^(?:${a})$`);
      } catch (err) {
        throw new BadRegex(
          `${file}:${i + 1}: accept regex does not compile: ${a} (${err instanceof Error ? err.message : String(err)})`,
        );
      }
    });
    rows.push({ nl: r.nl, accept, topic: typeof r.topic === 'string' ? r.topic : '', set });
  }
  return rows;
}

class BadRegex extends Error {}

function summarise(results: Array<{ top1: boolean; top5: boolean; ms: number }>): Summary {
  const n = results.length;
  const lat = results.map((r) => r.ms).sort((a, b) => a - b);
  const frac = (k: number): number => (n ? Number((k / n).toFixed(4)) : 0);
  return {
    count: n,
    top1: frac(results.filter((r) => r.top1).length),
    top5: frac(results.filter((r) => r.top5).length),
    p95_ms: Number((lat[Math.min(lat.length - 1, Math.floor(lat.length * 0.95))] ?? 0).toFixed(2)),
  };
}

export async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stderr.write(
      'usage: npm run --silent eval -- everyday [--data FILE.jsonl ...] [--json] [--verbose]\n',
    );
    return;
  }
  const json = argv.includes('--json');
  const verbose = argv.includes('--verbose');
  const given = args(argv, '--data');
  const files = given.length > 0 ? given : DEFAULT_DATA;
  const rows: Row[] = [];
  const sets: string[] = [];
  for (const file of files) {
    if (!existsSync(file)) {
      process.stderr.write(`everyday: data file not found: ${file}\n`);
      process.exitCode = 2;
      return;
    }
    let set = setName(file);
    while (sets.includes(set) || set === 'all') set = `${set}'`;
    sets.push(set);
    try {
      rows.push(...load(file, set));
    } catch (err) {
      if (!(err instanceof BadRegex)) throw err;
      process.stderr.write(`everyday: ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
  }

  const service = new AssistantService({
    config: assistantConfig.parse({ learnFromHistory: false, llm: { enabled: false } }),
    dataDir: null,
    log: { warn: (msg) => process.stderr.write(`everyday: ${msg}\n`) },
  });
  const cwd = process.cwd();
  const results: Array<{ set: string; top1: boolean; top5: boolean; ms: number }> = [];
  try {
    const t0 = performance.now();
    await service.init();
    process.stderr.write(
      `everyday: assistant loaded in ${(performance.now() - t0).toFixed(0)} ms; ${rows.length} requests\n`,
    );
    for (const r of rows) {
      const s = performance.now();
      let commands: string[] = [];
      let failure = '';
      try {
        const res = await service.suggest({ request: r.nl, cwd, limit: 5 });
        commands = res.candidates.slice(0, 5).map((c) => normalise(c.command));
      } catch (err) {
        failure = err instanceof Error ? err.message : String(err);
      }
      const ms = performance.now() - s;
      const ok = (c: string): boolean => r.accept.some((re) => re.test(c));
      const top1 = commands.length > 0 && ok(commands[0] as string);
      const top5 = commands.some(ok);
      results.push({ set: r.set, top1, top5, ms });
      if (verbose && !top1)
        process.stderr.write(
          `FAIL [${r.set}${r.topic ? `/${r.topic}` : ''}] ${r.nl}\n  → ${failure ? `error: ${failure}` : (commands[0] ?? '(no candidate)')}${top5 ? '  (acceptable in top 5)' : ''}\n`,
        );
    }
  } finally {
    service.close();
  }

  const out: Record<string, Summary> = {};
  for (const set of sets) out[set] = summarise(results.filter((r) => r.set === set));
  out.all = summarise(results);
  if (json) process.stdout.write(`${JSON.stringify(out)}\n`);
  else process.stderr.write(`${JSON.stringify(out, null, 2)}\n`);
}
