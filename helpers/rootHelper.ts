/**
 * ai-native-linux root helper: a D-Bus system service (org.ainl.Helper1) run by systemd
 * (systemd/ai-native-linux-helper.service). It runs the healing engine with the privileges it
 * needs and exposes typed, polkit-checked methods (see helperService.ts).
 *
 * Usage: rootHelper [--config FILE] [--audit-file FILE] [--no-polkit] [--help]
 */
import { readFileSync, appendFileSync, mkdirSync, writeFileSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { spawn } from 'node:child_process';
import { healingConfig, type HealingConfig } from '../src/shared/config/healing';
import { parseLenient } from '../src/services/config/lenient';
import { connectSystemBus, onBusEnd, type MessageBus } from '../src/services/healing/bus';
import { SystemdClient } from '../src/services/healing/systemd';
import { HealingEngine } from '../src/services/healing/engine';
import { HelperService, HELPER_BUS_NAME, type AuditRecord } from './helperService';

const USAGE = `Usage: ai-native-linux-helper [--config FILE] [--audit-file FILE] [--state-file FILE] [--no-polkit]

The AI-Native Linux root helper: a D-Bus system service (${HELPER_BUS_NAME}) that runs the
healing engine. Normally started by systemd (ai-native-linux-helper.service), not by hand.

Options:
  --config FILE      configuration (default /etc/ai-native-linux/config.json; its "healing" section)
  --audit-file FILE  append one JSON line per client call and healing action
                     (default $STATE_DIRECTORY/audit.jsonl when run by systemd, else none)
  --state-file FILE  policy state kept across restarts: gave-up, stopped, backoff, pause, recent actions
                     (default $STATE_DIRECTORY/state.json when run by systemd, else none)
  --no-polkit        refuse every non-root caller instead of asking polkit (for tests)
  --help             this text
Exit codes: 0 stopped cleanly, 1 failure (bus name taken, no system bus), 2 usage error.`;

interface Args {
  config: string;
  auditFile: string;
  stateFile: string;
  polkit: boolean;
}

function parseArgs(argv: string[]): Args {
  const out: Args = {
    config: '/etc/ai-native-linux/config.json',
    auditFile: process.env.STATE_DIRECTORY ? `${process.env.STATE_DIRECTORY.split(':')[0]}/audit.jsonl` : '',
    stateFile: process.env.STATE_DIRECTORY ? `${process.env.STATE_DIRECTORY.split(':')[0]}/state.json` : '',
    polkit: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) usage(`${a} needs a value`);
      return v as string;
    };
    if (a === '--help' || a === '-h') {
      process.stdout.write(USAGE + '\n');
      process.exit(0);
    } else if (a === '--config') out.config = value();
    else if (a === '--audit-file') out.auditFile = value();
    else if (a === '--state-file') out.stateFile = value();
    else if (a === '--no-polkit') out.polkit = false;
    else usage(`unknown option ${a}`);
  }
  return out;
}

function usage(msg: string): never {
  process.stderr.write(`ai-native-linux-helper: ${msg}\n${USAGE}\n`);
  process.exit(2);
}

function log(level: string, msg: string, fields?: Record<string, unknown>): void {
  // journald picks up stderr; <N> prefixes set the priority (SyslogLevelPrefix=yes by default)
  const prio = level === 'error' ? 3 : level === 'warn' ? 4 : level === 'debug' ? 7 : 6;
  process.stderr.write(`<${prio}>${msg}${fields ? ' ' + JSON.stringify(fields) : ''}\n`);
}

function loadHealingConfig(file: string): { config: HealingConfig; problems: string[] } {
  const problems: string[] = [];
  let section: unknown = {};
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      section = (parsed as Record<string, unknown>).healing ?? {};
    else problems.push(`${file}: top level must be a JSON object`);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') problems.push(`${file}: ${code ?? (err as Error).message}`);
  }
  const { value, problems: fp } = parseLenient(healingConfig, section);
  for (const p of fp) problems.push(`healing.${p.path}: ${p.message}`);
  return { config: value, problems };
}

/** Last journal lines of a unit, read as JSON (no text parsing); argv only, no shell. */
function journalLines(unit: string): Promise<string[]> {
  return new Promise((resolve) => {
    const child = spawn('journalctl', ['-u', unit, '-n', '10', '-o', 'json', '--no-pager', '-q'], {
      stdio: ['ignore', 'pipe', 'ignore'],
      shell: false,
    });
    let out = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      if (out.length < 256 * 1024) out += d;
    });
    child.on('error', () => resolve([]));
    child.on('close', () => {
      clearTimeout(timer);
      const lines: string[] = [];
      for (const l of out.split('\n')) {
        try {
          const rec = JSON.parse(l) as { MESSAGE?: unknown };
          if (typeof rec.MESSAGE === 'string') lines.push(rec.MESSAGE.slice(0, 500));
        } catch {
          /* skip */
        }
      }
      resolve(lines);
    });
  });
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const { config, problems } = loadHealingConfig(args.config);
  for (const p of problems) log('warn', `config: ${p}`);
  const busName = config.helperBusName || HELPER_BUS_NAME;

  const audit = (rec: AuditRecord | Record<string, unknown>): void => {
    const line = JSON.stringify(rec);
    log('info', `AUDIT ${line}`);
    if (args.auditFile) {
      try {
        mkdirSync(dirname(args.auditFile), { recursive: true, mode: 0o750 });
        appendFileSync(args.auditFile, line + '\n', { mode: 0o640 });
      } catch (err) {
        log('warn', `audit file: ${(err as Error).message}`);
      }
    }
  };

  const engine = new HealingEngine({ config, journal: journalLines, log: (m, f) => log('debug', m, f) });
  engine.on('action', (a) => audit({ ts: new Date(a.ts).toISOString(), type: 'healing', ...a }));
  engine.on('escalate', (e: { target: string; reason: string }) =>
    log('error', `gave up on ${e.target}: ${e.reason}`),
  );
  if (args.stateFile) {
    try {
      engine.importState(JSON.parse(readFileSync(args.stateFile, 'utf8')));
      log('info', `restored policy state from ${args.stateFile}`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        log('warn', `state file ignored: ${(err as Error).message}`);
    }
    let saveTimer: NodeJS.Timeout | null = null;
    const save = (): void => {
      saveTimer = null;
      try {
        const tmp = `${args.stateFile}.tmp`;
        writeFileSync(tmp, JSON.stringify(engine.exportState()), { mode: 0o600 });
        renameSync(tmp, args.stateFile);
      } catch (err) {
        log('warn', `cannot save state: ${(err as Error).message}`);
      }
    };
    // every decision changes policy state: save right away (coalesced), so a crash loses nothing
    engine.on('action', () => {
      if (!saveTimer) saveTimer = setTimeout(save, 20);
    });
  }
  const service = new HelperService(engine, { audit, usePolkit: args.polkit });
  engine.start();

  let stopping = false;
  let bus: MessageBus | null = null;
  let sd: SystemdClient | null = null;

  const connect = async (): Promise<void> => {
    const b = await connectSystemBus();
    const reply = await b.requestName(busName, 4 /* DO_NOT_QUEUE */);
    if (reply !== 1 /* PRIMARY_OWNER */ && reply !== 4 /* ALREADY_OWNER */) {
      b.disconnect();
      throw Object.assign(new Error(`bus name ${busName} is taken by another process`), { fatal: true });
    }
    const client = new SystemdClient(b);
    await client.subscribe();
    bus = b;
    sd = client;
    service.attach(b);
    await engine.attach(client);
    log('info', `ready: ${busName} on the system bus; ${config.targets.length} target(s) watched`);
    onBusEnd(b, (why) => {
      if (stopping) return;
      log('warn', `lost the system bus (${why}); reconnecting`);
      engine.detach(`D-Bus connection lost (${why}); reconnecting`);
      service.detach();
      client.dispose();
      sd = null;
      bus = null;
      void reconnect();
    });
  };

  const reconnect = async (): Promise<void> => {
    for (let delay = 250; !stopping; delay = Math.min(delay * 2, 5000)) {
      await new Promise((r) => setTimeout(r, delay));
      try {
        await connect();
        return;
      } catch (err) {
        if ((err as { fatal?: boolean }).fatal) {
          log('error', (err as Error).message);
          process.exit(1);
        }
        log('warn', `reconnect failed: ${(err as Error).message}`);
      }
    }
  };

  const stop = (sig: string): void => {
    if (stopping) return;
    stopping = true;
    log('info', `${sig}: stopping`);
    engine.dispose();
    service.detach();
    (sd as SystemdClient | null)?.dispose();
    try {
      (bus as MessageBus | null)?.disconnect();
    } catch {
      /* gone */
    }
    setTimeout(() => process.exit(0), 50).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  try {
    await connect();
  } catch (err) {
    log('error', `cannot start: ${(err as Error).message}`);
    process.exit(1);
  }
}

main().catch((err: unknown) => {
  log('error', `fatal: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
