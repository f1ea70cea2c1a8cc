/**
 * The terminal's use of `assistant:suggest`. The channel belongs to the assistant service; this
 * adapter reads the request's field names from the contract at run time and normalises the
 * candidates, so the terminal keeps working while that contract evolves.
 */
import { z } from 'zod';
import { channels } from '@shared/contract';
import { api, ApiError } from '../../api';

export type Risk = 'safe' | 'caution' | 'dangerous' | 'blocked';

export interface Candidate {
  command: string;
  confidence: number;
  explanation: string;
  risk: Risk;
  reasons: string[];
  /** how to install a missing program, if the assistant says so */
  install?: string;
}

const Reason = z.union([
  z.string(),
  z.object({ message: z.string().optional(), reason: z.string().optional(), text: z.string().optional(), code: z.string().optional() }).loose(),
]);
const RawCandidate = z
  .object({
    command: z.string(),
    confidence: z.number().optional(),
    explanation: z.string().optional(),
    risk: z.union([z.enum(['safe', 'caution', 'dangerous', 'blocked']), z.object({ level: z.string() }).loose()]).optional(),
    reasons: z.array(Reason).optional(),
    install: z.string().optional(),
    installHint: z.string().optional(),
  })
  .loose();
const RawResponse = z.union([z.object({ candidates: z.array(RawCandidate) }).loose(), z.array(RawCandidate)]);

const CHANNEL = 'assistant:suggest';
const TEXT_FIELDS = ['request', 'text', 'query', 'nl', 'prompt', 'input'];

function requestShape(): Record<string, unknown> | null {
  const def = (channels as Record<string, { request?: { shape?: Record<string, unknown> } }>)[CHANNEL];
  return def?.request?.shape ?? null;
}

/** True when this build's contract has the assistant's suggest channel. */
export function assistantAvailable(): boolean {
  return requestShape() !== null;
}

function toRisk(r: unknown): Risk {
  const level = typeof r === 'string' ? r : r && typeof r === 'object' && 'level' in r ? String((r as { level: unknown }).level) : '';
  return level === 'safe' || level === 'caution' || level === 'dangerous' || level === 'blocked' ? level : 'caution';
}

function reasonText(r: z.infer<typeof Reason>): string {
  if (typeof r === 'string') return r;
  return r.message ?? r.reason ?? r.text ?? r.code ?? JSON.stringify(r);
}

export interface SuggestContext {
  cwd?: string;
  shell?: string;
}

/** Up to five candidates for a natural-language request, best first. */
export async function suggest(text: string, ctx: SuggestContext = {}): Promise<Candidate[]> {
  const shape = requestShape();
  if (!shape) throw new ApiError('unavailable', 'the AI Shell Assistant is not part of this build');
  const field = TEXT_FIELDS.find((f) => f in shape);
  if (!field) throw new ApiError('internal-error', `${CHANNEL} has no request text field this terminal knows`);
  const req: Record<string, unknown> = { [field]: text };
  if ('cwd' in shape && ctx.cwd) req.cwd = ctx.cwd;
  if ('shell' in shape && ctx.shell) req.shell = ctx.shell;
  if ('limit' in shape) req.limit = 5;
  const invoke = api.invoke.bind(api) as unknown as (c: string, r: unknown) => Promise<unknown>;
  const raw = RawResponse.parse(await invoke(CHANNEL, req));
  const list = Array.isArray(raw) ? raw : raw.candidates;
  return list.slice(0, 5).map((c) => ({
    command: c.command,
    confidence: Math.max(0, Math.min(1, c.confidence ?? 0)),
    explanation: c.explanation ?? '',
    risk: toRisk(c.risk),
    reasons: (c.reasons ?? []).map(reasonText),
    ...(c.install || c.installHint ? { install: c.install ?? c.installHint } : {}),
  }));
}
