/**
 * Plain-process targets started as transient systemd services: unit names, the cgroup a PID lives
 * in, and resolving a command to an absolute path (systemd's ExecStart needs one).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Problem } from '../../shared/problems';
import { isExecutableFile } from '../core/executable';

export const TRANSIENT_PREFIX = 'ainl-heal-';
/** Longest escaped target part; the whole name stays well below systemd's 255 characters. */
const MAX_ESCAPED = 200;
const OURS_RE = /^ainl-heal-[A-Za-z0-9:_.\\]+-\d+\.service$/;

/**
 * systemd's string escaping for unit names (what `systemd-escape` prints): letters, digits, ':',
 * '_' and '.' stay (a leading '.' does not), '/' becomes '-', every other byte becomes \xNN.
 * '-' is escaped too, so the parts of `ainl-heal-<target>-<n>.service` can be told apart.
 */
export function escapeUnitPart(s: string): string {
  let out = '';
  const bytes = Buffer.from(s, 'utf8');
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    const c = String.fromCharCode(b);
    if (c === '/') out += '-';
    else if (b < 0x80 && /[A-Za-z0-9:_]/.test(c)) out += c;
    else if (c === '.' && i > 0) out += c;
    else out += '\\x' + b.toString(16).padStart(2, '0');
  }
  return out;
}

/** `ainl-heal-<escaped target>-<n>.service`; a very long target is cut at an escape boundary. */
export function transientUnitName(target: string, n: number): string {
  let esc = escapeUnitPart(target);
  if (esc.length > MAX_ESCAPED) {
    esc = esc.slice(0, MAX_ESCAPED);
    const cut = esc.lastIndexOf('\\');
    if (cut >= MAX_ESCAPED - 3) esc = esc.slice(0, cut); // never half an \xNN
  }
  if (esc === '') esc = '_';
  return `${TRANSIENT_PREFIX}${esc}-${Math.max(0, Math.trunc(n))}.service`;
}

/** Whether a unit name is one of the healing engine's transient services. */
export function isTransientUnitName(name: string): boolean {
  return OURS_RE.test(name);
}

/**
 * The unit a process belongs to, from the cgroup v2 line of /proc/<pid>/cgroup (its last path
 * component), or '' (gone, cgroup v1 only, or not in a unit).
 */
export function unitOfPid(pid: number, proc = '/proc'): string {
  if (!Number.isInteger(pid) || pid <= 0) return '';
  let text: string;
  try {
    text = readFileSync(`${proc}/${pid}/cgroup`, 'utf8');
  } catch {
    return '';
  }
  return unitFromCgroupFile(text);
}

export function unitFromCgroupFile(text: string): string {
  const line = text.split('\n').find((l) => l.startsWith('0::'));
  if (!line) return '';
  const path = line.slice(3).trim();
  const last = path.split('/').filter(Boolean).pop() ?? '';
  return /\.(service|scope)$/.test(last) ? last : '';
}

/** Our transient unit the process runs in, or ''. */
export function transientUnitOfPid(pid: number, proc = '/proc'): string {
  const u = unitOfPid(pid, proc);
  return isTransientUnitName(u) ? u : '';
}

/**
 * An absolute path for argv[0]: kept when absolute (must exist and be executable), looked up in
 * PATH when it is a bare name; relative paths with a '/' are refused (no working directory to
 * resolve them against).
 */
export function resolveExecutable(cmd: string, pathEnv = process.env.PATH ?? ''): string {
  if (!cmd) throw new Problem('invalid-input', 'no start command configured');
  if (cmd.startsWith('/')) {
    if (!isExecutableFile(cmd)) throw new Problem('not-found', `${cmd} is not an executable file`);
    return cmd;
  }
  if (cmd.includes('/'))
    throw new Problem('invalid-input', `${cmd}: a start command must be an absolute path or a name on PATH`);
  const dirs = (pathEnv || '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin')
    .split(':')
    .filter((d) => d.startsWith('/'));
  for (const d of dirs) {
    const p = `${d.replace(/\/+$/, '')}/${cmd}`;
    if (isExecutableFile(p)) return p;
  }
  throw new Problem(
    'not-found',
    `${cmd} is not on PATH (${dirs.join(':')}): configure the start command with an absolute path`,
  );
}

/** uid/gid (and the account's home, for HOME) a detached child is spawned with. */
export interface SpawnCreds {
  uid?: number;
  gid?: number;
  home?: string;
  name?: string;
}

type Lookup = (db: 'passwd' | 'group', key: string) => string[] | null;

/** One entry of the passwd or group database, split on ':'; `getent` (NSS), else the /etc file. */
export function lookupAccount(db: 'passwd' | 'group', key: string, etc = '/etc'): string[] | null {
  try {
    const out = execFileSync('getent', [db, key], {
      encoding: 'utf8',
      timeout: 5000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const line = out.split('\n').find(Boolean);
    return line ? line.split(':') : null;
  } catch (err) {
    // exit code 2: not found; anything else (no getent): read the file
    if ((err as { status?: number }).status === 2) return null;
  }
  let text: string;
  try {
    text = readFileSync(`${etc}/${db}`, 'utf8');
  } catch {
    return null;
  }
  const numeric = /^\d+$/.test(key);
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length < 3 || line.startsWith('#')) continue;
    if (numeric ? f[2] === key : f[0] === key) return f;
  }
  return null;
}

/**
 * The uid/gid of a configured user and group, as systemd's User=/Group= would apply them: a name
 * must exist; a numeric uid without an entry needs a group; no group means the user's primary one.
 * Throws a Problem instead of ever falling back to root.
 */
export function resolveCreds(user?: string, group?: string, lookup: Lookup = lookupAccount): SpawnCreds {
  const creds: SpawnCreds = {};
  if (user) {
    const pw = lookup('passwd', user);
    if (pw) {
      creds.uid = Number(pw[2]);
      creds.gid = Number(pw[3]);
      creds.name = pw[0];
      if (pw[5]) creds.home = pw[5];
    } else if (/^\d+$/.test(user)) {
      creds.uid = Number(user);
    } else {
      throw new Problem(
        'not-found',
        `user ${user} does not exist; not starting the process (it would run as root)`,
      );
    }
  }
  if (group) {
    const gr = lookup('group', group);
    if (gr) creds.gid = Number(gr[2]);
    else if (/^\d+$/.test(group)) creds.gid = Number(group);
    else throw new Problem('not-found', `group ${group} does not exist; not starting the process`);
  }
  if (creds.uid !== undefined && creds.gid === undefined)
    throw new Problem('invalid-input', `uid ${user} has no passwd entry: configure a group for it too`);
  for (const v of [creds.uid, creds.gid])
    if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > 0xfffffffe))
      throw new Problem('invalid-input', `bad uid/gid for ${user ?? ''}:${group ?? ''}`);
  return creds;
}
