/**
 * Everyday intents: a catalogue of the requests a desktop or server user types most (services,
 * logs, packages, users, permissions, network, hardware, git, archives, text), each a pattern on
 * the lower-cased request and a builder that fills in the names the request gives. Complements
 * the find-centred rules in rules.ts; package commands follow the machine's package manager.
 */
import type { Slot } from './slots';

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

interface Intent {
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

const answer = (command: string, explanation: string): IntentAnswer => ({ command, explanation });

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

function pm(i: IntentInput): { name: string; v: (typeof PM)['apt'] } {
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

const NOT_A_NAME = new Set([
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
function unitIn(t: string): string | null {
  if (/\bnetwork ?manager\b/.test(t)) return 'NetworkManager';
  for (const w of t.split(/[^\w@.-]+/)) {
    const u = unitName(w);
    if (u) return u;
  }
  return null;
}

function unitName(word: string): string | null {
  const w = word.replace(/\.service$/, '').replace(/^network-?manager$/, 'networkmanager');
  if (NOT_A_NAME.has(w)) return null;
  return SERVICES.get(w) ?? null;
}

/** Applications people install and remove by name (package names on Debian and most others). */
const APPLICATIONS = new Set(
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

function logFile(t: string, slots: Slot[]): string | null {
  const named = slots.find(
    (s) => (s.kind === 'path' || s.kind === 'file') && /\.log(\.\d+)?$|^\/var\/log\/.*[^/]$/.test(s.value),
  );
  if (named) return named.value;
  for (const [re, path] of LOG_FILES) if (re.test(t)) return path;
  return null;
}

/** journalctl options for a time the request names. */
function journalTime(t: string): string {
  if (/\bsince (the )?(last )?boot\b|\bthis boot\b|\bcurrent boot\b/.test(t)) return ' -b';
  if (/\b(previous|last) boot\b/.test(t)) return ' -b -1';
  if (/\byesterday\b/.test(t)) return ' --since yesterday';
  if (/\btoday\b/.test(t)) return ' --since today';
  const m = /\b(?:last|past)\s+(\d+)\s*(minute|min|hour|day)s?\b/.exec(t);
  if (m) return ` --since '${m[1]} ${m[2] === 'min' ? 'minute' : m[2]} ago'`;
  const one = /\b(?:last|past) (minute|hour|day)\b/.exec(t);
  if (one) return ` --since '1 ${one[1]} ago'`;
  return '';
}

function lines(t: string): string | null {
  return /\b(?:last|latest|recent|final)\s+(\d{1,6})\b/.exec(t)?.[1] ?? null;
}

const file = (i: IntentInput): string | undefined =>
  i.slots.find((s) => s.kind === 'file' || s.kind === 'path')?.value;
const files = (i: IntentInput): string[] =>
  i.slots
    .filter(
      (s) =>
        s.kind === 'file' || s.kind === 'path' || (s.kind === 'quoted' && /^[^\s]*[./][^\s]*$/.test(s.value)),
    )
    .map((s) => s.value);
/** A word of the request as a name: quotes and trailing punctuation removed. */
const bare = (v: string | undefined): string | undefined => v?.replace(/^["'`]+|["'`.,;:!?]+$/g, '');
const host = (t: string): string | null =>
  /\b((?:[a-z0-9-]+\.)+[a-z]{2,}|\d{1,3}(?:\.\d{1,3}){3}|localhost)\b/.exec(t)?.[1] ?? null;

const INTENTS: Intent[] = [
  // ---- systemd services
  {
    id: 'service-reload-units',
    when: /\b(reload|rescan)\b.*\b(systemd|unit files|units|daemon)\b|\bdaemon-reload\b/,
    confidence: 0.92,
    build: () => answer('sudo systemctl daemon-reload', 'makes systemd re-read its unit files'),
  },
  {
    id: 'service-verb-network-manager',
    when: /\b(restart|start|stop|reload)\s+(?:the\s+)?(?:network ?manager|networking|the network|network)\b/,
    confidence: 0.92,
    build: (m) =>
      answer(`sudo systemctl ${m[1] as string} NetworkManager`, `${m[1] as string}s NetworkManager`),
  },
  {
    id: 'service-verb',
    when: /\b(restart|start|stop|reload|enable|disable)\s+(?:the\s+)?([a-z][\w@.-]*)(\s+(?:service|daemon|unit|server))?/,
    unless:
      /\b(process|program|app|container|vm|download|timer for|recording|video|project)\b|\bfrom (starting|running|launching)\b|\b(start|run|launch)\b.*\b(at|on) (boot|startup)\b/,
    confidence: 0.92,
    build: (m, i) => {
      const verb = m[1] as string;
      const word = m[2] as string;
      const explicit = Boolean(m[3]) || /\.service$/.test(word);
      const unit =
        unitName(word) ?? (explicit && !NOT_A_NAME.has(word) ? word.replace(/\.service$/, '') : null);
      if (!unit) return null;
      const boot = /\b(at|on) (boot|startup|start-?up)\b|\bautomatically\b/.test(i.t);
      const now = (verb === 'enable' || verb === 'disable') && /\b(now|right away|immediately)\b/.test(i.t);
      return answer(
        `sudo systemctl ${verb}${now ? ' --now' : ''} ${unit}`,
        verb === 'enable' || verb === 'disable'
          ? `${verb === 'enable' ? 'starts' : 'no longer starts'} ${unit} at boot${now ? `, and ${verb === 'enable' ? 'starts' : 'stops'} it now` : ''}${boot ? '' : ''}`
          : `${verb}s the systemd service ${unit}`,
      );
    },
  },
  {
    id: 'service-boot',
    when: /\b(?:make|have|let|set)\s+(?:the\s+)?([a-z][\w@.-]*)\s+(?:service\s+)?(?:start|run|launch)\s+(?:automatically\s+)?(?:at|on|when|after)\s+(?:the\s+)?(?:boot|startup|start-?up|login)|\b(?:start|run|launch)\s+(?:the\s+)?([a-z][\w@.-]*)\s+(?:service\s+)?(?:automatically\s+)?(?:at|on)\s+(?:boot|startup)|\b(?:stop|prevent|keep)\s+(?:the\s+)?([a-z][\w@.-]*)\s+(?:service\s+)?from\s+(?:starting|running|launching)/,
    confidence: 0.92,
    build: (m, i) => {
      const word = (m[1] ?? m[2] ?? m[3]) as string;
      const unit = unitName(word) ?? (/\bservice\b/.test(i.t) && !NOT_A_NAME.has(word) ? word : null);
      if (!unit) return null;
      return m[3]
        ? answer(`sudo systemctl disable ${unit}`, `${unit} no longer starts at boot`)
        : answer(`sudo systemctl enable ${unit}`, `${unit} starts at every boot`);
    },
  },
  {
    id: 'service-status',
    when: /\b(?:is|are)\s+(?:the\s+)?([a-z][\w@.-]*)\s+(?:service\s+|daemon\s+|server\s+)?(running|up|active|alive|started|working|enabled)\b|\bstatus of (?:the\s+)?([a-z][\w@.-]*)|\bcheck (?:the\s+)?(?:status of (?:the\s+)?)?([a-z][\w@.-]*)\s+(?:service|daemon)\b|\b([a-z][\w@.-]*)\s+(?:service\s+)?status\b/,
    confidence: 0.9,
    build: (m, i) => {
      const word = (m[1] ?? m[3] ?? m[4] ?? m[5]) as string;
      const unit = unitName(word) ?? unitIn(i.t);
      if (unit) {
        if (m[2] === 'enabled')
          return answer(`systemctl is-enabled ${unit}`, `whether ${unit} starts at boot`);
        return answer(`systemctl status ${unit}`, `state, main process and latest log lines of ${unit}`);
      }
      if (!m[1] || NOT_A_NAME.has(word) || /\bservice|daemon\b/.test(i.t)) return null;
      return answer(
        `pgrep -a ${shq(word)}`,
        `running processes whose name contains ${word}, with their command lines`,
      );
    },
  },
  {
    id: 'service-list',
    when: /\b(list|show|which|what)\b.*\b(services|units|daemons)\b/,
    unless: /\bfailed\b/,
    confidence: 0.88,
    build: (_m, i) =>
      /\b(enabled|at boot|startup)\b/.test(i.t)
        ? answer('systemctl list-unit-files --type=service --state=enabled', 'services that start at boot')
        : answer(
            'systemctl list-units --type=service --state=running',
            'systemd services that are running now',
          ),
  },
  {
    id: 'timers',
    when: /\b(systemd )?timers\b/,
    confidence: 0.88,
    build: () => answer('systemctl list-timers', 'systemd timers with their next and last run'),
  },
  // ---- logs
  {
    id: 'service-logs',
    when: /\b(logs?|journal)\b/,
    confidence: 0.9,
    build: (_m, i) => {
      const explicit = /\b([a-z][\w@.-]*)\s+(?:service|daemon|unit)\b/.exec(i.t)?.[1];
      const unit = unitIn(i.t) ?? (explicit && !NOT_A_NAME.has(explicit) ? explicit : null);
      if (!unit || logFile(i.t, i.slots)) return null;
      const n = lines(i.t);
      const follow = /\b(follow|live|tail|watch|stream|as they|real.?time)\b/.test(i.t);
      const err = /\berrors?\b/.test(i.t) ? ' -p err' : '';
      return answer(
        `journalctl -u ${unit}${err}${journalTime(i.t)}${n ? ` -n ${n}` : ''}${follow ? ' -f' : ''}`,
        `the journal of the ${unit} service${follow ? ', following new lines' : ''}`,
      );
    },
  },
  {
    id: 'log-file',
    when: /\blog\b|\blogs\b|\bsyslog\b|\.log\b/,
    unless:
      /\b(count|how many|sort|each|unique|frequent|delete|remove|compress|archive|zip|copy|move|size|rotate|empty|truncate|clear|files|find|search|modified|older|newer|common|top|most)\b/,
    confidence: 0.9,
    build: (_m, i) => {
      const path = logFile(i.t, i.slots);
      if (!path) return null;
      const sudo =
        path.startsWith('/var/log/') && !/\/(syslog|Xorg\.0\.log|dpkg\.log|apt\/history\.log)$/.test(path)
          ? 'sudo '
          : '';
      const n = lines(i.t) ?? /\b(?:first)\s+(\d{1,6})\b/.exec(i.t)?.[1] ?? null;
      if (/\b(follow|live|watch|as it grows|real.?time|stream|tail -f)\b/.test(i.t))
        return answer(`${sudo}tail -f ${shq(path)}`, `prints new lines of ${path} as they are written`);
      const pat =
        i.slots.find((s) => s.kind === 'quoted')?.value ?? (/\berrors?\b/.test(i.t) ? 'error' : null);
      if (pat) return answer(`${sudo}grep -i ${shq(pat)} ${shq(path)}`, `lines of ${path} mentioning ${pat}`);
      if (/\bfirst\b/.test(i.t))
        return answer(`${sudo}head -n ${n ?? '10'} ${shq(path)}`, `the first lines of ${path}`);
      return answer(`${sudo}tail -n ${n ?? '50'} ${shq(path)}`, `the last ${n ?? '50'} lines of ${path}`);
    },
  },
  {
    id: 'journal',
    when: /\bjournal\b|\bjournalctl\b|\bsystem (logs?|messages)\b|\bboot (logs?|messages)\b|\blogs? (since|from|of) (the )?(last |previous |this )?boot\b/,
    confidence: 0.88,
    build: (_m, i) => {
      const err = /\berrors?\b|\bfailures?\b|\bproblems?\b/.test(i.t) ? ' -p err' : '';
      const n = lines(i.t);
      const follow = /\b(follow|live|watch|stream|as they|real.?time)\b/.test(i.t);
      return answer(
        `journalctl${err}${journalTime(i.t)}${n ? ` -n ${n}` : ''}${follow ? ' -f' : ''}`,
        `the systemd journal${err ? ', errors only' : ''}${follow ? ', following new entries' : ''}`,
      );
    },
  },
  {
    id: 'kernel-messages',
    when: /\bkernel (messages|logs?|ring buffer|errors)\b|\bdmesg\b/,
    confidence: 0.9,
    build: (_m, i) =>
      /\b(follow|live|watch)\b/.test(i.t)
        ? answer('sudo dmesg -w', 'kernel messages, following new ones')
        : answer('sudo dmesg -T', 'kernel ring buffer messages with readable timestamps'),
  },
  // ---- packages
  {
    id: 'package-install',
    when: /\b(?:install|add)\s+(?:the\s+)?(?:package\s+|program\s+|tool\s+)?([a-z0-9][a-z0-9+.-]*)\b/,
    unless:
      /\b(user|group|key|cron|crontab|alias|font|printer|to the|to group|ssh key)\b|\badd\b.*\b(to|into|in)\b/,
    confidence: 0.9,
    build: (m, i) => {
      const name = m[1] as string;
      if (['a', 'an', 'the', 'package', 'packages', 'it', 'updates', 'all', 'new', 'some'].includes(name))
        return null;
      const p = pm(i);
      return answer(`${p.v.install} ${name}`, `installs the package ${name} with ${p.name}`);
    },
  },
  {
    id: 'package-remove',
    when: /\b(?:uninstall|remove|purge)\s+(?:the\s+)?(?:package|program|app|application)\s+([a-z0-9][a-z0-9+.-]*)\b|\buninstall\s+(?:the\s+)?([a-z0-9][a-z0-9+.-]*)\b|\b(?:remove|purge)\s+(?:the\s+)?([a-z0-9][a-z0-9+.-]*)\s+(?:package|program|app)\b/,
    confidence: 0.9,
    build: (m, i) => {
      const name = (m[1] ?? m[2] ?? m[3]) as string;
      if (['a', 'an', 'the', 'it', 'all', 'unused', 'old'].includes(name)) return null;
      const p = pm(i);
      return answer(`${p.v.remove} ${name}`, `removes the package ${name} with ${p.name}`);
    },
  },
  {
    id: 'package-remove-program',
    when: /^(?:please\s+)?(?:remove|delete|get rid of)\s+(?:the\s+)?([a-z0-9][a-z0-9+.-]*)(?:\s+(?:from\s+(?:my\s+)?(?:system|computer|machine|pc|laptop)))?\s*[.!]?$/,
    confidence: 0.9,
    build: (m, i) => {
      const name = m[1] as string;
      // only a program this machine has or a well-known application: "remove notes" is about a file
      if ((!i.commands?.has(name) && !APPLICATIONS.has(name)) || /\./.test(name)) return null;
      const p = pm(i);
      return answer(`${p.v.remove} ${name}`, `removes the package that provides ${name} (${p.name})`);
    },
  },
  {
    id: 'remove-file',
    when: /^(?:please\s+)?(?:remove|delete|erase)\s+(?:the\s+)?(file|folder|directory|dir)?\s*(\S+)\s*[.!]?$/,
    confidence: 0.88,
    build: (m, i) => {
      const name = bare(/(\S+)\s*[.!]?$/.exec(i.raw)?.[1]);
      if (!name || NOT_A_NAME.has(name.toLowerCase()) || /[*?]/.test(name)) return null;
      const known = i.commands?.has(name) || APPLICATIONS.has(name);
      if (known && !m[1]) return null; // a program: package-remove-program answers
      const dir = Boolean(m[1] && m[1] !== 'file');
      return answer(
        `rm ${dir ? '-r ' : ''}${shq(name)}`,
        `deletes ${name}${dir ? ' and everything in it' : ''} (no undo)`,
      );
    },
  },
  {
    id: 'package-installed-check',
    when: /\b(?:is|are)\s+([a-z0-9][a-z0-9+.-]*)\s+installed\b|\bdo i have\s+([a-z0-9][a-z0-9+.-]*)\s+installed\b|\bcheck (?:if|whether)\s+([a-z0-9][a-z0-9+.-]*)\s+is installed\b/,
    confidence: 0.9,
    build: (m, i) => {
      const name = (m[1] ?? m[2] ?? m[3]) as string;
      if (['it', 'this', 'that', 'the'].includes(name)) return null;
      const p = pm(i).name;
      const cmd =
        p === 'apt'
          ? `dpkg -s ${name}`
          : p === 'pacman'
            ? `pacman -Q ${name}`
            : p === 'apk'
              ? `apk info -e ${name}`
              : `rpm -q ${name}`;
      return answer(cmd, `whether the package ${name} is installed, and its version`);
    },
  },
  {
    id: 'package-upgrade',
    when: /\b(update|upgrade)\b.*\b(all|every|installed|my)?\s*(packages|software|system|everything|os|machine|computer)\b|^(update|upgrade)( everything)?$|\bsystem (update|upgrade)\b|\binstall (all )?(the )?updates\b/,
    unless: /\b(package lists?|package index|repositor|sources|cache)\b/,
    confidence: 0.9,
    build: (_m, i) => {
      const p = pm(i);
      return answer(
        p.v.upgrade,
        `refreshes the package lists and upgrades every installed package (${p.name})`,
      );
    },
  },
  {
    id: 'package-refresh',
    when: /\b(update|refresh)\b.*\b(package lists?|package index|repositor(y|ies)|sources|cache)\b/,
    confidence: 0.9,
    build: (_m, i) => {
      const p = pm(i);
      return answer(p.v.refresh, `refreshes the list of available packages (${p.name})`);
    },
  },
  {
    id: 'package-autoremove',
    when: /\b(remove|clean( up)?|delete)\b.*\b(unused|orphan(ed)?|unneeded|no longer needed|leftover)\b.*\b(packages|dependencies|deps)\b|\bautoremove\b/,
    confidence: 0.9,
    build: (_m, i) => {
      const p = pm(i);
      return answer(p.v.autoremove, `removes packages nothing needs any more (${p.name})`);
    },
  },
  {
    id: 'package-owner',
    when: /\b(which|what) package\b.*\b(owns|provides|installed|contains|ships|does .* (come|belong))\b|\bpackage (that )?(owns|contains|installed) (the file )?\//,
    confidence: 0.9,
    build: (_m, i) => {
      const f = file(i);
      if (!f || !f.startsWith('/')) return null;
      const p = pm(i);
      return answer(`${p.v.owner} ${shq(f)}`, `the installed package that ${f} belongs to`);
    },
  },
  {
    id: 'package-search',
    when: /\bsearch (?:for )?(?:a |the )?packages?\s+(?:for |named |called |that provides? |providing |with |about )?([a-z0-9][\w+.-]*)|\bfind (?:a |the )?packages? (?:for |named |called |that provides? |providing |about )([a-z0-9][\w+.-]*)/,
    confidence: 0.88,
    build: (m, i) => {
      const p = pm(i);
      const word = m[1] ?? m[2];
      if (!word) return null;
      return answer(`${p.v.search} ${shq(word)}`, `packages whose name or description mentions ${word}`);
    },
  },
  {
    id: 'package-installed',
    when: /\b(list|show|which|what)\b.*\binstalled\b.*\bpackages?\b|\binstalled packages\b/,
    confidence: 0.9,
    build: (_m, i) => {
      const p = pm(i);
      const m =
        /\b(?:containing|matching|with|named|called|about|related to|that have|for)\s+["']?([a-z0-9][\w+.-]*)/.exec(
          i.t,
        ) ?? /\binstalled\s+([a-z0-9][\w+.-]*)\s+packages\b/.exec(i.t);
      const word = m?.[1] && !['the', 'a', 'all'].includes(m[1]) ? m[1] : null;
      if (word)
        return answer(`${p.v.installed} | grep -i ${shq(word)}`, `installed packages matching ${word}`);
      return answer(p.v.installed, 'every installed package');
    },
  },
  {
    id: 'package-info',
    when: /\b(info|information|details|version|description) (about|of|on|for) (the )?package ([a-z0-9][\w+.-]*)|\bpackage ([a-z0-9][\w+.-]*)'?s? (info|details|version)\b/,
    confidence: 0.86,
    build: (m, i) => {
      const p = pm(i);
      const name = (m[4] ?? m[5]) as string;
      return answer(`${p.v.show} ${name}`, `what the package ${name} is, its version and dependencies`);
    },
  },
  // ---- users and groups
  {
    id: 'user-to-group',
    when: /\badd\s+(?:the\s+)?(?:user\s+)?([a-z_][\w-]*)\s+to\s+(?:the\s+)?(?:group\s+)?([a-z_][\w-]*)(?:\s+group)?\b/,
    unless: /\b(path|file|folder|directory|list|crontab|archive|zip)\b/,
    confidence: 0.92,
    build: (m, i) => {
      let user = m[1] as string;
      const group = m[2] as string;
      if (/^(me|myself)$/.test(user)) user = '"$USER"';
      else if (['a', 'the', 'my'].includes(user)) return null;
      void i;
      return answer(
        `sudo usermod -aG ${group} ${user}`,
        `adds ${user} to the ${group} group (effective at next login)`,
      );
    },
  },
  {
    id: 'user-create',
    when: /\b(?:create|add|make)\s+(?:a\s+)?(?:new\s+)?user(?:\s+account)?\s+(?:called\s+|named\s+)?([a-z_][\w-]*)\b/,
    confidence: 0.9,
    build: (m) =>
      ['a', 'the', 'account', 'with'].includes(m[1] as string)
        ? null
        : answer(
            `sudo adduser ${m[1] as string}`,
            `creates the user ${m[1] as string} with a home directory, asking for a password`,
          ),
  },
  {
    id: 'user-delete',
    when: /\b(?:delete|remove)\s+(?:the\s+)?user(?:\s+account)?\s+([a-z_][\w-]*)\b/,
    confidence: 0.9,
    build: (m, i) => {
      const home = /\b(home|files|everything)\b/.test(i.t);
      return answer(
        `sudo deluser ${home ? '--remove-home ' : ''}${m[1] as string}`,
        `deletes the user ${m[1] as string}${home ? ' and their home directory' : ''}`,
      );
    },
  },
  {
    id: 'password',
    when: /\bchange\s+(?:the\s+)?(?:(my|([a-z_][\w-]*)'s)\s+)?password(?:\s+(?:of|for)\s+(?:user\s+)?([a-z_][\w-]*))?/,
    confidence: 0.9,
    build: (m) => {
      const user = m[2] ?? m[3];
      return user && user !== 'me'
        ? answer(`sudo passwd ${user}`, `sets a new password for ${user}`)
        : answer('passwd', 'changes your own password');
    },
  },
  {
    id: 'groups',
    when: /\b(which|what) groups?\b.*\b(am i|i am|my user|i'm|do i belong)\b|\bmy groups\b/,
    confidence: 0.9,
    build: () => answer('id', 'your user and group IDs and every group you are in'),
  },
  {
    id: 'logged-in',
    when: /\bwho(?:'s| is)? (?:else )?(?:logged|signed) (?:in|on)\b|\blogged.in users\b/,
    confidence: 0.9,
    build: () => answer('who', 'users logged in now, with terminal and login time'),
  },
  {
    id: 'last-logins',
    when: /\b(last|recent|previous) logins?\b|\blogin history\b/,
    confidence: 0.88,
    build: () => answer('last -n 20', 'the 20 most recent logins'),
  },
  {
    id: 'root-shell',
    when: /\b(become|switch to|login as|log in as) (the )?root\b|\broot shell\b/,
    confidence: 0.88,
    build: () => answer('sudo -i', 'a login shell as root'),
  },
  // ---- permissions and ownership
  {
    id: 'file-owner',
    when: /\bwho owns\b|\b(owner|permissions?|mode)\s+(of|on|for)\b|\bwhat are (the |its )?permissions\b/,
    unless: /\b(change|set|give|make|grant|remove|fix)\b/,
    confidence: 0.9,
    build: (_m, i) => {
      const f = files(i)[0];
      if (!f) return null;
      return answer(`ls -l ${shq(f)}`, `owner, group, permissions, size and date of ${f}`);
    },
  },
  {
    id: 'chmod-private',
    when: /\bonly (i|me|myself|the owner|my user)\b.*\b(read|access|open|see|write|edit)\b|\b(private|secret) to me\b|\bno one else\b.*\b(read|access)\b/,
    confidence: 0.92,
    build: (_m, i) => {
      const f = files(i)[0];
      return f ? answer(`chmod 600 ${shq(f)}`, `only you can read and write ${f}`) : null;
    },
  },
  {
    id: 'chown',
    when: /\b(?:change|set|give)\s+(?:the\s+)?owner(?:ship)?\s+(?:of\s+)?(\S+)\s+to\s+([a-z_][\w-]*(?::[a-z_][\w-]*)?)|\bmake\s+([a-z_][\w-]*)\s+(?:the\s+)?owner\s+of\s+(\S+)|\bchown\s+(\S+)\s+to\s+([a-z_][\w-]*)/,
    confidence: 0.9,
    build: (m, i) => {
      const target = (m[1] ?? m[4] ?? m[5]) as string;
      let owner = (m[2] ?? m[3] ?? m[6]) as string;
      if (owner === 'me') owner = '"$USER"';
      const rec =
        /\b(recursive(ly)?|and (its |all )?(contents|everything)|all (its )?files|everything (in|under))\b/.test(
          i.t,
        );
      const group =
        /\b(and group|user and group|owner and group)\b/.test(i.t) && !owner.includes(':')
          ? `${owner}:${owner}`
          : owner;
      const sudo = /^\/(etc|usr|opt|srv|var)\b/.test(target) || owner !== '"$USER"' ? 'sudo ' : '';
      return answer(
        `${sudo}chown ${rec ? '-R ' : ''}${group} ${shq(target.replace(/[.,]$/, ''))}`,
        `makes ${owner} the owner of ${target}${rec ? ' and everything in it' : ''}`,
      );
    },
  },
  {
    id: 'chmod-numeric',
    when: /\b(?:set|change)\s+(?:the\s+)?(?:permissions?|mode)\s+(?:of\s+)?(\S+)\s+to\s+([0-7]{3,4})\b|\bchmod\s+(\S+)\s+to\s+([0-7]{3,4})\b/,
    confidence: 0.9,
    build: (m, i) => {
      const rec = /\brecursive(ly)?\b/.test(i.t);
      return answer(
        `chmod ${rec ? '-R ' : ''}${m[2] ?? m[4]} ${shq((m[1] ?? m[3]) as string)}`,
        `sets the mode of ${m[1] ?? m[3]} to ${m[2] ?? m[4]}`,
      );
    },
  },
  {
    id: 'chmod-words',
    when: /\b(give|grant|allow|let|remove|take away|revoke|make)\b.*\b(read|write|execute|readable|writable|writeable|read.only)\b/,
    unless: /\bexecutable\b/,
    confidence: 0.9,
    build: (_m, i) => {
      const f = file(i) ?? i.slots.find((s) => s.kind === 'quoted')?.value;
      if (!f) return null;
      if (/\bread.only\b/.test(i.t))
        return answer(`chmod a-w ${shq(f)}`, `makes ${f} read-only for everyone`);
      const who = /\b(everyone|everybody|all users|others|world|anyone)\b/.test(i.t)
        ? 'a'
        : /\bgroup\b/.test(i.t)
          ? 'g'
          : /\b(me|owner|myself|only me)\b/.test(i.t)
            ? 'u'
            : 'a';
      const what = /\b(write|writable|writeable)\b/.test(i.t) ? 'w' : /\bexecute\b/.test(i.t) ? 'x' : 'r';
      const op = /\b(remove|take away|revoke)\b/.test(i.t) ? '-' : '+';
      return answer(
        `chmod ${who}${op}${what} ${shq(f)}`,
        `${op === '+' ? 'gives' : 'removes'} ${{ a: 'everyone', g: 'the group', u: 'the owner', o: 'others' }[who]} ${{ r: 'read', w: 'write', x: 'execute' }[what]} permission on ${f}`,
      );
    },
  },
  // ---- network
  {
    id: 'public-ip',
    when: /\b(public|external|wan|internet)\s+ip\b/,
    confidence: 0.92,
    build: () =>
      answer('curl -s https://ifconfig.me', 'asks ifconfig.me which address your traffic comes from'),
  },
  {
    id: 'ping',
    when: /\bping\b|\b(is|can i reach|check if)\s+\S+\s+(up|reachable|online|alive)\b/,
    confidence: 0.9,
    build: (_m, i) => {
      const h = host(i.t);
      if (!h) return null;
      const n = /\b(\d{1,4})\s+(?:times|pings|packets)\b/.exec(i.t)?.[1] ?? '4';
      return answer(`ping -c ${n} ${h}`, `sends ${n} echo requests to ${h}`);
    },
  },
  {
    id: 'dns',
    when: /\b(dns|resolve|look ?up|nslookup|dig)\b.*\b((?:[a-z0-9-]+\.)+[a-z]{2,})\b/,
    unless: /\b(ip of my|public ip)\b/,
    confidence: 0.86,
    build: (_m, i) => {
      const h = host(i.t);
      return h ? answer(`dig +short ${h}`, `the addresses DNS gives for ${h}`) : null;
    },
  },
  {
    id: 'route',
    when: /\b(routing table|routes|default gateway|gateway)\b/,
    confidence: 0.88,
    build: () => answer('ip route', 'the routing table, default gateway first'),
  },
  {
    id: 'port-check',
    when: /\b(?:is|check (?:if|whether)?|test(?: if)?)\s+(?:the\s+)?port\s+(\d{1,5})\s+(?:is\s+)?open\s+on\s+(\S+)|\b(?:connect(?:ion)?|reach)\s+(?:to\s+)?(\S+)\s+(?:on\s+)?port\s+(\d{1,5})/,
    confidence: 0.88,
    build: (m) => {
      const port = m[1] ?? m[4];
      const h = (m[2] ?? m[3] ?? '').replace(/[?.,]$/, '');
      return port && h
        ? answer(`nc -zv ${shq(h)} ${port}`, `tries a TCP connection to ${h} port ${port}`)
        : null;
    },
  },
  {
    id: 'scp',
    when: /\b(copy|send|upload|transfer|scp)\b.*\b(to|onto)\s+(\S+@\S+|\S+:\S*)/,
    confidence: 0.9,
    build: (m, i) => {
      const dest = (m[3] as string).replace(/[.,]$/, '');
      const src = files(i).find((f) => !dest.includes(f));
      if (!src) return null;
      const rec = /\b(folder|directory|dir|recursive)\b/.test(i.t) ? '-r ' : '';
      return answer(
        `scp ${rec}${shq(src)} ${shq(dest.includes(':') ? dest : `${dest}:`)}`,
        `copies ${src} to ${dest} over SSH`,
      );
    },
  },
  {
    id: 'ssh-login',
    when: /\b(ssh|log ?in|connect|login)\s+(?:in)?to\s+(\S+)(?:\s+as\s+([a-z_][\w-]*))?|\bssh\s+(?:in)?to\s+(\S+)/,
    unless: /\b(copy|key|port \d+ open)\b/,
    confidence: 0.92,
    build: (m, i) => {
      const target = ((m[2] ?? m[4]) as string).replace(/[.,?]$/, '');
      if (!/[.@]|^localhost$/.test(target)) return null;
      const user = m[3];
      const port = i.slots.find((s) => s.kind === 'port')?.value;
      return answer(
        `ssh${port ? ` -p ${port}` : ''} ${shq(`${user && !target.includes('@') ? `${user}@` : ''}${target}`)}`,
        `opens a shell on ${target} over SSH`,
      );
    },
  },
  {
    id: 'ssh-keygen',
    when: /\b(generate|create|make)\b.*\bssh key/,
    confidence: 0.92,
    build: () => answer('ssh-keygen -t ed25519', 'a new Ed25519 key pair in ~/.ssh (asks for a passphrase)'),
  },
  {
    id: 'ssh-copy-id',
    when: /\b(copy|install|add|upload)\b.*\b(ssh |public )key\b.*\b(to|on)\s+(\S+)/,
    confidence: 0.9,
    build: (m) =>
      answer(
        `ssh-copy-id ${shq((m[4] as string).replace(/[.,]$/, ''))}`,
        `adds your public key to ${m[4] as string}'s authorized keys`,
      ),
  },
  {
    id: 'connections',
    when: /\b(active|established|open|current) (network )?connections\b/,
    confidence: 0.88,
    build: () => answer('ss -tunp', 'established TCP and UDP connections with their processes'),
  },
  {
    id: 'interfaces',
    when: /\b(network )?interfaces\b|\bnetwork (cards?|adapters?|devices?)\b/,
    confidence: 0.86,
    build: () => answer('ip -brief link', 'network interfaces and whether they are up'),
  },
  {
    id: 'wifi',
    when: /\b(wifi|wi-fi|wireless) networks?\b|\bavailable networks\b/,
    confidence: 0.88,
    build: () => answer('nmcli device wifi list', 'Wi-Fi networks in range with signal strength'),
  },
  // ---- processes
  {
    id: 'kill-pid',
    when: /\bkill\s+(?:the\s+)?(?:process\s+)?(?:with\s+)?(?:pid\s+|id\s+)?(\d{1,7})\b/,
    confidence: 0.92,
    build: (m, i) =>
      /\b(force|forcefully|-9|hard)\b/.test(i.t)
        ? answer(`kill -9 ${m[1] as string}`, `kills process ${m[1] as string} at once (SIGKILL)`)
        : answer(`kill ${m[1] as string}`, `asks process ${m[1] as string} to terminate (SIGTERM)`),
  },
  {
    id: 'kill-name',
    when: /^(?:please\s+)?(?:kill|close|quit|terminate|force quit|force-quit)\s+(?:all\s+)?(?:the\s+)?([a-z][\w.-]*)(?:\s+(?:processes|process|app|windows?))?\s*[.!]?$/,
    unless: /\b(port|session|job|jobs|it|them|everything|all)\s*[.!]?$/,
    confidence: 0.9,
    build: (m, i) => {
      const name = m[1] as string;
      if (NOT_A_NAME.has(name)) return null;
      const force = /\b(force|forcefully)\b/.test(i.t);
      return answer(
        `pkill ${force ? '-9 ' : ''}${name}`,
        `${force ? 'kills' : 'asks to terminate'} every process named like ${name}`,
      );
    },
  },
  {
    id: 'process-tree',
    when: /\bprocess(es)? (tree|hierarchy)\b|\btree of processes\b/,
    confidence: 0.9,
    build: () => answer('ps -ef --forest', 'every process, children indented under their parents'),
  },
  {
    id: 'most-resources',
    when: /\b(what|which)(?:'s| is)?\b.*\b(using|eating|hogging|consuming|taking|uses)\b.*\b(cpu|processor|memory|ram)\b/,
    confidence: 0.9,
    build: (_m, i) => {
      const mem = /\b(memory|ram)\b/.test(i.t);
      return answer(
        `ps aux --sort=-%${mem ? 'mem' : 'cpu'} | head -n 11`,
        `the 10 processes using the most ${mem ? 'memory' : 'CPU'}`,
      );
    },
  },
  {
    id: 'watch-memory',
    when: /\b(watch|monitor|every \d+ seconds?)\b.*\b(memory|ram)\b/,
    confidence: 0.92,
    build: (_m, i) => {
      const n = /\bevery\s+(\d+)\s+seconds?\b/.exec(i.t)?.[1] ?? '2';
      return answer(`watch -n ${n} free -h`, `memory use, refreshed every ${n} s`);
    },
  },
  {
    id: 'monitor',
    when: /\b(task manager|system monitor|resource monitor|live (cpu|system) usage)\b/,
    confidence: 0.86,
    build: () => answer('top', 'live view of processes and CPU/memory use (q quits)'),
  },
  // ---- hardware and system
  {
    id: 'hardware',
    when: /\b(cpu|processor)\b.*\b(info|model|details|cores?|which|what)\b|\b(what|which) (cpu|processor)\b|\b(how many) (cpu )?cores\b|\busb devices\b|\bpci devices\b|\bblock devices\b|\b(disks|drives|partitions)\b.*\b(list|show|which|what)\b|\b(list|show|which|what)\b.*\b(disks|drives|partitions)\b|\bgraphics card\b|\bgpu\b|\btemperatures?\b|\bbios\b/,
    unless: /\b(usage|using|space|free|full|mounted)\b/,
    confidence: 0.88,
    build: (_m, i) => {
      const t = i.t;
      if (/\busb\b/.test(t)) return answer('lsusb', 'connected USB devices');
      if (/\bpci\b/.test(t)) return answer('lspci', 'PCI devices');
      if (/\b(graphics card|gpu)\b/.test(t))
        return answer('lspci | grep -iE "vga|3d|display"', 'the graphics adapters');
      if (/\btemperatures?\b/.test(t)) return answer('sensors', 'temperatures and fan speeds (lm-sensors)');
      if (/\bbios\b/.test(t)) return answer('sudo dmidecode -t bios', 'BIOS vendor, version and date');
      if (/\b(disks|drives|partitions|block devices)\b/.test(t))
        return answer('lsblk', 'disks and partitions with sizes and mount points');
      if (/\bcores\b/.test(t) && !/\binfo|details|model\b/.test(t))
        return answer('nproc', 'the number of CPU cores available');
      return answer('lscpu', 'CPU model, cores, threads and caches');
    },
  },
  {
    id: 'mounts',
    when: /\bmounted (file ?systems|drives|disks|partitions)\b|\b(what|which) is mounted\b|\bmount points\b/,
    confidence: 0.88,
    build: () => answer('findmnt', 'mounted file systems as a tree, with options'),
  },
  {
    id: 'mount',
    when: /\bmount\s+(\/dev\/\S+)\s+(?:on|at|to|in)\s+(\/\S*)/,
    confidence: 0.9,
    build: (m) =>
      answer(
        `sudo mount ${shq(m[1] as string)} ${shq(m[2] as string)}`,
        `mounts ${m[1] as string} at ${m[2] as string}`,
      ),
  },
  {
    id: 'unmount',
    when: /\b(?:unmount|umount|eject)\s+(\/\S+)/,
    confidence: 0.9,
    build: (m) => answer(`sudo umount ${shq(m[1] as string)}`, `unmounts ${m[1] as string}`),
  },
  {
    id: 'hostname',
    when: /\b(?:set|change)\s+(?:the\s+)?(?:host ?name|computer name|machine name)\s+to\s+([a-z0-9][\w.-]*)/,
    confidence: 0.9,
    build: (m) =>
      answer(`sudo hostnamectl set-hostname ${m[1] as string}`, `renames this machine to ${m[1] as string}`),
  },
  {
    id: 'timezone',
    when: /\b(?:set|change)\s+(?:the\s+)?time ?zone\s+to\s+([A-Za-z_]+(?:\/[A-Za-z_+-]+)*)/i,
    confidence: 0.9,
    build: (_m, i) => {
      const zone = /\bto\s+([A-Za-z_]+(?:\/[A-Za-z_+-]+)*)/.exec(i.raw)?.[1];
      return zone
        ? answer(`sudo timedatectl set-timezone ${zone}`, `sets the system time zone to ${zone}`)
        : null;
    },
  },
  {
    id: 'time-settings',
    when: /\b(what|show|current)\b.*\btime ?zone\b|\b(is|check)\b.*\b(ntp|clock|time) (synced|synchronized|sync)\b/,
    confidence: 0.88,
    build: () => answer('timedatectl', 'local time, time zone and whether the clock is synchronised'),
  },
  {
    id: 'reboot',
    when: /^(?:please\s+)?(?:reboot(?:\s+(?:the|this|my)\s+(?:computer|machine|system|pc|laptop|server|box))?|restart\s+(?:the|this|my)\s+(?:computer|machine|system|pc|laptop|server|box))(?:\s+now)?\s*[.!]?$/,
    confidence: 0.9,
    build: () => answer('sudo systemctl reboot', 'restarts the machine'),
  },
  {
    id: 'shutdown',
    when: /\b(shut ?down|power (off|down)|turn off)\b(?:.*\b(computer|machine|system|pc|laptop|server|now|in|at)\b)?/,
    unless: /\b(cancel|abort)\b|\bservice\b/,
    confidence: 0.9,
    build: (_m, i) => {
      const inMin = /\bin\s+(\d{1,4})\s*(?:minutes?|mins?)\b/.exec(i.t)?.[1];
      const inHour = /\bin\s+(\d{1,2})\s*hours?\b/.exec(i.t)?.[1];
      const at = /\bat\s+(\d{1,2}:\d{2})\b/.exec(i.t)?.[1];
      const when = inMin ? `+${inMin}` : inHour ? `+${Number(inHour) * 60}` : (at ?? 'now');
      return answer(
        `sudo shutdown -h ${when}`,
        when === 'now'
          ? 'powers the machine off now'
          : `powers the machine off ${at ? `at ${at}` : `in ${inMin ?? Number(inHour) * 60} minutes`}`,
      );
    },
  },
  {
    id: 'cancel-shutdown',
    when: /\b(cancel|abort)\b.*\b(shut ?down|reboot|power ?off)\b/,
    confidence: 0.9,
    build: () => answer('sudo shutdown -c', 'cancels a scheduled shutdown'),
  },
  {
    id: 'env',
    when: /\benvironment variables?\b|\benv vars?\b/,
    unless: /\b(unset|delete|remove|clear|export|set|change|add)\b/,
    confidence: 0.88,
    build: (_m, i) => {
      const v = /\b(?:variable\s+)?\$?([A-Z_][A-Z0-9_]{1,})\b/.exec(i.raw)?.[1];
      return v && v !== 'PATH' && !/^(ENV|VAR)$/.test(v)
        ? answer(`printenv ${v}`, `the value of ${v}`)
        : answer('printenv', 'every environment variable of this shell');
    },
  },
  {
    id: 'path-var',
    when: /\b(show|print|what is|what's|display)\b.*\bmy \$?path\b|\b(show|print|display)\s+(?:the\s+)?\$?path(\s+variable)?\b/,
    confidence: 0.88,
    build: () => answer('echo "$PATH"', 'the directories searched for commands, colon-separated'),
  },
  {
    id: 'which-command',
    when: /\bwhere is (?:the )?([a-z][\w.+-]*) (?:command|program|binary|executable|installed)\b|\bwhich ([a-z][\w.+-]*) (?:binary|executable) (?:is used|runs)\b|\bpath (?:to|of) (?:the )?([a-z][\w.+-]*) (?:command|binary|executable)\b/,
    confidence: 0.9,
    build: (m) => {
      const name = (m[1] ?? m[2] ?? m[3]) as string;
      return answer(`command -v ${name}`, `where the shell finds ${name}`);
    },
  },
  {
    id: 'file-type',
    when: /\b(what|which) (kind|type) of file is\b|\bfile type of\b/,
    confidence: 0.9,
    build: (_m, i) => {
      const f = file(i);
      return f ? answer(`file ${shq(f)}`, `what ${f} contains, judged by its contents`) : null;
    },
  },
  // ---- git
  {
    id: 'git-more',
    when: /\bgit\b|\bcommits?\b|\bbranch(es)?\b|\brepo(sitory)?\b|\bstash\b|\bstaged\b|\bunstaged\b|\b(discard|throw away|revert)\b.*\bchanges\b/,
    confidence: 0.88,
    build: (_m, i) => {
      const t = i.t;
      const name = (/\b(?:called|named)\s+([\w./-]+)/.exec(t) ?? /\bbranch\s+([\w./-]+)/.exec(t))?.[1];
      const url = i.slots.find((s) => s.kind === 'url')?.value ?? /\b(git@\S+|\S+\.git)\b/.exec(i.raw)?.[1];
      if (/\bclone\b/.test(t) && url)
        return answer(`git clone ${shq(url)}`, `copies the repository ${url} into a new directory`);
      if (
        /\b(what|which) changed\b.*\b(last|latest|previous) commit\b|\bshow (me )?(the )?(last|latest) commit\b/.test(
          t,
        )
      )
        return answer('git show --stat HEAD', 'the last commit: message and changed files');
      if (/\b(all|list|show)\b.*\bbranches\b/.test(t))
        return answer('git branch -a', 'local and remote branches, current one starred');
      if (/\b(create|new|make)\b.*\bbranch\b/.test(t) && name && !['a', 'the', 'new'].includes(name))
        return answer(`git switch -c ${name}`, `creates the branch ${name} and switches to it`);
      if (
        /\b(switch|change|checkout|go)\b.*\bbranch\b/.test(t) &&
        name &&
        !['a', 'the', 'new'].includes(name)
      )
        return answer(`git switch ${name}`, `switches to the branch ${name}`);
      if (/\bdelete\b.*\bbranch\b/.test(t) && name && !['a', 'the'].includes(name))
        return answer(`git branch -d ${name}`, `deletes the branch ${name} (refuses if it is not merged)`);
      if (/\bunstaged\b|\b(show|see)\b.*\b(diff|changes)\b.*\b(not|un)staged\b/.test(t))
        return answer('git diff', 'changes not staged yet');
      if (/\bstaged\b/.test(t)) return answer('git diff --staged', 'changes staged for the next commit');
      if (/\bstash\b/.test(t))
        return /\b(apply|pop|restore|get back)\b/.test(t)
          ? answer('git stash pop', 'restores the most recently stashed changes')
          : /\blist\b/.test(t)
            ? answer('git stash list', 'stashed change sets')
            : answer('git stash', 'sets uncommitted changes aside and cleans the working tree');
      if (/\b(discard|throw away|revert|undo)\b.*\bchanges\b/.test(t) && !/\b(commit|keep)\b/.test(t)) {
        const f = file(i);
        return answer(
          `git restore ${f ? shq(f) : '.'}`,
          `discards uncommitted changes to ${f ?? 'every file'} (cannot be undone)`,
        );
      }
      if (/\b(amend|fix|change|edit)\b.*\b(last|previous) commit( message)?\b/.test(t))
        return answer('git commit --amend', 'rewrites the last commit (message and staged changes)');
      if (/\bblame\b|\bwho (changed|wrote|edited)\b/.test(t)) {
        const f = file(i);
        return f ? answer(`git blame ${shq(f)}`, `who last changed each line of ${f}`) : null;
      }
      if (/\bremotes?\b/.test(t)) return answer('git remote -v', 'the remotes and their URLs');
      if (/\b(pull|get the latest|update from remote)\b/.test(t))
        return answer('git pull', 'fetches and merges the upstream branch');
      if (/\bpush\b/.test(t)) return answer('git push', 'sends local commits to the upstream branch');
      if (/\bcommit\b.*\ball\b|\bcommit everything\b/.test(t)) {
        const msg = i.slots.find((s) => s.kind === 'quoted')?.value ?? 'describe the change';
        return answer(`git commit -am ${shq(msg)}`, 'commits every change to tracked files');
      }
      if (/\b(history|log)\b.*\bfile\b|\bcommits? (that )?(touched|changed)\b/.test(t)) {
        const f = file(i);
        return f ? answer(`git log --oneline -- ${shq(f)}`, `commits that changed ${f}`) : null;
      }
      return null;
    },
  },
  // ---- archives
  {
    id: 'archive-list',
    when: /\b(list|show|see|view|what(?:'s| is))\b.*\b(contents?|files|inside|in)\b/,
    confidence: 0.9,
    build: (_m, i) => {
      const a = files(i).find((f) => /\.(zip|tar|tgz|tar\.(gz|bz2|xz|zst)|tbz2?|txz)$/.test(f));
      if (!a) return null;
      return /\.zip$/.test(a)
        ? answer(`unzip -l ${shq(a)}`, `the files in ${a}`)
        : answer(`tar -tf ${shq(a)}`, `the files in ${a}`);
    },
  },
  {
    id: 'archive-extract',
    when: /\b(extract|unpack|untar|decompress|unzip|open up)\b/,
    confidence: 0.9,
    build: (_m, i) => {
      const all = files(i);
      const a = all.find((f) => /\.(zip|tar|tgz|tar\.(gz|bz2|xz|zst)|tbz2?|txz|gz|7z|rar)$/.test(f));
      if (!a) return null;
      const dest = /\b(?:into|to|in)\s+(\S+)/.exec(i.t) ? all.find((f) => f !== a) : undefined;
      if (/\.zip$/.test(a))
        return answer(
          `unzip ${shq(a)}${dest ? ` -d ${shq(dest)}` : ''}`,
          `extracts ${a}${dest ? ` into ${dest}` : ''}`,
        );
      if (/\.gz$/.test(a) && !/\.tar\.gz$/.test(a)) return answer(`gunzip ${shq(a)}`, `decompresses ${a}`);
      if (/\.7z$/.test(a)) return answer(`7z x ${shq(a)}`, `extracts ${a}`);
      if (/\.rar$/.test(a)) return answer(`unrar x ${shq(a)}`, `extracts ${a}`);
      return answer(
        `tar -xf ${shq(a)}${dest ? ` -C ${shq(dest)}` : ''}`,
        `extracts ${a}${dest ? ` into ${dest}` : ''} (any compression)`,
      );
    },
  },
  {
    id: 'archive-create',
    when: /\b(compress|archive|zip( up)?|tar( up)?|pack|(?<![/\w.])back ?up(?![.\w])|make an? (archive|tarball|zip))\b/,
    unless:
      /\b(extract|unpack|decompress|unzip|contents|rsync|older|newer|modified|find|search)\b|\b(on|to) (the )?(host|server|remote)\b|::|\S+@\S+:/,
    confidence: 0.9,
    build: (_m, i) => {
      const named =
        /\b(?:the\s+)?([\w.~/-]+)\s+(?:folder|directory|dir)\b/.exec(i.t)?.[1] ??
        /\b(?:folder|directory|dir)\s+([\w.~/-]+)/.exec(i.t)?.[1];
      const target =
        files(i).find((f) => !/\.(zip|tar|tgz|gz)$/.test(f) || f === named) ??
        (named && !['the', 'this', 'my', 'a', 'current'].includes(named) ? named : undefined);
      if (!target) return null;
      const base = target.replace(/\/+$/, '').split('/').pop() || 'archive';
      if (/\bzip\b/.test(i.t) && !/\btar\b|\.tar|tgz/.test(i.t))
        return answer(`zip -r ${shq(`${base}.zip`)} ${shq(target)}`, `packs ${target} into ${base}.zip`);
      const kind = /\b(bz2|bzip2?)\b/.test(i.t)
        ? ['j', 'tar.bz2']
        : /\b(xz)\b/.test(i.t)
          ? ['J', 'tar.xz']
          : ['z', 'tar.gz'];
      return answer(
        `tar -c${kind[0]}f ${shq(`${base}.${kind[1]}`)} ${shq(target)}`,
        `packs ${target} into ${base}.${kind[1]}`,
      );
    },
  },
  // ---- files
  {
    id: 'checksum',
    when: /\b(md5|sha1|sha256|sha512|sha-256|checksum|hash)\b/,
    confidence: 0.9,
    build: (_m, i) => {
      const f = file(i);
      if (!f) return null;
      const algo = /\bmd5\b/.test(i.t)
        ? 'md5sum'
        : /\bsha1\b/.test(i.t)
          ? 'sha1sum'
          : /\bsha512\b/.test(i.t)
            ? 'sha512sum'
            : 'sha256sum';
      if (/\b(all|every|each) files?\b|\bdirectory\b|\bfolder\b/.test(i.t) || !/\.\w+$/.test(f))
        return answer(
          `find ${shq(f)} -type f -exec ${algo} {} +`,
          `${algo.replace('sum', '').toUpperCase()} checksums of every file under ${f}`,
        );
      return answer(`${algo} ${shq(f)}`, `the ${algo.replace('sum', '').toUpperCase()} checksum of ${f}`);
    },
  },
  {
    id: 'symlink',
    when: /\b(?:symbolic link|symlink|soft link|shortcut)\b/,
    confidence: 0.9,
    build: (_m, i) => {
      const fs = files(i);
      const target = bare(/\b(?:to|pointing to|for)\s+(\S+)/.exec(i.t)?.[1]);
      const where = bare(/\b(?:in|at|inside|called|named)\s+(\S+)/.exec(i.t)?.[1]);
      const t = fs.find((f) => f === target) ?? fs[0];
      const w = fs.find((f) => f === where && f !== t) ?? fs.find((f) => f !== t);
      if (!t) return null;
      const sudo = w && /^\/(usr|etc|opt|srv|var|bin|sbin|lib)\b/.test(w) ? 'sudo ' : '';
      return answer(
        `${sudo}ln -s ${shq(t)}${w ? ` ${shq(w)}` : ''}`,
        `a symbolic link to ${t}${w ? ` in ${w}` : ' here'}`,
      );
    },
  },
  {
    id: 'empty-dirs',
    when: /\bempty (directories|folders|dirs)\b/,
    confidence: 0.9,
    build: (_m, i) => {
      const dir = i.slots.find((s) => s.kind === 'path')?.value ?? (/\bhome\b/.test(i.t) ? '~' : '.');
      const del = /\b(delete|remove|clean)\b/.test(i.t);
      return answer(
        `find ${shq(dir)} -type d -empty${del ? ' -delete' : ''}`,
        `empty directories under ${dir}${del ? ', deleted' : ''}`,
      );
    },
  },
  {
    id: 'empty-files',
    when: /\bempty files\b|\bzero.(byte|size|length) files\b/,
    confidence: 0.9,
    build: (_m, i) => {
      const dir = i.slots.find((s) => s.kind === 'path')?.value ?? (/\bhome\b/.test(i.t) ? '~' : '.');
      const del = /\b(delete|remove|clean)\b/.test(i.t);
      return answer(
        `find ${shq(dir)} -type f -empty${del ? ' -delete' : ''}`,
        `empty files under ${dir}${del ? ', deleted' : ''}`,
      );
    },
  },
  {
    id: 'recent-minutes-hours',
    when: /\b(?:modified|changed|edited|created|touched|updated)\b.*\b(?:last|past)\s+(\d{1,4})\s*(minutes?|mins?|hours?)\b/,
    confidence: 0.9,
    build: (m, i) => {
      const n = Number(m[1]) * (/^h/.test(m[2] as string) ? 60 : 1);
      const dir = i.slots.find((s) => s.kind === 'path')?.value ?? (/\bhome\b/.test(i.t) ? '~' : '.');
      return answer(
        `find ${shq(dir)} -type f -mmin -${n}`,
        `files under ${dir} modified in the last ${n} minutes`,
      );
    },
  },
  {
    id: 'duplicates',
    when: /\bduplicate files\b|\bfiles? that are (the same|identical|duplicates)\b|\bidentical files\b/,
    confidence: 0.88,
    build: (_m, i) => {
      const dir = i.slots.find((s) => s.kind === 'path')?.value ?? (/\bhome\b/.test(i.t) ? '~' : '.');
      return answer(
        `find ${shq(dir)} -type f -exec md5sum {} + | sort | uniq -w32 -dD`,
        `files under ${dir} with identical contents, grouped by checksum`,
      );
    },
  },
  {
    id: 'touch',
    when: /\b(?:create|make)\s+(?:an?\s+)?(?:new\s+)?(?:empty\s+)?file\s+(?:called\s+|named\s+)?(\S+)/,
    confidence: 0.88,
    build: (m) =>
      answer(
        `touch ${shq((m[1] as string).replace(/[.,]$/, ''))}`,
        `creates ${m[1] as string} empty (or updates its time)`,
      ),
  },
  {
    id: 'move',
    when: /^(?:please\s+)?(?:move|mv)\s+(\S+)\s+(?:to|into|in)\s+(\S+)\s*$/,
    confidence: 0.88,
    build: (_m, i) => {
      const fs = files(i);
      const [src, dst] = [fs[0], fs[1]];
      if (!src || !dst) return null;
      return answer(`mv ${shq(src)} ${shq(dst)}`, `moves ${src} to ${dst}`);
    },
  },
  {
    id: 'rename',
    when: /^(?:please\s+)?rename\s+(\S+)\s+(?:to|as)\s+(\S+)\s*$/,
    confidence: 0.88,
    build: (m) =>
      answer(
        `mv ${shq(m[1] as string)} ${shq(m[2] as string)}`,
        `renames ${m[1] as string} to ${m[2] as string}`,
      ),
  },
  {
    id: 'open-file',
    when: /^(?:please\s+)?open\s+(\S+)(?:\s+with the default (app|application|program))?\s*$/,
    confidence: 0.86,
    build: (_m, i) => {
      const f = file(i) ?? i.slots.find((s) => s.kind === 'url')?.value;
      return f ? answer(`xdg-open ${shq(f)}`, `opens ${f} with its default application`) : null;
    },
  },
  {
    id: 'show-file',
    when: /^(?:please\s+)?(?:show|print|display|view|read|cat)\s+(?:me\s+)?(?:the\s+)?(?:contents?\s+of\s+|content\s+of\s+)?(\S+)\s*$/,
    confidence: 0.86,
    build: (_m, i) => {
      const f = file(i);
      return f ? answer(`cat ${shq(f)}`, `prints ${f}`) : null;
    },
  },
  {
    id: 'disk-usage-here',
    when: /\b(what(?:'s| is)|which (files|folders|directories))\b.*\b(taking|using|eating|hogging)\b.*\b(space|disk|room)\b|\bdisk usage\b.*\bsort|\bsorted by size\b.*\b(director|folder|usage)|\bwhat(?:'s| is) eating my disk\b/,
    confidence: 0.9,
    build: (_m, i) => {
      const dir =
        i.slots.find((s) => s.kind === 'path')?.value ??
        (/\bhome\b/.test(i.t) ? '~' : /\b(whole|entire) (system|disk)\b|\broot\b/.test(i.t) ? '/' : '.');
      return answer(
        `du -h --max-depth=1 ${shq(dir)} 2>/dev/null | sort -h`,
        `size of each directory in ${dir}, largest last`,
      );
    },
  },
  // ---- text
  {
    id: 'sort-unique',
    when: /\bsort\b.*\b(remove|without|drop|no|delete)\b.*\bduplicates?\b|\bunique (lines|entries)\b|\bremove duplicate lines\b|\bdeduplicate\b/,
    confidence: 0.9,
    build: (_m, i) => {
      const f = file(i);
      return f ? answer(`sort -u ${shq(f)}`, `the lines of ${f}, sorted, each once`) : null;
    },
  },
  {
    id: 'count-occurrences',
    when: /\b(count|how (many|often))\b.*\beach (line|entry|value|ip|word)\b|\bmost (frequent|common)\b|\bfrequency of\b/,
    confidence: 0.9,
    build: (_m, i) => {
      const f = file(i);
      if (!f) return null;
      const n = /\b(?:top|most (?:frequent|common))\s+(\d{1,4})\b|\b(\d{1,4})\s+most\b/.exec(i.t);
      const k = n?.[1] ?? n?.[2];
      if (/\bwords?\b/.test(i.t))
        return answer(
          `tr -cs '[:alnum:]' '\\n' < ${shq(f)} | sort | uniq -c | sort -rn | head -n ${k ?? '10'}`,
          `the ${k ?? '10'} most frequent words in ${f}`,
        );
      return answer(
        `sort ${shq(f)} | uniq -c | sort -rn${k ? ` | head -n ${k}` : ''}`,
        `each distinct line of ${f} with how often it occurs, most frequent first`,
      );
    },
  },
  {
    id: 'replace-words',
    when: /\b(?:replace|substitute|change)\s+(?:all\s+|every\s+)?(?:occurrences of\s+)?(\S+)\s+(?:with|by|to)\s+(\S+)\s+in\s+(\S+)/,
    confidence: 0.88,
    build: (m) => {
      const [a, b, f] = [m[1], m[2], m[3]].map((v) =>
        (v as string).replace(/^["']|["'.,]$/g, '').replace(/["']$/, ''),
      );
      // the sed program sits in single quotes: a quote or a newline in a value cannot go there
      if ([a, b].some((v) => /['\n]/.test(v as string))) return null;
      const esc = (s: string): string => s.replace(/[/&\\]/g, '\\$&');
      return answer(
        `sed -i 's/${esc(a as string)}/${esc(b as string)}/g' ${shq(f as string)}`,
        `replaces every ${a} with ${b} in ${f} (in place)`,
      );
    },
  },
  {
    id: 'line-range',
    when: /\blines?\s+(\d+)\s*(?:to|-|through|and)\s*(\d+)\b/,
    confidence: 0.88,
    build: (m, i) => {
      const f = file(i);
      return f
        ? answer(
            `sed -n '${m[1] as string},${m[2] as string}p' ${shq(f)}`,
            `lines ${m[1] as string} to ${m[2] as string} of ${f}`,
          )
        : null;
    },
  },
  {
    id: 'grep-words',
    when: /\b(?:search|look|grep)\s+for\s+(\S+)\s+in\b|\b(?:containing|contain|contains|mention|mentions|mentioning|with the (?:word|text|string))\s+(\S+)/,
    unless: /\b(file ?names?|named|called|director(y|ies) names?|whose names?|names? contains?)\b/,
    confidence: 0.9,
    build: (_m, i) => {
      if (i.slots.some((x) => x.kind === 'quoted')) return null; // rules.ts answers quoted needles
      const raw =
        /\b(?:search|look|grep)\s+for\s+(\S+)\s+in\b|\b(?:containing|contain|contains|mention|mentions|mentioning|with the (?:word|text|string))\s+(\S+)/i.exec(
          i.raw,
        );
      const needle = bare(raw?.[1] ?? raw?.[2]);
      if (!needle || /^(the|a|an|all|any|some|this|that|it|files?|lines?|text|word|string)$/i.test(needle))
        return null;
      const ci = /\b(ignor\w* case|case.insensitive|any case|regardless of case)\b/.test(i.t) ? 'i' : '';
      const fs = files(i).filter((f) => f !== needle);
      const file1 =
        fs.find((f) => /\.\w+$/.test(f) && !/^\//.test(f)) ?? fs.find((f) => /^\/.*\.\w+$/.test(f));
      if (file1 && !/\b(files|all|every|director|folder)\b/.test(i.t)) {
        if (/\b(how many|count|number of)\b/.test(i.t))
          return answer(
            `grep -c${ci} ${shq(needle)} ${shq(file1)}`,
            `how many lines of ${file1} contain ${needle}`,
          );
        return answer(
          `grep -n${ci} ${shq(needle)} ${shq(file1)}`,
          `lines of ${file1} containing ${needle}, numbered`,
        );
      }
      const dir =
        i.slots.find((x) => x.kind === 'path' && !/\.\w+$/.test(x.value))?.value ??
        /\bin\s+(?:the\s+)?([\w~][\w./~-]*)\s*(?:folder|directory|dir)?\s*[?.!]?$/.exec(i.raw)?.[1] ??
        '.';
      const ext = i.slots.find((x) => x.kind === 'ext');
      const include = ext ? ` --include='*.${ext.value}'` : '';
      const names = /\b(which|what|list|names of|name of)\b.*\bfiles\b|\bfiles\b.*\b(mention|contain)/.test(
        i.t,
      );
      const d = ['files', 'all', 'it'].includes(dir) ? '.' : dir;
      return answer(
        `grep -r${names ? 'l' : 'n'}${ci}${include} ${shq(needle)} ${shq(d)}`,
        `${names ? 'files' : 'lines'} under ${d}${ext ? ` (*.${ext.value})` : ''} containing ${needle}`,
      );
    },
  },
  {
    id: 'count-words',
    when: /\b(count|number of|how many)\b.*\b(words|characters|chars)\b/,
    confidence: 0.9,
    build: (_m, i) => {
      const f = file(i);
      if (!f) return null;
      return /\bchar/.test(i.t)
        ? answer(`wc -m ${shq(f)}`, `number of characters in ${f}`)
        : answer(`wc -w ${shq(f)}`, `number of words in ${f}`);
    },
  },
  {
    id: 'compare-files',
    when: /\b(compare|diff|difference(s)? between)\b/,
    unless: /\bcommit|branch|git\b/,
    confidence: 0.9,
    build: (_m, i) => {
      const [a, b] = files(i);
      return a && b ? answer(`diff -u ${shq(a)} ${shq(b)}`, `line differences between ${a} and ${b}`) : null;
    },
  },
  {
    id: 'column',
    when: /\b(first|second|third|fourth|fifth|last|\d+(?:st|nd|rd|th)?) (column|field)\b/,
    confidence: 0.9,
    build: (_m, i) => {
      const f = file(i);
      if (!f) return null;
      const w =
        /\b(first|second|third|fourth|fifth|last|\d+)(?:st|nd|rd|th)? (?:column|field)\b/.exec(i.t)?.[1] ??
        'first';
      const idx =
        { first: '$1', second: '$2', third: '$3', fourth: '$4', fifth: '$5', last: '$NF' }[w] ?? `$${w}`;
      const csv = /\.csv$/.test(f) || /\b(comma|csv)\b/.test(i.t);
      return answer(`awk ${csv ? '-F, ' : ''}'{print ${idx}}' ${shq(f)}`, `the ${w} column of ${f}`);
    },
  },
  {
    id: 'lowercase',
    when: /\b(convert|change|make|turn)\b.*\b(to |in)?(lower ?case|upper ?case)\b/,
    confidence: 0.86,
    build: (_m, i) => {
      const f = file(i);
      if (!f) return null;
      const up = /\bupper ?case\b/.test(i.t);
      return answer(
        `tr '[:${up ? 'lower' : 'upper'}:]' '[:${up ? 'upper' : 'lower'}:]' < ${shq(f)}`,
        `${f} in ${up ? 'upper' : 'lower'} case`,
      );
    },
  },
  {
    id: 'count-lines-ext',
    when: /\b(count|number of|how many)\b.*\blines\b/,
    confidence: 0.9,
    build: (_m, i) => {
      const ext = i.slots.find((s) => s.kind === 'ext');
      if (!ext || file(i)?.includes('.')) return null;
      const dir = i.slots.find((s) => s.kind === 'path')?.value ?? '.';
      return answer(
        `find ${shq(dir)} -type f -name '*.${ext.value}' -exec wc -l {} +`,
        `lines in every *.${ext.value} file under ${dir}, with a total`,
      );
    },
  },
  // ---- scheduling
  {
    id: 'schedule',
    when: /\b(?:every|each)\s+(?:(\d{1,2})\s+)?(day|night|morning|evening|hour|hours|minute|minutes|week|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b|\b(daily|hourly|weekly|nightly)\b/,
    unless: /\b(list|show|which|what|edit)\b/,
    confidence: 0.92,
    build: (m, i) => {
      const script = files(i)[0];
      if (!script) return null;
      const at = /\bat\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?=\W|$)/.exec(i.t);
      let hour = at ? (Number(at[1]) % 12) + (/^p/.test(at[3] ?? '') ? 12 : 0) : null;
      if (at && !at[3] && Number(at[1]) >= 12) hour = Number(at[1]);
      const minute = at?.[2] ? Number(at[2]) : 0;
      const unit = m[2] ?? m[3] ?? '';
      const n = m[1] ? Number(m[1]) : 1;
      const days = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
      let spec: string;
      if (/^minutes?$/.test(unit)) spec = n > 1 ? `*/${n} * * * *` : '* * * * *';
      else if (/^(hours?|hourly)$/.test(unit)) spec = n > 1 ? `${minute} */${n} * * *` : `${minute} * * * *`;
      else if (/^(week|weekly)$/.test(unit)) spec = `${minute} ${hour ?? 0} * * 0`;
      else if (days.includes(unit)) spec = `${minute} ${hour ?? 0} * * ${days.indexOf(unit)}`;
      else
        spec = `${minute} ${hour ?? (/night|nightly/.test(unit) ? 2 : /morning/.test(unit) ? 8 : /evening/.test(unit) ? 18 : 0)} * * *`;
      // the job line is in double quotes: only plain path characters may go there
      if (!/^[\w@%+=:,./~-]+$/.test(script)) return null;
      const path = /^[/~]/.test(script) ? script.replace(/^~/, '$HOME') : `$PWD/${script}`;
      return answer(
        `(crontab -l 2>/dev/null; echo "${spec} ${path}") | crontab -`,
        `adds a cron job running ${script} at "${spec}" (minute hour day month weekday) to your crontab`,
      );
    },
  },
  {
    id: 'cron',
    when: /\bcron ?(jobs?|tab)\b|\bcrontab\b|\bscheduled (jobs|tasks)\b/,
    confidence: 0.9,
    build: (_m, i) =>
      /\b(edit|add|change|create|modify)\b/.test(i.t)
        ? answer('crontab -e', 'opens your crontab in the editor')
        : answer('crontab -l', 'your cron jobs'),
  },

  // ---- more everyday requests
  {
    id: 'docker',
    when: /\b(docker|containers?)\b/,
    unless: /\b(install|uninstall|service|daemon|at boot|group)\b/,
    confidence: 0.9,
    build: (_m, i) => {
      const t = i.t;
      const name = /\bcontainer\s+(?:named\s+|called\s+)?([a-z0-9][\w.-]*)/.exec(t)?.[1];
      const n =
        name && !['is', 'that', 'which', 'and', 'with', 'logs', 'named', 'called'].includes(name)
          ? name
          : undefined;
      if (/\bimages?\b/.test(t) && /\b(list|show|which|what|all)\b/.test(t))
        return answer('docker images', 'local Docker images');
      if (/\blogs?\b/.test(t) && n)
        return answer(
          `docker logs${/\bfollow|live|tail\b/.test(t) ? ' -f' : ''} ${n}`,
          `the output of container ${n}`,
        );
      if (/\b(stop)\b/.test(t) && n) return answer(`docker stop ${n}`, `stops container ${n}`);
      if (/\b(restart)\b/.test(t) && n) return answer(`docker restart ${n}`, `restarts container ${n}`);
      if (/\b(start)\b/.test(t) && n) return answer(`docker start ${n}`, `starts container ${n}`);
      if (/\b(shell|exec|enter|get into|log ?in)\b/.test(t) && n)
        return answer(`docker exec -it ${n} sh`, `a shell inside container ${n}`);
      if (/\b(remove|delete|clean|prune)\b.*\b(stopped|unused|old|all)\b/.test(t))
        return answer('docker container prune', 'removes every stopped container (asks first)');
      if (/\b(all|stopped|exited)\b/.test(t) && /\bcontainers\b/.test(t))
        return answer('docker ps -a', 'all containers, running or stopped');
      if (/\b(list|show|which|what|running)\b/.test(t) && /\bcontainers\b/.test(t))
        return answer('docker ps', 'running containers');
      if (/\b(disk|space)\b/.test(t))
        return answer('docker system df', 'disk used by images, containers and volumes');
      return null;
    },
  },
  {
    id: 'users-list',
    when: /\b(list|show|which|what|all)\b.*\b(users|user accounts)\b(?!.*\b(logged|group)\b)|\b(list|show)\b.*\bgroups\b(?!.*\b(am i|i am|my|i'm|user)\b)/,
    confidence: 0.88,
    build: (_m, i) =>
      /\bgroups\b/.test(i.t) && !/\busers\b/.test(i.t)
        ? answer('getent group', 'every group with its members')
        : answer('getent passwd', 'every user account (name, UID, home, shell)'),
  },
  {
    id: 'whoami',
    when: /\bwho am i\b|\b(my|current) user ?name\b|\bwhich user am i\b|\bwhat user am i\b/,
    confidence: 0.9,
    build: () => answer('whoami', 'the name of the user you are'),
  },
  {
    id: 'sudo-user',
    when: /\b(give|grant|make)\s+([a-z_][\w-]*)\s+(sudo|admin|administrator|root) (rights|access|privileges|permissions)\b|\bmake\s+([a-z_][\w-]*)\s+(an? )?(admin|administrator|sudoer)\b|\badd\s+([a-z_][\w-]*)\s+to\s+(the\s+)?sudoers\b/,
    confidence: 0.92,
    build: (m) => {
      const user = (m[2] ?? m[4] ?? m[6]) as string;
      return ['a', 'the', 'me'].includes(user)
        ? null
        : answer(
            `sudo usermod -aG sudo ${user}`,
            `lets ${user} use sudo (the sudo group; effective at next login)`,
          );
    },
  },
  {
    id: 'chgrp',
    when: /\bchange\s+(?:the\s+)?group\s+(?:of\s+)?(\S+)\s+to\s+([a-z_][\w-]*)/,
    confidence: 0.9,
    build: (m, i) => {
      const rec = /\brecursive(ly)?\b/.test(i.t) ? '-R ' : '';
      return answer(
        `chgrp ${rec}${m[2] as string} ${shq(bare(m[1]) as string)}`,
        `makes ${m[2] as string} the group of ${m[1] as string}`,
      );
    },
  },
  {
    id: 'find-owner-perm',
    when: /\bfiles?\b.*\b(owned by|belonging to)\s+([a-z_][\w-]*)|\bfiles?\b.*\b(with|having)\s+(?:permissions?|mode)\s+([0-7]{3,4})\b|\bbroken (sym)?links\b/,
    confidence: 0.9,
    build: (m, i) => {
      const dir = i.slots.find((x) => x.kind === 'path')?.value ?? (/\bhome\b/.test(i.t) ? '~' : '.');
      if (/\bbroken (sym)?links\b/.test(i.t))
        return answer(`find ${shq(dir)} -xtype l`, `symbolic links under ${dir} whose target is missing`);
      if (m[2]) return answer(`find ${shq(dir)} -user ${m[2]}`, `files under ${dir} owned by ${m[2]}`);
      return answer(
        `find ${shq(dir)} -type f -perm ${(m[4] as string).padStart(4, '0')}`,
        `files under ${dir} with mode ${m[4] as string}`,
      );
    },
  },
  {
    id: 'file-size',
    when: /\b(how big|size of|how large|file size)\b/,
    confidence: 0.9,
    build: (_m, i) => {
      const f = files(i).find((x) => /\.\w+$/.test(x) && !x.endsWith('/'));
      return f ? answer(`du -h ${shq(f)}`, `the disk space ${f} takes`) : null;
    },
  },
  {
    id: 'recent-files',
    when: /\b(recently|last) (modified|changed|edited) files\b|\b(newest|latest|most recent) files\b/,
    confidence: 0.88,
    build: (_m, i) => {
      const n = /\b(\d{1,3})\b/.exec(i.t)?.[1] ?? '10';
      return answer(`ls -lt | head -n ${Number(n) + 1}`, `the ${n} most recently modified entries here`);
    },
  },
  {
    id: 'text-lines',
    when: /\b(blank|empty) lines\b|\bline (\d+) of\b|\bprint line (\d+)\b|\bnumber the lines\b|\bwith line numbers\b|\breverse (the )?(order of )?(the )?lines\b/,
    unless: /\b(count|how many)\b/,
    confidence: 0.88,
    build: (m, i) => {
      const f = files(i)[0];
      if (!f) return null;
      if (/\b(blank|empty) lines\b/.test(i.t))
        return /\b(remove|delete|strip|drop)\b/.test(i.t)
          ? answer(`sed -i '/^[[:space:]]*$/d' ${shq(f)}`, `deletes the blank lines of ${f} (in place)`)
          : answer(`grep -v '^[[:space:]]*$' ${shq(f)}`, `${f} without its blank lines`);
      const ln = m[2] ?? m[3];
      if (ln) return answer(`sed -n '${ln}p' ${shq(f)}`, `line ${ln} of ${f}`);
      if (/\breverse\b/.test(i.t)) return answer(`tac ${shq(f)}`, `${f} last line first`);
      return answer(`cat -n ${shq(f)}`, `${f} with line numbers`);
    },
  },
  {
    id: 'json',
    when: /\b(pretty.?print|format|prettify|indent|view|show)\b.*\.json\b/,
    confidence: 0.88,
    build: (_m, i) => {
      const f = files(i).find((x) => x.endsWith('.json'));
      return f ? answer(`jq . ${shq(f)}`, `${f} indented and coloured`) : null;
    },
  },
  {
    id: 'at-job',
    when: /\b(run|execute|start)\b.*\b(at\s+\d{1,2}(:\d{2})?\s*(am|pm)?|in\s+\d+\s+(minutes?|hours?))\b/,
    unless: /\bevery\b|\b(daily|hourly|weekly)\b/,
    confidence: 0.88,
    build: (_m, i) => {
      const script = files(i)[0];
      if (!script) return null;
      const inM = /\bin\s+(\d+)\s+(minute|hour)s?\b/.exec(i.t);
      const at = /\bat\s+(\d{1,2}(?::\d{2})?\s*(?:am|pm)?)/.exec(i.t)?.[1]?.replace(/\s+/g, '');
      const when = inM ? `now + ${inM[1]} ${inM[2]}${inM[1] === '1' ? '' : 's'}` : (at ?? 'now');
      const path = /^[/~]/.test(script) ? script : `./${script}`;
      return answer(
        `echo ${shq(path)} | at ${when}`,
        `runs ${script} once, ${inM ? `in ${inM[1]} ${inM[2]}s` : `at ${when}`} (at queue)`,
      );
    },
  },
  {
    id: 'ssh-tunnel',
    when: /\b(tunnel|forward)\b.*\bport\b/,
    confidence: 0.92,
    build: (_m, i) => {
      const ports = [...i.t.matchAll(/\bport\s+(\d{1,5})\b/g)].map((x) => x[1]);
      const h = [
        ...i.t.matchAll(/\b((?:\w+@)?(?:[a-z0-9-]+\.)+[a-z]{2,}|(?:\w+@)?\d{1,3}(?:\.\d{1,3}){3})\b/g),
      ].map((x) => x[1])[0];
      if (!h || ports.length === 0) return null;
      const local = ports[0] as string;
      const remote = ports[1] ?? local;
      return answer(
        `ssh -N -L ${local}:localhost:${remote} ${h}`,
        `forwards local port ${local} to port ${remote} on ${h} over SSH`,
      );
    },
  },
  {
    id: 'sync',
    when: /\b(sync|synchronize|mirror|rsync)\b/,
    confidence: 0.88,
    build: (_m, i) => {
      const fs = files(i);
      const remote = /\b(\S+@\S+:\S*|\S+:\/\S*)/.exec(i.raw)?.[1];
      const word = bare(
        /\b(?:sync|synchronize|mirror|rsync)\s+(?:the\s+|my\s+)?(?:folder\s+|directory\s+)?([\w.~/-]+)/.exec(
          i.raw,
        )?.[1],
      );
      const src =
        fs.find((f) => !remote?.includes(f)) ?? (word && !/^(to|with|from)$/.test(word) ? word : undefined);
      const [a, b] = remote ? [src, remote] : [fs[0], fs[1]];
      if (!a || !b) return null;
      const del = /\b(delete|exact|mirror)\b/.test(i.t) ? ' --delete' : '';
      return answer(
        `rsync -av${del} ${shq(a)} ${shq(b)}`,
        `copies what changed from ${a} to ${b}${del ? ', deleting extra files there' : ''}`,
      );
    },
  },
  {
    id: 'system-more',
    when: /\bload average\b|\bswap\b|\bbattery\b|\bscreen resolution\b|\bkernel modules\b|\bboot (time|slow|taking)|\bslow(ing)? (down )?(the )?boot\b|\bhostname\b|\b(date and time|current time|what time)\b|\bdns cache\b|\bopen files of\b|\bwhich process\b.*\b(has|holds|uses|using)\b.*\b(file|open)\b/,
    unless: /\b(set|change)\b.*\bhostname\b/,
    confidence: 0.88,
    build: (_m, i) => {
      const t = i.t;
      if (/\bload average\b/.test(t))
        return answer('uptime', 'uptime and the 1, 5 and 15-minute load averages');
      if (/\bswap\b/.test(t)) return answer('swapon --show', 'swap devices and how much of each is used');
      if (/\bbattery\b/.test(t))
        return answer('upower -i "$(upower -e | grep -m1 BAT)"', 'battery charge, state and time left');
      if (/\bscreen resolution\b/.test(t))
        return answer('xrandr --current', 'connected screens and their resolutions');
      if (/\bkernel modules\b/.test(t)) return answer('lsmod', 'loaded kernel modules');
      if (/\bboot\b/.test(t))
        return answer('systemd-analyze blame', 'units by the time they took at boot, slowest first');
      if (/\bhostname\b/.test(t)) return answer('hostname', "this machine's name");
      if (/\bdns cache\b/.test(t))
        return answer('resolvectl flush-caches', "empties systemd-resolved's DNS cache");
      if (/\bopen files of\b/.test(t)) {
        const pid = /\b(\d{1,7})\b/.exec(t)?.[1];
        return pid ? answer(`lsof -p ${pid}`, `files process ${pid} has open`) : null;
      }
      if (/\bwhich process\b/.test(t)) {
        const f = files(i)[0];
        return f ? answer(`lsof ${shq(f)}`, `processes that have ${f} open`) : null;
      }
      return answer('date', 'the current date and time');
    },
  },
  {
    id: 'package-more',
    when: /\bupgradable\b|\b(updates?|upgrades?) (are )?available\b|\bdependencies of\b|\binstall\b.*\.deb\b|\bbroken packages\b|\b(hold|pin)\b.*\bpackage\b|\b(snap|flatpak)\b/,
    confidence: 0.9,
    build: (_m, i) => {
      const t = i.t;
      const p = pm(i);
      const deb = files(i).find((f) => f.endsWith('.deb'));
      if (deb)
        return answer(
          `sudo apt install ${/^[./~]/.test(deb) ? deb : `./${deb}`}`,
          `installs ${deb} and its dependencies`,
        );
      if (/\bupgradable\b|\bavailable\b/.test(t))
        return p.name === 'apt'
          ? answer('apt list --upgradable', 'packages with a newer version available')
          : p.name === 'pacman'
            ? answer('pacman -Qu', 'packages with a newer version available')
            : answer(`${p.name} check-update`, 'packages with a newer version available');
      const name = /\b(?:of|package)\s+([a-z0-9][\w+.-]*)/.exec(t)?.[1];
      if (/\bdependencies of\b/.test(t) && name)
        return p.name === 'apt'
          ? answer(`apt-cache depends ${name}`, `what ${name} depends on`)
          : answer(`${p.v.show} ${name}`, `what ${name} depends on`);
      if (/\bbroken packages\b/.test(t) && p.name === 'apt')
        return answer('sudo apt --fix-broken install', 'completes or repairs half-installed packages');
      if (/\b(hold|pin)\b/.test(t) && name && p.name === 'apt')
        return answer(`sudo apt-mark hold ${name}`, `keeps ${name} at its current version`);
      const snap =
        /\b(?:install|remove)\s+([a-z0-9][\w.-]*)\s+(?:with|from|using|via)\s+(snap|flatpak)\b/.exec(t);
      if (snap)
        return snap[2] === 'snap'
          ? answer(
              `sudo snap ${/\bremove\b/.test(t) ? 'remove' : 'install'} ${snap[1] as string}`,
              `${snap[1] as string} from the Snap Store`,
            )
          : answer(
              `flatpak ${/\bremove\b/.test(t) ? 'uninstall' : 'install'} ${snap[1] as string}`,
              `${snap[1] as string} from Flathub`,
            );
      return null;
    },
  },
  {
    id: 'git-extra',
    when: /\b(stage|add)\b.*\b(all|every|everything)\b.*\b(changes|files)\b|\bcommit\b.*\bmessage\b|\bgit (status|diff)\b/,
    confidence: 0.9,
    build: (_m, i) => {
      if (/\bgit status\b/.test(i.t))
        return answer('git status', 'branch, staged, changed and untracked files');
      if (/\bgit diff\b/.test(i.t)) return answer('git diff', 'changes not staged yet');
      if (/\bcommit\b.*\bmessage\b/.test(i.t)) {
        const msg = i.slots.find((x) => x.kind === 'quoted')?.value;
        return msg ? answer(`git commit -m ${shq(msg)}`, 'commits the staged changes') : null;
      }
      return answer('git add -A', 'stages every change, new and deleted files included');
    },
  },
];

/** Every intent that matches the request, with its answer. */
export function matchIntents(
  i: IntentInput,
): Array<{ id: string; confidence: number; answer: IntentAnswer }> {
  const out: Array<{ id: string; confidence: number; answer: IntentAnswer }> = [];
  for (const intent of INTENTS) {
    const m = intent.when.exec(i.t);
    if (!m || intent.unless?.test(i.t)) continue;
    try {
      const a = intent.build(m, i);
      if (a) out.push({ id: intent.id, confidence: intent.confidence, answer: a });
    } catch {
      // an intent never breaks the engine
    }
  }
  return out;
}
