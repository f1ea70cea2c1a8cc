/**
 * The safety checker: parses a command line with the bash grammar, walks every command it would
 * run (pipelines, lists, `$(…)`, `<(…)`, `sh -c`/`eval`/`su -c` strings, `sudo`, `xargs`,
 * `find -exec`, redirections) and returns the highest risk with the reasons for it.
 *
 *   safe       read-only
 *   caution    changes user files, network, unknown programs, or could not be parsed fully
 *   dangerous  destructive, irreversible, privileged system change, remote code, secret exfiltration
 *   blocked    catastrophic (wipes the system, a disk or the home directory; fork bomb)
 *
 * A parse error is never `safe`.
 */
import { homedir } from 'node:os';
import {
  baseName,
  extractCommands,
  type ParsedScript,
  type Redirect,
  type SimpleCommand,
} from '../bash/commands';
import { initBashParser } from '../bash/parser';
import { isShell, unwrap } from '../bash/wrappers';
import { classifyPath, isBlockDevice, isCatastrophicTarget } from './paths';

export type Risk = 'safe' | 'caution' | 'dangerous' | 'blocked';
export const RISKS: readonly Risk[] = ['safe', 'caution', 'dangerous', 'blocked'];

export interface SafetyVerdict {
  risk: Risk;
  reasons: string[];
}

export interface SafetyOptions {
  /** Home directory used to recognise `/home/me`; defaults to os.homedir(). */
  home?: string;
}

const MAX_LENGTH = 20_000;
const MAX_DEPTH = 6;

const rank = (r: Risk): number => RISKS.indexOf(r);

class Verdict {
  risk: Risk = 'safe';
  readonly items: Array<{ risk: Risk; reason: string }> = [];
  add(risk: Risk, reason: string): void {
    if (rank(risk) > rank(this.risk)) this.risk = risk;
    if (risk === 'safe') return;
    const found = this.items.find((i) => i.reason === reason);
    if (!found) this.items.push({ risk, reason });
    else if (rank(risk) > rank(found.risk)) found.risk = risk;
  }
  /** Copies another verdict's reasons, prefixed and with their risk mapped. */
  merge(other: Verdict, prefix = '', map: (r: Risk) => Risk = (r) => r): void {
    for (const i of other.items) this.add(map(i.risk), prefix ? `${prefix}: ${i.reason}` : i.reason);
  }
  /** Most severe first. */
  get reasons(): string[] {
    return [...this.items].sort((a, b) => rank(b.risk) - rank(a.risk)).map((i) => i.reason);
  }
}

/**
 * Known programs that are not pure readers (those are in PURE_READERS, checked first): without a
 * more specific rule they are rated `caution`, since they may change files. Programs with a rule
 * of their own (DISK_TOOLS, POWER, USER_ADMIN, KERNEL_ADMIN, FIREWALL) are rated before this list.
 */
const MAY_CHANGE_FILES = new Set([
  'find',
  'hostname',
  'awk',
  'gawk',
  'mawk',
  'sed',
  'base64',
  'journalctl',
  'ip',
  'ifconfig',
  'iwconfig',
  'nmcli',
  'resolvectl',
  'hostnamectl',
  'timedatectl',
  'loginctl',
  'localectl',
  'systemctl',
  'service',
  'docker',
  'podman',
  'kubectl',
  'git',
  'apt',
  'apt-cache',
  'apt-get',
  'dpkg',
  'dpkg-query',
  'rpm',
  'dnf',
  'yum',
  'pacman',
  'zypper',
  'snap',
  'flatpak',
  'brew',
  'npm',
  'pip',
  'pip3',
  'unset',
  'xdg-open',
  'open',
  'code',
  'vim',
  'vi',
  'nano',
  'emacs',
  'csplit',
  'stty',
  'nice',
  'fuser',
  'watch',
  'time',
  'timeout',
  'xargs',
  'command',
  'builtin',
  'source',
  '.',
  'curl',
  'wget',
  'python',
  'python3',
  'node',
  'perl',
  'ruby',
  'php',
  'sh',
  'bash',
  'zsh',
  'dash',
  'ksh',
  'fish',
  'eval',
  'exec',
  'nohup',
  'sudo',
  'su',
  'doas',
  'pkexec',
  'ssh',
  'stdbuf',
  'setsid',
  'ionice',
  'strace',
  'flock',
  'chroot',
  'taskset',
  'runuser',
  'cp',
  'mv',
  'mkdir',
  'touch',
  'ln',
  'tee',
  'rm',
  'rmdir',
  'chmod',
  'chown',
  'chgrp',
  'tar',
  'zip',
  'unzip',
  'gzip',
  'gunzip',
  'bzip2',
  'bunzip2',
  'xz',
  'unxz',
  '7z',
  'rsync',
  'scp',
  'sftp',
  'split',
  'truncate',
  'kill',
  'pkill',
  'killall',
  'dd',
  'shred',
  'make',
  'install',
  'patch',
  'crontab',
  'mount',
  'umount',
  'swapoff',
  'swapon',
  'rename',
  'nc',
  'ncat',
  'netcat',
  'socat',
  'telnet',
  'ftp',
  'mail',
  'sendmail',
  'chattr',
  'setfacl',
  'init',
  'systemd-run',
  'at',
  'batch',
  'convert',
  'ffmpeg',
  'gcc',
  'cc',
  'g++',
  'javac',
  'java',
  'go',
  'cargo',
  'rustc',
  'tsc',
  'npx',
  'yarn',
  'pnpm',
  'mysql',
  'psql',
  'sqlite3',
  'mongo',
  'redis-cli',
  'update-alternatives',
  'wall',
  'write',
  'logger',
  'notify-send',
  'xclip',
  'xsel',
  'wl-copy',
  'pbcopy',
  'gpg',
  'openssl',
  'ssh-copy-id',
  'sshpass',
  'killall5',
  'unlink',
  'sync',
]);

/** Pure readers: safe whatever their (non-output) arguments. */
const PURE_READERS = new Set([
  'cat',
  'ls',
  'pwd',
  'echo',
  'printf',
  'head',
  'tail',
  'grep',
  'egrep',
  'fgrep',
  'rg',
  'ag',
  'wc',
  'uniq',
  'cut',
  'tr',
  'nl',
  'paste',
  'rev',
  'seq',
  'stat',
  'file',
  'which',
  'whereis',
  'whoami',
  'id',
  'groups',
  'uname',
  'df',
  'du',
  'free',
  'uptime',
  'ps',
  'top',
  'htop',
  'pgrep',
  'pidof',
  'lsof',
  'locate',
  'tree',
  'less',
  'more',
  'diff',
  'cmp',
  'comm',
  'basename',
  'dirname',
  'realpath',
  'readlink',
  'printenv',
  'type',
  'true',
  'false',
  'test',
  '[',
  '[[',
  'expr',
  'bc',
  'jq',
  'yq',
  'xxd',
  'od',
  'hexdump',
  'md5sum',
  'sha1sum',
  'sha256sum',
  'sha512sum',
  'b2sum',
  'cksum',
  'sum',
  'column',
  'fmt',
  'fold',
  'tac',
  'numfmt',
  'cd',
  'pushd',
  'popd',
  'dirs',
  'alias',
  'sleep',
  'yes',
  'cal',
  'w',
  'who',
  'last',
  'lastlog',
  'lscpu',
  'lspci',
  'lsusb',
  'lsmod',
  'lsblk',
  'blkid',
  'findmnt',
  'sensors',
  'vmstat',
  'iostat',
  'mpstat',
  'nproc',
  'getconf',
  'locale',
  'tput',
  'clear',
  'zcat',
  'zgrep',
  'zless',
  'bzcat',
  'xzcat',
  'strings',
  'man',
  'apropos',
  'whatis',
  'help',
  'info',
  'tldr',
  'ping',
  'dig',
  'host',
  'nslookup',
  'traceroute',
  'tracepath',
  'ss',
  'netstat',
  'getent',
  'identify',
  'mediainfo',
  'exiftool',
  'pdfinfo',
  'fc-list',
  'iconv',
  'look',
  'join',
  'shuf',
  'expand',
  'unexpand',
  'ldd',
  'nm',
  'objdump',
  'readelf',
  'size',
  'uuidgen',
  'tty',
  'arch',
  'lsb_release',
  'lsattr',
  'getfacl',
  'namei',
  'pstree',
  'bat',
  'fd',
  'fdfind',
  'tokei',
  'cloc',
  'sar',
  'jobs',
  'hash',
  'dmesg',
  'export',
  'set',
  'local',
  'declare',
  'typeset',
  'readonly',
  'read',
  'shift',
  'return',
  'exit',
  'wait',
  'fg',
  'bg',
  'disown',
  'umask',
  'ulimit',
  'let',
  'history',
  'env',
  'printenv',
  'mktemp',
  'view',
  'fzf',
  'ncdu',
  'iotop',
  'iftop',
  'nethogs',
  'date',
  'sort',
]);

const INTERPRETERS = new Set([
  'sh',
  'bash',
  'zsh',
  'dash',
  'ksh',
  'fish',
  'ash',
  'python',
  'python2',
  'python3',
  'perl',
  'ruby',
  'node',
  'php',
  'lua',
  'tclsh',
  'osascript',
  'pwsh',
]);
const DOWNLOADERS = new Set([
  'curl',
  'wget',
  'fetch',
  'aria2c',
  'http',
  'https',
  'lynx',
  'links',
  'nc',
  'ncat',
  'socat',
]);
const NETWORK_SENDERS = new Set([
  'curl',
  'wget',
  'nc',
  'ncat',
  'netcat',
  'socat',
  'telnet',
  'scp',
  'sftp',
  'rsync',
  'ftp',
  'mail',
  'sendmail',
  'ssh',
  'http',
  'https',
]);
const DISK_TOOLS = new Set([
  'wipefs',
  'fdisk',
  'sfdisk',
  'parted',
  'gdisk',
  'cfdisk',
  'sgdisk',
  'mdadm',
  'blkdiscard',
  'cryptsetup',
  'lvremove',
  'vgremove',
  'pvremove',
  'mkswap',
  'pvcreate',
  'vgcreate',
  'lvcreate',
  'zpool',
  'mkfs',
  'fsck',
  'e2fsck',
  'tune2fs',
  'resize2fs',
  'badblocks',
]);
const POWER = new Set(['shutdown', 'reboot', 'poweroff', 'halt', 'telinit', 'systemctl-power']);
const USER_ADMIN = new Set([
  'passwd',
  'useradd',
  'userdel',
  'usermod',
  'groupadd',
  'groupdel',
  'groupmod',
  'chpasswd',
  'visudo',
  'chsh',
  'vipw',
  'adduser',
  'deluser',
]);
const KERNEL_ADMIN = new Set([
  'modprobe',
  'rmmod',
  'insmod',
  'sysctl',
  'update-grub',
  'grub-install',
  'grub-mkconfig',
  'efibootmgr',
  'depmod',
  'ldconfig',
  'update-initramfs',
  'dracut',
  'kexec',
]);
const FIREWALL = new Set(['iptables', 'ip6tables', 'nft', 'ufw', 'firewall-cmd']);

interface Ctx {
  v: Verdict;
  home: string;
  depth: number;
  /** the commands run as root */
  privileged: boolean;
  /** the command receives arguments from xargs / find -exec that we cannot see */
  fedArgs: boolean;
}

/** Splits short-option bundles: `-rf` → r, f; long options kept whole. */
function shortFlags(args: string[]): Set<string> {
  const out = new Set<string>();
  for (const a of args) {
    if (a === '--') break;
    if (a.startsWith('--')) out.add(a.split('=')[0] ?? a);
    else if (/^-[A-Za-z]+$/.test(a)) for (const ch of a.slice(1)) out.add(`-${ch}`);
  }
  return out;
}

function operands(args: string[]): string[] {
  const out: string[] = [];
  let ended = false;
  for (const a of args) {
    if (!ended && a === '--') {
      ended = true;
      continue;
    }
    if (!ended && a.startsWith('-') && a !== '-') continue;
    out.push(a);
  }
  return out;
}

function secretIn(args: string[], home: string): string | null {
  for (const a of args) {
    const t = a.replace(/^@/, '').replace(/^[^=]*=@?/, (m) => (m.includes('=') ? '' : m));
    if (classifyPath(t, home) === 'secret' || classifyPath(a.replace(/^@/, ''), home) === 'secret') return a;
  }
  return null;
}

function checkRedirect(r: Redirect, ctx: Ctx): void {
  const writes = /^(>|>>|>\||&>|&>>|>&)$/.test(r.op) || r.op.startsWith('>') || r.op.startsWith('&>');
  if (!writes) {
    if (r.op === '<' && classifyPath(r.target, ctx.home) === 'secret')
      ctx.v.add('caution', `reads a secret file (${r.target})`);
    return;
  }
  if (r.op === '>&' && /^\d+$/.test(r.target)) return;
  const cls = classifyPath(r.target, ctx.home);
  if (cls === 'null') return;
  if (cls === 'device' || isBlockDevice(r.target))
    ctx.v.add('blocked', `writes straight to the block device ${r.target} (destroys the disk's data)`);
  else if (cls === 'system' || cls === 'root')
    ctx.v.add('dangerous', `overwrites a system file (${r.target})`);
  else if (cls === 'secret') ctx.v.add('dangerous', `overwrites a credentials file (${r.target})`);
  else if (r.target.startsWith('/dev/')) ctx.v.add('dangerous', `writes to the device ${r.target}`);
  else if (r.op.includes('>>')) ctx.v.add('caution', `appends to ${r.target || 'a file'}`);
  else if (
    /^(~|\$HOME|\$\{HOME\})\/\.(bashrc|bash_profile|profile|zshrc|zprofile|config|local)\b/.test(r.target)
  )
    ctx.v.add('dangerous', `overwrites ${r.target} (your shell or user configuration)`);
  else ctx.v.add('caution', `overwrites ${r.target || 'a file'} (redirection)`);
}

function checkScript(script: string, ctx: Ctx, how: string): void {
  if (ctx.depth >= MAX_DEPTH) {
    ctx.v.add('caution', `${how}: nested too deeply to check`);
    return;
  }
  if (/\$\(|`|\$\{?[A-Za-z_]/.test(script) && /^\s*\$/.test(script)) {
    ctx.v.add('dangerous', `${how}: runs code built at run time that cannot be checked`);
  }
  const inner = analyse(script, { ...ctx, depth: ctx.depth + 1 });
  ctx.v.merge(inner, how);
}

function checkRm(args: string[], ctx: Ctx, name: string): void {
  const f = shortFlags(args);
  const recursive = f.has('-r') || f.has('-R') || f.has('--recursive');
  const force = f.has('-f') || f.has('--force');
  const targets = operands(args);
  for (const t of targets) {
    const cls = classifyPath(t, ctx.home);
    if (recursive && isCatastrophicTarget(t, ctx.home)) {
      ctx.v.add(
        'blocked',
        `recursively deletes ${t} (${cls === 'home' ? 'your whole home directory' : cls === 'root' ? 'the whole system' : 'a system directory'})`,
      );
    } else if (
      recursive &&
      cls === 'dynamic' &&
      /^\$\{?[A-Za-z_]\w*\}?\/?\*?$|^\$\{?[A-Za-z_]\w*\}?\//.test(t) &&
      !t.includes(':?')
    ) {
      ctx.v.add(
        'dangerous',
        `recursively deletes ${t}: if the variable is empty this becomes /… (use \${VAR:?})`,
      );
    } else if (cls === 'system' || cls === 'root') {
      ctx.v.add('dangerous', `deletes a system file (${t})`);
    } else if (cls === 'secret') {
      ctx.v.add('dangerous', `deletes a credentials file (${t})`);
    }
  }
  if (f.has('--no-preserve-root')) ctx.v.add('blocked', 'disables the protection against deleting /');
  if (recursive) ctx.v.add('dangerous', `${name} -r: deletes recursively, irreversibly`);
  else ctx.v.add('dangerous', `${name}: deletes files irreversibly${force ? ' (forced, no prompt)' : ''}`);
  if (ctx.fedArgs) ctx.v.add('dangerous', `${name} deletes every file it is fed`);
}

function checkPerms(name: string, args: string[], ctx: Ctx): void {
  const f = shortFlags(args);
  const recursive = f.has('-R') || f.has('--recursive');
  const ops = operands(args);
  const targets = name === 'chmod' || name === 'chown' || name === 'chgrp' ? ops.slice(1) : ops;
  const mode = ops[0] ?? '';
  for (const t of targets) {
    const cls = classifyPath(t, ctx.home);
    if (recursive && isCatastrophicTarget(t, ctx.home))
      ctx.v.add('blocked', `${name} -R on ${t} (breaks the system or every file you own)`);
    else if (cls === 'system' || cls === 'root') ctx.v.add('dangerous', `${name} on a system path (${t})`);
    else if (cls === 'secret') ctx.v.add('dangerous', `${name} on a credentials file (${t})`);
  }
  if (name === 'chmod' && /(^|[^0-7])[0-7]?777$|a\+rwx|o\+w/.test(mode))
    ctx.v.add('dangerous', `${name} ${mode}: makes files writable by everyone`);
  if (name === 'chmod' && /^0*0{3}$/.test(mode))
    ctx.v.add('dangerous', `${name} ${mode}: removes all access`);
  if (name === 'chmod' && /[ug]\+s|^[2-7][0-7]{3}$/.test(mode))
    ctx.v.add('dangerous', `${name} ${mode}: sets setuid/setgid`);
  if (recursive) ctx.v.add('dangerous', `${name} -R: changes permissions of a whole tree`);
  else ctx.v.add('caution', `${name}: changes file ownership/permissions`);
}

function checkGit(args: string[], ctx: Ctx): void {
  const sub = operands(args)[0] ?? '';
  const f = shortFlags(args);
  const has = (...x: string[]) => x.some((y) => args.includes(y) || f.has(y));
  const ro = [
    'status',
    'log',
    'diff',
    'show',
    'blame',
    'shortlog',
    'describe',
    'rev-parse',
    'ls-files',
    'ls-tree',
    'grep',
    'whatchanged',
    'reflog',
    'cat-file',
    'help',
    'version',
    'remote',
    'tag',
    'branch',
    'stash',
    'config',
  ];
  if (args.includes('-c') || has('--exec', '--upload-pack', '--ext-diff', '--output'))
    ctx.v.add('caution', 'git with options that run programs or write files');
  switch (sub) {
    case 'reset':
      if (has('--hard', '--merge', '--keep'))
        ctx.v.add('dangerous', 'git reset --hard: discards uncommitted changes');
      else ctx.v.add('caution', 'git reset: moves the branch/index');
      return;
    case 'clean':
      if (has('-f', '--force')) ctx.v.add('dangerous', 'git clean -f: deletes untracked files irreversibly');
      else ctx.v.add('caution', 'git clean');
      return;
    case 'push':
      if (
        has('-f', '--force', '--force-with-lease', '--mirror', '--delete', '-d') ||
        args.some((a) => /^\+|^:/.test(a))
      )
        ctx.v.add('dangerous', 'git push --force/--delete: rewrites or deletes remote history');
      else ctx.v.add('caution', 'git push: publishes commits');
      return;
    case 'branch':
      if (has('-D', '--delete') && (has('-D') || has('--force') || has('-f')))
        ctx.v.add('dangerous', 'git branch -D: deletes a branch with unmerged work');
      else if (has('-d', '-m', '-M', '-c', '-C', '--delete', '--move'))
        ctx.v.add('caution', 'git branch: changes branches');
      return;
    case 'stash':
      if (args.includes('clear') || args.includes('drop'))
        ctx.v.add('dangerous', 'git stash clear/drop: loses stashed work');
      else if (!args.includes('list') && !args.includes('show'))
        ctx.v.add('caution', 'git stash: changes the working tree');
      return;
    case 'checkout':
    case 'restore':
      if (args.includes('--') || args.includes('.') || has('-f', '--force', '--staged', '--worktree'))
        ctx.v.add('dangerous', `git ${sub}: overwrites uncommitted changes`);
      else ctx.v.add('caution', `git ${sub}: changes the working tree`);
      return;
    case 'filter-branch':
    case 'filter-repo':
      ctx.v.add('dangerous', 'rewrites the whole history');
      return;
    case 'reflog':
      if (args.includes('expire') || args.includes('delete'))
        ctx.v.add('dangerous', 'git reflog expire: drops recovery points');
      return;
    case 'gc':
    case 'prune':
      if (args.some((a) => a.startsWith('--prune')))
        ctx.v.add('dangerous', 'git gc --prune: deletes unreachable commits');
      else ctx.v.add('caution', `git ${sub}`);
      return;
    case 'remote':
    case 'tag':
    case 'config':
      if (
        args.length > 2 &&
        /^(add|remove|rm|rename|set-url|-d|--delete|--unset|--add|--global)$/.test(args[1] ?? '')
      )
        ctx.v.add('caution', `git ${sub}: changes repository settings`);
      else if (sub === 'config' && operands(args).length >= 3)
        ctx.v.add('caution', 'git config: changes settings');
      return;
    default:
      if (!ro.includes(sub))
        ctx.v.add('caution', `git ${sub || ''}`.trim() + ': changes the repository or working tree');
  }
}

const PKG_REMOVE =
  /^(remove|purge|autoremove|erase|uninstall|-R\w*|--remove|-r|-P|--purge|autopurge|clean|reinstall|dist-upgrade|full-upgrade)$/;
// pacman's -S/-U are handled by name below: for dpkg, -S is a search
const PKG_CHANGE =
  /^(install|upgrade|update|add|-i|--install|--unpack|--configure|refresh|dup|distro-sync|downgrade|build-dep)$/;

function checkPackages(name: string, args: string[], ctx: Ctx): void {
  const ops = args.filter((a) => a !== '-y' && a !== '--yes' && a !== '-q');
  const sub =
    name === 'pacman' || name === 'dpkg' || name === 'rpm'
      ? (args.find((a) => a.startsWith('-')) ?? '')
      : (operands(ops)[0] ?? '');
  if (PKG_REMOVE.test(sub) || (name === 'pacman' && /^-R/.test(sub)) || (name === 'rpm' && /^-e/.test(sub))) {
    ctx.v.add('dangerous', `${name} ${sub}: removes system packages`);
  } else if (
    PKG_CHANGE.test(sub) ||
    (name === 'pacman' && /^-S|^-U/.test(sub) && !/^-S[sicgl]/.test(sub)) ||
    (name === 'rpm' && /^-[iUF]/.test(sub))
  ) {
    ctx.v.add(ctx.privileged ? 'dangerous' : 'caution', `${name} ${sub}: changes installed software`);
  } else if (
    name === 'npm' ||
    name === 'pip' ||
    name === 'pip3' ||
    name === 'brew' ||
    name === 'snap' ||
    name === 'flatpak'
  ) {
    if (
      !/^(list|ls|show|info|search|view|outdated|freeze|help|config|audit|doctor|--version|-v|version)?$/.test(
        sub,
      )
    )
      ctx.v.add('caution', `${name} ${sub}: changes installed software or runs scripts`);
  }
}

function checkCurlLike(name: string, args: string[], ctx: Ctx): void {
  const f = shortFlags(args);
  const upload =
    f.has('-T') ||
    f.has('--upload-file') ||
    args.some(
      (a, i) =>
        (/^(-F|--form|-d|--data|--data-binary|--data-raw|--data-urlencode)$/.test(args[i - 1] ?? '') &&
          /(^|=)@/.test(a)) ||
        /^--(data|data-binary|form)=@/.test(a) ||
        /^--post-file/.test(a) ||
        /^-[dF]@/.test(a),
    );
  const secret = secretIn(args, ctx.home);
  if (upload && secret)
    ctx.v.add('dangerous', `${name} uploads a secret file (${secret}): possible exfiltration`);
  else if (upload) ctx.v.add('dangerous', `${name} uploads local files to a remote server`);
  if (name === 'wget' || f.has('-o') || f.has('-O') || f.has('--output') || f.has('--remote-name'))
    ctx.v.add('caution', `${name}: downloads from the network into a file`);
  else ctx.v.add('caution', `${name}: talks to the network`);
  if (f.has('-k') || f.has('--insecure') || args.includes('--no-check-certificate'))
    ctx.v.add('caution', `${name}: TLS certificate checks disabled`);
}

function checkSystemctl(args: string[], ctx: Ctx): void {
  const sub = operands(args)[0] ?? '';
  const ro =
    /^(status|show|cat|list-units|list-unit-files|list-timers|list-sockets|list-jobs|list-dependencies|is-active|is-enabled|is-failed|is-system-running|get-default|help|)$/;
  if (
    /^(poweroff|reboot|halt|kexec|suspend|hibernate|hybrid-sleep|emergency|rescue|default|isolate|soft-reboot)$/.test(
      sub,
    )
  ) {
    ctx.v.add('dangerous', `systemctl ${sub}: changes the whole system's state`);
  } else if (/^(stop|disable|mask|kill|reset-failed)$/.test(sub)) {
    const units = operands(args).slice(1).join(' ');
    const critical =
      /(^|\s)(ssh|sshd|systemd-[\w-]+|dbus|NetworkManager|networking|network|gdm|sddm|lightdm|display-manager|udev|getty@[\w-]*)(\.service)?(\s|$)/.test(
        units,
      );
    ctx.v.add(
      critical || ctx.privileged || args.includes('--user') === false ? 'dangerous' : 'caution',
      `systemctl ${sub} ${units}`.trim() +
        (critical ? ': a service the system or your access depends on' : ': stops/disables a service'),
    );
  } else if (!ro.test(sub)) {
    ctx.v.add(ctx.privileged ? 'dangerous' : 'caution', `systemctl ${sub}: changes services`);
  }
}

function checkFind(args: string[], ctx: Ctx): void {
  const paths: string[] = [];
  for (const a of args) {
    if (a.startsWith('-') || a === '(' || a === '!') break;
    paths.push(a);
  }
  if (args.includes('-delete')) {
    if (paths.some((p) => isCatastrophicTarget(p, ctx.home)))
      ctx.v.add('blocked', `find ${paths.join(' ')} -delete: deletes across ${paths.join(' ')}`);
    else ctx.v.add('dangerous', 'find -delete: deletes every match irreversibly');
  }
  if (args.some((a) => /^-f(print0?|printf|ls)$/.test(a)))
    ctx.v.add('caution', 'find -fprint: writes a file');
  const execIdx = args.findIndex((a) => /^-(exec|execdir|ok|okdir)$/.test(a));
  if (execIdx >= 0) {
    const inner = args[execIdx + 1] ?? '';
    if (
      (inner === 'rm' || inner === 'shred' || inner === 'unlink') &&
      paths.some((p) => isCatastrophicTarget(p, ctx.home))
    ) {
      ctx.v.add('blocked', `find ${paths.join(' ')} -exec ${inner}: deletes across ${paths.join(' ')}`);
    }
  }
}

function checkDd(args: string[], ctx: Ctx): void {
  const of = args.find((a) => a.startsWith('of='))?.slice(3);
  if (of === undefined) return;
  const cls = classifyPath(of, ctx.home);
  if (cls === 'device' || isBlockDevice(of))
    ctx.v.add('blocked', `dd of=${of}: overwrites a whole disk/partition`);
  else if (cls === 'system' || cls === 'root' || of.startsWith('/dev/'))
    ctx.v.add('dangerous', `dd of=${of}: overwrites a system file or device`);
  else if (cls !== 'null') ctx.v.add('caution', `dd writes ${of}`);
}

function checkKill(name: string, args: string[], ctx: Ctx): void {
  const ops = operands(args);
  if (
    name === 'kill' &&
    (ops.includes('1') || (args.includes('-1') && ops.length === 0) || ops.includes('-1'))
  ) {
    ctx.v.add('dangerous', 'kill 1 / kill -1: kills init or every process you own');
  } else if (name === 'killall5') ctx.v.add('dangerous', 'killall5: kills every process');
  else if (
    (name === 'pkill' || name === 'killall') &&
    ops.some((o) => /^(systemd|init|sshd|Xorg|gnome-shell|plasmashell|dbus-daemon)$/.test(o))
  ) {
    ctx.v.add('dangerous', `${name}: kills a process the session or system depends on`);
  } else ctx.v.add('caution', `${name}: terminates processes`);
}

function checkDb(name: string, args: string[], ctx: Ctx): void {
  const text = args.join(' ');
  if (
    /\b(drop\s+(database|table|schema)|truncate\s+table|delete\s+from\s+\w+\s*(;|$)|dropdb|flushall|flushdb|dropDatabase)\b/i.test(
      text,
    )
  )
    ctx.v.add('dangerous', `${name}: drops or empties database data`);
  else ctx.v.add('caution', `${name}: database client (may change data)`);
}

function checkOne(cmd: { name: string; args: string[]; dynamic: boolean }, ctx: Ctx): void {
  const raw = cmd.name;
  const name = baseName(raw);
  const args = cmd.args;
  const v = ctx.v;
  if (!raw) return;
  if (cmd.dynamic || raw.startsWith('$')) {
    v.add('caution', `the program name comes from a variable or substitution (${raw.slice(0, 40)})`);
    return;
  }
  // Wrappers first.
  const w = unwrap(name, args);
  if (w) {
    if (w.privileged) {
      if (w.inner.length === 0 && w.scripts.length === 0) {
        const interactive =
          name === 'su' ||
          w.ownArgs.some((a) => /^-[a-zA-Z]*[is]/.test(a) || a === '--login' || a === '--shell');
        v.add(interactive ? 'dangerous' : 'caution', interactive ? `${name}: opens a root shell` : `${name}`);
      }
      const before = new Verdict();
      const sub: Ctx = { ...ctx, v: before, privileged: true, depth: ctx.depth + 1 };
      for (const i of w.inner) checkOne({ name: i.name, args: i.args, dynamic: i.name.startsWith('$') }, sub);
      for (const s of w.scripts) checkScript(s, sub, `${name} -c`);
      const escalate: Risk =
        before.risk === 'safe' ? 'caution' : before.risk === 'caution' ? 'dangerous' : before.risk;
      v.add(
        escalate,
        before.risk === 'safe' ? `runs as root (${name})` : `privileged system change (${name})`,
      );
      v.merge(before, '', (r) => (r === 'safe' ? 'caution' : r === 'caution' ? 'dangerous' : r));
      return;
    }
    if (name === 'find') checkFind(args, ctx);
    if (name === 'ssh') v.add('caution', 'ssh: connects to a remote host');
    const sub: Ctx = { ...ctx, fedArgs: w.feedsArgs || ctx.fedArgs, depth: ctx.depth + 1 };
    for (const i of w.inner) {
      if (isShell(baseName(i.name)) && w.feedsArgs && !i.args.some((a) => a.startsWith('-c')))
        v.add('dangerous', `${name} feeds input to a shell`);
      checkOne({ name: i.name, args: i.args, dynamic: i.name.startsWith('$') || i.name.includes('$(') }, sub);
    }
    for (const s of w.scripts) {
      const how = name === 'eval' ? 'eval' : name === 'ssh' ? 'remote command' : `${name} -c`;
      if (/\$\(|`/.test(s) && /\b(curl|wget|fetch|base64|xxd|nc)\b/.test(s))
        v.add('dangerous', `${how}: runs code fetched or decoded at run time (remote code execution)`);
      else if (name === 'eval' && /\$/.test(s))
        v.add('dangerous', 'eval of expanded text: runs code that cannot be checked in advance');
      checkScript(s, ctx, how);
    }
    if (name === 'find' || w.inner.length + w.scripts.length > 0) return;
  }
  if (INTERPRETERS.has(name)) {
    const ops = operands(args);
    const codeFlag = args.findIndex((a) => /^-[a-zA-Z]*[ceEr]$/.test(a) && !a.startsWith('--'));
    if (codeFlag >= 0 && !isShell(name)) {
      const code = args[codeFlag + 1] ?? '';
      if (
        /rmtree|os\.remove|os\.unlink|\bunlink\b|rmdir|os\.system|subprocess|system\(|exec\(|shutil\.move|child_process|`|File\.delete|fs\.rm/.test(
          code,
        )
      )
        v.add('dangerous', `${name} code that deletes files or runs commands`);
      else if (/open\(.+['"][wa]|writeFile|File\.write/.test(code))
        v.add('caution', `${name} code that writes files`);
      else v.add('caution', `${name} runs inline code`);
      return;
    }
    if (args.some((a) => a.includes('<(') || a.includes('$(') || a.startsWith('/dev/fd/'))) {
      v.add(
        'dangerous',
        `${name} runs a script produced at run time (e.g. downloaded): remote code execution`,
      );
      return;
    }
    if (ops.length > 0)
      v.add('caution', `${name} runs the script ${ops[0] ?? ''} (its contents are not checked)`);
    else if (args.length === 0 || args.includes('-') || args.includes('-s') || args.includes('-i'))
      v.add('caution', `starts ${name}`);
    return;
  }
  if (name === 'source' || name === '.') {
    const t = args[0] ?? '';
    if (t.includes('<(') || t.includes('$(') || t.startsWith('/dev/fd'))
      v.add('dangerous', `${name} runs code produced at run time (remote code execution)`);
    else v.add('caution', `${name} ${t}: runs a script in the current shell (contents not checked)`);
    return;
  }
  if (
    name.startsWith('mkfs') ||
    name === 'mke2fs' ||
    name === 'mkswap' ||
    name === 'wipefs' ||
    name === 'blkdiscard'
  ) {
    const dev = operands(args).find((a) => a.startsWith('/dev/'));
    if (dev && isBlockDevice(dev)) v.add('blocked', `${name} ${dev}: erases the file system on a disk`);
    else v.add('dangerous', `${name}: erases a file system`);
    return;
  }
  if (DISK_TOOLS.has(name)) {
    const ro =
      (name === 'fdisk' || name === 'sfdisk' || name === 'parted') &&
      args.some((a) => a === '-l' || a === '--list' || a === '-d' || a === 'print');
    if (ro) v.add('caution', `${name}: lists partitions (root needed)`);
    else v.add('dangerous', `${name}: changes disks, partitions or volumes`);
    return;
  }
  if (POWER.has(name) || (name === 'init' && /^[0-6sS]$/.test(args[0] ?? ''))) {
    v.add('dangerous', `${name}: shuts down or restarts the machine`);
    return;
  }
  if (USER_ADMIN.has(name)) {
    v.add(
      name === 'passwd' && args.length === 0 ? 'caution' : 'dangerous',
      `${name}: changes user accounts or credentials`,
    );
    return;
  }
  if (KERNEL_ADMIN.has(name)) {
    const ro = name === 'sysctl' && !args.some((a) => a.includes('=') || a === '-w' || a === '-p');
    if (ro) return;
    v.add('dangerous', `${name}: changes the kernel or boot configuration`);
    return;
  }
  if (FIREWALL.has(name)) {
    const ro = args.some((a) => /^(-L|--list|-S|list|status|--list-all|--state|show)$/.test(a));
    v.add(
      ro ? 'caution' : 'dangerous',
      ro ? `${name}: reads firewall rules` : `${name}: changes the firewall`,
    );
    return;
  }
  if (name === 'mount' || name === 'umount' || name === 'swapoff' || name === 'swapon') {
    if (name === 'mount' && args.length === 0) return;
    v.add('dangerous', `${name}: changes mounted file systems`);
    return;
  }
  switch (name) {
    case 'find':
      checkFind(args, ctx);
      return;
    case 'rm':
    case 'unlink':
      checkRm(args, ctx, name);
      return;
    case 'shred':
      if (operands(args).some((t) => isBlockDevice(t))) v.add('blocked', 'shred on a disk device');
      v.add('dangerous', 'shred: destroys file contents irreversibly');
      return;
    case 'rmdir':
      for (const t of operands(args)) if (isCatastrophicTarget(t, ctx.home)) v.add('dangerous', `rmdir ${t}`);
      v.add('caution', 'rmdir: removes empty directories');
      return;
    case 'dd':
      checkDd(args, ctx);
      v.add('caution', 'dd: low-level copy');
      return;
    case 'chmod':
    case 'chown':
    case 'chgrp':
    case 'chattr':
    case 'setfacl':
      checkPerms(name, args, ctx);
      return;
    case 'mv': {
      const ops = operands(args);
      const dest = ops[ops.length - 1] ?? '';
      for (const s of ops.slice(0, -1))
        if (isCatastrophicTarget(s, ctx.home))
          v.add('blocked', `mv ${s}: moves away a system or home directory`);
      if (dest === '/dev/null') v.add('dangerous', 'mv … /dev/null: destroys the moved files');
      else if (ops.some((s) => ['system', 'root', 'secret'].includes(classifyPath(s, ctx.home))))
        v.add('dangerous', 'mv on system or credentials files');
      v.add('caution', `mv: moves/renames files (may overwrite ${dest || 'the target'})`);
      return;
    }
    case 'cp':
    case 'install':
    case 'rsync': {
      const ops = operands(args);
      const dest = ops[ops.length - 1] ?? '';
      if (name === 'rsync' && args.some((a) => a.startsWith('--delete') || a === '--remove-source-files'))
        v.add('dangerous', 'rsync --delete: deletes files on the destination');
      if (ops.length > 1 && ['system', 'root', 'device'].includes(classifyPath(dest, ctx.home)))
        v.add('dangerous', `${name} into a system location (${dest})`);
      if (name === 'rsync') {
        const secret = secretIn(ops.slice(0, -1), ctx.home);
        if (secret && /^[^/]*:/.test(dest))
          v.add('dangerous', `${name} copies a secret (${secret}) to a remote host`);
      }
      v.add('caution', `${name}: copies or links files (may overwrite)`);
      return;
    }
    case 'scp':
    case 'sftp': {
      const ops = operands(args);
      const secret = secretIn(ops.slice(0, -1), ctx.home);
      if (secret) v.add('dangerous', `${name} sends a secret (${secret}) to another host`);
      v.add('caution', `${name}: copies files over the network`);
      return;
    }
    case 'curl':
    case 'wget':
    case 'aria2c':
    case 'http':
      checkCurlLike(name, args, ctx);
      return;
    case 'nc':
    case 'ncat':
    case 'netcat':
    case 'socat':
    case 'telnet':
      if (args.some((a) => a === '-e' || a === '-c' || /^EXEC:|^SYSTEM:/i.test(a)))
        v.add('dangerous', `${name} -e: hands a shell to the network`);
      else v.add('caution', `${name}: raw network connection`);
      return;
    case 'git':
      checkGit(args, ctx);
      return;
    case 'apt':
    case 'apt-get':
    case 'aptitude':
    case 'dpkg':
    case 'rpm':
    case 'dnf':
    case 'yum':
    case 'pacman':
    case 'zypper':
    case 'snap':
    case 'flatpak':
    case 'brew':
    case 'npm':
    case 'pip':
    case 'pip3':
      checkPackages(name, args, ctx);
      return;
    case 'systemctl':
      checkSystemctl(args, ctx);
      return;
    case 'service':
      if (/^(stop|restart)$/.test(args[1] ?? ''))
        v.add('dangerous', `service ${args[0] ?? ''} ${args[1] ?? ''}`);
      else if (args[1] && args[1] !== 'status') v.add('caution', `service ${args.join(' ')}`);
      return;
    case 'kill':
    case 'pkill':
    case 'killall':
    case 'killall5':
      checkKill(name, args, ctx);
      return;
    case 'ssh-keygen':
      if (
        args.includes('-f') &&
        args.some((a) => classifyPath(a, ctx.home) === 'secret') &&
        !args.includes('-l') &&
        !args.includes('-y')
      )
        v.add('dangerous', 'ssh-keygen -f: may overwrite an existing SSH key');
      else if (!args.some((a) => a === '-l' || a === '-y' || a === '-F' || a === '-L'))
        v.add('caution', 'ssh-keygen: creates key files');
      return;
    case 'ln':
      if (
        args.some((a) => /^-[a-zA-Z]*f/.test(a)) &&
        operands(args).some(
          (t, i, all) =>
            i === all.length - 1 && (classifyPath(t, ctx.home) === 'system' || /^(~|\$HOME)\/\./.test(t)),
        )
      ) {
        v.add('dangerous', 'ln -f: replaces an existing system or configuration file with a link');
        return;
      }
      v.add('caution', 'ln: creates links (may overwrite)');
      return;
    case 'fuser':
      if (args.some((a) => /^-[a-zA-Z]*k/.test(a) || a === '--kill'))
        v.add('dangerous', 'fuser -k: kills every process using the file or port');
      return;
    case 'crontab':
      if (args.includes('-r')) v.add('dangerous', 'crontab -r: deletes all your scheduled jobs');
      else if (!args.includes('-l')) v.add('caution', 'crontab: changes scheduled jobs');
      return;
    case 'docker':
    case 'podman':
    case 'kubectl':
    case 'helm': {
      const text = args.join(' ');
      if (/\b(rm|rmi|prune|delete|uninstall|down|kill)\b/.test(text))
        v.add('dangerous', `${name}: deletes containers, images, volumes or resources`);
      else if (/\b(run|exec)\b.*(--privileged|-v\s*\/:|--volume[= ]\/:|--pid[= ]host)/.test(text))
        v.add('dangerous', `${name}: privileged container with host access`);
      else if (
        !/^(ps|images|logs|inspect|version|info|stats|top|get|describe|ls|history|search|events|port|diff)\b/.test(
          operands(args)[0] ?? '',
        )
      )
        v.add('caution', `${name} ${operands(args)[0] ?? ''}: changes containers or cluster state`);
      return;
    }
    case 'mysql':
    case 'psql':
    case 'sqlite3':
    case 'mongo':
    case 'mongosh':
    case 'redis-cli':
      checkDb(name, args, ctx);
      return;
    case 'sed':
      if (args.some((a) => /^-[a-zA-Z]*i/.test(a) || a.startsWith('--in-place')))
        v.add('caution', 'sed -i: edits files in place');
      else if (args.some((a) => /(^|;)\s*[0-9,$/]*\s*[we]\s/.test(a)))
        v.add('caution', 'sed script writes files or runs commands');
      return;
    case 'awk':
    case 'gawk':
    case 'mawk':
      if (args.some((a) => /system\s*\(|\|\s*"|print[^;]*>\s*"/.test(a)))
        v.add('caution', 'awk program runs commands or writes files');
      if (args.includes('-i') && args.includes('inplace'))
        v.add('caution', 'awk -i inplace: edits files in place');
      return;
    case 'sort':
      if (args.some((a) => a === '-o' || a.startsWith('--output')))
        v.add('caution', 'sort -o: writes a file');
      return;
    case 'base64':
      if (args.some((a) => a === '-o' || a.startsWith('--output')))
        v.add('caution', 'base64 -o: writes a file');
      return;
    case 'journalctl':
      if (args.some((a) => a.startsWith('--vacuum') || a === '--rotate' || a === '--flush'))
        v.add('caution', 'journalctl: deletes or rotates logs');
      return;
    case 'ip':
    case 'ifconfig':
    case 'nmcli':
    case 'route':
      if (
        args.some((a) =>
          /^(add|del|delete|flush|set|change|replace|down|up|modify|connect|disconnect|off)$/.test(a),
        )
      )
        v.add(ctx.privileged ? 'dangerous' : 'caution', `${name}: changes network configuration`);
      return;
    case 'history':
      if (args.includes('-c') || args.includes('-d')) v.add('caution', 'history -c: clears shell history');
      return;
    case 'truncate':
      v.add('dangerous', 'truncate: cuts file contents irreversibly');
      return;
    case 'export':
    case 'unset':
      if (args.some((a) => /^(PATH|LD_PRELOAD|LD_LIBRARY_PATH|HOME)(=|$)/.test(a)))
        v.add('caution', `${name} changes ${args.join(' ').slice(0, 40)} for the session`);
      return;
    case 'env':
    case 'printenv':
      return;
    case 'tee':
      for (const t of operands(args)) {
        const cls = classifyPath(t, ctx.home);
        if (cls === 'device') v.add('blocked', `tee writes to the disk device ${t}`);
        else if (cls === 'system' || cls === 'root' || cls === 'secret')
          v.add('dangerous', `tee overwrites ${t}`);
      }
      v.add('caution', 'tee: writes files');
      return;
    case 'cat':
    case 'less':
    case 'more':
    case 'head':
    case 'tail':
    case 'grep':
    case 'strings':
    case 'xxd':
    case 'base32': {
      const secret = secretIn(operands(args), ctx.home);
      if (secret) v.add('caution', `reads a secret file (${secret})`);
      return;
    }
    default:
      break;
  }
  if (PURE_READERS.has(name)) return;
  // `command -v NAME` only looks a name up
  if (name === 'command' && args.some((a) => /^-[a-zA-Z]*[vV]/.test(a))) return;
  const sub = operands(args).slice(0, 3).join(' ').toLowerCase();
  if (
    /\b(delete|destroy|purge|wipe|drop|flushall)\b/.test(sub) ||
    args.some((a) => /^--(delete|destroy|purge|wipe)(-|$)/.test(a) || /^--delete-secret/.test(a))
  ) {
    v.add('dangerous', `${name} ${sub || args.join(' ')}`.slice(0, 80) + ': deletes data');
    return;
  }
  if (MAY_CHANGE_FILES.has(name)) {
    v.add('caution', `${name}: may change files`);
    return;
  }
  if (
    /^(mk|make|touch|tar|zip|unzip|gzip|gunzip|bzip2|bunzip2|xz|unxz|7z|split|patch|rename|convert|ffmpeg|gcc|cc|g\+\+|go|cargo|npx|yarn|pnpm|make)$/.test(
      name,
    ) ||
    name === 'mkdir' ||
    name === 'touch'
  ) {
    v.add('caution', `${name}: creates or changes files`);
    return;
  }
  if (
    /^(aws|gcloud|az|gsutil|s3cmd|terraform|tofu|pulumi|heroku|doctl|flyctl|vercel|firebase|supabase)$/.test(
      name,
    ) ||
    name.endsWith('-cli')
  ) {
    if (
      /\b(rm|rb|delete|destroy|remove|purge|drop|flushall|flushdb|terminate|wipe|reset)\b/.test(sub) ||
      (args.includes('--recursive') && /\brm\b/.test(sub))
    ) {
      v.add('dangerous', `${name} ${sub}: deletes cloud or database resources`);
      return;
    }
    v.add('caution', `${name}: changes remote resources (not inspected in detail)`);
    return;
  }
  if (raw.startsWith('./') || raw.startsWith('/') || raw.includes('/'))
    v.add('caution', `runs ${raw} (a program or script the checker does not know)`);
  else v.add('caution', `${name}: unknown program, effects not known`);
}

function checkPipelines(parsed: ParsedScript, ctx: Ctx): void {
  const byPipe = new Map<number, SimpleCommand[]>();
  for (const c of parsed.commands) {
    if (!c.pipeline) continue;
    const list = byPipe.get(c.pipeline.id) ?? [];
    list.push(c);
    byPipe.set(c.pipeline.id, list);
  }
  for (const cmds of byPipe.values()) {
    cmds.sort((a, b) => (a.pipeline?.position ?? 0) - (b.pipeline?.position ?? 0));
    const names = cmds.map((c) => {
      let n = baseName(c.name);
      let a = c.args;
      for (let i = 0; i < 4; i++) {
        const w = unwrap(n, a);
        const first = w?.inner[0];
        if (!w || !first || n === 'find') break;
        n = baseName(first.name);
        a = first.args;
      }
      return { n, a, c };
    });
    for (let i = 1; i < names.length; i++) {
      const cur = names[i];
      if (!cur) continue;
      const sink =
        INTERPRETERS.has(cur.n) &&
        !cur.a.some((x) => x === '-c' || x === '-e') &&
        operands(cur.a).filter((x) => x !== '-').length === 0;
      if (!sink) continue;
      const upstream = names.slice(0, i);
      const fetch = upstream.find((u) => DOWNLOADERS.has(u.n));
      const decode = upstream.find(
        (u) =>
          (u.n === 'base64' && u.a.some((x) => /^-[a-zA-Z]*d|--decode/.test(x))) ||
          (u.n === 'xxd' && u.a.includes('-r')) ||
          u.n === 'openssl',
      );
      const literal = upstream.every((u) => (u.n === 'echo' || u.n === 'printf') && !u.c.text.includes('$'));
      if (fetch)
        ctx.v.add('dangerous', `pipes a download from ${fetch.n} into ${cur.n}: remote code execution`);
      else if (decode) ctx.v.add('dangerous', `decodes hidden data and runs it with ${cur.n}`);
      else if (literal && ctx.depth < MAX_DEPTH)
        checkScript(upstream.map((u) => u.a.join(' ')).join('\n'), ctx, `piped into ${cur.n}`);
      else ctx.v.add('dangerous', `pipes data into ${cur.n}: runs code that cannot be checked in advance`);
    }
    // secret | network sender
    const readsSecret = names.some(
      (u) =>
        secretIn(u.a, ctx.home) !== null ||
        u.c.redirects.some((r) => r.op === '<' && classifyPath(r.target, ctx.home) === 'secret'),
    );
    const sends = names.find((u, i) => i > 0 && NETWORK_SENDERS.has(u.n));
    if (readsSecret && sends)
      ctx.v.add('dangerous', `sends a secret file over the network with ${sends.n}: possible exfiltration`);
  }
}

function analyse(source: string, ctx: Ctx): Verdict {
  const v = new Verdict();
  const sub: Ctx = { ...ctx, v };
  let parsed: ParsedScript;
  try {
    parsed = extractCommands(source);
  } catch (err) {
    v.add('caution', `could not parse the command (${err instanceof Error ? err.message : String(err)})`);
    return v;
  }
  if (parsed.hasError)
    v.add(
      'caution',
      'the command has a syntax error (unbalanced quotes or brackets?) and could only be checked in part',
    );
  if (
    /:\s*\(\)\s*\{\s*:\s*\|\s*:\s*&\s*\}\s*;?\s*:/.test(source) ||
    /(\w+)\s*\(\)\s*\{[^}]*\b\1\s*\|\s*\1\s*&/.test(source)
  ) {
    v.add('blocked', 'fork bomb: spawns processes until the machine hangs');
  }
  if (parsed.notes.includes('function definition')) v.add('caution', 'defines a shell function');
  for (const r of parsed.looseRedirects) checkRedirect(r, sub);
  for (const c of parsed.commands) {
    for (const r of c.redirects) checkRedirect(r, sub);
    checkOne({ name: c.name, args: c.args, dynamic: c.dynamicName }, sub);
    if (
      c.name &&
      c.args.some((a) => a.includes('$(') || a.includes('`')) &&
      /\b(curl|wget)\b/.test(c.text) &&
      INTERPRETERS.has(baseName(c.name))
    ) {
      v.add('dangerous', 'runs a downloaded script: remote code execution');
    }
  }
  checkPipelines(parsed, sub);
  const all = parsed.commands.map((c) => baseName(c.name));
  const secretRead = parsed.commands.some((c) => secretIn(c.args, ctx.home) !== null);
  if (secretRead && all.some((n) => NETWORK_SENDERS.has(n)))
    v.add('dangerous', 'reads a secret file and uses the network in the same command: possible exfiltration');
  if (
    parsed.commands.length === 0 &&
    parsed.looseRedirects.length === 0 &&
    source.trim() &&
    !parsed.hasError
  ) {
    if (!/^\s*(#.*)?$/.test(source)) v.add('caution', 'no command found');
  }
  return v;
}

/** Synchronous check; initBashParser() must have resolved. */
export function checkCommandSync(cmd: string, options: SafetyOptions = {}): SafetyVerdict {
  const home = options.home ?? homedir();
  if (typeof cmd !== 'string' || cmd.trim() === '')
    return { risk: 'caution', reasons: ['empty command: nothing to check'] };
  if (cmd.length > MAX_LENGTH)
    return {
      risk: 'caution',
      reasons: [`command is ${cmd.length} characters long; only commands up to ${MAX_LENGTH} are checked`],
    };
  const v = new Verdict();
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(cmd))
    v.add('caution', 'contains control characters or binary bytes');
  if (/[\u202a-\u202e\u2066-\u2069\u200b-\u200f]/.test(cmd))
    v.add('caution', 'contains invisible or bidirectional Unicode characters');
  // eslint-disable-next-line no-control-regex
  const cleaned = cmd.replace(/\u0000/g, '');
  const inner = analyse(cleaned, { v, home, depth: 0, privileged: false, fedArgs: false });
  v.merge(inner);
  return { risk: v.risk, reasons: v.reasons.length > 0 ? v.reasons : ['read-only'] };
}

export async function checkCommand(cmd: string, options: SafetyOptions = {}): Promise<SafetyVerdict> {
  await initBashParser();
  return checkCommandSync(cmd, options);
}
