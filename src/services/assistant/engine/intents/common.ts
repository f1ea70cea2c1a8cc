/**
 * What every everyday-intent file shares: the intent's shape, shell quoting, the package
 * managers' verbs, the systemd units and applications people name, log files, and the request's
 * names (files, hosts, times).
 */
import type { Slot } from '../slots';

export interface IntentAnswer {
  command: string;
  explanation: string;
}

export interface IntentInput {
  /** the request, lower-cased */
  t: string;
  /** the request as typed (names keep their case) */
  raw: string;
  slots: Slot[];
  packageManager: string | null;
  /** programs on PATH, when known (tells "remove vlc" the package from "remove notes" the file) */
  commands?: ReadonlySet<string>;
}

export interface Intent {
  id: string;
  when: RegExp;
  unless?: RegExp;
  confidence: number;
  build: (m: RegExpExecArray, i: IntentInput) => IntentAnswer | null;
}

/** Quotes a value for the shell only when it needs it. */
export function shq(v: string): string {
  return /^[\w@%+=:,./~-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`;
}

export const answer = (command: string, explanation: string): IntentAnswer => ({ command, explanation });

/** Package-manager verbs; apt when the machine's manager is unknown. */
const PM: Record<
  string,
  {
    install: string;
    remove: string;
    refresh: string;
    upgrade: string;
    search: string;
    show: string;
    owner: string;
    installed: string;
    autoremove: string;
  }
> = {
  apt: {
    install: 'sudo apt install',
    remove: 'sudo apt remove',
    refresh: 'sudo apt update',
    upgrade: 'sudo apt update && sudo apt upgrade',
    search: 'apt search',
    show: 'apt show',
    owner: 'dpkg -S',
    installed: 'dpkg -l',
    autoremove: 'sudo apt autoremove',
  },
  dnf: {
    install: 'sudo dnf install',
    remove: 'sudo dnf remove',
    refresh: 'sudo dnf makecache',
    upgrade: 'sudo dnf upgrade',
    search: 'dnf search',
    show: 'dnf info',
    owner: 'rpm -qf',
    installed: 'rpm -qa',
    autoremove: 'sudo dnf autoremove',
  },
  yum: {
    install: 'sudo yum install',
    remove: 'sudo yum remove',
    refresh: 'sudo yum makecache',
    upgrade: 'sudo yum update',
    search: 'yum search',
    show: 'yum info',
    owner: 'rpm -qf',
    installed: 'rpm -qa',
    autoremove: 'sudo yum autoremove',
  },
  pacman: {
    install: 'sudo pacman -S',
    remove: 'sudo pacman -R',
    refresh: 'sudo pacman -Sy',
    upgrade: 'sudo pacman -Syu',
    search: 'pacman -Ss',
    show: 'pacman -Si',
    owner: 'pacman -Qo',
    installed: 'pacman -Q',
    autoremove: 'sudo pacman -Rns $(pacman -Qdtq)',
  },
  zypper: {
    install: 'sudo zypper install',
    remove: 'sudo zypper remove',
    refresh: 'sudo zypper refresh',
    upgrade: 'sudo zypper update',
    search: 'zypper search',
    show: 'zypper info',
    owner: 'rpm -qf',
    installed: 'rpm -qa',
    autoremove: 'sudo zypper remove --clean-deps',
  },
  apk: {
    install: 'sudo apk add',
    remove: 'sudo apk del',
    refresh: 'sudo apk update',
    upgrade: 'sudo apk update && sudo apk upgrade',
    search: 'apk search',
    show: 'apk info',
    owner: 'apk info --who-owns',
    installed: 'apk info',
    autoremove: 'sudo apk cache clean',
  },
};

export function pm(i: IntentInput): { name: string; v: (typeof PM)['apt'] } {
  const name = i.packageManager && PM[i.packageManager] ? i.packageManager : 'apt';
  return { name, v: PM[name] as (typeof PM)['apt'] };
}

/** systemd units people name in requests (lower case → unit name). */
const SERVICES = new Map<string, string>(
  [
    'nginx',
    'apache2',
    'httpd',
    'ssh',
    'sshd',
    'docker',
    'containerd',
    'mysql',
    'mariadb',
    'postgresql',
    'redis',
    'redis-server',
    'mongod',
    'cups',
    'bluetooth',
    'NetworkManager',
    'cron',
    'crond',
    'ufw',
    'firewalld',
    'systemd-resolved',
    'systemd-timesyncd',
    'systemd-networkd',
    'gdm',
    'gdm3',
    'lightdm',
    'sddm',
    'avahi-daemon',
    'php-fpm',
    'jenkins',
    'tomcat',
    'squid',
    'bind9',
    'named',
    'dnsmasq',
    'postfix',
    'dovecot',
    'smbd',
    'nmbd',
    'nfs-server',
    'rsyslog',
    'snapd',
    'libvirtd',
    'fail2ban',
    'haproxy',
    'memcached',
    'rabbitmq-server',
    'grafana-server',
    'prometheus',
    'elasticsearch',
    'caddy',
    'podman',
    'cockpit',
    'wpa_supplicant',
    'apparmor',
    'chrony',
    'ntp',
    'openvpn',
    'wireguard',
    'tailscaled',
    'pipewire',
    'pulseaudio',
    'upower',
    'thermald',
    'tlp',
    'zram-config',
    'unattended-upgrades',
  ].map((u) => [u.toLowerCase(), u]),
);

export const NOT_A_NAME = new Set([
  'a',
  'an',
  'the',
  'my',
  'all',
  'it',
  'this',
  'that',
  'every',
  'web',
  'new',
  'computer',
  'machine',
  'system',
  'pc',
  'laptop',
  'server',
  'process',
  'program',
  'download',
  'over',
  'from',
  'again',
]);

/** The first systemd unit the request names, if any. */
export function unitIn(t: string): string | null {
  if (/\bnetwork ?manager\b/.test(t)) return 'NetworkManager';
  for (const w of t.split(/[^\w@.-]+/)) {
    const u = unitName(w);
    if (u) return u;
  }
  return null;
}

export function unitName(word: string): string | null {
  const w = word.replace(/\.service$/, '').replace(/^network-?manager$/, 'networkmanager');
  if (NOT_A_NAME.has(w)) return null;
  return SERVICES.get(w) ?? null;
}

/** Applications people install and remove by name (package names on Debian and most others). */
export const APPLICATIONS = new Set(
  (
    'vlc firefox chromium thunderbird gimp inkscape blender audacity obs-studio kdenlive shotwell ' +
    'rhythmbox totem evince okular libreoffice transmission qbittorrent filezilla steam wine ' +
    'htop btop neofetch tmux screen vim neovim emacs nano git curl wget tree zsh fish ' +
    'docker.io podman nginx apache2 mariadb-server postgresql redis-server openssh-server ' +
    'gparted synaptic timeshift virtualbox flatpak snapd keepassxc remmina ffmpeg imagemagick'
  ).split(' '),
);

/** Log files known by name. */
const LOG_FILES: Array<[RegExp, string]> = [
  [/\bnginx(?:'s)? error log\b/, '/var/log/nginx/error.log'],
  [/\bnginx(?:'s)? (?:access )?log\b/, '/var/log/nginx/access.log'],
  [/\bapache2?(?:'s)? error log\b/, '/var/log/apache2/error.log'],
  [/\bapache2?(?:'s)? (?:access )?log\b/, '/var/log/apache2/access.log'],
  [/\bsyslog\b|\bsystem log file\b/, '/var/log/syslog'],
  [/\bauth(?:entication)?(?:\.log| log)\b/, '/var/log/auth.log'],
  [/\bkern(?:\.log| log)\b/, '/var/log/kern.log'],
  [/\bdpkg(?:\.log| log)\b/, '/var/log/dpkg.log'],
  [/\bapt (?:history|log)\b/, '/var/log/apt/history.log'],
  [/\bxorg(?:\.0\.log| log)\b/, '/var/log/Xorg.0.log'],
];

export function logFile(t: string, slots: Slot[]): string | null {
  const named = slots.find(
    (s) => (s.kind === 'path' || s.kind === 'file') && /\.log(\.\d+)?$|^\/var\/log\/.*[^/]$/.test(s.value),
  );
  if (named) return named.value;
  for (const [re, path] of LOG_FILES) if (re.test(t)) return path;
  return null;
}

/** journalctl options for a time the request names. */
export function journalTime(t: string): string {
  if (/\bsince (the )?(last )?boot\b|\bthis boot\b|\bcurrent boot\b|\bboot (errors|logs?|messages)\b/.test(t))
    return ' -b';
  if (/\b(previous|last) boot\b/.test(t)) return ' -b -1';
  if (/\byesterday\b/.test(t)) return ' --since yesterday';
  if (/\btoday\b/.test(t)) return ' --since today';
  const m = /\b(?:last|past)\s+(\d+)\s*(minute|min|hour|day)s?\b/.exec(t);
  if (m) return ` --since '${m[1]} ${m[2] === 'min' ? 'minute' : m[2]} ago'`;
  const one = /\b(?:last|past) (minute|hour|day)\b/.exec(t);
  if (one) return ` --since '1 ${one[1]} ago'`;
  return '';
}

export function lines(t: string): string | null {
  return /\b(?:last|latest|recent|final)\s+(\d{1,6})\b/.exec(t)?.[1] ?? null;
}

export const file = (i: IntentInput): string | undefined =>
  i.slots.find((s) => s.kind === 'file' || s.kind === 'path')?.value;
export const files = (i: IntentInput): string[] =>
  i.slots
    .filter(
      (s) =>
        s.kind === 'file' || s.kind === 'path' || (s.kind === 'quoted' && /^[^\s]*[./][^\s]*$/.test(s.value)),
    )
    .map((s) => s.value);
/** Where a file search starts: the path the request names, else ~ when it mentions home, else `.`. */
export const searchRoot = (i: IntentInput): string =>
  i.slots.find((s) => s.kind === 'path')?.value ?? (/\bhome\b/.test(i.t) ? '~' : '.');
/** A word of the request as a name: quotes and trailing punctuation removed. */
export const bare = (v: string | undefined): string | undefined => v?.replace(/^["'`]+|["'`.,;:!?]+$/g, '');
export const host = (t: string): string | null =>
  /\b((?:[a-z0-9-]+\.)+[a-z]{2,}|\d{1,3}(?:\.\d{1,3}){3}|localhost)\b/.exec(t)?.[1] ?? null;

/** The usual folders of a home directory, as a request names them ("my downloads folder"). */
const HOME_DIRS: Record<string, string> = {
  downloads: 'Downloads',
  documents: 'Documents',
  pictures: 'Pictures',
  photos: 'Pictures',
  music: 'Music',
  videos: 'Videos',
  desktop: 'Desktop',
  templates: 'Templates',
  public: 'Public',
};

/** "my downloads (folder)", "to Pictures" → ~/Downloads, ~/Pictures; null when none is named. */
export function homeSubdir(t: string): string | null {
  const m =
    /\b(?:my|the|to|into|in)\s+(downloads|documents|pictures|photos|music|videos|desktop|templates|public)\b/.exec(
      t,
    );
  return m?.[1] ? `~/${HOME_DIRS[m[1]] ?? m[1]}` : null;
}

/** A place named in words: "my home (folder)" → ~, else a home subfolder as homeSubdir. */
export function homePlace(t: string): string | null {
  if (/\bmy home\b|\bhome (directory|folder|dir)\b/.test(t)) return '~';
  return homeSubdir(t);
}
