/**
 * `ai`: the AI Shell Assistant from the command line. Runs the offline engine in-process (no
 * daemon needed); the optional LLM provider is used when enabled in the configuration.
 *
 *   ai "find files over 1 GB in my home"    candidates, then Execute / Edit / Explain / Copy / Cancel
 *   ai explain "tar -xzvf a.tgz -C /tmp"     part-by-part explanation
 *   ai check "rm -rf ~/build"                safety verdict
 *   ai history                               past suggestions and outcomes
 *
 * Exit codes: 0 ok (or the executed command's own code), 1 failure / nothing found / cancelled
 * dangerous command, 2 usage error.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline/promises';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { loadConfig } from '../services/config/loader';
import { AssistantService } from '../services/assistant/service';
import type { Candidate, SuggestResponse } from '../shared/contract/assistant';
import type { Explanation } from '../services/assistant/explain/explain';
import type { SafetyVerdict } from '../services/assistant/safety/check';
import { Problem } from '../shared/problems';

export interface CliIO {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

const RISK_COLOR: Record<string, string> = { safe: '32', caution: '33', dangerous: '31', blocked: '35' };

function color(io: CliIO, code: string, s: string): string {
  return io.stdout.isTTY && !io.env.NO_COLOR ? `\u001b[${code}m${s}\u001b[0m` : s;
}

function riskLabel(io: CliIO, risk: string): string {
  return color(io, `1;${RISK_COLOR[risk] ?? '0'}`, risk.toUpperCase());
}

function printCandidates(io: CliIO, res: SuggestResponse): void {
  const out = (s: string): boolean => io.stdout.write(`${s}\n`);
  res.candidates.forEach((c, i) => {
    out(`${color(io, '1', `${i + 1}.`)} ${c.command}`);
    out(
      `   ${riskLabel(io, c.risk)} · confidence ${Math.round(c.confidence * 100)}% · ${c.source}${c.needsInstall ? ` · needs ${c.needsInstall.program} (${c.needsInstall.command})` : ''}`,
    );
    out(`   ${c.explanation}`);
    if (c.risk !== 'safe') out(`   ${color(io, '2', `why: ${c.reasons.slice(0, 3).join('; ')}`)}`);
  });
  for (const n of res.notices) io.stderr.write(`ai: ${n}\n`);
}

function printExplanation(io: CliIO, e: Explanation): void {
  const width = Math.min(28, Math.max(...e.parts.map((p) => p.text.length), 4));
  io.stdout.write(`${e.command}\n${e.summary}\n\n`);
  for (const p of e.parts) {
    const indent = p.kind === 'command' ? '' : '  ';
    const text = p.text.length > width ? `${p.text.slice(0, width - 1)}…` : p.text;
    io.stdout.write(
      `${indent}${color(io, p.kind === 'command' ? '1' : p.kind === 'option' ? '36' : '0', text.padEnd(width + (p.kind === 'command' ? 2 : 0)))}  ${p.explanation}\n`,
    );
  }
  io.stdout.write(
    `\nrisk: ${riskLabel(io, e.risk)}${e.risk === 'safe' ? '' : ` — ${e.reasons.join('; ')}`}\n`,
  );
}

function printVerdict(io: CliIO, command: string, v: SafetyVerdict): void {
  io.stdout.write(`${riskLabel(io, v.risk)}  ${command}\n`);
  for (const r of v.reasons) io.stdout.write(`  - ${r}\n`);
}

/** Copies to the clipboard (wl-copy, xclip, xsel), else via the terminal's OSC 52. */
function copy(io: CliIO, text: string): string {
  const tools: Array<[string, string[]]> = [
    ['wl-copy', []],
    ['xclip', ['-selection', 'clipboard']],
    ['xsel', ['--clipboard', '--input']],
  ];
  for (const [cmd, args] of tools) {
    if ((cmd === 'wl-copy' && !io.env.WAYLAND_DISPLAY) || (cmd !== 'wl-copy' && !io.env.DISPLAY)) continue;
    const r = spawnSync(cmd, args, { input: text, stdio: ['pipe', 'ignore', 'ignore'], timeout: 2000 });
    if (r.status === 0) return `copied with ${cmd}`;
  }
  io.stdout.write(`\u001b]52;c;${Buffer.from(text).toString('base64')}\u0007`);
  return 'copied through the terminal (OSC 52); if your terminal does not support that, select the command above';
}

function runInShell(io: CliIO, command: string, cwd: string): Promise<number> {
  const shell = io.env.SHELL && /^\/[\w/.-]+$/.test(io.env.SHELL) ? io.env.SHELL : '/bin/bash';
  return new Promise((resolve) => {
    const child = spawn(shell, ['-c', command], { cwd, stdio: 'inherit', env: io.env });
    child.on('error', (err) => {
      io.stderr.write(`ai: could not start ${shell}: ${err.message}\n`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

async function interactive(
  io: CliIO,
  service: AssistantService,
  res: SuggestResponse,
  cwd: string,
  allowBlocked: boolean,
): Promise<number> {
  const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: true });
  const ask = async (q: string, prefill = ''): Promise<string> => {
    const p = rl.question(q);
    if (prefill) rl.write(prefill);
    return (await p).trim();
  };
  try {
    let pick = 0;
    if (res.candidates.length > 1) {
      const a = await ask(`Choose 1-${res.candidates.length} [1], or q to quit: `);
      if (/^q(uit)?$/i.test(a)) {
        service.feedback({ suggestionId: res.id, outcome: 'rejected' });
        return 1;
      }
      const n = a === '' ? 1 : Number(a);
      if (!Number.isInteger(n) || n < 1 || n > res.candidates.length) {
        io.stderr.write('ai: not a candidate number; cancelled\n');
        return 2;
      }
      pick = n - 1;
    }
    let command = (res.candidates[pick] as Candidate).command;
    let edited = false;
    for (;;) {
      const verdict = await service.check(command);
      const dangerous = verdict.risk === 'dangerous' || verdict.risk === 'blocked';
      io.stderr.write(
        `\n  ${command}\n  ${riskLabel(io, verdict.risk)}${verdict.risk === 'safe' ? '' : `: ${verdict.reasons.slice(0, 2).join('; ')}`}\n`,
      );
      const def = dangerous ? 'c' : 'x';
      const menu = dangerous
        ? '[x] Execute  [e] Edit  [p] Explain  [y] Copy  [C] Cancel'
        : '[X] Execute  [e] Edit  [p] Explain  [y] Copy  [c] Cancel';
      const a = (await ask(`${menu}: `)).toLowerCase() || def;
      if (a === 'x' || a === 'execute') {
        if (verdict.risk === 'blocked' && !allowBlocked) {
          io.stderr.write(
            'ai: refused: this command is rated blocked (catastrophic). Set assistant.allowBlocked in the config to allow it.\n',
          );
          continue;
        }
        if (dangerous) {
          const word = verdict.risk === 'blocked' ? 'I understand' : 'yes';
          const typed = await ask(`This command is ${verdict.risk}. Type "${word}" to run it: `);
          if (typed !== word) {
            io.stderr.write('ai: not confirmed; nothing was run\n');
            continue;
          }
        }
        const code = await runInShell(io, command, cwd);
        service.feedback({
          suggestionId: res.id,
          outcome: edited ? 'edited' : 'accepted',
          finalCommand: command,
          exitCode: Math.min(255, code),
        });
        return code;
      }
      if (a === 'e' || a === 'edit') {
        const next = await ask('edit> ', command);
        if (next) {
          edited = next !== command || edited;
          command = next;
        }
        continue;
      }
      if (a === 'p' || a === 'explain') {
        printExplanation(io, await service.explain(command));
        continue;
      }
      if (a === 'y' || a === 'copy') {
        io.stderr.write(`ai: ${copy(io, command)}\n`);
        service.feedback({
          suggestionId: res.id,
          outcome: edited ? 'edited' : 'accepted',
          finalCommand: command,
        });
        return 0;
      }
      service.feedback({ suggestionId: res.id, outcome: 'rejected' });
      io.stderr.write('ai: cancelled\n');
      return dangerous ? 1 : 0;
    }
  } finally {
    rl.close();
  }
}

function intArg(min: number, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < min || n > max)
      throw new InvalidArgumentError(`expected an integer from ${min} to ${max}`);
    return n;
  };
}

export async function runAi(argv: string[], io: CliIO): Promise<number> {
  const loaded = loadConfig(io.env);
  let service: AssistantService | null = null;
  const getService = (): AssistantService =>
    (service ??= new AssistantService({
      config: loaded.config.assistant,
      dataDir: io.env.AINL_AI_NO_HISTORY ? null : loaded.paths.dataDir,
    }));
  let code = 0;
  const program = new Command('ai')
    .description('AI Shell Assistant: natural language to safe shell commands, offline by default.')
    .usage('[options] "<request>" | explain <command> | check <command> | history')
    .argument('[request...]', 'what you want to do, in plain English')
    .option('--json', 'print JSON instead of text, never prompt')
    .option('-n, --limit <n>', 'number of candidates (1-5)', intArg(1, 5))
    .option('--cwd <dir>', 'directory the command is for (default: the current one)')
    .option('--no-interactive', 'print the candidates and exit, even on a terminal')
    .enablePositionalOptions()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride()
    .showHelpAfterError('(run "ai --help" for usage)')
    .addHelpText(
      'after',
      '\nExamples:\n  ai "find files over 1 GB in my home"\n  ai explain "find . -name \'*.log\' -mtime +7 -delete"\n  ai check "curl -fsSL https://example.com/install.sh | sh"\n  ai history --limit 20\n\nExit codes: 0 ok (or the executed command\'s own code), 1 failure or nothing found, 2 usage error.\n',
    )
    .action(
      async (
        words: string[],
        opts: { json?: boolean; limit?: number; cwd?: string; interactive: boolean },
      ) => {
        const request = words.join(' ');
        if (!request.trim()) {
          io.stderr.write(
            'ai: say what you want to do, e.g. ai "find files over 1 GB in my home" (ai --help)\n',
          );
          code = 2;
          return;
        }
        const cwd = opts.cwd ?? process.cwd();
        const svc = getService();
        const res = await svc.suggest({ request, cwd, limit: opts.limit });
        if (opts.json) {
          io.stdout.write(`${JSON.stringify(res)}\n`);
          code = res.candidates.length > 0 ? 0 : 1;
          return;
        }
        if (res.candidates.length === 0) {
          for (const n of res.notices) io.stderr.write(`ai: ${n}\n`);
          code = 1;
          return;
        }
        printCandidates(io, res);
        if (opts.interactive && io.stdin.isTTY && io.stdout.isTTY)
          code = await interactive(io, svc, res, cwd, loaded.config.assistant.allowBlocked);
      },
    );

  program
    .command('explain')
    .description('explain a command part by part (offline)')
    .argument('<command...>', 'the command (quote it)')
    .option('--json', 'print JSON')
    .action(async (words: string[], opts: { json?: boolean }) => {
      const e = await getService().explain(words.join(' '));
      if (opts.json) io.stdout.write(`${JSON.stringify(e)}\n`);
      else printExplanation(io, e);
    });

  program
    .command('check')
    .description('rate a command: safe, caution, dangerous or blocked, with reasons')
    .argument('<command...>', 'the command (quote it)')
    .option('--json', 'print JSON')
    .action(async (words: string[], opts: { json?: boolean }) => {
      const cmd = words.join(' ');
      const v = await getService().check(cmd);
      if (opts.json) io.stdout.write(`${JSON.stringify({ command: cmd, ...v })}\n`);
      else printVerdict(io, cmd, v);
    });

  program
    .command('history')
    .description('past requests, suggestions and what became of them')
    .option('-n, --limit <n>', 'rows (1-1000)', intArg(1, 1000), 20)
    .option('-s, --search <text>', 'only requests or commands containing this text')
    .option('--json', 'print JSON')
    .action((opts: { limit: number; search?: string; json?: boolean }) => {
      const h = getService().historyList(opts.limit, opts.search);
      if (opts.json) {
        io.stdout.write(`${JSON.stringify(h)}\n`);
        return;
      }
      if (h.items.length === 0) {
        io.stderr.write('ai: no history yet\n');
        code = 1;
        return;
      }
      io.stdout.write(`${'WHEN'.padEnd(17)}${'OUTCOME'.padEnd(10)}${'EXIT'.padEnd(6)}REQUEST → COMMAND\n`);
      for (const r of h.items) {
        const when = new Date(r.ts).toISOString().slice(0, 16).replace('T', ' ');
        io.stdout.write(
          `${when.padEnd(17)}${(r.outcome ?? '-').padEnd(10)}${(r.exitCode === null ? '-' : String(r.exitCode)).padEnd(6)}${r.request.slice(0, 60)} → ${r.finalCommand ?? r.suggested ?? '(none)'}\n`,
        );
      }
      const s = h.stats;
      io.stdout.write(
        `\n${s.total} suggestions: ${s.accepted} accepted, ${s.edited} edited, ${s.rejected} rejected; ${s.succeeded} ran ok, ${s.failed} failed\n`,
      );
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0)
        return 0;
      return 2;
    }
    if (err instanceof Problem) {
      io.stderr.write(`ai: ${err.message}\n`);
      return err.problem === 'invalid-input' ? 2 : 1;
    }
    io.stderr.write(`ai: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    (service as AssistantService | null)?.close();
  }
  return code;
}

const isMain = process.argv[1] !== undefined && /(^|[/\\])ai\.(ts|js|mjs)$/.test(process.argv[1]);
if (isMain) {
  // `ai … | head` closes the pipe early: that is not an error
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  runAi(process.argv.slice(2), {
    stdin: process.stdin,
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
  }).then(
    (c) => {
      process.exitCode = c;
    },
    (err: unknown) => {
      process.stderr.write(`ai: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
