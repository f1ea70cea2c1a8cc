/**
 * The suggestion engine: every alert gets a concrete, explained next step, with a shell command
 * when one exists. Commands are plain strings; the AI terminal runs them only after the
 * assistant's safety checker has rated them. Read-only inspection commands come first; anything
 * that changes the system (kill, vacuum, clean) is named with what it does.
 */
import type { AlertSuggestion, MonitorProcess, MonitorSnapshot } from '../../shared/contract/monitor';

export interface SuggestionInput {
  rule: string;
  kind: 'threshold' | 'trend' | 'anomaly' | 'event';
  metric: string;
  entity: string | null;
  value: number;
  snapshot: MonitorSnapshot | null;
}

/** Quotes a word for a POSIX shell when it needs it. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:@%+=,-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 10 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

/** Processes that must never be the suggested kill target. */
function killable(p: MonitorProcess): boolean {
  return (
    p.pid > 1 &&
    p.pid !== process.pid &&
    !/^(systemd|init|kthreadd|Xorg|Xwayland|gnome-shell|kwin_.*|sshd)$/.test(p.name)
  );
}

function procList(ps: MonitorProcess[], what: 'mem' | 'cpu'): string {
  return ps
    .slice(0, 3)
    .map(
      (p) =>
        `${p.name} (pid ${p.pid}, ${what === 'mem' ? formatBytes(p.rssBytes) : `${p.cpuPct.toFixed(0)} % CPU`})`,
    )
    .join(', ');
}

function memorySuggestion(s: MonitorSnapshot | null, why: string): AlertSuggestion {
  const top = s?.processes.topMem ?? [];
  const target = top.find(killable);
  const list = top.length ? ` The biggest memory users: ${procList(top, 'mem')}.` : '';
  const alternatives = [
    {
      text: 'List the processes using the most memory.',
      command: 'ps -eo pid,user,rss,comm --sort=-rss | head -n 15',
    },
  ];
  if (target) {
    return {
      text: `${why}${list} Close ${target.name} normally if you can; otherwise stop it (SIGTERM lets it save its state).`,
      command: `kill ${target.pid}`,
      alternatives,
    };
  }
  return { text: `${why}${list}`, command: alternatives[0]!.command };
}

function cpuSuggestion(s: MonitorSnapshot | null, why: string): AlertSuggestion {
  const top = s?.processes.topCpu ?? [];
  const target = top.find(killable);
  const list = top.length ? ` The busiest processes: ${procList(top, 'cpu')}.` : '';
  const alternatives = [
    {
      text: 'List the processes using the most CPU.',
      command: 'ps -eo pid,user,%cpu,stat,comm --sort=-%cpu | head -n 15',
    },
  ];
  if (target) {
    return {
      text: `${why}${list} Lower the priority of ${target.name} so interactive work stays responsive, or stop it if it is stuck.`,
      command: `renice -n 10 -p ${target.pid}`,
      alternatives: [
        ...alternatives,
        { text: `Stop ${target.name} (SIGTERM).`, command: `kill ${target.pid}` },
      ],
    };
  }
  return { text: `${why}${list}`, command: alternatives[0]!.command };
}

function diskSpaceSuggestion(mount: string, s: MonitorSnapshot | null, why: string): AlertSuggestion {
  const fs = s?.filesystems.find((f) => f.mount === mount);
  const free = fs ? ` ${formatBytes(fs.availBytes)} of ${formatBytes(fs.sizeBytes)} free.` : '';
  const alternatives: AlertSuggestion['alternatives'] = [];
  if (mount === '/' || mount === '/var' || mount === '/var/log') {
    alternatives.push(
      { text: 'Shrink the systemd journal to 200 MB.', command: 'sudo journalctl --vacuum-size=200M' },
      { text: 'Empty the APT package cache (downloaded .deb files).', command: 'sudo apt-get clean' },
    );
  }
  if (mount === '/' || mount === '/home' || mount.startsWith('/home/')) {
    alternatives.push({ text: "Empty the current user's trash.", command: 'gio trash --empty' });
  }
  return {
    text: `${why}${free} Find the biggest directories on ${mount} first, then delete or move what you do not need.`,
    command: `du -xh --max-depth=2 ${shellQuote(mount)} 2>/dev/null | sort -rh | head -n 20`,
    alternatives,
  };
}

function inodeSuggestion(mount: string, why: string): AlertSuggestion {
  return {
    text: `${why} Many small files use up inodes (caches, mail queues, session files); count files per directory on ${mount} to find them.`,
    command: `find ${shellQuote(mount)} -xdev -type f 2>/dev/null | cut -d/ -f2-4 | sort | uniq -c | sort -rn | head -n 20`,
  };
}

/** Builds the suggestion for one alert. Never throws. */
export function suggest(input: SuggestionInput): AlertSuggestion {
  const { rule, entity, snapshot: s, value } = input;
  const mount = entity ?? '/';
  switch (rule) {
    case 'HostOutOfMemory':
    case 'HostMemoryUnderMemoryPressure':
    case 'HostMemoryStall':
      return memorySuggestion(s, 'Memory is nearly exhausted; the kernel will start killing processes.');
    case 'HostMemoryMayFillIn24Hours':
      return memorySuggestion(
        s,
        `Available memory keeps shrinking (out in about ${value.toFixed(1)} h at this rate): a process may be leaking.`,
      );
    case 'HostSwapIsFillingUp':
      return memorySuggestion(s, 'Swap is almost full, so the system is short of memory and slows down.');
    case 'HostOutOfDiskSpace':
      return diskSpaceSuggestion(mount, s, `${mount} is almost full.`);
    case 'HostDiskMayFillIn24Hours':
      return diskSpaceSuggestion(
        mount,
        s,
        `At the current rate ${mount} is full in about ${value.toFixed(1)} h.`,
      );
    case 'HostOutOfInodes':
      return inodeSuggestion(
        mount,
        `${mount} has almost no free inodes left: no new file can be created even with space free.`,
      );
    case 'HostInodesMayFillIn24Hours':
      return inodeSuggestion(
        mount,
        `At the current rate ${mount} runs out of inodes in about ${value.toFixed(1)} h.`,
      );
    case 'HostUnusualDiskReadLatency':
    case 'HostUnusualDiskWriteLatency':
    case 'HostDiskIoUtilizationHigh':
    case 'HostCpuHighIowait':
      return {
        text: `The disk${entity ? ` ${entity}` : ''} is the bottleneck. Processes in state D wait for I/O; find which ones, and check the disk's health if this persists.`,
        command: "ps -eo pid,stat,wchan:20,comm | awk 'NR==1 || $2 ~ /D/'",
        alternatives: [
          { text: 'Show the I/O pressure of the last 10 s, 1 and 5 min.', command: 'cat /proc/pressure/io' },
          ...(entity
            ? [
                {
                  text: `Check the SMART health of /dev/${entity}.`,
                  command: `sudo smartctl -H /dev/${shellQuote(entity)}`,
                },
              ]
            : []),
        ],
      };
    case 'HostHighCpuLoad':
    case 'HostHighLoad':
      return cpuSuggestion(s, 'The CPU has been busy for a long time.');
    case 'HostCpuStealNoisyNeighbor':
      return {
        text: 'The hypervisor gives this virtual machine less CPU time than it asks for (steal). Nothing inside the VM fixes it: move the VM, or ask the provider for dedicated cores.',
        command: 'vmstat 1 5',
      };
    case 'HostUnusualNetworkThroughputIn':
    case 'HostUnusualNetworkThroughputOut':
      return {
        text: `The link ${entity ?? ''} is close to its capacity. See which connections carry the traffic.`,
        command: 'ss -tunp state established | head -n 30',
      };
    case 'HostNetworkReceiveErrors':
    case 'HostNetworkTransmitErrors':
      return {
        text: `Interface ${entity ?? ''} reports packet errors: often a bad cable, a duplex mismatch or a driver problem. Check its error counters.`,
        command: `ip -s link show ${shellQuote(entity ?? '')}`,
      };
    case 'HostSystemdServiceCrashed': {
      const unit = s?.failedUnits?.[0];
      if (unit) {
        return {
          text: `${unit}${(s?.failedUnits?.length ?? 0) > 1 ? ` and ${(s?.failedUnits?.length ?? 1) - 1} more` : ''} failed. Read its last log lines to see why, then restart it or reset the failure.`,
          command: `journalctl -u ${shellQuote(unit)} -n 30 --no-pager`,
          alternatives: [
            { text: `Restart ${unit}.`, command: `sudo systemctl restart ${shellQuote(unit)}` },
            { text: 'List every failed unit.', command: 'systemctl --failed --no-pager' },
          ],
        };
      }
      return {
        text: 'A systemd unit failed. List the failed units and read their logs.',
        command: 'systemctl --failed --no-pager',
      };
    }
    case 'HostPhysicalComponentTooHot':
    case 'HostNodeOvertemperatureAlarm':
      return cpuSuggestion(
        s,
        `${entity ?? 'A component'} is too hot: check the fans and air flow, and what keeps the CPU busy.`,
      );
    case 'HostOomKillDetected':
      return {
        text: 'The kernel ran out of memory and killed a process. The kernel log names the victim and the memory state at the time.',
        command: "journalctl -k --since '-1h' --no-pager | grep -iE 'out of memory|oom-kill|killed process'",
        alternatives: [memorySuggestion(s, 'Free memory to avoid the next kill.')],
      };
    case 'HostClockJump':
      return {
        text: 'The wall clock jumped (manual change, suspend/resume or NTP step). Check that time synchronisation is active.',
        command: 'timedatectl status',
      };
    default:
      break;
  }
  if (input.kind === 'anomaly') {
    const f = input.metric;
    if (f.startsWith('cpu') || f.startsWith('load'))
      return cpuSuggestion(s, `Unusual ${f} compared with the last hours.`);
    if (f.startsWith('mem') || f.startsWith('swap'))
      return memorySuggestion(s, `Unusual ${f} compared with the last hours.`);
    if (f.startsWith('disk'))
      return {
        text: `Unusual disk traffic (${f}) compared with the last hours. Find which processes read or write.`,
        command: "ps -eo pid,stat,comm | awk 'NR==1 || $2 ~ /D/'",
        alternatives: [{ text: 'Per-process I/O counters (sysstat).', command: 'pidstat -d 1 5' }],
      };
    if (f.startsWith('net'))
      return {
        text: `Unusual network traffic (${f}) compared with the last hours. See which connections are open.`,
        command: 'ss -tunp | head -n 30',
      };
  }
  return {
    text: `${input.metric} is ${value.toFixed(2)}. Look at the busiest processes first.`,
    command: 'ps -eo pid,user,%cpu,rss,comm --sort=-%cpu | head -n 15',
  };
}
