/**
 * The offline knowledge base: NL2Bash *train* pairs (MIT, Lin et al. 2018; see
 * resources/assistant/NOTICE.md) with each command's utilities precomputed, shipped as
 * resources/assistant/nl2bash-kb.json. `buildKb` regenerates it from train.jsonl.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { initBashParser } from '../bash/parser';
import { utilitiesOf, type Utility } from '../metric/nlc2cmd';

export interface KbEntry {
  nl: string;
  cmd: string;
  /** utilities, encoded `name:flag,flag|name:…` */
  u: string;
}

export const KB_FILE = 'nl2bash-kb.json';

export function encodeUtilities(us: Utility[]): string {
  return us.map((u) => `${u.name}:${[...u.flags].sort().join(',')}`).join('|');
}

export function decodeUtilities(s: string): Utility[] {
  if (!s) return [];
  return s.split('|').map((part) => {
    const i = part.indexOf(':');
    const flags = part.slice(i + 1);
    return { name: part.slice(0, i), flags: new Set(flags ? flags.split(',') : []) };
  });
}

/** Finds resources/assistant/<name>: env override, source tree, bundle (out/main), packaged app. */
export function findResource(name: string): string | null {
  const candidates: string[] = [];
  const env = process.env.AINL_ASSISTANT_RESOURCES;
  if (env) candidates.push(join(env, name));
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    candidates.push(join(dir, 'resources', 'assistant', name));
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  const rp = (process as { resourcesPath?: string }).resourcesPath;
  if (rp)
    candidates.push(
      join(rp, 'assistant', name),
      join(rp, 'resources', 'assistant', name),
      join(rp, 'app.asar.unpacked', 'resources', 'assistant', name),
    );
  return candidates.find((c) => existsSync(c)) ?? null;
}

export function loadKb(path?: string): KbEntry[] {
  const file = path ?? findResource(KB_FILE);
  if (!file) throw new Error(`assistant knowledge base ${KB_FILE} not found (set AINL_ASSISTANT_RESOURCES)`);
  const data = JSON.parse(readFileSync(file, 'utf8')) as { entries: KbEntry[] };
  return data.entries;
}

export async function buildKb(trainJsonl: string, out: string): Promise<number> {
  await initBashParser();
  const entries: KbEntry[] = [];
  for (const line of readFileSync(trainJsonl, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const { nl, cmd } = JSON.parse(line) as { nl: string; cmd: string };
    entries.push({ nl, cmd, u: encodeUtilities(utilitiesOf(cmd)) });
  }
  writeFileSync(
    out,
    JSON.stringify({
      source: 'NL2Bash train split (Lin et al., LREC 2018, MIT license); see NOTICE.md',
      count: entries.length,
      entries,
    }),
  );
  return entries.length;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [src, out] = process.argv.slice(2);
  if (!src || !out) {
    process.stderr.write('usage: tsx kb.ts <train.jsonl> <out.json>\n');
    process.exit(2);
  }
  buildKb(src, out).then((n) => process.stderr.write(`wrote ${n} entries to ${out}\n`));
}
