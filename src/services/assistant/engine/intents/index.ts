/**
 * Everyday intents: a catalogue of the requests a desktop or server user types most (services,
 * logs, packages, users, permissions, network, hardware, git, archives, text), each a pattern on
 * the lower-cased request and a builder that fills in the names the request gives. Complements
 * the find-centred rules in rules.ts; package commands follow the machine's package manager.
 * One file per topic; the order below breaks ties between equally confident intents.
 */
import type { Intent, IntentAnswer, IntentInput } from './common';
import { SERVICE_INTENTS } from './services';
import { PACKAGE_INTENTS } from './packages';
import { PEOPLE_INTENTS } from './people';
import { NETWORK_INTENTS } from './network';
import { SYSTEM_INTENTS } from './system';
import { GIT_INTENTS } from './git';
import { FILE_INTENTS } from './files';
import { TEXT_INTENTS } from './text';

export type { IntentAnswer, IntentInput } from './common';

const INTENTS: Intent[] = [
  ...SERVICE_INTENTS,
  ...PACKAGE_INTENTS,
  ...PEOPLE_INTENTS,
  ...NETWORK_INTENTS,
  ...SYSTEM_INTENTS,
  ...GIT_INTENTS,
  ...FILE_INTENTS,
  ...TEXT_INTENTS,
];

/** Every intent that matches the request, with its answer. */
export function matchIntents(
  i: IntentInput,
): Array<{ id: string; confidence: number; answer: IntentAnswer }> {
  const out: Array<{ id: string; confidence: number; answer: IntentAnswer }> = [];
  for (const intent of INTENTS) {
    const m = intent.when.exec(i.t);
    if (!m || intent.unless?.test(i.t)) continue;
    try {
      const a = intent.build(m, i);
      if (a) out.push({ id: intent.id, confidence: intent.confidence, answer: a });
    } catch {
      // an intent never breaks the engine
    }
  }
  return out;
}
