/** Everyday intents: systemd services, their journal, log files and the journal. */
import {
  NOT_A_NAME,
  answer,
  journalTime,
  lines,
  logFile,
  shq,
  unitIn,
  unitName,
  type Intent,
} from './common';

export const SERVICE_INTENTS: Intent[] = [
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
      const now = (verb === 'enable' || verb === 'disable') && /\b(now|right away|immediately)\b/.test(i.t);
      return answer(
        `sudo systemctl ${verb}${now ? ' --now' : ''} ${unit}`,
        verb === 'enable' || verb === 'disable'
          ? `${verb === 'enable' ? 'starts' : 'no longer starts'} ${unit} at boot${now ? `, and ${verb === 'enable' ? 'starts' : 'stops'} it now` : ''}`
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
    unless: /\b(clear|clean|delete|remove|vacuum|shrink|trim|purge)\b/,
    when: /\bjournal\b|\bjournalctl\b|\bsystem (logs?|messages)\b|\bboot (logs?|messages|errors)\b|\blogs? (since|from|of) (the )?(last |previous |this )?boot\b|\b(system )?(logs?|errors) (from|since|in|of|during) (the )?(last|past) (\d+ )?(minutes?|hours?|days?)\b|\b(logs?|errors) (from |since )?(today|yesterday)\b/,
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
    id: 'journal-vacuum',
    when: /\b(clear|clean( up)?|delete|remove|vacuum|shrink|trim|purge)\b.*\b(journal|journald|system logs)\b/,
    confidence: 0.92,
    build: (_m, i) => {
      const size = i.slots.find((x) => x.kind === 'size');
      return size?.norm
        ? answer(
            `sudo journalctl --vacuum-size=${size.norm.replace(/c$/, '')}`,
            `shrinks the journal to ${size.value}`,
          )
        : answer('sudo journalctl --vacuum-time=2weeks', 'deletes journal entries older than two weeks');
    },
  },
  {
    id: 'last-boot',
    when: /\b(last|latest) (re)?boot( time)?\b|\bwhen (was|did) (the )?(machine|system|computer|server)?\s*(last )?(re)?boot|\bwho (re)?boot(ed)?\b|\breboot history\b/,
    unless: /\blogs?\b|\berrors?\b/,
    confidence: 0.9,
    build: (_m, i) =>
      /\bwho\b|\bhistory\b/.test(i.t)
        ? answer(
            'last -x reboot shutdown | head -n 20',
            'recent reboots and shutdowns, with who was logged in',
          )
        : answer('who -b', 'when the system last booted'),
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
];
