// Channels and push events of the assistant domain. Owned by the assistant work; see contract/index.ts.
import { z } from 'zod';
import { channel, event } from './define';

export const Risk = z.enum(['safe', 'caution', 'dangerous', 'blocked']);
export type Risk = z.infer<typeof Risk>;

export const SafetyVerdict = z.object({
  risk: Risk,
  /** why, most severe first (for `safe`: "read-only") */
  reasons: z.array(z.string()),
});
export type SafetyVerdict = z.infer<typeof SafetyVerdict>;

export const Candidate = z.object({
  command: z.string(),
  /** 0..1 */
  confidence: z.number().min(0).max(1),
  explanation: z.string(),
  risk: Risk,
  reasons: z.array(z.string()),
  source: z.enum(['offline', 'llm']),
  /** set when a program the command needs is not on PATH */
  needsInstall: z.object({ program: z.string(), package: z.string(), command: z.string() }).optional(),
  /** the install command as one string (same as needsInstall.command), for simple clients */
  install: z.string().optional(),
});
export type Candidate = z.infer<typeof Candidate>;

export const SuggestResponse = z.object({
  /** pass back in assistant:feedback */
  id: z.string(),
  request: z.string(),
  candidates: z.array(Candidate).max(5),
  /** things the user should know: withheld blocked candidates, LLM fallback, no match … */
  notices: z.array(z.string()),
  llm: z.enum(['off', 'used', 'failed']),
  elapsedMs: z.number(),
});
export type SuggestResponse = z.infer<typeof SuggestResponse>;

export const ExplainPart = z.object({
  text: z.string(),
  kind: z.enum(['command', 'option', 'argument', 'operator', 'redirect', 'assignment', 'subcommand']),
  explanation: z.string(),
});
export type ExplainPart = z.infer<typeof ExplainPart>;

export const ExplainResponse = z.object({
  command: z.string(),
  summary: z.string(),
  parts: z.array(ExplainPart),
  risk: Risk,
  reasons: z.array(z.string()),
});
export type ExplainResponse = z.infer<typeof ExplainResponse>;

export const Outcome = z.enum(['accepted', 'edited', 'rejected']);

export const HistoryItem = z.object({
  id: z.string(),
  ts: z.number(),
  request: z.string(),
  cwd: z.string().nullable(),
  /** the first candidate offered */
  suggested: z.string().nullable(),
  outcome: Outcome.nullable(),
  finalCommand: z.string().nullable(),
  exitCode: z.number().int().nullable(),
  candidates: z.number().int(),
});
export type HistoryItem = z.infer<typeof HistoryItem>;

export const assistantChannels = {
  'assistant:suggest': channel(
    z
      .object({
        request: z.string().max(4000),
        cwd: z.string().max(4096).optional(),
        shell: z.string().max(64).optional(),
        limit: z.number().int().min(1).max(5).optional(),
      })
      .strict(),
    SuggestResponse,
    'Up to 5 shell commands for a natural-language request, each with confidence, explanation and safety verdict.',
  ),
  'assistant:explain': channel(
    z.object({ command: z.string().max(20000) }).strict(),
    ExplainResponse,
    'Explains a shell command part by part (offline), with its safety verdict.',
  ),
  'assistant:check': channel(
    z.object({ command: z.string().max(100000) }).strict(),
    SafetyVerdict,
    'Safety verdict of a shell command: safe, caution, dangerous or blocked, with reasons.',
  ),
  'assistant:feedback': channel(
    z
      .object({
        suggestionId: z.string().min(1).max(100),
        outcome: Outcome,
        finalCommand: z.string().max(20000).optional(),
        exitCode: z.number().int().min(-1).max(255).optional(),
      })
      .strict(),
    z.object({ ok: z.literal(true) }),
    'Records whether a suggestion was accepted, edited or rejected (and its exit code); re-ranks future candidates.',
  ),
  'assistant:history': channel(
    z
      .object({ limit: z.number().int().min(1).max(1000).optional(), search: z.string().max(200).optional() })
      .strict(),
    z.object({
      items: z.array(HistoryItem),
      stats: z.object({
        total: z.number().int(),
        accepted: z.number().int(),
        edited: z.number().int(),
        rejected: z.number().int(),
        succeeded: z.number().int(),
        failed: z.number().int(),
      }),
    }),
    'Past requests with the suggestion, what the user did with it and the exit code.',
  ),
};

export const assistantEvents = {
  'assistant:llmChunk': event(
    z.object({ id: z.string(), text: z.string(), done: z.boolean() }),
    'Streamed text from the optional LLM provider while a suggestion is being made.',
  ),
};
