/**
 * `ainl`: the app's command line. `serve` runs the headless/remote UI on loopback, `daemon` the
 * background services without a desktop, `status` and `config` answer from this machine.
 */
import { Command, InvalidArgumentError } from 'commander';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_NAME, APP_VERSION } from '../shared/version';
import { loadConfig } from '../services/config/loader';
import { redactConfig } from '../services/config/secrets';
import { SECRET_KEY_PATHS } from '../shared/config/secrets';
import { createStack } from '../services/core/stack';
import { startServe } from '../server/serve';
import { readOverview } from '../services/system/overview';
import { formatBytes, formatDuration } from './format';
import { addFleetCommands } from './fleet';

const here = dirname(fileURLToPath(import.meta.url));

function fail(message: string, code = 1): never {
  process.stderr.write(`ainl: ${message}\n`);
  process.exit(code);
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('a port is an integer 0–65535');
  return n;
}

function openInBrowser(url: string): boolean {
  for (const cmd of ['xdg-open', 'sensible-browser']) {
    const found = (process.env.PATH ?? '').split(':').some((d) => d && existsSync(join(d, cmd)));
    if (!found) continue;
    const child = spawn(cmd, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
    return true;
  }
  return false;
}

async function serve(opts: { port?: number; open?: boolean; json?: boolean }): Promise<void> {
  const rendererDir = join(here, '..', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    fail(`the renderer is not built (${rendererDir}); run "npm run build" first`);
  }
  if (!existsSync(join(here, 'background.js')))
    fail(`the background host is not built (${here}); run "npm run build"`);
  const loaded = loadConfig();
  const backend = createStack({
    hostsDir: here,
    transport: 'websocket',
    configProblems: () => loaded.problems,
  });
  const port = opts.port ?? loaded.config.serve.port;
  let handle;
  try {
    handle = await startServe({
      backend,
      rendererDir,
      port,
      log: (l) => process.stderr.write(`ainl serve: ${l}\n`),
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE')
      fail(`port ${port} is already in use; pick another with --port or use --port 0`);
    if (e.code === 'EACCES') fail(`not allowed to listen on port ${port}; use a port above 1023`);
    fail(`cannot start the server: ${e.message}`);
  }
  // handlers before the URL is announced, so a stop right after it is clean
  const server = handle;
  const stop = async (): Promise<void> => {
    process.stderr.write('ainl: stopping\n');
    await server.close();
    await backend.dispose();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  for (const p of loaded.problems)
    process.stderr.write(`ainl: config: ${p.source}: ${p.path}: ${p.message}\n`);
  if (opts.json) {
    process.stdout.write(JSON.stringify({ url: handle.url, port: handle.port, pid: process.pid }) + '\n');
  } else {
    process.stdout.write(
      `${APP_NAME} ${APP_VERSION} is serving on 127.0.0.1 only.\nOpen: ${handle.url}\nStop with Ctrl+C.\n`,
    );
  }
  if (opts.open && !openInBrowser(handle.url)) {
    process.stderr.write('ainl: no xdg-open on this machine; open the URL above in a browser\n');
  }
  // start the background host now so the first page load is fast
  void backend.invoke('system:overview', {}).catch(() => undefined);
}

async function daemon(): Promise<void> {
  // signal handlers first: a stop request during start-up (or right after the "running" line) is
  // honoured once the services are up, instead of killing the process half-way
  let composed: { dispose(): Promise<void> } | null = null;
  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    while (!composed) await new Promise((r) => setTimeout(r, 20));
    await composed.dispose();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  // loaded on demand: the services pull in SQLite, D-Bus and the parser, which `--help` never needs
  const { composeServices } = await import('../hosts/runtime');
  const { backgroundServices } = await import('../hosts/backgroundServices');
  const services = await composeServices('daemon', backgroundServices, () => undefined);
  composed = services;
  if (stopping) return;
  process.stderr.write(
    `ainl daemon: running ${services.modules.map((m) => m.name).join(', ')} (pid ${process.pid})\n`,
  );
}

async function status(opts: { json?: boolean }): Promise<void> {
  const o = await readOverview();
  const loaded = loadConfig();
  if (opts.json) {
    process.stdout.write(JSON.stringify({ overview: o, configProblems: loaded.problems }, null, 2) + '\n');
    return;
  }
  const lines = [
    `${o.hostname} — ${o.distro}`,
    `kernel   ${o.kernel} (${o.arch})`,
    `uptime   ${formatDuration(o.uptimeSeconds)}`,
    `cpu      ${o.cpu.model}, ${o.cpu.cores} threads / ${o.cpu.physicalCores} cores`,
    `memory   ${formatBytes(o.memory.availableBytes)} available of ${formatBytes(o.memory.totalBytes)}`,
    ...o.disks.map(
      (d) =>
        `disk     ${d.mount.padEnd(14)} ${String(d.usePercent).padStart(5)}% of ${formatBytes(d.sizeBytes)} (${d.type})`,
    ),
  ];
  for (const p of loaded.problems) lines.push(`config   problem in ${p.source}: ${p.path}: ${p.message}`);
  process.stdout.write(lines.join('\n') + '\n');
}

/**
 * The effective configuration. Secrets are left out as `config:get` leaves them out (the API key
 * removed, `user:password@` stripped from URLs, probe URLs included), with which ones are set;
 * `--show-secrets` prints everything as loaded.
 */
const isSecretKey = (path: string): boolean => (SECRET_KEY_PATHS as readonly string[]).includes(path);

function config(opts: { json?: boolean; showSecrets?: boolean }): void {
  const loaded = loadConfig();
  if (loaded.problems.length) process.exitCode = 1;
  const redacted = opts.showSecrets ? null : redactConfig(loaded.config);
  const secrets = redacted && {
    ...redacted.secrets,
    ...Object.fromEntries(redacted.probeCredentials.map((path) => [path, true])),
  };
  if (opts.json) {
    const out = redacted ? { ...loaded, config: redacted.config, secrets } : loaded;
    process.stdout.write(JSON.stringify(out, null, 2) + '\n');
    return;
  }
  process.stdout.write(
    `files read: ${loaded.sources.length ? loaded.sources.join(', ') : '(none: all defaults)'}\n`,
  );
  for (const p of loaded.problems) process.stdout.write(`problem: ${p.source}: ${p.path}: ${p.message}\n`);
  if (secrets) {
    const said = Object.entries(secrets).map(([path, set]) =>
      isSecretKey(path)
        ? `${path} ${set ? 'set' : 'not set'}`
        : `${path} ${set ? 'has' : 'has no'} user:password@`,
    );
    process.stdout.write(`secrets (not shown; --show-secrets prints them): ${said.join(', ')}\n`);
  }
  process.stdout.write(JSON.stringify(redacted ? redacted.config : loaded.config, null, 2) + '\n');
}

const program = new Command('ainl')
  .description(`${APP_NAME}: a machine that explains and heals itself`)
  .version(APP_VERSION, '-V, --version')
  .showHelpAfterError('(run "ainl --help" for usage)')
  .configureOutput({ writeErr: (s) => process.stderr.write(s) })
  // usage errors exit 2, help and version 0
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : 2));

program
  .command('serve')
  .description('serve the UI and API on 127.0.0.1 for a browser (headless machines, remote via ssh -L)')
  .option('-p, --port <port>', 'port to listen on (0 = any free port)', parsePort)
  .option('--open', 'open the URL in the default browser')
  .option('--json', 'print {url, port, pid} as JSON instead of text')
  .action(serve);

program
  .command('daemon')
  .description('run the background services (Quest Log, monitor, assistant) without a desktop')
  .action(daemon);

program
  .command('status')
  .description('show this machine at a glance')
  .option('--json', 'JSON output')
  .action(status);

program
  .command('config')
  .description(
    'show the effective configuration and any problems in it (exit 1 if any); secrets are not shown',
  )
  .option('--json', 'JSON output')
  .option(
    '--show-secrets',
    'print secrets in full: the assistant API key and the user:password@ of URLs (webhook, LLM endpoint, HTTP probes)',
  )
  .action(config);

addFleetCommands(program);

program
  .parseAsync(process.argv)
  .catch((err: unknown) => fail(err instanceof Error ? err.message : String(err)));
