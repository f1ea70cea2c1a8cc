/**
 * `npm run --silent eval -- nl2bash --data FILE.jsonl [--json] [--limit N] [--engine JSON] [--no-rules]
 *  [--llm URL --model NAME [--llm-timeout MS]]`
 *
 * Runs the offline engine on lines {"nl", "cmd"} and prints
 * {"count","nlc2cmd_top1","nlc2cmd_top5","exact_top1","p95_ms"} (NLC2CMD-style metric; see
 * src/services/assistant/metric/nlc2cmd.ts). Default data: /work/shared/data/nl2bash/dev.jsonl
 * or $NL2BASH_DEV. Progress goes to stderr.
 *
 * With --llm, each request first goes to that OpenAI-compatible endpoint (Ollama, llama.cpp
 * server …) as the assistant sends it, and the list is the model's commands followed by the
 * offline engine's, five at most — what a user with that model configured gets; a request the
 * model fails on gets the offline list alone. The JSON then also has "llm" (the model) and
 * "llm_failed" (how many requests fell back). The bearer token, if any, comes from
 * $AINL_ASSISTANT__LLM__API_KEY.
 */
import { initBashParser } from '../../src/services/assistant/bash/parser';
import {
  DEFAULT_ENGINE,
  OfflineEngine,
  type EngineOptions,
} from '../../src/services/assistant/engine/engine';
import { exactMatch, invocationScore, utilitiesOf } from '../../src/services/assistant/metric/nlc2cmd';
import { askLlm, LlmError, type LlmSettings } from '../../src/services/assistant/llm';
import { argValue as arg, readNl2BashRows } from './_nl2bashRows';

export async function main(argv: string[]): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stderr.write(
      'usage: npm run --silent eval -- nl2bash --data FILE.jsonl [--json] [--limit N] [--engine JSON] [--no-rules]\n' +
        '       [--llm URL --model NAME [--llm-timeout MS]]\n',
    );
    return;
  }
  const json = argv.includes('--json');
  const limitGiven = argv.some((a) => a === '--limit' || a.startsWith('--limit='));
  const limitArg = arg(argv, '--limit') ?? '';
  const limit = !limitGiven ? Infinity : /^\d+$/.test(limitArg.trim()) ? Number(limitArg) : NaN;
  if (!(limit > 0)) {
    process.stderr.write(`nl2bash: --limit needs a positive whole number, got "${limitArg}"\n`);
    process.exitCode = 2;
    return;
  }
  // every option is checked before the data is read and the engine loaded
  let tuning: Partial<EngineOptions> | null = null;
  if (argv.some((a) => a === '--engine' || a.startsWith('--engine='))) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(arg(argv, '--engine') ?? '');
    } catch {
      parsed = null;
    }
    const known = Object.keys(DEFAULT_ENGINE);
    if (
      !parsed ||
      typeof parsed !== 'object' ||
      Array.isArray(parsed) ||
      Object.entries(parsed).some(
        ([k, v]) => !known.includes(k) || typeof v !== 'number' || !Number.isFinite(v),
      )
    ) {
      process.stderr.write(
        `nl2bash: --engine needs a JSON object of numbers with keys from: ${known.join(', ')}\n`,
      );
      process.exitCode = 2;
      return;
    }
    tuning = parsed as Partial<EngineOptions>;
  }
  let llm: LlmSettings | null = null;
  if (argv.some((a) => a === '--llm' || a.startsWith('--llm='))) {
    const baseUrl = arg(argv, '--llm') ?? '';
    const model = arg(argv, '--model') ?? '';
    const timeoutArg = arg(argv, '--llm-timeout') ?? '30000';
    const timeoutMs = /^\d+$/.test(timeoutArg) ? Number(timeoutArg) : NaN;
    if (!/^https?:\/\/\S+$/.test(baseUrl) || !model.trim() || !(timeoutMs >= 200)) {
      process.stderr.write(
        'nl2bash: --llm needs an http(s) URL, --model a model name, --llm-timeout at least 200 (ms)\n',
      );
      process.exitCode = 2;
      return;
    }
    llm = {
      baseUrl,
      model,
      apiKey: process.env.AINL_ASSISTANT__LLM__API_KEY ?? '',
      timeoutMs,
      temperature: 0,
      maxTokens: 300,
    };
  }
  const data = arg(argv, '--data') ?? process.env.NL2BASH_DEV ?? '/work/shared/data/nl2bash/dev.jsonl';
  const rows = readNl2BashRows(data, 'nl2bash', limit);
  if (!rows) {
    process.exitCode = 2;
    return;
  }
  await initBashParser();
  const t0 = performance.now();
  const engine = OfflineEngine.load();
  if (engine.modelProblem) process.stderr.write(`nl2bash: ${engine.modelProblem}\n`);
  if (tuning) engine.options = { ...engine.options, ...tuning };
  const noRules = argv.includes('--no-rules');
  process.stderr.write(
    `nl2bash: engine loaded in ${(performance.now() - t0).toFixed(0)} ms; ${rows.length} queries\n`,
  );
  let top1 = 0;
  let top5 = 0;
  let exact = 0;
  let llmFailed = 0;
  const lat: number[] = [];
  for (const [i, r] of rows.entries()) {
    const s = performance.now();
    let commands: string[] = [];
    if (llm) {
      try {
        commands = (await askLlm(llm, r.nl, { shell: 'bash' })).commands;
      } catch (err) {
        llmFailed++;
        if (llmFailed <= 3)
          process.stderr.write(`nl2bash: LLM: ${err instanceof LlmError ? err.message : String(err)}\n`);
      }
    }
    for (const c of engine.translate(r.nl, { limit: 5, noRules }))
      if (!commands.includes(c.command)) commands.push(c.command);
    commands = commands.slice(0, 5);
    lat.push(performance.now() - s);
    const ref = utilitiesOf(r.cmd);
    const preds = commands.map((c) => utilitiesOf(c));
    top1 += invocationScore(preds.slice(0, 1), ref);
    top5 += invocationScore(preds, ref);
    if (commands[0] && exactMatch(commands[0], r.cmd)) exact++;
    const every = llm ? 10 : 100;
    if ((!json || llm) && (i + 1) % every === 0) process.stderr.write(`  ${i + 1}/${rows.length}\n`);
  }
  lat.sort((a, b) => a - b);
  const n = rows.length || 1;
  const result = {
    count: rows.length,
    nlc2cmd_top1: Number((top1 / n).toFixed(4)),
    nlc2cmd_top5: Number((top5 / n).toFixed(4)),
    exact_top1: Number((exact / n).toFixed(4)),
    p95_ms: Number((lat[Math.min(lat.length - 1, Math.floor(lat.length * 0.95))] ?? 0).toFixed(2)),
    ...(llm ? { llm: llm.model, llm_failed: llmFailed } : {}),
  };
  if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stderr.write(`${JSON.stringify(result, null, 2)}\n`);
}
