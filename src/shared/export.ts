/** Column order of a Quest Log command in exports (CSV from the CLI and from the Quest Log page). */
import type { QuestCommand } from './contract/questlog';

export const QUEST_COMMAND_COLUMNS = [
  'id',
  'ts',
  'duration',
  'exit',
  'command',
  'cwd',
  'user',
  'host',
  'tty',
  'session',
  'shell',
  'redacted',
] as const satisfies ReadonlyArray<keyof QuestCommand>;
