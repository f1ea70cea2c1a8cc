/** How much a path matters if something deletes, overwrites or re-permissions it. */
export type PathClass = 'root' | 'system' | 'home' | 'device' | 'dynamic' | 'secret' | 'user' | 'null';

/** The paths Debian's safe-rm protects, plus a few more that a recursive operation must never hit. */
const SYSTEM_DIRS = new Set([
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/home',
  '/initrd',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/proc',
  '/root',
  '/sbin',
  '/sys',
  '/usr',
  '/usr/bin',
  '/usr/include',
  '/usr/lib',
  '/usr/local',
  '/usr/local/bin',
  '/usr/local/include',
  '/usr/local/sbin',
  '/usr/local/share',
  '/usr/sbin',
  '/usr/share',
  '/usr/src',
  '/var',
  '/var/lib',
  '/var/log',
  '/opt',
  '/srv',
  '/run',
  '/mnt',
  '/media',
  '/snap',
  '/efi',
  '/boot/efi',
  '/lost+found',
]);

const BLOCK_DEVICE =
  /^\/dev\/(sd[a-z]+\d*|hd[a-z]+\d*|vd[a-z]+\d*|xvd[a-z]+\d*|nvme\d+n\d+(p\d+)?|mmcblk\d+(p\d+)?|md\d+|dm-\d+|mapper\/.+|disk\/.+|loop\d+|sr\d+|nbd\d+|zd\d+)$/;

const SECRET = [
  /(^|\/)\.ssh\/(id_[^/]*|.*_key|authorized_keys|known_hosts|config)$/,
  /(^|\/)\.ssh\/?$/,
  /^\/etc\/(shadow|gshadow|sudoers)(-|\.d.*)?$/,
  /(^|\/)\.aws\/credentials$/,
  /(^|\/)\.gnupg(\/|$)/,
  /(^|\/)\.netrc$/,
  /(^|\/)\.pgpass$/,
  /(^|\/)\.docker\/config\.json$/,
  /(^|\/)\.kube\/config$/,
  /(^|\/)\.env(\.[a-z]+)?$/,
  /(^|\/)\.git-credentials$/,
  /(^|\/)\.(bash|zsh)_history$/,
  /(^|\/)\.config\/gcloud(\/|$)/,
  /(^|\/)\.password-store(\/|$)/,
  /\.(pem|key|p12|pfx|kdbx)$/,
];

/** Removes trailing slashes, `/.`, and a trailing `/*` glob (remembered as `glob`). */
function normalise(p: string): { path: string; glob: boolean } {
  let s = p.trim();
  let glob = false;
  if (s === '*' || s === './*') return { path: '.', glob: true };
  if (/\/\*+$/.test(s)) {
    glob = true;
    s = s.replace(/\/?\*+$/, '') || '/';
    if (s === '') s = '/';
  }
  s = s.replace(/(\/\.)+$/, '').replace(/\/+$/, '') || (p.startsWith('/') ? '/' : s);
  s = s.replace(/\/{2,}/g, '/');
  return { path: s, glob };
}

export function classifyPath(raw: string, home: string): PathClass {
  if (
    raw === '/dev/null' ||
    raw === '/dev/stdout' ||
    raw === '/dev/stderr' ||
    raw === '/dev/tty' ||
    /^\/dev\/fd\/\d+$/.test(raw)
  )
    return 'null';
  const { path } = normalise(raw);
  if (path === '/' || (path === '' && raw.startsWith('/'))) return 'root';
  if (BLOCK_DEVICE.test(path)) return 'device';
  if (SECRET.some((re) => re.test(path))) return 'secret';
  if (path === '~' || path === '$HOME' || path === '${HOME}' || path === home || path === '~root')
    return 'home';
  if (/^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?(\/|$)/.test(path) && !/^\$\{?HOME\}?\//.test(path)) return 'dynamic';
  if (/^\$\{?[A-Za-z_]/.test(path) || path.includes('$(') || path.includes('`')) return 'dynamic';
  if (SYSTEM_DIRS.has(path)) return 'system';
  if (/^\/home\/[^/]+$/.test(path)) return 'home';
  if (/^\/(etc|boot|usr|bin|sbin|lib|lib64|var\/lib|sys|proc)\//.test(path)) return 'system';
  return 'user';
}

/** True when a recursive delete/chmod of this path would wreck the system or the user's home. */
export function isCatastrophicTarget(raw: string, home: string): boolean {
  const c = classifyPath(raw, home);
  if (c === 'root' || c === 'home' || c === 'device') return true;
  if (c === 'system') return SYSTEM_DIRS.has(normalise(raw).path);
  return false;
}

export function isBlockDevice(raw: string): boolean {
  return BLOCK_DEVICE.test(raw.trim());
}

export function isSystemPath(raw: string, home: string): boolean {
  return classifyPath(raw, home) === 'system' || classifyPath(raw, home) === 'root';
}
