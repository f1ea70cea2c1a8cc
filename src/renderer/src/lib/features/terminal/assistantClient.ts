/** The terminal's use of the AI Shell Assistant: suggestions for a request, and feedback on them. */
import type { Candidate, SuggestResponse } from '@shared/contract/assistant';
import { api } from '../../api';

export type { Candidate };
export type Risk = Candidate['risk'];

export interface SuggestContext {
  cwd?: string;
  /** absolute path or name of the shell; the assistant gets its name */
  shell?: string;
}

/** Up to five candidates for a natural-language request, best first, with the assistant's notices. */
export async function suggest(text: string, ctx: SuggestContext = {}): Promise<SuggestResponse> {
  const shell = ctx.shell?.split('/').pop();
  return api.invoke('assistant:suggest', {
    request: text.slice(0, 4000),
    limit: 5,
    ...(ctx.cwd ? { cwd: ctx.cwd } : {}),
    ...(shell ? { shell: shell.slice(0, 64) } : {}),
  });
}

/** Tells the assistant what the user did with a suggestion (it re-ranks future candidates). */
export function feedback(
  suggestionId: string,
  outcome: 'accepted' | 'edited' | 'rejected',
  finalCommand?: string,
): void {
  void api
    .invoke('assistant:feedback', {
      suggestionId,
      outcome,
      ...(finalCommand ? { finalCommand: finalCommand.slice(0, 20000) } : {}),
    })
    .catch(() => undefined); // feedback is best effort: never in the user's way
}
