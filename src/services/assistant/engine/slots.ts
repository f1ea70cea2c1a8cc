/**
 * Argument filling: the values a request names (quoted strings, paths, file names, extensions,
 * sizes, ages, counts, ports, users) and their transfer into a retrieved command template.
 */
export type SlotKind = 'quoted' | 'path' | 'file' | 'ext' | 'size' | 'days' | 'number' | 'port' | 'url';

export interface Slot {
  kind: SlotKind;
  value: string;
  /** size: find -size form (+1G); days: count */
  norm?: string;
}

const UNIT: Record<string, string> = {
  b: 'c',
  byte: 'c',
  bytes: 'c',
  k: 'k',
  kb: 'k',
  kib: 'k',
  kilobyte: 'k',
  kilobytes: 'k',
  m: 'M',
  mb: 'M',
  mib: 'M',
  megabyte: 'M',
  megabytes: 'M',
  meg: 'M',
  megs: 'M',
  g: 'G',
  gb: 'G',
  gib: 'G',
  gigabyte: 'G',
  gigabytes: 'G',
  gig: 'G',
  gigs: 'G',
};

export function extractSlots(text: string): Slot[] {
  const slots: Slot[] = [];
  let rest = text.replace(/\b(?:https?|ftp):\/\/[^\s"'<>]+/g, (u) => {
    slots.push({ kind: 'url', value: u.replace(/[.,;:!?)]+$/, '') });
    return ' ';
  });
  rest = rest.replace(
    /"([^"]+)"|'([^']+)'|`([^`]+)`|“([^”]+)”/g,
    (_m, a?: string, b?: string, c?: string, d?: string) => {
      const v = a ?? b ?? c ?? d ?? '';
      const ext = /^\*?\.([A-Za-z0-9]{1,6})$/.exec(v);
      if (ext) slots.push({ kind: 'ext', value: ext[1] ?? '' });
      else if (/^(\/|~|\.\.?\/)/.test(v)) slots.push({ kind: 'path', value: v });
      else slots.push({ kind: 'quoted', value: v });
      return ' ';
    },
  );
  const sizeRe =
    /(\d+(?:\.\d+)?)\s*(bytes?|b|kb|kib|kilobytes?|k|mb|mib|megabytes?|megs?|m|gb|gib|gigabytes?|gigs?|g)\b/gi;
  rest = rest.replace(sizeRe, (_m, n: string, u: string) => {
    const unit = UNIT[u.toLowerCase()] ?? 'k';
    slots.push({ kind: 'size', value: `${n}${u}`, norm: `${Math.ceil(Number(n))}${unit}` });
    return ' ';
  });
  rest = rest.replace(/(\d+)\s*(days?|d)\b/gi, (_m, n: string) => {
    slots.push({ kind: 'days', value: n, norm: n });
    return ' ';
  });
  rest = rest.replace(/(\d+)\s*(weeks?)\b/gi, (_m, n: string) => {
    slots.push({ kind: 'days', value: n, norm: String(Number(n) * 7) });
    return ' ';
  });
  rest = rest.replace(
    /\b(a|an|one|last|past|this|the last|the past)\s+(day|week|fortnight|month|year)\b/gi,
    (_m, _a: string, unit: string) => {
      const n = { day: 1, week: 7, fortnight: 14, month: 30, year: 365 }[unit.toLowerCase()] ?? 7;
      slots.push({ kind: 'days', value: String(n), norm: String(n) });
      return ` ${_a} `;
    },
  );
  rest = rest.replace(/\bport\s+(\d{1,5})\b/gi, (_m, n: string) => {
    slots.push({ kind: 'port', value: n });
    return ' ';
  });
  for (const w of rest.split(/[\s,;()]+/)) {
    const t = w.replace(/[.,;:!?]+$/, '');
    if (!t) continue;
    if (/^(\/|~\/?|\.\.?\/)[^\s]*$/.test(t) && t.length > 1) slots.push({ kind: 'path', value: t });
    else if (/^\*\.[A-Za-z0-9]{1,6}$/.test(t) || /^\.[A-Za-z0-9]{1,6}$/.test(t))
      slots.push({ kind: 'ext', value: t.replace(/^\*?\./, '') });
    else if (/^[\w@%+-][\w@%+.-]*\.[A-Za-z0-9]{1,6}$/.test(t) && !/^\d+(\.\d+)*$/.test(t))
      slots.push({ kind: 'file', value: t });
    else if (/^\d+$/.test(t)) slots.push({ kind: 'number', value: t });
  }
  // "txt files", "python files", "log files"
  const extWords: Record<string, string> = {
    python: 'py',
    javascript: 'js',
    typescript: 'ts',
    markdown: 'md',
    text: 'txt',
    shell: 'sh',
    'c++': 'cpp',
    java: 'java',
    jpeg: 'jpg',
    html: 'html',
    pdf: 'pdf',
    log: 'log',
    csv: 'csv',
    json: 'json',
    yaml: 'yaml',
    xml: 'xml',
    mp3: 'mp3',
    mp4: 'mp4',
    png: 'png',
    jpg: 'jpg',
    gif: 'gif',
    txt: 'txt',
    zip: 'zip',
    php: 'php',
    go: 'go',
    rust: 'rs',
    ruby: 'rb',
    perl: 'pl',
    backup: 'bak',
    bak: 'bak',
    tmp: 'tmp',
    temp: 'tmp',
    conf: 'conf',
    sql: 'sql',
    iso: 'iso',
    tar: 'tar',
    gz: 'gz',
  };
  const m = /\b([a-z0-9+]+)\s+files?\b/i.exec(rest);
  const ext = m?.[1] ? extWords[m[1].toLowerCase()] : undefined;
  if (ext && !slots.some((s) => s.kind === 'ext')) slots.push({ kind: 'ext', value: ext });
  return slots;
}

function shellQuote(v: string): string {
  return /^[\w@%+=:,./~*-]+$/.test(v) && !v.includes('*') ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

/**
 * Moves the values of `query` into `cmd` (a command retrieved for `templateNl`): values the
 * template's description names and its command uses are swapped for the query's values of the
 * same kind, in order; extensions, sizes and ages are replaced by form.
 */
export function fillArguments(
  cmd: string,
  templateNl: string,
  query: string,
): { command: string; filled: number } {
  const from = extractSlots(templateNl);
  const to = extractSlots(query);
  let out = cmd;
  let filled = 0;
  const usedTo = new Set<Slot>();
  const kinds: SlotKind[] = ['quoted', 'path', 'file', 'number', 'port'];
  for (const kind of kinds) {
    const src = from.filter((s) => s.kind === kind && s.value.length > 0 && cmd.includes(s.value));
    const dst = to.filter(
      (s) =>
        (s.kind === kind || (kind === 'quoted' && (s.kind === 'file' || s.kind === 'path'))) &&
        !usedTo.has(s),
    );
    src.forEach((s, i) => {
      const d = dst[i];
      if (!d) return;
      usedTo.add(d);
      const quotedInCmd = new RegExp(`(["'])${escapeRe(s.value)}\\1`).test(out);
      out = out
        .split(s.value)
        .join(
          quotedInCmd
            ? d.value.replace(/'/g, '')
            : kind === 'number' || kind === 'port'
              ? d.value
              : shellQuoteLoose(d.value),
        );
      filled++;
    });
  }
  // a place named in words ("this directory", "my home") replaces the example's own paths
  if (!to.some((s) => s.kind === 'path')) {
    const place = /\b(?:my\s+home|home\s+(?:directory|folder|dir))\b/i.test(query)
      ? '~'
      : /\b(?:current|this|working)\s+(?:directory|folder|dir)\b|\bhere\b/i.test(query)
        ? '.'
        : null;
    if (place)
      for (const s of from)
        if (s.kind === 'path' && s.value.length > 1 && out.includes(s.value)) {
          out = out.split(s.value).join(place);
          filled++;
        }
  }
  const ext = to.find((s) => s.kind === 'ext');
  if (ext) {
    const re = /(\*\.)([A-Za-z0-9]{1,6})\b/g;
    if (re.test(out)) {
      out = out.replace(/(\*\.)([A-Za-z0-9]{1,6})\b/g, `$1${ext.value}`);
      filled++;
    }
  }
  const size = to.find((s) => s.kind === 'size');
  if (size?.norm) {
    const re = /-size\s+([+-]?)\d+[ckMGbw]?/;
    if (re.test(out)) {
      out = out.replace(re, (_m, sign: string) => `-size ${sign || '+'}${size.norm ?? ''}`);
      filled++;
    }
  }
  const days = to.find((s) => s.kind === 'days');
  if (days?.norm) {
    const re = /-(mtime|atime|ctime)\s+([+-]?)\d+/;
    if (re.test(out)) {
      out = out.replace(re, (_m, k: string, sign: string) => `-${k} ${sign}${days.norm ?? ''}`);
      filled++;
    }
  }
  return { command: out, filled };
}

function shellQuoteLoose(v: string): string {
  return shellQuote(v);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
