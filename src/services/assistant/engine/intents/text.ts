/** Everyday intents: text processing and scheduling (cron, at). */
import { answer, bare, file, files, shq, type Intent } from './common';

export const TEXT_INTENTS: Intent[] = [
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
    when: /\b(?:search|look|grep)\s+for\s+(?:the\s+(?:word|text|string|pattern)\s+)?(\S+)\s+in\b|\b(?:containing|contain|contains|mention|mentions|mentioning|with the (?:word|text|string))\s+(\S+)/,
    unless: /\b(file ?names?|named|called|director(y|ies) names?|whose names?|names? contains?)\b/,
    confidence: 0.9,
    build: (_m, i) => {
      if (i.slots.some((x) => x.kind === 'quoted')) return null; // rules.ts answers quoted needles
      const raw =
        /\b(?:search|look|grep)\s+for\s+(?:the\s+(?:word|text|string|pattern)\s+)?(\S+)\s+in\b|\b(?:containing|contain|contains|mention|mentions|mentioning|with the (?:word|text|string))\s+(\S+)/i.exec(
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
        : /\bfor (?:user\s+)?(?!me\b|my\b|the\b|all\b)([a-z_][\w-]*)\b/.test(i.t)
          ? answer(
              `sudo crontab -l -u ${/\bfor (?:user\s+)?([a-z_][\w-]*)\b/.exec(i.t)?.[1] ?? 'root'}`,
              'the cron jobs of that user',
            )
          : answer('crontab -l', 'your cron jobs'),
  },
  {
    id: 'text-lines',
    when: /\b(blank|empty) lines\b|\bline (\d+) of\b|\bprint line (\d+)\b|\bnumber the lines\b|\bwith line numbers\b|\breverse (the )?(order of )?(the )?lines\b/,
    unless: /\b(count|how many)\b/,
    confidence: 0.9,
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
    id: 'base64',
    when: /\bbase ?64\b/,
    confidence: 0.9,
    build: (_m, i) => {
      const f = files(i)[0];
      if (!f) return null;
      return /\bdecode\b/.test(i.t)
        ? answer(`base64 -d ${shq(f)}`, `${f} decoded from base64`)
        : answer(`base64 ${shq(f)}`, `${f} encoded as base64`);
    },
  },
  {
    id: 'random-password',
    when: /\b(random|strong|secure) (password|passphrase|secret|token|key)\b/,
    unless: /\bssh\b/,
    confidence: 0.9,
    build: () => answer('openssl rand -base64 24', '24 random bytes as 32 base64 characters'),
  },
  {
    id: 'alias',
    when: /\b(?:set|create|make|add|define)\s+(?:an?\s+)?alias\s+(?:called\s+|named\s+)?([\w.-]+)\s+(?:for|to|as)\s+(.+?)\s*$/,
    confidence: 0.9,
    build: (m, i) => {
      const raw =
        /\balias\s+(?:called\s+|named\s+)?[\w.-]+\s+(?:for|to|as)\s+(.+?)\s*$/i.exec(i.raw)?.[1] ??
        (m[2] as string);
      const cmd = raw.replace(/^["'`]|["'`]$/g, '');
      if (/['\n]/.test(cmd)) return null;
      return answer(
        `alias ${m[1] as string}='${cmd}'`,
        `${m[1] as string} runs ${cmd} in this shell (add the line to ~/.bashrc to keep it)`,
      );
    },
  },
];
