/**
 * "Install system helper" / "Uninstall" for the AppImage: the same system integration the .deb's
 * postinst installs (resources/deb/ainl-integration), run once as root through pkexec.
 *
 * An AppImage is a FUSE mount that root cannot read (no allow_other), so the app directory is
 * first copied, as the user, to a private directory under /var/tmp; the integration script then
 * copies it to /opt/ai-native-linux as root and installs everything from there. Uninstall runs the
 * installed copy of the script (/usr/lib/ai-native-linux/ainl-integration).
 */
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, accessSync, constants } from 'node:fs';
import { join, delimiter } from 'node:path';
import { Problem } from '../../shared/problems';
import type { InstallFlavor, InstallResult, InstallStatus } from '../../shared/contract/install';

export const MANIFEST = '/var/lib/ai-native-linux/manifest';
export const INSTALLED_SCRIPT = '/usr/lib/ai-native-linux/ainl-integration';
export const HELPER_UNIT = 'ai-native-linux-helper.service';
const DEB_APP_DIR = '/opt/ai-native-linux';

export interface InstallerOptions {
  env?: NodeJS.ProcessEnv;
  /** staged root for tests (the integration script's AINL_ROOT); '' = the real system */
  root?: string;
  /** the elevation command; default: pkexec from PATH (env AINL_PKEXEC overrides) */
  pkexec?: string;
  /** where the app directory is copied before elevation; default /var/tmp */
  stagingParent?: string;
  /** `systemctl is-active` replacement for tests; default spawns systemctl */
  helperState?: () => Promise<string | null>;
  timeoutMs?: number;
}

interface Manifest {
  mode: 'deb' | 'appimage' | 'manual' | null;
  appDir: string | null;
  files: string[];
}

export function parseManifest(text: string): Manifest {
  const out: Manifest = { mode: null, appDir: null, files: [] };
  for (const line of text.split('\n')) {
    const [kind, value] = line.trim().split(/\s+/);
    if (!kind || !value) continue;
    if (kind === 'mode' && (value === 'deb' || value === 'appimage' || value === 'manual')) out.mode = value;
    else if (kind === 'app') out.appDir = value;
    else if (kind === 'file' || kind === 'link') out.files.push(value);
  }
  return out;
}

function which(cmd: string, env: NodeJS.ProcessEnv): string | null {
  if (cmd.includes('/')) return existsSync(cmd) ? cmd : null;
  for (const dir of (env.PATH ?? '/usr/bin:/bin').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, cmd);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* not here */
    }
  }
  return null;
}

interface RunResult {
  code: number | null;
  output: string;
}

function run(argv: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const [cmd, ...args] = argv as [string, ...string[]];
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'], shell: false });
    let output = '';
    const take = (d: Buffer): void => {
      if (output.length < 64 * 1024) output += d.toString('utf8');
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (timedOut)
        reject(new Problem('timeout', `${cmd} did not finish within ${Math.round(timeoutMs / 1000)} s`));
      else resolve({ code, output });
    });
  });
}

export class SystemInstaller {
  private readonly env: NodeJS.ProcessEnv;
  private readonly root: string;
  private readonly timeoutMs: number;
  private busy = false;

  constructor(private readonly opts: InstallerOptions = {}) {
    this.env = opts.env ?? process.env;
    this.root = (opts.root ?? '').replace(/\/$/, '');
    this.timeoutMs = opts.timeoutMs ?? 10 * 60_000;
  }

  /** How this copy of the app runs. */
  flavor(): InstallFlavor {
    if (this.env.APPIMAGE && this.env.APPDIR) return 'appimage';
    const rp = (process as { resourcesPath?: string }).resourcesPath;
    if (rp && rp.startsWith(`${DEB_APP_DIR}/`)) return 'deb';
    return 'source';
  }

  private pkexec(): string | null {
    return which(this.opts.pkexec ?? this.env.AINL_PKEXEC ?? 'pkexec', this.env);
  }

  private async helperState(): Promise<string | null> {
    if (this.opts.helperState) return this.opts.helperState();
    if (this.root || !existsSync('/run/systemd/system')) return null;
    try {
      const r = await run(['systemctl', 'is-active', HELPER_UNIT], this.env, 5000);
      return r.output.trim().split('\n')[0] || null;
    } catch {
      return null;
    }
  }

  async status(): Promise<InstallStatus> {
    let m: Manifest = { mode: null, appDir: null, files: [] };
    try {
      m = parseManifest(readFileSync(this.root + MANIFEST, 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new Problem('internal-error', `cannot read ${MANIFEST}: ${(err as Error).message}`);
    }
    const installed = m.mode !== null;
    const missing = installed
      ? m.files.filter((f) => !lstatSync(this.root + f, { throwIfNoEntry: false }))
      : [];
    const flavor = this.flavor();
    let reason = '';
    if (flavor === 'deb')
      reason = 'installed by the .deb package: its own scripts manage the system helper (apt install/remove)';
    else if (flavor === 'source')
      reason = 'not running from an AppImage: see docs/install.md for a manual install';
    else if (!this.pkexec())
      reason = 'pkexec is not installed (sudo apt install pkexec), or install by hand: see docs/install.md';
    else if (installed && m.mode === 'deb')
      reason = 'the system helper belongs to the .deb package: remove it with apt';
    return {
      installed,
      mode: m.mode,
      appDir: m.appDir,
      helperState: installed ? await this.helperState() : null,
      missing,
      flavor,
      canInstall: reason === '',
      reason,
    };
  }

  private async guard(): Promise<string> {
    const st = await this.status();
    if (!st.canInstall) throw new Problem('unavailable', st.reason);
    if (this.busy) throw new Problem('unavailable', 'an install or uninstall is already running');
    return this.pkexec() as string;
  }

  private async elevated(pkexec: string, argv: string[]): Promise<string> {
    let r: RunResult;
    try {
      r = await run([pkexec, ...argv], this.env, this.timeoutMs);
    } catch (err) {
      if (err instanceof Problem) throw err;
      throw new Problem('unavailable', `cannot run ${pkexec}: ${(err as Error).message}`);
    }
    // pkexec: 126 = not authorized or the dialog was dismissed, 127 = cannot authenticate
    if (r.code === 126 || r.code === 127)
      throw new Problem('access-denied', 'not authorized: the administrator password was not given');
    if (r.code !== 0) {
      const last = r.output.trim().split('\n').filter(Boolean).pop() ?? '';
      throw new Problem(
        'internal-error',
        `the installer failed (exit ${r.code ?? 'signal'})${last ? `: ${last}` : ''}`,
      );
    }
    return r.output;
  }

  /** Copies the AppImage's app directory (root cannot read the FUSE mount), then installs as root. */
  async install(): Promise<InstallResult> {
    const pkexec = await this.guard();
    const appDir = this.env.APPDIR as string;
    if (
      !existsSync(join(appDir, 'ai-native-linux')) ||
      !existsSync(join(appDir, 'resources', 'resources', 'deb', 'ainl-integration'))
    ) {
      throw new Problem(
        'not-found',
        `${appDir} does not look like the AI-Native Linux AppImage (no resources/resources/deb/ainl-integration)`,
      );
    }
    this.busy = true;
    const staging = mkdtempSync(join(this.opts.stagingParent ?? '/var/tmp', 'ai-native-linux-install-'));
    try {
      const copy = join(staging, 'app');
      const cp = await run(['cp', '-a', appDir, copy], this.env, this.timeoutMs);
      if (cp.code !== 0) throw new Problem('internal-error', `cannot copy ${appDir}: ${cp.output.trim()}`);
      const script = join(copy, 'resources', 'resources', 'deb', 'ainl-integration');
      const output = await this.elevated(pkexec, [
        '/bin/sh',
        script,
        'install',
        '--copy-from',
        copy,
        '--mode',
        'appimage',
      ]);
      return { status: await this.status(), output };
    } finally {
      rmSync(staging, { recursive: true, force: true });
      this.busy = false;
    }
  }

  async uninstall(purge: boolean): Promise<InstallResult> {
    const pkexec = await this.guard();
    const st = await this.status();
    if (!st.installed) throw new Problem('not-found', 'the system helper is not installed');
    const script = this.root + INSTALLED_SCRIPT;
    if (!existsSync(script))
      throw new Problem(
        'not-found',
        `${INSTALLED_SCRIPT} is missing: reinstall first, or remove the files by hand (docs/install.md)`,
      );
    this.busy = true;
    try {
      const output = await this.elevated(pkexec, [
        '/bin/sh',
        script,
        'uninstall',
        ...(purge ? ['--purge'] : []),
      ]);
      return { status: await this.status(), output };
    } finally {
      this.busy = false;
    }
  }
}
