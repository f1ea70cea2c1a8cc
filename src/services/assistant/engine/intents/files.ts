/** Everyday intents: archives, checksums, links, finding and handling files. */
import {
  homePlace,
  answer,
  bare,
  file,
  files,
  shq,
  type Intent,
  searchRoot,
  type IntentAnswer,
  type IntentInput,
} from './common';

/** Empty files (f) or directories (d) under the request's place, deleted when it says so. */
function emptyUnder(type: 'f' | 'd', i: IntentInput): IntentAnswer {
  const dir = searchRoot(i);
  const del = /\b(delete|remove|clean)\b/.test(i.t);
  return answer(
    `find ${shq(dir)} -type ${type} -empty${del ? ' -delete' : ''}`,
    `empty ${type === 'd' ? 'directories' : 'files'} under ${dir}${del ? ', deleted' : ''}`,
  );
}

export const FILE_INTENTS: Intent[] = [
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
      const place = homePlace(i.t);
      const target =
        files(i).find((f) => !/\.(zip|tar|tgz|gz)$/.test(f) || f === named) ??
        place ??
        (named && !['the', 'this', 'my', 'a', 'current', 'home'].includes(named) ? named : undefined);
      if (!target) return null;
      const base = target === '~' ? 'home' : target.replace(/\/+$/, '').split('/').pop() || 'archive';
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
    build: (_m, i) => emptyUnder('d', i),
  },
  {
    id: 'empty-files',
    when: /\bempty files\b|\bzero.(byte|size|length) files\b/,
    confidence: 0.9,
    build: (_m, i) => emptyUnder('f', i),
  },
  {
    id: 'recent-minutes-hours',
    when: /\b(?:modified|changed|edited|created|touched|updated)\b.*\b(?:last|past)\s+(?:(\d{1,4})\s*)?(minutes?|mins?|hours?)\b/,
    confidence: 0.9,
    build: (m, i) => {
      const n = Number(m[1] ?? 1) * (/^h/.test(m[2] as string) ? 60 : 1);
      const dir = searchRoot(i);
      const ext = i.slots.find((s) => s.kind === 'ext');
      return answer(
        `find ${shq(dir)} -type f${ext ? ` -name '*.${ext.value}'` : ''} -mmin -${n}`,
        `files under ${dir} modified in the last ${n} minutes`,
      );
    },
  },
  {
    id: 'duplicates',
    when: /\bduplicate files\b|\bfiles? that are (the same|identical|duplicates)\b|\bidentical files\b/,
    confidence: 0.88,
    build: (_m, i) => {
      const dir = searchRoot(i);
      return answer(
        `find ${shq(dir)} -type f -exec md5sum {} + | sort | uniq -w32 -dD`,
        `files under ${dir} with identical contents, grouped by checksum`,
      );
    },
  },
  {
    id: 'move-by-extension',
    when: /^(?:please\s+)?(?:move|mv)\s+(?:all\s+)?(?:the\s+)?(?:my\s+)?(?:\*?\.)?([a-z0-9]{1,6})\s+files\s+(?:from\s+\S+\s+)?(?:in)?to\s+(?:the\s+)?(\S+?)(?:\s+(?:folder|directory|dir))?\s*$/,
    confidence: 0.9,
    build: (m, i) => {
      const ext = i.slots.find((x) => x.kind === 'ext')?.value ?? (m[1] as string);
      const raw = bare(/\bto\s+(?:the\s+)?(\S+)/.exec(i.raw)?.[1]) ?? (m[2] as string);
      const dest = i.slots.find((x) => x.kind === 'path')?.value ?? homePlace(i.t) ?? raw;
      return answer(`mv -- *.${ext} ${shq(dest)}`, `moves every *.${ext} file here into ${dest}`);
    },
  },
  {
    id: 'delete-dirs-named',
    when: /\b(?:delete|remove|clean up|get rid of)\s+(?:all\s+)?(?:the\s+|every\s+)?([\w.-]+)\s+(?:folders|directories|dirs)\b/,
    confidence: 0.9,
    build: (m, i) => {
      const name = m[1] as string;
      if (['empty', 'old', 'the', 'all', 'these', 'those', 'my'].includes(name)) return null;
      const dir = searchRoot(i);
      return answer(
        `find ${shq(dir)} -type d -name ${shq(name)} -prune -exec rm -rf {} +`,
        `deletes every directory named ${name} under ${dir}, with its contents`,
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
  {
    id: 'find-owner-perm',
    when: /\bfiles?\b.*\b(owned by|belonging to)\s+([a-z_][\w-]*)|\bfiles?\b.*\b(with|having)\s+(?:permissions?|mode)\s+([0-7]{3,4})\b|\bbroken (sym)?links\b/,
    confidence: 0.9,
    build: (m, i) => {
      const dir = searchRoot(i);
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
];
