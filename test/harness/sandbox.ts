/**
 * The project's real-systemd test harness: boots the distribution's systemd as PID 1 of private
 * PID/mount/UTS/IPC/cgroup namespaces over a copy-on-write view of the host root (see
 * pid1-setup.sh), exposes its system bus socket to the host, runs commands inside with nsenter,
 * and stops and cleans up. Nothing it does reaches the host's /etc, /var or /run.
 *
 *   const sb = await Sandbox.start();          // throws SandboxUnavailable with the reason
 *   await sb.exec(['systemctl', 'start', 'x.service']);
 *   process.env.DBUS_SYSTEM_BUS_ADDRESS = sb.busAddress;
 *   await sb.stop();
 *
 * CLI: tsx test/harness/sandbox.ts check   (prints why a sandbox can or cannot start here)
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  mkdtempSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
  existsSync,
  rmSync,
  statfsSync,
  rmdirSync,
  readdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const SETUP = join(HERE, 'pid1-setup.sh');
const CGROUP2_MAGIC = 0x63677270;
const INSIDE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export class SandboxUnavailable extends Error {}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function cgroup2Root(): string | null {
  for (const d of ['/sys/fs/cgroup', '/sys/fs/cgroup/unified']) {
    try {
      if (statfsSync(d).type === CGROUP2_MAGIC) return d;
    } catch {
      /* not there */
    }
  }
  return null;
}

function alive(pid: number): boolean {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return s.slice(s.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Why a sandbox cannot start on this machine, or null if it can. */
export function unavailableReason(): string | null {
  if (process.platform !== 'linux') return 'not Linux';
  if (typeof process.getuid !== 'function' || process.getuid() !== 0)
    return 'needs root (namespaces, mounts, cgroups)';
  for (const tool of ['unshare', 'nsenter', 'setpriv']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0)
      return `${tool} (util-linux) not installed`;
  }
  if (!existsSync('/lib/systemd/systemd')) return 'systemd is not installed (/lib/systemd/systemd)';
  if (!existsSync('/usr/bin/dbus-daemon') && !existsSync('/usr/bin/dbus-broker'))
    return 'no D-Bus daemon installed';
  if (!cgroup2Root()) return 'no cgroup2 hierarchy at /sys/fs/cgroup';
  try {
    if (readFileSync('/proc/1/comm', 'utf8').trim() === 'systemd')
      return 'PID 1 is systemd here: this harness is for CI VMs/containers without systemd (use systemd-nspawn locally)';
  } catch {
    /* unknown */
  }
  const probe = spawnSync('unshare', ['--pid', '--mount', '--fork', 'true'], { timeout: 5000 });
  if (probe.status !== 0)
    return `cannot create namespaces: ${probe.stderr?.toString().trim() || 'unshare failed'}`;
  return null;
}

export class Sandbox {
  private constructor(
    readonly dir: string,
    readonly pid1: number,
    private readonly launcher: number,
    private readonly cgroup: string,
  ) {}

  get busAddress(): string {
    return `unix:path=${join(this.dir, 'bus', 'system_bus_socket')}`;
  }

  /** Host path of a directory that is /ainl-share inside. */
  get share(): string {
    return join(this.dir, 'share');
  }

  /**
   * opts.bind: host directories to keep visible inside even where the sandbox mounts a fresh
   * tmpfs (/tmp, /run) — e.g. a source checkout under /tmp. Paths with spaces are not supported.
   */
  static async start(opts: { timeoutMs?: number; bind?: string[] } = {}): Promise<Sandbox> {
    const why = unavailableReason();
    if (why) throw new SandboxUnavailable(why);
    const cg2 = cgroup2Root() as string;
    const dir = mkdtempSync(join(tmpdir(), 'ainl-sandbox-'));
    for (const d of ['layer', 'bus', 'share']) mkdirSync(join(dir, d), { recursive: true });
    const cgroup = join(cg2, `ainl-sandbox.${process.pid}.${Date.now() % 1e6}`);
    mkdirSync(cgroup);
    const log = join(dir, 'setup.log');
    writeFileSync(log, '');
    // move the launcher into its own cgroup first, then create the namespaces
    const child = spawn(
      'sh',
      [
        '-c',
        'echo $$ > "$1/cgroup.procs" && exec unshare --pid --mount --uts --ipc --cgroup --fork --kill-child=SIGKILL sh "$2" "$3" /lib/systemd/systemd',
        'sh',
        cgroup,
        SETUP,
        dir,
      ],
      {
        detached: true,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: {
          ...process.env,
          AINL_SANDBOX_BIND: (opts.bind ?? []).filter((p) => /^\/[^\s]*$/.test(p)).join(' '),
        },
      },
    );
    let setupErr = '';
    child.stderr?.on('data', (d: Buffer) => {
      setupErr += d.toString();
    });
    child.unref();
    const launcher = child.pid ?? 0;
    let pid1 = 0;
    for (let i = 0; i < 200 && !pid1; i++) {
      try {
        const kids = readFileSync(`/proc/${launcher}/task/${launcher}/children`, 'utf8').trim().split(/\s+/);
        pid1 = Number(kids[0] ?? 0) || 0;
      } catch {
        /* not yet */
      }
      if (!pid1) await sleep(25);
    }
    const sb = new Sandbox(dir, pid1, launcher, cgroup);
    if (!pid1) {
      await sb.stop();
      throw new SandboxUnavailable(`sandbox did not start: ${setupErr.trim() || 'no PID 1'}`);
    }
    const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
    for (;;) {
      if (!alive(pid1)) {
        await sb.stop();
        throw new SandboxUnavailable(`systemd exited during boot: ${setupErr.trim()}`);
      }
      const r = sb.execSync(['systemctl', 'is-system-running']);
      const state = r.stdout.trim();
      if (state === 'running' || state === 'degraded') break;
      if (Date.now() > deadline) {
        await sb.stop();
        throw new SandboxUnavailable(`boot did not finish (state ${state || 'no answer'})`);
      }
      await sleep(50);
    }
    return sb;
  }

  private nsenterArgs(argv: string[], env: Record<string, string> = {}): string[] {
    const envArgs = Object.entries({
      PATH: INSIDE_PATH,
      LANG: 'C.UTF-8',
      SYSTEMD_PAGER: 'cat',
      SYSTEMD_COLORS: '0',
      ...env,
    }).map(([k, v]) => `${k}=${v}`);
    return [
      '--target',
      String(this.pid1),
      '--mount',
      '--uts',
      '--ipc',
      '--pid',
      '--cgroup',
      '--root',
      '--wd',
      '--',
      'env',
      '-i',
      ...envArgs,
      ...argv,
    ];
  }

  execSync(argv: string[], opts: { input?: string; env?: Record<string, string> } = {}): ExecResult {
    const r = spawnSync('nsenter', this.nsenterArgs(argv, opts.env), {
      input: opts.input,
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { code: r.status ?? 1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
  }

  /** Runs argv inside; resolves with its exit code and output (never rejects on a non-zero exit). */
  exec(
    argv: string[],
    opts: { input?: string; env?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<ExecResult> {
    return new Promise((resolve) => {
      const child = spawn('nsenter', this.nsenterArgs(argv, opts.env), { stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? 1, stdout, stderr });
      });
      // a command that exits without reading its input closes the pipe: not an error of the test
      child.stdin.on('error', () => undefined);
      child.stdin.end(opts.input ?? '');
    });
  }

  /** exec that throws with the command's stderr on a non-zero exit. */
  async run(argv: string[], opts: { input?: string; env?: Record<string, string> } = {}): Promise<string> {
    const r = await this.exec(argv, opts);
    if (r.code !== 0)
      throw new Error(`${argv.join(' ')} → exit ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`);
    return r.stdout;
  }

  /** Writes a file inside the sandbox (e.g. a unit into /etc/systemd/system). */
  async writeFile(path: string, content: string, mode = '0644'): Promise<void> {
    await this.run(
      [
        'sh',
        '-c',
        'umask 022; mkdir -p "$(dirname "$1")" && cat > "$1" && chmod "$2" "$1"',
        'sh',
        path,
        mode,
      ],
      { input: content },
    );
  }

  /** Host PID of a process given its PID inside the sandbox (for signalling it from the host). */
  hostPid(insidePid: number): number {
    const cgName = this.cgroup.split('/').pop() as string;
    for (const e of readdirSync('/proc')) {
      if (!/^\d+$/.test(e)) continue;
      try {
        const status = readFileSync(`/proc/${e}/status`, 'utf8');
        const m = /^NSpid:\s+(.+)$/m.exec(status);
        const ids = m?.[1]?.trim().split(/\s+/).map(Number) ?? [];
        if (ids.length < 2 || ids[ids.length - 1] !== insidePid) continue;
        if (!readFileSync(`/proc/${e}/cgroup`, 'utf8').includes(cgName)) continue;
        return Number(e);
      } catch {
        /* raced */
      }
    }
    return 0;
  }

  async stop(): Promise<void> {
    if (this.pid1 && alive(this.pid1)) {
      this.execSync(['systemctl', 'poweroff', '--no-block']);
      for (let i = 0; i < 200 && alive(this.pid1); i++) await sleep(50);
      if (alive(this.pid1) && this.inOurCgroup(this.pid1)) {
        try {
          process.kill(this.pid1, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    }
    for (let i = 0; i < 100 && this.launcher && alive(this.launcher); i++) await sleep(25);
    if (this.launcher && alive(this.launcher) && this.inOurCgroup(this.launcher)) {
      try {
        process.kill(this.launcher, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    // remove our cgroup tree (leaves first)
    for (let i = 0; i < 100 && existsSync(this.cgroup); i++) {
      removeCgroupTree(this.cgroup);
      if (existsSync(this.cgroup)) await sleep(50);
    }
    try {
      rmSync(this.dir, { recursive: true, force: true });
    } catch {
      /* a busy mount point: left in tmp */
    }
  }

  private inOurCgroup(pid: number): boolean {
    try {
      return readFileSync(`/proc/${pid}/cgroup`, 'utf8').includes(this.cgroup.split('/').pop() as string);
    } catch {
      return false;
    }
  }
}

function removeCgroupTree(dir: string): void {
  try {
    for (const e of readdirSync(dir, { withFileTypes: true }))
      if (e.isDirectory()) removeCgroupTree(join(dir, e.name));
    rmdirSync(dir);
  } catch {
    /* busy or gone */
  }
}

// tiny CLI for people: `tsx test/harness/sandbox.ts check|shell`
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const cmd = process.argv[2] ?? 'check';
  if (cmd === 'check') {
    const why = unavailableReason();
    console.log(why ? `unavailable: ${why}` : 'ok: a sandbox can start here');
    process.exit(why ? 1 : 0);
  } else if (cmd === 'smoke') {
    const t0 = Date.now();
    const sb = await Sandbox.start();
    console.log(`up in ${Date.now() - t0} ms; bus ${sb.busAddress}`);
    console.log((await sb.run(['systemctl', '--version'])).split('\n')[0]);
    await sb.stop();
    console.log('stopped');
  } else {
    console.error('usage: tsx test/harness/sandbox.ts check|smoke');
    process.exit(2);
  }
}
