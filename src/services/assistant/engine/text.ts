/** Tokenising and stemming of natural-language requests (English), for retrieval. */

const STOP = new Set(
  'a an the of to in on for from with by at as is are be been was were that this these those it its into and or all any each every which who whose whom what where when how than then there their them they i me my we our you your please can could would should will shall do does did just also only me some so such via using use'.split(
    ' ',
  ),
);

/** Words whose meaning matters for commands even though they look like stop words. */
const KEEP = new Set([
  'not',
  'no',
  'without',
  'than',
  'over',
  'under',
  'more',
  'less',
  'older',
  'newer',
  'recursively',
  'all',
]);

/** A light suffix stripper (Porter-like, enough to group "files/file", "deleting/delete"). */
export function stem(w: string): string {
  if (w.length <= 3) return w;
  let s = w;
  if (s.endsWith('ies') && s.length > 4) s = `${s.slice(0, -3)}y`;
  else if (s.endsWith('sses')) s = s.slice(0, -2);
  else if (s.endsWith('s') && !s.endsWith('ss') && !s.endsWith('us') && !s.endsWith('is')) s = s.slice(0, -1);
  if (s.endsWith('ing') && s.length > 5) s = s.slice(0, -3);
  else if (s.endsWith('ed') && s.length > 4) s = s.slice(0, -2);
  else if (s.endsWith('ly') && s.length > 4) s = s.slice(0, -2);
  if (s.endsWith('e') && s.length > 4) s = s.slice(0, -1);
  if (/(.)\1$/.test(s) && !/[lsz]$/.test(s) && s.length > 4) s = s.slice(0, -1);
  return s;
}

export interface Tokenised {
  /** stemmed content tokens (with placeholder tokens like QUOTE, PATH, NUM, EXT_txt) */
  tokens: string[];
}

const QUOTED = /"([^"]*)"|'([^']*)'|`([^`]*)`/g;

/** Tokens for retrieval. Quoted strings become QUOTE, paths PATH, numbers NUM; extensions kept. */
export function tokenize(text: string): string[] {
  const out: string[] = [];
  let t = text.toLowerCase();
  t = t.replace(QUOTED, (_m, a?: string, b?: string, c?: string) => {
    const q = a ?? b ?? c ?? '';
    const ext = /^\*?\.([a-z0-9]{1,5})$/.exec(q);
    if (ext) out.push(`ext_${ext[1]}`);
    if (q.startsWith('/') || q.startsWith('~') || q.startsWith('./')) out.push('PATH');
    else if (/^\d+$/.test(q)) out.push('NUM');
    else out.push('QUOTE');
    return ' ';
  });
  for (const raw of t.split(/[\s,;:!?()[\]{}<>]+/)) {
    if (!raw) continue;
    let w = raw.replace(/^[.'"]+|[.'"]+$/g, '');
    if (!w) continue;
    if (/^(~|\.{0,2}\/)/.test(w) || (w.includes('/') && w.length > 1)) {
      out.push('PATH');
      continue;
    }
    const ext = /^\*?\.([a-z0-9]{1,5})$/.exec(w);
    if (ext) {
      out.push(`ext_${ext[1]}`);
      continue;
    }
    if (/^[\w-]+\.[a-z0-9]{1,4}$/.test(w) && !/^\d+\.\d+$/.test(w)) {
      out.push('FILE');
      const e = w.split('.').pop();
      if (e) out.push(`ext_${e}`);
      continue;
    }
    const num = /^(\d+(?:\.\d+)?)([a-z]*)$/.exec(w);
    if (num) {
      out.push('NUM');
      if (num[2]) out.push(stem(num[2]));
      continue;
    }
    if (w.startsWith('-') && w.length > 1) {
      out.push(`flag${w}`);
      continue;
    }
    w = w.replace(/[^a-z0-9_+-]/g, '');
    if (!w) continue;
    if (STOP.has(w) && !KEEP.has(w)) continue;
    out.push(stem(w));
  }
  return out;
}
