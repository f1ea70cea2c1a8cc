/**
 * The NLC2CMD metric (NeurIPS 2020 competition), re-implemented on tree-sitter-bash. This is
 * "NLC2CMD-style": the original parses with bashlint's grammar, which is not reproduced exactly.
 *
 * A command becomes its utilities in pre-order (pipelines, `$(…)`, `xargs`, `sudo`, `find -exec`
 * included), each with the set of flags in its subtree (bundles split: `-rf` → -r -f; values
 * ignored). Per aligned position: U = same utility; F = (2·|shared| − |union|) / max(1,|Fp|,|Fc|)
 * (1 when both empty); score = U·(1+F)/2 − (1−U). Pair score = mean over max(|p|,|c|) positions.
 * Up to 5 predictions per query: the best if any is positive, otherwise their mean.
 */
import { baseName, extractCommands } from '../bash/commands';
import { unwrap } from '../bash/wrappers';

export interface Utility {
  name: string;
  flags: Set<string>;
}

interface UNode {
  name: string;
  own: string[];
  children: UNode[];
}

/** Utilities whose long options start with a single dash (not bundles). */
const SINGLE_DASH_LONG = new Set([
  'find',
  'java',
  'javac',
  'gcc',
  'g++',
  'cc',
  'clang',
  'ffmpeg',
  'convert',
  'xmllint',
  'openssl',
  'mplayer',
  'tcpdump',
  'iptables',
  'ip',
]);

export function flagsOf(utility: string, args: string[]): string[] {
  const out: string[] = [];
  args.forEach((a, i) => {
    if (a === '--' || a === '-' || a.length < 2) return;
    if (a.startsWith('--')) {
      out.push(a.split('=')[0] ?? a);
      return;
    }
    if (a.startsWith('-')) {
      if (/^-\d/.test(a)) return; // numbers (head -5, kill -9) are values here
      if (SINGLE_DASH_LONG.has(utility)) {
        out.push(a.split('=')[0] ?? a);
        return;
      }
      const m = /^-([A-Za-z]+)/.exec(a);
      if (m?.[1]) for (const ch of m[1]) out.push(`-${ch}`);
      return;
    }
    if (i === 0 && utility === 'tar' && /^[A-Za-z]+$/.test(a)) for (const ch of a) out.push(`-${ch}`);
  });
  return out;
}

function expand(name: string, args: string[], depth: number): UNode {
  const base = baseName(name);
  const node: UNode = { name: base.toLowerCase(), own: [], children: [] };
  const w = depth < 6 ? unwrap(base, args) : null;
  if (w && w.scripts.length === 0 && w.inner.length > 0) {
    node.own = flagsOf(base, w.ownArgs);
    for (const i of w.inner) node.children.push(expand(i.name, i.args, depth + 1));
    return node;
  }
  node.own = flagsOf(base, args);
  return node;
}

/** Utilities in pre-order with their subtree flag sets. Requires the bash parser to be ready. */
export function utilitiesOf(cmd: string): Utility[] {
  let parsed;
  try {
    parsed = extractCommands(cmd);
  } catch {
    return [];
  }
  const nodes: UNode[] = [];
  const roots: UNode[] = [];
  for (const c of parsed.commands) {
    if (!c.name) {
      nodes.push({ name: '', own: [], children: [] });
      continue;
    }
    const n = expand(c.name, c.args, 0);
    nodes.push(n);
    const parent = c.parent >= 0 ? nodes[c.parent] : undefined;
    if (parent) {
      // a nested command inside an argument belongs to its innermost utility
      let host = parent;
      while (host.children.length > 0 && host.children[host.children.length - 1])
        host = host.children[host.children.length - 1] as UNode;
      (parent.name ? parent : host).children.push(n);
    } else roots.push(n);
  }
  const out: Utility[] = [];
  const walk = (n: UNode): Set<string> => {
    const entry: Utility = { name: n.name, flags: new Set(n.own) };
    if (n.name) out.push(entry);
    for (const c of n.children) for (const f of walk(c)) entry.flags.add(f);
    return entry.flags;
  };
  for (const r of roots) walk(r);
  return out;
}

export function flagScore(p: Set<string>, c: Set<string>): number {
  if (p.size === 0 && c.size === 0) return 1;
  let shared = 0;
  for (const f of p) if (c.has(f)) shared++;
  const union = p.size + c.size - shared;
  return (2 * shared - union) / Math.max(1, p.size, c.size);
}

/** Score of one prediction against one reference, in [-1, 1]. */
export function pairScore(p: Utility[], c: Utility[]): number {
  const T = Math.max(p.length, c.length);
  if (T === 0) return 0;
  let sum = 0;
  for (let i = 0; i < T; i++) {
    const a = p[i];
    const b = c[i];
    if (a && b && a.name === b.name) sum += (1 + flagScore(a.flags, b.flags)) / 2;
    else sum -= 1;
  }
  return sum / T;
}

/** Score of up to 5 ranked predictions for one query. */
export function invocationScore(predictions: Utility[][], reference: Utility[]): number {
  const preds = predictions.slice(0, 5).filter((p) => p.length > 0);
  if (preds.length === 0) return -1;
  const scores = preds.map((p) => pairScore(p, reference));
  const best = Math.max(...scores);
  return best > 0 ? best : scores.reduce((a, b) => a + b, 0) / scores.length;
}

/** Convenience: scores command strings (parser must be ready). */
export function scoreCommands(predictions: string[], reference: string): number {
  return invocationScore(predictions.map(utilitiesOf), utilitiesOf(reference));
}

/** Exact match after whitespace normalisation. */
export function exactMatch(prediction: string, reference: string): boolean {
  const norm = (s: string): string => s.trim().replace(/\s+/g, ' ');
  return norm(prediction) === norm(reference);
}
