/**
 * Turns a tree-sitter-bash tree into the simple commands it would run: every `command` node
 * anywhere (lists, pipelines, subshells, functions, `$(…)`, `<(…)`, conditions, loops), with its
 * unquoted words, its redirections and the pipeline it sits in. Both the safety checker and the
 * NLC2CMD metric build on this.
 */
import { initBashParser, parseBash, type Node } from './parser';

export interface Redirect {
  /** '>', '>>', '<', '&>', '&>>', '>|', '<<', '<<<', '>&', '<&' … */
  op: string;
  fd: string | null;
  target: string;
}

export interface SimpleCommand {
  /** Position in pre-order over the whole input. */
  index: number;
  /** The command word, unquoted (e.g. `rm`, `/usr/bin/rm`, `$CMD`). */
  name: string;
  /** The arguments after the name, unquoted best-effort. */
  args: string[];
  /** Raw source text of each argument. */
  rawArgs: string[];
  /** Leading VAR=value assignments. */
  assignments: string[];
  redirects: Redirect[];
  /** Index of the command whose argument (`$(…)`, `<(…)`) contains this one; -1 at top level. */
  parent: number;
  /** Pipeline membership: same id for commands of one pipeline, position within it. */
  pipeline: { id: number; position: number; length: number } | null;
  /** True when the name or an argument is built from an expansion ($VAR, $(…)) we cannot see through. */
  dynamicName: boolean;
  text: string;
}

export interface ParsedScript {
  commands: SimpleCommand[];
  /** Redirections on compound statements (`{ …; } > /dev/sda`), attributed to no single command. */
  looseRedirects: Redirect[];
  hasError: boolean;
  /** Node types we met that are not modelled command by command (e.g. function definitions). */
  notes: string[];
}

/** Unquotes one word-like node: strings lose their quotes, backslash escapes are resolved. */
export function wordText(node: Node): string {
  switch (node.type) {
    case 'raw_string':
      return node.text.slice(1, -1);
    case 'ansi_c_string':
      return node.text
        .slice(2, -1)
        .replace(/\\n/g, '\n')
        .replace(/\\t/g, '\t')
        .replace(/\\x([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)))
        .replace(/\\(.)/g, '$1');
    case 'string': {
      const t = node.text;
      const inner = t.startsWith('$"') ? t.slice(2, -1) : t.slice(1, -1);
      return inner.replace(/\\([$`"\\\n])/g, '$1');
    }
    case 'word':
    case 'number':
      return node.text.replace(/\\(.)/g, '$1');
    case 'concatenation':
      return node.children.map((c) => (c ? wordText(c) : '')).join('');
    default:
      return node.text;
  }
}

function hasDynamic(node: Node): boolean {
  if (
    [
      'simple_expansion',
      'expansion',
      'command_substitution',
      'process_substitution',
      'arithmetic_expansion',
    ].includes(node.type)
  )
    return true;
  if (node.type === 'raw_string') return false;
  return node.namedChildren.some((c) => c !== null && hasDynamic(c));
}

function redirectOf(node: Node): Redirect {
  let op = '';
  let fd: string | null = null;
  let target = '';
  for (const c of node.children) {
    if (!c) continue;
    if (c.type === 'file_descriptor') fd = c.text;
    else if (!c.isNamed) op += c.text;
    else if (node.type === 'heredoc_redirect' && c.type === 'heredoc_body') target = c.text;
    else if (!target) target = wordText(c);
  }
  if (node.type === 'herestring_redirect') op = op || '<<<';
  if (node.type === 'heredoc_redirect') op = op.startsWith('<<') ? op : '<<';
  return { op: op.trim(), fd, target };
}

export function extractCommands(source: string): ParsedScript {
  const tree = parseBash(source);
  const commands: SimpleCommand[] = [];
  const looseRedirects: Redirect[] = [];
  const notes = new Set<string>();
  let pipelineSeq = 0;

  const visit = (node: Node, parent: number, pipe: SimpleCommand['pipeline']): void => {
    switch (node.type) {
      case 'command':
      case 'declaration_command':
      case 'unset_command': {
        const cmd: SimpleCommand = {
          index: commands.length,
          name: '',
          args: [],
          rawArgs: [],
          assignments: [],
          redirects: [],
          parent,
          pipeline: pipe,
          dynamicName: false,
          text: node.text,
        };
        commands.push(cmd);
        const nested: Node[] = [];
        if (node.type !== 'command') {
          cmd.name = node.children[0]?.text ?? node.type;
        }
        for (const c of node.children) {
          if (!c) continue;
          if (node.type !== 'command' && c === node.children[0]) continue;
          if (c.type === 'variable_assignment') {
            if (node.type === 'command' && !cmd.name) cmd.assignments.push(c.text);
            else {
              cmd.args.push(c.text);
              cmd.rawArgs.push(c.text);
            }
            nested.push(c);
          } else if (c.type === 'command_name') {
            const w = c.namedChildren[0] ?? c;
            cmd.name = wordText(w);
            cmd.dynamicName = hasDynamic(c);
            nested.push(c);
          } else if (
            c.type === 'file_redirect' ||
            c.type === 'herestring_redirect' ||
            c.type === 'heredoc_redirect'
          ) {
            cmd.redirects.push(redirectOf(c));
            nested.push(c);
          } else if (c.isNamed) {
            cmd.args.push(wordText(c));
            cmd.rawArgs.push(c.text);
            nested.push(c);
          }
        }
        for (const n of nested) visit(n, cmd.index, null);
        return;
      }
      case 'pipeline': {
        const parts = node.namedChildren.filter((c): c is Node => c !== null && c.type !== 'comment');
        const id = ++pipelineSeq;
        parts.forEach((c, position) => visit(c, parent, { id, position, length: parts.length }));
        return;
      }
      case 'redirected_statement': {
        const body = node.childForFieldName('body');
        const before = commands.length;
        if (body) visit(body, parent, pipe);
        const reds = node.children.filter(
          (c): c is Node =>
            c !== null &&
            (c.type === 'file_redirect' || c.type === 'herestring_redirect' || c.type === 'heredoc_redirect'),
        );
        const target =
          body && (body.type === 'command' || body.type === 'declaration_command')
            ? commands[before]
            : undefined;
        for (const r of reds) {
          const red = redirectOf(r);
          if (target) target.redirects.push(red);
          else looseRedirects.push(red);
          for (const c of r.namedChildren) if (c) visit(c, parent, null);
        }
        return;
      }
      case 'function_definition':
        notes.add('function definition');
        break;
      case 'ERROR':
        notes.add('syntax error');
        break;
      default:
        break;
    }
    for (const c of node.namedChildren)
      if (c) visit(c, parent, pipe && node.type === 'negated_command' ? pipe : null);
  };

  visit(tree.rootNode, -1, null);
  const hasError = tree.rootNode.hasError;
  tree.delete();
  return { commands, looseRedirects, hasError, notes: [...notes] };
}

export async function extractCommandsAsync(source: string): Promise<ParsedScript> {
  await initBashParser();
  return extractCommands(source);
}

/** The last path component: `/usr/bin/rm` → `rm`, `\rm` → `rm`. */
export function baseName(name: string): string {
  const n = name.replace(/^\\/, '');
  const i = n.lastIndexOf('/');
  return i >= 0 ? n.slice(i + 1) : n;
}
