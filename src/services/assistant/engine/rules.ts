/**
 * Intent rules: hand-written patterns for everyday requests, with argument filling. They give a
 * precise, explained answer where retrieval over the corpus would be approximate.
 */
import { matchIntents } from './intents';
import { homeSubdir, shq as q } from './intents/common';
import { extractSlots, type Slot } from './slots';

export interface RuleCandidate {
  command: string;
  explanation: string;
  confidence: number;
  rule: string;
}

export interface RuleContext {
  packageManager?: string | null;
  /** programs on PATH, when known */
  commands?: ReadonlySet<string>;
}

/** Where: "in my home" → ~, "in /var/log" → /var/log, "my downloads" → ~/Downloads, "here" → . */
function where(text: string, slots: Slot[]): string {
  const path = slots.find((s) => s.kind === 'path');
  if (path) return path.value;
  const sub = homeSubdir(text);
  if (sub) return sub;
  if (
    /\b(my )?home( dir(ectory)?| folder)?\b/.test(text) &&
    /\b(in|under|from|within|inside|across)\s+(my\s+|the\s+)?home\b/.test(text)
  )
    return '~';
  if (/\b(whole|entire) (system|disk|filesystem|file system)\b|\beverywhere\b/.test(text)) return '/';
  if (/\b(in|under) (\/|root)\b/.test(text)) return '/';
  return '.';
}

function count(text: string, fallback: number): number {
  const m =
    /\b(?:top|first|last|biggest|largest|smallest)\s+(\d{1,4})\b|\b(\d{1,4})\s+(?:biggest|largest|lines|files|processes|entries|most)\b/.exec(
      text,
    );
  const n = Number(m?.[1] ?? m?.[2]);
  return Number.isFinite(n) && n > 0 ? n : fallback;
}

type Rule = (t: string, slots: Slot[], ctx: RuleContext) => RuleCandidate | RuleCandidate[] | null;

const RULES: Array<[string, Rule]> = [
  [
    'find-by-size',
    (t, s) => {
      const size = s.find((x) => x.kind === 'size');
      if (
        !size?.norm ||
        !/\b(file|files|anything|stuff)\b/.test(t) ||
        !/\b(find|list|show|search|locate|which|what|look|delete|remove)\b/.test(t)
      )
        return null;
      // "under" is a place ("under /var/log") unless a size follows it
      const smaller = /\b(smaller|less|below|lower|tinier)\b|\bunder\s+\d/.test(t);
      const dir = where(t, s);
      const del = /\b(delete|remove)\b/.test(t);
      const ext = s.find((x) => x.kind === 'ext');
      const name = ext ? ` -name '*.${ext.value}'` : '';
      const cmd = `find ${q(dir)} -type f${name} -size ${smaller ? '-' : '+'}${size.norm}${del ? ' -delete' : ''}`;
      return {
        command: cmd,
        explanation: `files under ${dir} ${smaller ? 'smaller' : 'larger'} than ${size.value}${del ? ', deleted' : ''}`,
        confidence: 0.9,
        rule: 'find-by-size',
      };
    },
  ],
  [
    'find-by-age',
    (t, s) => {
      const days = s.find((x) => x.kind === 'days');
      const today = /\b(today|last 24 hours|past day)\b/.test(t);
      if (
        (!days && !today) ||
        !/\b(file|files|log|logs)\b/.test(t) ||
        !/\b(modif|chang|edit|old|new|touch|updat|creat|last|past|within|ago|recent)/.test(t)
      )
        return null;
      const older =
        /\b(older|more than|before|ago|at least|over)\b/.test(t) &&
        !/\b(in the last|within|past|newer|recent)\b/.test(t);
      const n = today ? '1' : (days?.norm ?? '1');
      const dir = where(t, s);
      const del = /\b(delete|remove|clean)\b/.test(t);
      const ext = s.find((x) => x.kind === 'ext');
      const name = ext ? ` -name '*.${ext.value}'` : '';
      return {
        command: `find ${q(dir)} -type f${name} -mtime ${older ? '+' : '-'}${n}${del ? ' -delete' : ''}`,
        explanation: `files under ${dir} modified ${older ? `more than ${n} days ago` : `in the last ${n} days`}${del ? ', deleted' : ''}`,
        confidence: 0.88,
        rule: 'find-by-age',
      };
    },
  ],
  [
    'find-by-name',
    (t, s) => {
      if (
        !/\b(find|locate|search for|look for|list all|where is|where are|delete|remove|erase)\b/.test(t) ||
        /\b(contain|containing|text|string|word|inside|rename|lines?|spaces?|characters?|duplicates?|from)\b/.test(
          t,
        )
      )
        return null;
      const ext = s.find((x) => x.kind === 'ext');
      const named =
        s.find((x) => x.kind === 'file') ??
        (/\b(named|called|name)\b/.test(t) ? s.find((x) => x.kind === 'quoted') : undefined);
      // "files named report": a bare word is part of the name, in any case
      const word = /\b(?:named|called)\s+([\w-]{2,})\s*$/.exec(t)?.[1];
      if (!ext && !named && !word) return null;
      // "where is nginx.conf": anywhere on the machine, without the permission noise
      const anywhere = /\bwhere (is|are)\b/.test(t) && !s.some((x) => x.kind === 'path');
      const dir = anywhere ? '/' : where(t, s);
      const pattern = named ? named.value : word && !ext ? `*${word}*` : `*.${ext?.value ?? ''}`;
      const dirs = /\b(director|folder)/.test(t) && !/\bfiles?\b/.test(t);
      const ci = /\b(case.insensitive|ignor\w* case|any case)\b/.test(t) || Boolean(word && !named && !ext);
      const del = /\b(delete|remove|erase|clean up)\b/.test(t);
      return {
        command: `find ${q(dir)} -type ${dirs ? 'd' : 'f'} -${ci ? 'iname' : 'name'} ${q(pattern).startsWith("'") ? q(pattern) : `'${pattern}'`}${del ? ' -delete' : ''}${anywhere ? ' 2>/dev/null' : ''}`,
        explanation: `${dirs ? 'directories' : 'files'} under ${dir} named ${pattern}${del ? ', deleted' : ''}`,
        confidence: 0.88,
        rule: 'find-by-name',
      };
    },
  ],
  [
    'grep-text',
    (t, s) => {
      const needle = s.find((x) => x.kind === 'quoted');
      if (!needle || !/\b(search|grep|find|look for|contain|containing|mention|occurrence)/.test(t))
        return null;
      const file = s.find((x) => x.kind === 'file' || x.kind === 'path');
      const ci = /\b(case.insensitive|ignor\w* case|any case)\b/.test(t) ? 'i' : '';
      const onlyNames = /\b(which files|list files|file names|filenames|names of files)\b/.test(t);
      if (file && file.kind === 'file')
        return {
          command: `grep -n${ci} ${q(needle.value)} ${q(file.value)}`,
          explanation: `lines of ${file.value} containing "${needle.value}", with line numbers`,
          confidence: 0.85,
          rule: 'grep-text',
        };
      const dir = where(t, s);
      const ext = s.find((x) => x.kind === 'ext');
      const include = ext ? ` --include='*.${ext.value}'` : '';
      return {
        command: `grep -r${onlyNames ? 'l' : 'n'}${ci}${include} ${q(needle.value)} ${q(dir)}`,
        explanation: `${onlyNames ? 'files' : 'lines'} under ${dir} containing "${needle.value}"`,
        confidence: 0.82,
        rule: 'grep-text',
      };
    },
  ],
  [
    'largest-files',
    (t, s) => {
      if (
        !/\b(largest|biggest|heaviest|taking (up )?(the )?most space|using (the )?most (disk )?space|space hogs?)\b/.test(
          t,
        )
      )
        return null;
      const n = count(t, 10);
      const dir = where(t, s);
      if (/\b(director|folder)/.test(t))
        return {
          command: `du -h --max-depth=1 ${q(dir)} | sort -rh | head -n ${n}`,
          explanation: `the ${n} largest directories under ${dir}`,
          confidence: 0.9,
          rule: 'largest-files',
        };
      return {
        command: `find ${q(dir)} -type f -printf '%s\\t%p\\n' | sort -rn | head -n ${n} | numfmt --field=1 --to=iec`,
        explanation: `the ${n} largest files under ${dir}, sizes human-readable`,
        confidence: 0.9,
        rule: 'largest-files',
      };
    },
  ],
  [
    'disk-free',
    (t, s) =>
      /\b(disk|drive|partition|filesystem|file system)s?\b.*\b(free|space|usage|full|left|available)\b|\b(free|available|space) (is )?(left|free|available)\b|\b(free|available) (disk )?space\b|\bhow full\b/.test(
        t,
      ) &&
      !/\b(director(y|ies)|folders?|files?|sorted|sort|this|here|eating|taking|hogging|consuming|using up|what(?:'s| is) using|does|do)\b/.test(
        t,
      )
        ? {
            command: `df -h${s.some((x) => x.kind === 'path') ? ` ${q(where(t, s))}` : ''}`,
            explanation: s.some((x) => x.kind === 'path')
              ? `free and used space of the file system holding ${where(t, s)}`
              : 'free and used space of every mounted file system',
            confidence: 0.9,
            rule: 'disk-free',
          }
        : null,
  ],
  [
    'dir-usage',
    (t, s) =>
      /\b(size of|how big|disk usage|space used|how much (disk )?space)\b/.test(t) &&
      /\b(director|folder|this|here|\/|my (downloads|documents|pictures|photos|music|videos|desktop))/.test(t)
        ? {
            command: `du -sh ${q(where(t, s))}`,
            explanation: `total size of ${where(t, s)}`,
            confidence: 0.9,
            rule: 'dir-usage',
          }
        : null,
  ],
  [
    'memory',
    (t) =>
      /\b(memory|ram)\b/.test(t) &&
      /\b(free|usage|used|available|how much|show|check)\b/.test(t) &&
      !/\bprocess/.test(t)
        ? {
            command: 'free -h',
            explanation: 'total, used and available memory and swap',
            confidence: 0.9,
            rule: 'memory',
          }
        : null,
  ],
  [
    'top-processes',
    (t) => {
      if (
        !/\bprocess(es)?\b|\bprograms?\b|\bapps?\b/.test(t) ||
        !/\b(most|top|heav|hog|using|consum|eat)/.test(t) ||
        /\bport\b/.test(t)
      )
        return null;
      const n = count(t, 10);
      const mem = /\b(memory|ram|mem)\b/.test(t);
      return {
        command: `ps aux --sort=-%${mem ? 'mem' : 'cpu'} | head -n ${n + 1}`,
        explanation: `the ${n} processes using the most ${mem ? 'memory' : 'CPU'}`,
        confidence: 0.88,
        rule: 'top-processes',
      };
    },
  ],
  [
    'port',
    (t, s) => {
      const port =
        s.find((x) => x.kind === 'port') ??
        (/\bport\b/.test(t) ? s.find((x) => x.kind === 'number') : undefined);
      if (/\b(listening|open ports|(which|what) ports)\b|\bports? (are )?(open|listening)\b/.test(t) && !port)
        return {
          command: 'ss -tulpn',
          explanation: 'listening TCP/UDP sockets with their processes',
          confidence: 0.88,
          rule: 'port',
        };
      if (!port || /\b(tunnel|forward|firewall|ufw)/.test(t)) return null;
      if (/\b(kill|stop|free)\b/.test(t))
        return {
          command: `fuser -k ${port.value}/tcp`,
          explanation: `kills the process using TCP port ${port.value}`,
          confidence: 0.9,
          rule: 'port',
        };
      return {
        command: `ss -ltnp 'sport = :${port.value}'`,
        explanation: `what is listening on TCP port ${port.value}`,
        confidence: 0.9,
        rule: 'port',
      };
    },
  ],
  [
    'count-lines',
    (t, s) => {
      const file = s.find((x) => x.kind === 'file' || x.kind === 'path' || x.kind === 'quoted');
      if (!/\b(count|number of|how many)\b/.test(t) || !/\blines?\b/.test(t) || !file) return null;
      return {
        command: `wc -l ${q(file.value)}`,
        explanation: `number of lines in ${file.value}`,
        confidence: 0.88,
        rule: 'count-lines',
      };
    },
  ],
  [
    'count-files',
    (t, s) =>
      /\b(count|number of|how many)\b/.test(t) && /\bfiles\b/.test(t) && !/\blines?\b/.test(t)
        ? {
            command: `find ${q(where(t, s))} -type f | wc -l`,
            explanation: `number of files under ${where(t, s)}`,
            confidence: 0.82,
            rule: 'count-files',
          }
        : null,
  ],
  [
    'replace-text',
    (t, s) => {
      const qs = s.filter((x) => x.kind === 'quoted');
      const file = s.find((x) => x.kind === 'file' || x.kind === 'path');
      if (!/\b(replace|substitute|change)\b/.test(t) || qs.length < 2 || !file) return null;
      // the sed program sits in single quotes: a quote or a newline in a value cannot go there
      if (qs.slice(0, 2).some((x) => /['\n]/.test(x.value))) return null;
      const a = (qs[0]?.value ?? '').replace(/[/&\\]/g, '\\$&');
      const b = (qs[1]?.value ?? '').replace(/[/&\\]/g, '\\$&');
      return {
        command: `sed -i 's/${a}/${b}/g' ${q(file.value)}`,
        explanation: `replaces every "${qs[0]?.value ?? ''}" with "${qs[1]?.value ?? ''}" in ${file.value} (in place)`,
        confidence: 0.86,
        rule: 'replace-text',
      };
    },
  ],
  [
    'list-files',
    (t, s) => {
      if (
        !/^(list|show|display|see)\b/.test(t) ||
        !/\b(files|contents|everything)\b/.test(t) ||
        t.split(/\s+/).length > 10 ||
        s.some((x) => x.kind === 'ext' || x.kind === 'file' || x.kind === 'size' || x.kind === 'days') ||
        /\b(contain\w*|named|called|larger|bigger|smaller|older|newer|modified|find|search|sizes?|details|differ\w*|lines?|empty|type|owned|owner|permissions?|recursive\w*|tree|under|extension|names?|paths?|count|number|archive|zip|tar|excluding|except|without|not|but|other than|suid|sgid|setuid|setgid|entire|whole|system|regular|normal|open|by)\b/.test(
          t,
        )
      )
        return null;
      const dir = s.find((x) => x.kind === 'path')?.value;
      const hidden = /\b(hidden|dot ?files|all)\b/.test(t);
      const byTime = /\b(by (\w+ )?(date|time)|newest|recent|latest)\b/.test(t);
      const bySize = /\bby size\b|\blargest first\b/.test(t);
      return {
        command: `ls -l${hidden ? 'a' : ''}h${byTime ? 't' : bySize ? 'S' : ''}${dir ? ` ${q(dir)}` : ''}`,
        explanation: `long listing${hidden ? ' including hidden files' : ''}${byTime ? ', newest first' : bySize ? ', largest first' : ''}, human-readable sizes`,
        confidence: 0.9,
        rule: 'list-files',
      };
    },
  ],
  [
    'processes',
    (t) =>
      /\b(show|list|display|see)\b.*\b(running |all )?process(es)?\b/.test(t) &&
      !/\b(most|top|port|named|called|memory|cpu|tree|hierarchy|forest)\b/.test(t)
        ? {
            command: 'ps aux',
            explanation: 'every running process with its user, CPU and memory use',
            confidence: 0.9,
            rule: 'processes',
          }
        : null,
  ],
  [
    'kill-by-name',
    (t, s) => {
      const m =
        /\b(?:kill|stop|terminate|end)\s+(?:the\s+)?(?:process(?:es)?|program|app)?\s*(?:named|called)?\s*["']?([a-z0-9][\w.-]*)["']?/.exec(
          t,
        );
      const name = s.find((x) => x.kind === 'quoted')?.value ?? m?.[1];
      if (
        !name ||
        !/\b(kill|terminate)\b|\bstop\b.*\bprocess/.test(t) ||
        /\bport\b/.test(t) ||
        ['all', 'the', 'process', 'processes', 'a'].includes(name)
      )
        return null;
      return {
        command: `pkill -x ${q(name)}`,
        explanation: `sends SIGTERM to processes named exactly ${name}`,
        confidence: 0.9,
        rule: 'kill-by-name',
      };
    },
  ],
  [
    'copy',
    (t, s) => {
      if (!/^(copy|cp)\b/.test(t)) return null;
      // to another machine: scp (intents); keeping relative paths or mirroring: rsync
      if (/\b(to|onto)\s+\S*@\S+|\S+:\/|\b(relative path|mirror|sync)/.test(t)) return null;
      const unquote = (v: string): string => v.replace(/^["']|["']$/g, '');
      const named = s
        .filter((x) => x.kind === 'file' || x.kind === 'path' || x.kind === 'quoted')
        .map((x) => x.value);
      let src: string[];
      let dst: string;
      const target = unquote(
        /\s(?:to|into)\s+(?:the\s+)?(?:folder\s+|directory\s+)?(\S+?)\/?\s*(?:recursively)?$/.exec(t)?.[1] ??
          '',
      );
      const last = named[named.length - 1];
      if (named.length >= 1 && target && last && target !== last.toLowerCase().replace(/\/$/, '')) {
        src = named;
        dst = /\/$/.test(t.replace(/\s*recursively$/, '')) ? `${target}/` : target;
      } else if (named.length >= 2) {
        src = named.slice(0, -1);
        dst = last as string;
      } else {
        const words = t.replace(/^(copy|cp)\s+/, '').split(/\s+to\s+|\s+into\s+/);
        if (words.length !== 2) return null;
        const one = unquote(
          (words[0] ?? '')
            .replace(/\b(the|folder|directory|file|dir|recursively|everything|all)\b/g, '')
            .trim()
            .split(/\s+/)
            .pop() ?? '',
        );
        dst = unquote(
          (words[1] ?? '')
            .replace(/\b(recursively|the|folder|directory)\b/g, '')
            .trim()
            .split(/\s+/)[0] ?? '',
        );
        src = one ? [one] : [];
      }
      if (src.length === 0 || !dst) return null;
      const rec = /\b(recursive|folder|director|dir)\w*/.test(t) || src.some((x) => !/\.\w{1,5}$/.test(x));
      const keep =
        /\b(preserv|keep)\w*\s+(the\s+)?(permissions|attributes|modes?|owners?|ownership|times?)\b/.test(t);
      const flags = `${rec ? 'r' : ''}${keep ? 'p' : ''}`;
      return {
        command: `cp ${flags ? `-${flags} ` : ''}${src.map(q).join(' ')} ${q(dst)}`,
        explanation: `copies ${src.join(', ')} to ${dst}${rec ? ' (with contents)' : ''}${keep ? ', keeping permissions and times' : ''}`,
        confidence: 0.9,
        rule: 'copy',
      };
    },
  ],
  [
    'mkdir',
    (t) => {
      const m =
        /\b(?:create|make|new)\s+(?:a\s+)?(?:new\s+)?(?:directory|folder|dir)\s+(?:called|named)?\s*["']?([\w./~-]+)["']?/.exec(
          t,
        );
      if (!m?.[1] || ['in', 'with', 'for', 'the', 'a', 'and', 'on', 'at', 'to', 'that'].includes(m[1]))
        return null;
      const parents = m[1].includes('/') || /\b(parents?|nested|intermediate)\b/.test(t);
      return {
        command: `mkdir ${parents ? '-p ' : ''}${q(m[1])}`,
        explanation: `creates the directory ${m[1]} (and missing parents)`,
        confidence: 0.86,
        rule: 'mkdir',
      };
    },
  ],
  [
    'download',
    (t, s) => {
      const url = s.find((x) => x.kind === 'url');
      if (!url || !/\b(download|fetch|get|save|grab)\b/.test(t)) return null;
      return {
        command: `curl -fLO ${q(url.value)}`,
        explanation: `downloads ${url.value} into the current directory under its remote name`,
        confidence: 0.88,
        rule: 'download',
      };
    },
  ],
  [
    'rename-ext',
    (t, s) => {
      const exts = s.filter((x) => x.kind === 'ext').map((x) => x.value);
      if (!/\b(rename|change)\b/.test(t) || exts.length < 2) return null;
      const [a, b] = exts;
      return {
        command: `for f in *.${a}; do mv -- "$f" "\${f%.${a}}.${b}"; done`,
        explanation: `renames every *.${a} file here to *.${b}`,
        confidence: 0.85,
        rule: 'rename-ext',
      };
    },
  ],
  [
    'tree',
    (t, s) => {
      // "show the directory tree" is a picture of it; "all files in the directory tree" means recursively
      if (
        !/^(please\s+)?(show|display|print|draw|view|see|visuali[sz]e)\b/.test(t) ||
        !/\b(tree|structure|hierarchy)\b/.test(t) ||
        !/\b(director\w*|folders?|dirs?|files?)\b/.test(t) ||
        /\b(all|every|each|any)\b.*\b(files?|director\w*)\b.*\btree\b|\b(under|in|below|within|of) (the |this |a )?(current |given |whole |entire )?(director\w*|folder) tree\b.*\b(that|which|whose|with|named|containing)\b/.test(
          t,
        )
      )
        return null;
      const dir = s.find((x) => x.kind === 'path')?.value;
      const m = /\b(\d)\s+levels?\b/.exec(t);
      return {
        command: `tree -L ${m?.[1] ?? '2'}${dir ? ` ${q(dir)}` : ''}`,
        explanation: `the directory tree${dir ? ` of ${dir}` : ''}, ${m?.[1] ?? '2'} levels deep`,
        confidence: 0.86,
        rule: 'tree',
      };
    },
  ],
  [
    'tail-file',
    (t, s) => {
      const file = s.find((x) => x.kind === 'file' || x.kind === 'path');
      if (!file) return null;
      if (/\b(follow|watch|live|as it grows|tail -f)\b/.test(t))
        return {
          command: `tail -f ${q(file.value)}`,
          explanation: `prints new lines of ${file.value} as they are written`,
          confidence: 0.86,
          rule: 'tail-file',
        };
      const m = /\b(last|first)\s+(\d+)\s+lines?\b/.exec(t);
      if (m)
        return {
          command: `${m[1] === 'last' ? 'tail' : 'head'} -n ${m[2] ?? '10'} ${q(file.value)}`,
          explanation: `the ${m[1]} ${m[2]} lines of ${file.value}`,
          confidence: 0.88,
          rule: 'tail-file',
        };
      return null;
    },
  ],
  [
    'chmod-exec',
    (t, s) => {
      const file = s.find((x) => x.kind === 'file' || x.kind === 'path' || x.kind === 'quoted');
      if (!file || !/\b(executable|runnable|execute permission|exec permission)\b/.test(t)) return null;
      return {
        command: `chmod +x ${q(file.value)}`,
        explanation: `lets ${file.value} be run as a program`,
        confidence: 0.88,
        rule: 'chmod-exec',
      };
    },
  ],
  [
    'system-info',
    (t) => {
      if (/\bkernel (version|release)\b|\bwhich kernel\b/.test(t))
        return {
          command: 'uname -r',
          explanation: 'the running kernel release',
          confidence: 0.9,
          rule: 'system-info',
        };
      if (/\b(my )?ip address(es)?\b|\bmy ip\b/.test(t))
        return {
          command: 'ip -brief address',
          explanation: 'the IP addresses of every interface',
          confidence: 0.88,
          rule: 'system-info',
        };
      if (
        /\b(which|what) (distro|distribution|os|linux)\b|\bos version\b|\bversion of (debian|ubuntu|fedora|linux|mint|the os|os|this (os|system|distro))\b|\b(debian|ubuntu|fedora|mint) version\b/.test(
          t,
        )
      )
        return {
          command: 'cat /etc/os-release',
          explanation: 'the distribution name and version',
          confidence: 0.88,
          rule: 'system-info',
        };
      if (/\buptime\b|\bhow long.*(running|up)\b/.test(t))
        return {
          command: 'uptime -p',
          explanation: 'how long the machine has been up',
          confidence: 0.88,
          rule: 'system-info',
        };
      if (/\bfailed (services|units)\b/.test(t))
        return {
          command: 'systemctl --failed',
          explanation: 'systemd units that failed',
          confidence: 0.9,
          rule: 'system-info',
        };
      return null;
    },
  ],
  [
    'git',
    (t) => {
      if (!/\bgit\b|\bcommit|\bbranch|\brepo/.test(t)) return null;
      if (/\bundo\b.*\b(last|previous) commit\b/.test(t))
        return {
          command: 'git reset --soft HEAD~1',
          explanation: 'undoes the last commit, keeping its changes staged',
          confidence: 0.9,
          rule: 'git',
        };
      if (/\b(current|which|what)( git)? branch\b/.test(t))
        return {
          command: 'git branch --show-current',
          explanation: 'the name of the current branch',
          confidence: 0.9,
          rule: 'git',
        };
      if (/\brevert\b.*\b(last|latest|previous) commit\b/.test(t))
        return {
          command: 'git revert HEAD',
          explanation: 'a new commit that undoes the last one (history kept)',
          confidence: 0.9,
          rule: 'git',
        };
      if (/\bgraph\b/.test(t) && /\b(log|history|commits|branches)\b/.test(t))
        return {
          command: 'git log --oneline --graph --all',
          explanation: "every branch's commits as a graph, one line each",
          confidence: 0.9,
          rule: 'git',
        };
      const last = /\b(?:recent|last|latest)\s+(?:(\d{1,4})\s+)?commits?\b/.exec(t);
      if (last || /\bcommit history\b|\bgit log\b/.test(t)) {
        const n = last?.[1] ?? '10';
        return {
          command: `git log --oneline -n ${n}`,
          explanation: `the last ${n} commits, one per line`,
          confidence: 0.9,
          rule: 'git',
        };
      }
      if (/\b(changes|status|modified)\b/.test(t))
        return {
          command: 'git status --short',
          explanation: 'changed, staged and untracked files',
          confidence: 0.9,
          rule: 'git',
        };
      return null;
    },
  ],
];

export function applyRules(request: string, ctx: RuleContext = {}): RuleCandidate[] {
  const t = request.toLowerCase();
  const slots = extractSlots(request);
  const out: RuleCandidate[] = [];
  for (const [, rule] of RULES) {
    try {
      const r = rule(t, slots, ctx);
      if (!r) continue;
      for (const c of Array.isArray(r) ? r : [r]) if (!out.some((o) => o.command === c.command)) out.push(c);
    } catch {
      // a rule never breaks the engine
    }
  }
  for (const m of matchIntents({
    t,
    raw: request,
    slots,
    packageManager: ctx.packageManager ?? null,
    commands: ctx.commands,
  }))
    if (!out.some((o) => o.command === m.answer.command))
      out.push({ ...m.answer, confidence: m.confidence, rule: m.id });
  return out.sort((a, b) => b.confidence - a.confidence);
}
