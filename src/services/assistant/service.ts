/**
 * The AI Shell Assistant service: offline engine (+ optional LLM) → context check → safety check
 * → history re-ranking → recorded suggestion. Used by the background host module and, in
 * process, by the `ai` CLI.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { AppConfig } from '../../shared/config/schema';
import type { Candidate, SuggestResponse } from '../../shared/contract/assistant';
import { Problem } from '../../shared/problems';
import type { EventRecorder } from '../core/module';
import { baseName, extractCommands } from './bash/commands';
import { initBashParser } from './bash/parser';
import { unwrap } from './bash/wrappers';
import {
  analyseContext,
  commandsOnPath,
  installCommand,
  isAvailable,
  packageFor,
  type FailureSource,
  type ShellContext,
} from './context';
import { OfflineEngine } from './engine/engine';
import { explainSync, prefetchWhatis, prefetchWhatisAsync, type Explanation } from './explain/explain';
import { AssistantHistory, type HistoryRow, type HistoryStats, type Outcome } from './history';
import { askLlm, LlmError } from './llm';
import { checkCommandSync, type SafetyVerdict } from './safety/check';

export type AssistantConfig = AppConfig['assistant'];

export interface AssistantDeps {
  config: AssistantConfig;
  /** directory for assistant.db; null → in-memory history */
  dataDir: string | null;
  events?: EventRecorder;
  failures?: FailureSource;
  onLlmChunk?: (id: string, text: string, done: boolean) => void;
  log?: { warn(msg: string, data?: Record<string, unknown>): void };
}

export const MAX_REQUEST = 2000;

/** Removes control characters, collapses whitespace. */
export function cleanRequest(raw: string): string {
  return (
    raw
      // eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
  );
}

/** The programs a command line runs (through sudo, xargs, find -exec …). */
/** An adapted example this unsure is left out when an intent rule answered confidently. */
const WEAK_ALTERNATIVE = 0.3;

export function programsOf(command: string): string[] {
  const out = new Set<string>();
  try {
    for (const c of extractCommands(command).commands) {
      if (!c.name || c.dynamicName) continue;
      let name = baseName(c.name);
      let args = c.args;
      out.add(name);
      for (let i = 0; i < 4; i++) {
        const w = unwrap(name, args);
        const inner = w?.inner[0];
        if (!w || !inner) break;
        for (const x of w.inner) out.add(baseName(x.name));
        name = baseName(inner.name);
        args = inner.args;
      }
    }
  } catch {
    // unparsable: nothing to report
  }
  return [...out].filter((p) => p && !p.startsWith('$') && p !== '{}');
}

/** A one-line gloss of a command from the offline explainer: "find (search …): -size …". */
export function briefly(command: string): string {
  try {
    const parts = explainSync(command).parts;
    const programs = parts.filter((p) => p.kind === 'command').map((p) => `${p.text}: ${p.explanation}`);
    const options = parts
      .filter((p) => p.kind === 'option' && !p.explanation.startsWith('an option'))
      .slice(0, 2)
      .map((p) => `${p.text} ${p.explanation}`);
    return [...programs.slice(0, 3), ...options].join('; ');
  } catch {
    return command;
  }
}

export class AssistantService {
  private engine: OfflineEngine | null = null;
  private loading: Promise<OfflineEngine> | null = null;
  private readonly history: AssistantHistory;

  constructor(private readonly deps: AssistantDeps) {
    this.history = new AssistantHistory(
      deps.dataDir ? join(deps.dataDir, 'assistant.db') : ':memory:',
      deps.config.historyLimit,
    );
  }

  /**
   * Loads the grammar, the knowledge base and the learned model (1–2 s of CPU, in steps that let
   * other requests through); idempotent, concurrent calls share one load.
   */
  async init(): Promise<void> {
    await initBashParser();
    if (this.engine) return;
    this.loading ??= OfflineEngine.loadAsync();
    try {
      this.engine = await this.loading;
      if (this.engine.modelProblem) this.deps.log?.warn(`assistant: ${this.engine.modelProblem}`);
      // the one-line descriptions of the programs candidates name (the knowledge base's and those on
      // PATH), read in a few non-blocking whatis runs (about 0.1 s per thousand names)
      await prefetchWhatisAsync([...this.engine.programs(), ...commandsOnPath()]);
    } finally {
      this.loading = null;
    }
  }

  async check(command: string): Promise<SafetyVerdict> {
    await initBashParser();
    return checkCommandSync(command);
  }

  async explain(command: string): Promise<Explanation> {
    await initBashParser();
    if (!command.trim()) throw new Problem('invalid-input', 'nothing to explain: the command is empty');
    return explainSync(command);
  }

  private candidateFrom(
    command: string,
    confidence: number,
    explanation: string,
    source: 'offline' | 'llm',
    ctx: ShellContext,
    programs: string[] = programsOf(command),
  ): Candidate {
    const verdict = checkCommandSync(command);
    const c: Candidate = {
      command,
      confidence: Math.max(0, Math.min(1, confidence)),
      explanation,
      risk: verdict.risk,
      reasons: verdict.reasons,
      source,
    };
    const missing = programs.find((p) => !isAvailable(p, ctx.commands));
    if (missing) {
      const pkg = packageFor(missing);
      const cmd = installCommand(pkg, ctx.packageManager);
      c.needsInstall = { program: missing, package: pkg, command: cmd };
      c.install = cmd;
      c.confidence *= 0.85;
      c.explanation += ` (needs ${missing}: install with \`${cmd}\`)`;
    }
    return c;
  }

  async suggest(
    input: { request: string; cwd?: string; shell?: string; limit?: number },
    signal?: AbortSignal,
  ): Promise<SuggestResponse> {
    const started = performance.now();
    const request = cleanRequest(input.request);
    if (!request)
      throw new Problem(
        'invalid-input',
        'the request is empty: describe what you want to do, e.g. "find files over 1 GB in my home"',
      );
    if (request.length > MAX_REQUEST)
      throw new Problem(
        'invalid-input',
        `the request is too long (${request.length} characters; at most ${MAX_REQUEST})`,
      );
    await this.init();
    const engine = this.engine as OfflineEngine;
    const cfg = this.deps.config;
    const limit = Math.min(input.limit ?? cfg.maxCandidates, cfg.maxCandidates);
    const ctx = analyseContext(input.cwd, this.deps.failures, input.shell);
    const id = randomUUID();
    const notices: string[] = [];
    let llm: SuggestResponse['llm'] = 'off';
    let candidates: Candidate[] = [];

    if (cfg.llm.enabled) {
      try {
        const res = await askLlm(
          cfg.llm,
          request,
          cfg.llm.sendContext
            ? {
                distro: ctx.distro,
                shell: ctx.shell,
                cwd: ctx.cwd,
                files: ctx.files,
                packageManager: ctx.packageManager,
              }
            : { distro: ctx.distro, shell: ctx.shell },
          (t) => this.deps.onLlmChunk?.(id, t, false),
          signal,
        );
        this.deps.onLlmChunk?.(id, '', true);
        llm = 'used';
        res.commands.forEach((cmd, i) =>
          candidates.push(
            this.candidateFrom(cmd, 0.8 - i * 0.1, `suggested by ${cfg.llm.model}`, 'llm', ctx),
          ),
        );
      } catch (err) {
        llm = 'failed';
        this.deps.onLlmChunk?.(id, '', true);
        const msg = err instanceof LlmError ? err.message : String(err);
        notices.push(`LLM unavailable (${msg}); showing offline suggestions`);
        this.deps.log?.warn('assistant: LLM failed, offline fallback', { error: msg });
      }
    }

    const offline = engine.translate(request, {
      limit: 5,
      packageManager: ctx.packageManager,
      commands: ctx.commands,
    });
    // each candidate parsed once for its programs; one `whatis` run for every one they name
    const programs = offline.map((o) => programsOf(o.command));
    prefetchWhatis(programs.flat());
    // an adapted example is approximate: one that is destructive, or needs a program this machine
    // lacks (yum on Debian), never comes before one that is harmless and runs here
    const later: Candidate[] = [];
    const adapted = new Set<Candidate>();
    for (const [k, o] of offline.entries()) {
      if (candidates.some((c) => c.command === o.command)) continue;
      const why = o.origin === 'retrieval' ? `${briefly(o.command)}; ${o.explanation}` : o.explanation;
      const c = this.candidateFrom(o.command, o.confidence, why, 'offline', ctx, programs[k]);
      if (o.origin === 'retrieval') adapted.add(c);
      if (o.origin === 'retrieval' && (c.risk === 'dangerous' || c.risk === 'blocked' || c.needsInstall))
        later.push(c);
      else candidates.push(c);
    }
    candidates.push(...later);
    const lateSet = new Set(later);

    if (cfg.learnFromHistory) {
      for (const c of candidates)
        c.confidence = Math.max(0, Math.min(1, c.confidence + this.history.bonus(c.command)));
      const llmFirst = candidates.filter((c) => c.source === 'llm');
      const rest = candidates.filter((c) => c.source !== 'llm');
      // keep the engine's first choice unless history clearly prefers another; the candidates put
      // last above stay after the others
      const byRank = (a: Candidate, b: Candidate): number =>
        Number(lateSet.has(a)) - Number(lateSet.has(b)) || b.confidence - a.confidence;
      const [head, ...tail] = rest;
      tail.sort(byRank);
      const reordered = head ? [head, ...tail] : tail;
      if (head && tail[0] && !lateSet.has(tail[0]) && tail[0].confidence > head.confidence + 0.1)
        reordered.sort(byRank);
      candidates = [...llmFirst, ...reordered];
    }

    const blocked = candidates.filter((c) => c.risk === 'blocked');
    if (blocked.length > 0 && !cfg.allowBlocked) {
      candidates = candidates.filter((c) => c.risk !== 'blocked');
      notices.push(
        `${blocked.length} candidate${blocked.length > 1 ? 's were' : ' was'} withheld as blocked (${blocked[0]?.reasons[0] ?? 'catastrophic'})`,
      );
    }
    // under a confident intent rule, weak adapted examples are noise rather than alternatives
    const lead = candidates[0];
    if (lead && !adapted.has(lead) && lead.source === 'offline' && lead.confidence >= 0.6)
      candidates = candidates.filter((c) => !adapted.has(c) || c.confidence >= WEAK_ALTERNATIVE);
    candidates = candidates.slice(0, limit);
    if (candidates.length === 0)
      notices.push('no suggestion: try rephrasing in English, naming the files, sizes or programs involved');
    else if ((candidates[0]?.confidence ?? 0) < 0.3)
      notices.push('low confidence: check the candidates carefully or rephrase the request');
    if (/\b(ignore|disregard|forget)\b.{0,40}\b(rules|instructions|safety|previous)\b/i.test(request)) {
      notices.push(
        'the request contains instructions about the rules; they are ignored, every candidate is still safety-checked',
      );
    }

    this.history.record(
      id,
      request,
      ctx.cwd,
      candidates.map((c) => c.command),
    );
    this.deps.events?.record({
      type: 'assistant.suggestion',
      source: 'assistant',
      severity: 'info',
      message: `suggested ${candidates.length} command${candidates.length === 1 ? '' : 's'} for: ${request.slice(0, 120)}`,
      data: {
        id,
        request,
        cwd: ctx.cwd,
        candidates: candidates.map((c) => ({ command: c.command, risk: c.risk, source: c.source })),
        llm,
      },
    });
    return {
      id,
      request,
      candidates,
      notices,
      llm,
      elapsedMs: Math.round((performance.now() - started) * 100) / 100,
    };
  }

  feedback(input: { suggestionId: string; outcome: Outcome; finalCommand?: string; exitCode?: number }): {
    ok: true;
  } {
    if (input.outcome === 'edited' && !input.finalCommand)
      throw new Problem('invalid-input', 'outcome "edited" needs finalCommand');
    const ok = this.history.feedback(input.suggestionId, input.outcome, input.finalCommand, input.exitCode);
    if (!ok) throw new Problem('not-found', `no suggestion with id ${input.suggestionId}`);
    this.deps.events?.record({
      type: 'assistant.feedback',
      source: 'assistant',
      severity: 'info',
      message: `suggestion ${input.outcome}${input.finalCommand ? `: ${input.finalCommand.slice(0, 120)}` : ''}`,
      data: {
        id: input.suggestionId,
        outcome: input.outcome,
        finalCommand: input.finalCommand,
        exitCode: input.exitCode,
      },
    });
    return { ok: true };
  }

  /** Exit code of a command that ran (Quest Log integration point). */
  recordExit(command: string, exitCode: number, ts?: number): boolean {
    return this.history.recordExit(command, exitCode, ts);
  }

  historyList(limit = 50, search?: string): { items: HistoryRow[]; stats: HistoryStats } {
    return { items: this.history.list(limit, search), stats: this.history.stats() };
  }

  close(): void {
    this.history.close();
  }
}
