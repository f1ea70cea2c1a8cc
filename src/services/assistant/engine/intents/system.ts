/** Everyday intents: processes, hardware, mounts, time, power, environment and containers. */
import { NOT_A_NAME, answer, file, files, shq, type Intent } from './common';

export const SYSTEM_INTENTS: Intent[] = [
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
  {
    id: 'hardware',
    when: /\b(cpu|processor)\b.*\b(info|model|details|cores?|which|what)\b|\b(what|which) (cpu|processor)\b|\b(how many) (cpu )?cores\b|\busb devices\b|\bpci devices\b|\bblock devices\b|\b(disks|drives|partitions?)\b.*\b(list|show|which|what)\b|\b(list|show|which|what)\b.*\b(disks|drives|partitions?)\b|\bgraphics card\b|\bgpu\b|\btemperatures?\b|\bbios\b/,
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
      if (/\b(disks|drives|partitions?|block devices)\b/.test(t))
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
    id: 'process-count',
    when: /\bhow many processes\b|\b(number|count) of (running )?processes\b/,
    confidence: 0.9,
    build: () => answer('ps -e --no-headers | wc -l', 'how many processes are running'),
  },
  {
    id: 'swapfile',
    when: /\b(create|make|add|set up)\b.*\bswap( ?file)?\b/,
    confidence: 0.92,
    build: (_m, i) => {
      const size = i.slots.find((x) => x.kind === 'size')?.norm?.replace(/c$/, '') ?? '2G';
      return answer(
        `sudo fallocate -l ${size} /swapfile && sudo chmod 600 /swapfile && sudo mkswap /swapfile && sudo swapon /swapfile`,
        `creates a ${size} swap file and turns it on (add it to /etc/fstab to keep it after a reboot)`,
      );
    },
  },
  {
    id: 'session',
    when: /\block (the |my )?screen\b|\bchange (my |the )?(default |login )?shell to (\w+)\b|\bswitch (to )?user (to )?([a-z_][\w-]*)\b|\blog ?in as ([a-z_][\w-]*)\b/,
    unless: /\b(ssh|server|host|remote|into \S+\.)/,
    confidence: 0.9,
    build: (m, i) => {
      if (/\block\b/.test(i.t)) return answer('loginctl lock-session', 'locks the screen of this session');
      const sh = m[4];
      if (sh)
        return answer(`chsh -s "$(command -v ${sh})"`, `makes ${sh} your login shell (from the next login)`);
      const user = m[7] ?? m[8];
      return user && user !== 'root'
        ? answer(`su - ${user}`, `a login shell as ${user} (asks for their password)`)
        : null;
    },
  },
  {
    id: 'kernels',
    when: /\b(installed|all) kernels\b|\bkernels? (are )?installed\b/,
    confidence: 0.9,
    build: (_m, i) => {
      const p = i.packageManager ?? 'apt';
      return p === 'apt'
        ? answer("dpkg --list 'linux-image*' | grep ^ii", 'installed kernel packages')
        : p === 'pacman'
          ? answer('pacman -Q | grep -E "^linux"', 'installed kernel packages')
          : answer('rpm -q kernel', 'installed kernel packages');
    },
  },
  {
    id: 'disk-health',
    when: /\b(disk|drive|ssd|smart)\b.*\b(health|smart|status|failing)\b|\bsmart (data|status|info)\b/,
    confidence: 0.9,
    build: (_m, i) => {
      const dev = i.slots.find((x) => x.kind === 'path' && /^\/dev\//.test(x.value))?.value;
      return dev
        ? answer(
            `sudo smartctl -H -A ${shq(dev)}`,
            `the SMART health verdict and attributes of ${dev} (smartmontools)`,
          )
        : answer('sudo smartctl --scan', 'the drives smartctl can query; then smartctl -H on one of them');
    },
  },
  {
    id: 'format-drive',
    when: /\bformat\b.*\/dev\/\S+.*\b(fat32|vfat|exfat|ext4|ntfs|xfs|btrfs)\b/,
    confidence: 0.9,
    build: (m, i) => {
      const dev = i.slots.find((x) => x.kind === 'path' && /^\/dev\//.test(x.value))?.value;
      if (!dev) return null;
      const fs = m[1] as string;
      const cmd =
        fs === 'fat32' || fs === 'vfat'
          ? `sudo mkfs.vfat -F 32 ${shq(dev)}`
          : fs === 'exfat'
            ? `sudo mkfs.exfat ${shq(dev)}`
            : fs === 'ntfs'
              ? `sudo mkfs.ntfs -f ${shq(dev)}`
              : `sudo mkfs.${fs} ${shq(dev)}`;
      return answer(cmd, `erases ${dev} and creates an empty ${fs} file system on it (unmount it first)`);
    },
  },
  {
    id: 'open-files-by-name',
    when: /\bopen files (by|of|from|for) ([a-z][\w.-]*)\b|\bfiles (opened|held) by ([a-z][\w.-]*)\b/,
    confidence: 0.9,
    build: (m) => {
      const name = (m[2] ?? m[4]) as string;
      return /^\d+$/.test(name) || ['the', 'a', 'process'].includes(name)
        ? null
        : answer(`sudo lsof -c ${name}`, `files that processes named ${name} have open`);
    },
  },
];
