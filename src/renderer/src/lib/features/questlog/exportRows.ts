import type { QuestCommand } from '@shared/contract/questlog';
import { csvCell, QUEST_COMMAND_COLUMNS } from '@shared/export';

export function toCsv(rows: QuestCommand[]): string {
  const lines = [QUEST_COMMAND_COLUMNS.join(',')];
  for (const r of rows) lines.push(QUEST_COMMAND_COLUMNS.map((c) => csvCell(r[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

export function toJsonLines(rows: QuestCommand[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '');
}

/** Offers text as a file download. */
export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
