/** Starts the built `ainl serve` as a real child process with its own temp XDG dirs. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const repoRoot = join(import.meta.dirname, '..', '..');
export const cliPath = join(repoRoot, 'out', 'main', 'cli.js');

export interface ServeProcess {
  url: string;
  port: number;
  token: string;
  home: string;
  child: ChildProcess;
  stderr: () => string;
  stop(): Promise<void>;
}

export function requireBuild(): void {
  if (!existsSync(cliPath))
    throw new Error(`${cliPath} is missing: run "npm run build" before the integration tests`);
}

/** A fresh temporary home with every XDG directory and /etc/ai-native-linux inside it. */
export function isolatedEnv(prefix: string): { env: NodeJS.ProcessEnv; home: string } {
  const home = mkdtempSync(join(tmpdir(), prefix));
  return {
    home,
    env: {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: join(home, '.config'),
      XDG_DATA_HOME: join(home, '.local', 'share'),
      XDG_STATE_HOME: join(home, '.local', 'state'),
      XDG_RUNTIME_DIR: join(home, 'run'),
      AINL_SYSTEM_CONFIG_DIR: join(home, 'etc'),
    },
  };
}

export async function startServe(extraEnv: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  requireBuild();
  const iso = isolatedEnv('ainl-serve-');
  const home = iso.home;
  const env = { ...iso.env, ...extraEnv };
  const child = spawn(process.execPath, [cliPath, 'serve', '--port', '0', '--json'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    const rl = createInterface({ input: child.stdout! });
    const t = setTimeout(() => reject(new Error(`serve did not start: ${err}`)), 20_000);
    rl.once('line', (l) => {
      clearTimeout(t);
      resolve(l);
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  const info = JSON.parse(line) as { url: string; port: number };
  const token = new URL(info.url).searchParams.get('token') ?? '';
  return {
    url: info.url,
    port: info.port,
    token,
    home,
    child,
    stderr: () => err,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(home, { recursive: true, force: true });
    },
  };
}
