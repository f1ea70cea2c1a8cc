/**
 * Offline, part-by-part explanation of a command line: programs (built-in dictionary, then the
 * system's `whatis` when man-db is installed), options (bundles split), subcommands, arguments,
 * redirections and operators, in source order.
 */
import { execFile, execFileSync } from 'node:child_process';
import { baseName, wordText } from '../bash/commands';
import { initBashParser, parseBash, type Node } from '../bash/parser';
import { checkCommandSync, type SafetyVerdict } from '../safety/check';
import { OPTIONS, PROGRAMS } from './dictionary';

export interface Part {
  text: string;
  kind: 'command' | 'option' | 'argument' | 'operator' | 'redirect' | 'assignment' | 'subcommand';
  explanation: string;
}

export interface Explanation extends SafetyVerdict {
  command: string;
  summary: string;
  parts: Part[];
}

const whatisCache = new Map<string, string | null>();

function runWhatis(name: string): string | null {
  try {
    const text = execFileSync('whatis', [name], {
      encoding: 'utf8',
      timeout: 500,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const line = text.split('\n').find((l) => l.startsWith(name));
    const m = line ? /\s-\s(.+)$/.exec(line) : null;
    return m?.[1]?.trim() ?? null;
  } catch {
    return null;
  }
}

/** The man page one-liner (`whatis`), if man-db is installed; cached, 500 ms limit. */
const WHATIS_NAME = /^[\w.+-]{1,64}$/;

function pendingWhatis(names: Iterable<string>): string[] {
  return [...new Set(names)].filter((n) => WHATIS_NAME.test(n) && !whatisCache.has(n));
}

/**
 * What a finished `whatis` run printed, or null when it did not finish (timed out, killed):
 * then nothing is cached and the names are asked again later. whatis exits non-zero when some
 * name has no page; its output for the others still counts, and a missing whatis means "none".
 */
function whatisOutput(err: unknown, stdout: unknown): string | null {
  if (!err) return typeof stdout === 'string' ? stdout : '';
  const e = err as { stdout?: unknown; signal?: unknown; killed?: unknown; code?: unknown };
  if (e.signal || e.killed) return null;
  if (e.code === 'ENOENT') return '';
  return typeof e.stdout === 'string' ? e.stdout : typeof stdout === 'string' ? stdout : '';
}

function rememberWhatis(todo: string[], text: string | null): void {
  if (text === null) return;
  const found = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^(\S+)\s+\([^)]*\)\s+-\s+(.+)$/.exec(line);
    if (m?.[1] && m[2] && !found.has(m[1])) found.set(m[1], m[2].trim());
  }
  for (const n of todo) whatisCache.set(n, found.get(n) ?? null);
}

/**
 * Looks up many names with one `whatis` run (a run costs tens of milliseconds, most of it start-up)
 * and caches the answers, including "none", so the explanations that follow cost no process.
 */
export function prefetchWhatis(names: Iterable<string>): void {
  const todo = pendingWhatis(names);
  if (todo.length === 0) return;
  try {
    rememberWhatis(
      todo,
      execFileSync('whatis', todo, { encoding: 'utf8', timeout: 1500, stdio: ['ignore', 'pipe', 'ignore'] }),
    );
  } catch (err) {
    rememberWhatis(todo, whatisOutput(err, undefined));
  }
}

/** The same without blocking: for warming the cache with the programs the engine knows. */
export async function prefetchWhatisAsync(names: Iterable<string>): Promise<void> {
  const todo = pendingWhatis(names);
  for (let k = 0; k < todo.length; k += 200) {
    const chunk = todo.slice(k, k + 200);
    const text = await new Promise<string | null>((resolve) => {
      execFile('whatis', chunk, { encoding: 'utf8', timeout: 10_000 }, (err, stdout) =>
        resolve(whatisOutput(err, stdout)),
      );
    });
    rememberWhatis(chunk, text);
  }
}

export function whatis(name: string): string | null {
  if (!/^[\w.+-]{1,64}$/.test(name)) return null;
  if (whatisCache.has(name)) return whatisCache.get(name) ?? null;
  const out = runWhatis(name);
  whatisCache.set(name, out);
  return out;
}

export function describeProgram(name: string): string | null {
  const base = baseName(name);
  if (base.startsWith('mkfs.')) return `build a ${base.slice(5)} file system`;
  return PROGRAMS[base] ?? whatis(base);
}

function describeOption(program: string, opt: string): string | null {
  const table = OPTIONS[program] ?? {};
  const all = OPTIONS['*'] ?? {};
  if (table[opt]) return table[opt] ?? null;
  const eq = opt.indexOf('=');
  if (eq > 0) {
    const key = opt.slice(0, eq);
    const d = table[key] ?? table[`${key}=`];
    if (d) return `${d} (${opt.slice(eq + 1)})`;
  }
  if (/^-[A-Za-z]{2,}$/.test(opt) && program !== 'find') {
    const letters = [...opt.slice(1)].map((ch) => {
      const d = table[`-${ch}`] ?? all[`-${ch}`];
      return d ? `-${ch}: ${d}` : `-${ch}`;
    });
    return letters.join('; ');
  }
  const m = /^(-[A-Za-z])(.+)$/.exec(opt);
  if (m?.[1] && table[m[1]] && program !== 'find') return `${table[m[1]] ?? ''} (${m[2] ?? ''})`;
  return all[opt] ?? null;
}

const SUBCOMMAND_PROGRAMS = new Set([
  'git',
  'systemctl',
  'apt',
  'apt-get',
  'dnf',
  'yum',
  'docker',
  'podman',
  'kubectl',
  'npm',
  'pip',
  'pip3',
  'snap',
  'flatpak',
  'journalctl',
  'ip',
  'service',
  'cargo',
  'go',
]);
const WRAPPERS = new Set([
  'sudo',
  'xargs',
  'nohup',
  'time',
  'nice',
  'env',
  'watch',
  'exec',
  'command',
  'doas',
  'stdbuf',
  'setsid',
]);
const VALUE_OPTIONS: Record<string, Set<string>> = {
  find: new Set([
    '-name',
    '-iname',
    '-type',
    '-size',
    '-mtime',
    '-atime',
    '-ctime',
    '-mmin',
    '-newer',
    '-maxdepth',
    '-mindepth',
    '-path',
    '-regex',
    '-user',
    '-group',
    '-perm',
    '-printf',
    '-newermt',
    '-links',
    '-inum',
    '-samefile',
    '-iregex',
    '-ipath',
    '-wholename',
  ]),
  grep: new Set(['-e', '-A', '-B', '-C', '-m', '-f']),
  head: new Set(['-n', '-c']),
  tail: new Set(['-n', '-c']),
  cut: new Set(['-d', '-f', '-c']),
  sort: new Set(['-k', '-t', '-o']),
  xargs: new Set(['-I', '-n', '-P', '-d', '-L']),
  sudo: new Set(['-u', '-g']),
  tar: new Set(['-f', '-C']),
  ssh: new Set(['-p', '-i', '-L', '-R']),
  curl: new Set(['-o', '-X', '-H', '-d', '-F', '-T', '-u']),
  journalctl: new Set(['-u', '-p', '-n', '--since']),
};

const REDIRECT_TEXT: Record<string, string> = {
  '>': 'writes the output to {t} (replacing its contents)',
  '>>': 'appends the output to {t}',
  '<': 'reads input from {t}',
  '&>': 'writes output and errors to {t}',
  '&>>': 'appends output and errors to {t}',
  '<<<': 'feeds the string as input',
  '<<': 'feeds the following lines (here-document) as input',
  '>&': 'sends the stream to {t}',
};

const OPERATORS: Record<string, string> = {
  '|': 'pipe: the output of the left side becomes the input of the right side',
  '|&': 'pipe output and errors to the next command',
  '&&': 'run the next command only if this one succeeded',
  '||': 'run the next command only if this one failed',
  ';': 'then run the next command',
  '&': 'run in the background',
};

function explainCommandNode(node: Node, parts: Part[]): void {
  let program = '';
  let prevOpt = '';
  let operandIndex = 0;
  let nextIsCommand = false;
  let outer = '';
  for (const c of node.children) {
    if (!c) continue;
    if (c.type === 'variable_assignment') {
      parts.push({
        text: c.text,
        kind: 'assignment',
        explanation: `sets the variable ${c.text.split('=')[0] ?? ''} for this command`,
      });
    } else if (c.type === 'command_name') {
      program = baseName(wordText(c.namedChildren[0] ?? c));
      parts.push({
        text: c.text,
        kind: 'command',
        explanation: describeProgram(program) ?? 'a program or script (no offline description)',
      });
    } else if (
      c.type === 'file_redirect' ||
      c.type === 'herestring_redirect' ||
      c.type === 'heredoc_redirect'
    ) {
      explainRedirect(c, parts);
    } else if (c.isNamed) {
      const text = wordText(c);
      if (nextIsCommand && !text.startsWith('-')) {
        nextIsCommand = false;
        program = baseName(text);
        operandIndex = 0;
        prevOpt = '';
        parts.push({
          text: c.text,
          kind: 'command',
          explanation: describeProgram(program) ?? 'a program or script (no offline description)',
        });
        continue;
      }
      if (outer === 'find' && (text === ';' || text === '+' || text === '{};' || text === '{}+')) {
        program = 'find';
        outer = '';
        parts.push({ text: c.text, kind: 'argument', explanation: 'end of the -exec command' });
        continue;
      }
      if (c.type === 'command_substitution' || c.type === 'process_substitution') {
        parts.push({
          text: c.text,
          kind: 'argument',
          explanation:
            c.type === 'command_substitution'
              ? 'replaced by the output of the inner command:'
              : "a file that streams the inner command's output:",
        });
        walk(c, parts);
        continue;
      }
      if (
        (text.startsWith('-') &&
          text.length > 1 &&
          (!/^-\d+$/.test(text) || describeOption(program, text) !== null)) ||
        (program === 'dd' && /^\w+=/.test(text))
      ) {
        const d =
          describeOption(program, program === 'dd' ? `${text.split('=')[0] ?? ''}=` : text) ??
          describeOption(program, text);
        parts.push({ text: c.text, kind: 'option', explanation: d ?? 'an option (see the manual)' });
        prevOpt = text;
        if (
          program === 'find' &&
          (text === '-exec' || text === '-execdir' || text === '-ok' || text === '-okdir')
        ) {
          prevOpt = '';
          nextIsCommand = true;
          outer = 'find';
        }
        continue;
      }
      if (prevOpt && (VALUE_OPTIONS[program]?.has(prevOpt) ?? false)) {
        parts.push({ text: c.text, kind: 'argument', explanation: `value for ${prevOpt}` });
        prevOpt = '';
        continue;
      }
      prevOpt = '';
      if (outer === 'find' && text === '{}') {
        parts.push({ text: c.text, kind: 'argument', explanation: 'the path of the found file' });
        continue;
      }
      if (operandIndex === 0 && WRAPPERS.has(program)) {
        program = baseName(text);
        parts.push({
          text: c.text,
          kind: 'command',
          explanation: describeProgram(program) ?? 'a program or script (no offline description)',
        });
        continue;
      }
      if (operandIndex === 0 && SUBCOMMAND_PROGRAMS.has(program)) {
        parts.push({ text: c.text, kind: 'subcommand', explanation: `${program} subcommand` });
      } else if (
        program === 'find' &&
        (text === '{}' || text === ';' || text === '+' || text === '{};' || text === '{}+')
      ) {
        parts.push({
          text: c.text,
          kind: 'argument',
          explanation: text.startsWith('{}')
            ? 'the found file name (end of -exec)'
            : 'end of the -exec command',
        });
      } else if (program === 'find' && operandIndex === 0) {
        parts.push({ text: c.text, kind: 'argument', explanation: 'where to start searching' });
      } else {
        parts.push({
          text: c.text,
          kind: 'argument',
          explanation: /^(\/|~|\.\.?\/|\.$)/.test(text) ? 'a path' : 'an argument',
        });
      }
      operandIndex++;
    }
  }
}

function explainRedirect(c: Node, parts: Part[]): void {
  let op = '';
  let fd = '';
  let target = '';
  for (const x of c.children) {
    if (!x) continue;
    if (x.type === 'file_descriptor') fd = x.text;
    else if (!x.isNamed) op += x.text;
    else if (!target) target = wordText(x);
  }
  let text = (REDIRECT_TEXT[op] ?? 'redirection').replace('{t}', target || 'a file');
  if (fd === '2' && target === '/dev/null') text = 'discards error messages';
  else if (fd === '2' && op === '>&' && target === '1') text = 'sends errors to the same place as the output';
  else if (target === '/dev/null') text = 'discards the output';
  else if (fd === '2') text = `errors: ${text}`;
  parts.push({ text: c.text, kind: 'redirect', explanation: text });
}

function walk(node: Node, parts: Part[]): void {
  for (const c of node.children) {
    if (!c) continue;
    if (c.type === 'command') {
      explainCommandNode(c, parts);
    } else if (
      !c.isNamed &&
      OPERATORS[c.type] &&
      (node.type === 'pipeline' ||
        node.type === 'list' ||
        node.type === 'program' ||
        node.type === 'compound_statement' ||
        node.type === 'subshell')
    ) {
      parts.push({ text: c.type, kind: 'operator', explanation: OPERATORS[c.type] ?? '' });
    } else if (
      c.type === 'file_redirect' ||
      c.type === 'herestring_redirect' ||
      c.type === 'heredoc_redirect'
    ) {
      explainRedirect(c, parts);
    } else if (c.isNamed) {
      walk(c, parts);
    }
  }
}

/** Requires initBashParser() to have resolved. */
export function explainSync(command: string): Explanation {
  const verdict = checkCommandSync(command);
  const parts: Part[] = [];
  if (command.trim()) {
    const tree = parseBash(command.slice(0, 20000));
    walk(tree.rootNode, parts);
    tree.delete();
  }
  const programs = parts.filter((p) => p.kind === 'command');
  let summary: string;
  if (programs.length === 0) summary = command.trim() ? 'no command found' : 'empty command';
  else if (programs.length === 1) summary = `${programs[0]?.text ?? ''}: ${programs[0]?.explanation ?? ''}`;
  else summary = `${programs.length} commands: ${programs.map((p) => p.text).join(', ')}`;
  if (verdict.risk !== 'safe') summary += ` — ${verdict.risk}: ${verdict.reasons[0] ?? ''}`;
  return { command, summary, parts, ...verdict };
}

export async function explain(command: string): Promise<Explanation> {
  await initBashParser();
  return explainSync(command);
}
