/** Everyday intents: packages through the machine's package manager (apt, dnf, yum, pacman, zypper, apk), snaps and flatpaks. */
import { APPLICATIONS, NOT_A_NAME, answer, bare, file, files, pm, shq, type Intent } from './common';

export const PACKAGE_INTENTS: Intent[] = [
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
    id: 'package-version',
    when: /\b(?:installed\s+version\s+of|which\s+version\s+of|what\s+version\s+of)\s+([a-z0-9][\w+.-]*)(?:\s+is\s+installed|\s+do\s+i\s+have)?\b/,
    unless: /\b(debian|ubuntu|fedora|linux|mint|the os|os|kernel|this (os|system|distro))\b/,
    confidence: 0.9,
    build: (m, i) => {
      const name = m[1] as string;
      const p = pm(i).name;
      const cmd =
        p === 'apt'
          ? `apt policy ${name}`
          : p === 'pacman'
            ? `pacman -Qi ${name}`
            : p === 'apk'
              ? `apk info -v ${name}`
              : `rpm -q ${name}`;
      return answer(cmd, `the installed (and available) version of ${name}`);
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
];
