/**
 * `npm run --silent eval -- nab [--data DIR] [--out OUT] [--json] [--set key=value ...]`
 *
 * Runs the monitor's streaming anomaly detector (src/services/monitor/detector.ts, the production
 * code path) online over every CSV under DIR/data/<category>/, writes
 * OUT/<category>/<file>.csv (`timestamp,value,anomaly_score`) and scores the run with our NAB
 * scorer (src/services/monitor/nabScorer.ts) for the standard, reward_low_FP_rate and
 * reward_low_FN_rate profiles. `--set` overrides detector options (for experiments only; the
 * reported figures use the defaults).
 */
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import {
  StreamingDetector,
  DEFAULT_DETECTOR,
  type DetectorOptions,
} from '../../src/services/monitor/detector';
import {
  NAB_PROFILES,
  parseNabCsv,
  parseNabTime,
  scoreAtThreshold,
  scoreCorpus,
  windowsToRows,
  type NabFile,
} from '../../src/services/monitor/nabScorer';

interface Args {
  data: string;
  out: string | null;
  json: boolean;
  set: Partial<Record<keyof DetectorOptions, number | boolean>>;
}

const REPO = resolve(import.meta.dirname, '..', '..');

function usage(msg?: string): never {
  if (msg) process.stderr.write(`eval nab: ${msg}\n`);
  process.stderr.write(
    'usage: npm run --silent eval -- nab [--data DIR] [--out OUT] [--json] [--set key=value]\n',
  );
  process.exit(msg ? 2 : 0);
}

function parseArgs(argv: string[]): Args {
  const a: Args = { data: resolve(REPO, '..', 'shared', 'data', 'nab'), out: null, json: false, set: {} };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i]!;
    const val = (): string => {
      const v = argv[++i];
      if (v === undefined) usage(`${k} needs a value`);
      return v;
    };
    if (k === '--data') a.data = resolve(val());
    else if (k === '--out') a.out = resolve(val());
    else if (k === '--json') a.json = true;
    else if (k === '--help' || k === '-h') usage();
    else if (k === '--set') {
      const [key, v] = val().split('=');
      if (!key || v === undefined || !(key in DEFAULT_DETECTOR))
        usage(`--set: unknown detector option "${key}"`);
      (a.set as Record<string, number | boolean>)[key] =
        v === 'true' ? true : v === 'false' ? false : Number(v);
    } else usage(`unknown option ${k}`);
  }
  return a;
}

function listCsv(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...listCsv(p));
    else if (name.endsWith('.csv')) out.push(p);
  }
  return out;
}

export async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const dataDir = join(args.data, 'data');
  let windowsJson: Record<string, Array<[string, string]>>;
  try {
    windowsJson = JSON.parse(
      readFileSync(join(args.data, 'labels', 'combined_windows.json'), 'utf8'),
    ) as Record<string, Array<[string, string]>>;
  } catch (err) {
    process.stderr.write(
      `eval nab: cannot read ${join(args.data, 'labels', 'combined_windows.json')}: ${(err as Error).message}\n`,
    );
    process.exit(1);
  }
  let files: string[];
  try {
    files = listCsv(dataDir);
  } catch (err) {
    process.stderr.write(`eval nab: cannot list ${dataDir}: ${(err as Error).message}\n`);
    process.exit(1);
  }
  const opts = { ...args.set, inlineRefit: true } as Partial<DetectorOptions>;
  const t0 = performance.now();
  const corpus: NabFile[] = [];
  const problems: Array<{ file: string; message: string }> = [];
  let rows = 0;
  let fitMs = 0;
  let fits = 0;
  for (const path of files) {
    const rel = relative(dataDir, path).split('\\').join('/');
    let series;
    try {
      series = parseNabCsv(readFileSync(path, 'utf8'));
    } catch (err) {
      problems.push({ file: rel, message: (err as Error).message });
      process.stderr.write(`eval nab: skipping ${rel}: ${(err as Error).message}\n`);
      continue;
    }
    const det = new StreamingDetector(opts);
    const scores = new Float64Array(series.values.length);
    for (let i = 0; i < series.values.length; i++) {
      const wasFitted = det.isFitted;
      const before = det.lastFitMs;
      scores[i] = det.push(series.values[i]!).score;
      if (det.lastFitMs !== before || (!wasFitted && det.isFitted)) {
        fitMs += det.lastFitMs;
        fits++;
      }
    }
    rows += series.values.length;
    const win = (windowsJson[rel] ?? []).map(
      ([s, e]) => [parseNabTime(s), parseNabTime(e)] as [number, number],
    );
    corpus.push({ name: rel, scores, windows: windowsToRows(series.timestamps, win) });
    if (args.out) {
      const target = join(args.out, rel);
      mkdirSync(dirname(target), { recursive: true });
      const lines = ['timestamp,value,anomaly_score'];
      for (let i = 0; i < series.values.length; i++) {
        lines.push(`${series.timeText[i]},${series.values[i]},${round(scores[i]!, 6)}`);
      }
      writeFileSync(target, lines.join('\n') + '\n');
    }
  }
  const elapsed = performance.now() - t0;
  const threshold = opts.threshold ?? DEFAULT_DETECTOR.threshold;
  const results = NAB_PROFILES.map((p) => scoreCorpus(corpus, p));
  const fixed = NAB_PROFILES.map((p) => scoreAtThreshold(corpus, p, threshold));
  const report = {
    files: corpus.length,
    windows: corpus.reduce((s, f) => s + f.windows.length, 0),
    rows,
    standard: round(results[0]!.score, 2),
    reward_low_FP: round(results[1]!.score, 2),
    reward_low_FN: round(results[2]!.score, 2),
    thresholds: Object.fromEntries(results.map((r) => [r.profile, round(r.threshold, 6)])),
    detail: results.map((r) => ({ ...r, score: round(r.score, 2), raw: round(r.raw, 3) })),
    at_production_threshold: {
      threshold,
      standard: round(fixed[0]!.score, 2),
      reward_low_FP: round(fixed[1]!.score, 2),
      reward_low_FN: round(fixed[2]!.score, 2),
    },
    detector: { ...DEFAULT_DETECTOR, ...opts },
    fit_ms_mean: fits ? round(fitMs / fits, 2) : 0,
    elapsed_ms: Math.round(elapsed),
    problems,
  };
  if (args.json) process.stdout.write(JSON.stringify(report) + '\n');
  else {
    process.stdout.write(
      `NAB (${report.files} files, ${report.windows} windows, ${rows} rows, ${report.elapsed_ms} ms)\n` +
        results
          .map(
            (r) =>
              `  ${r.profile.padEnd(20)} ${r.score.toFixed(2).padStart(7)}  (threshold ${r.threshold.toFixed(4)}, TP ${r.tp}, FP ${r.fp}, FN ${r.fn})`,
          )
          .join('\n') +
        `\n  at the production threshold ${threshold}: standard ${report.at_production_threshold.standard}, ` +
        `low FP ${report.at_production_threshold.reward_low_FP}, low FN ${report.at_production_threshold.reward_low_FN}\n`,
    );
  }
  if (corpus.length === 0) process.exit(1);
}

function round(v: number, d: number): number {
  const f = 10 ** d;
  return Math.round(v * f) / f;
}
