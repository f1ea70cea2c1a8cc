/** Everyday intents: users, groups, ownership and permissions. */
import { answer, bare, file, files, shq, type Intent } from './common';

export const PEOPLE_INTENTS: Intent[] = [
  {
    id: 'user-to-group',
    when: /\badd\s+(?:the\s+)?(?:user\s+)?([a-z_][\w-]*)\s+to\s+(?:the\s+)?(?:group\s+)?([a-z_][\w-]*)(?:\s+group)?\b/,
    unless: /\b(path|file|folder|directory|list|crontab|archive|zip)\b/,
    confidence: 0.92,
    build: (m) => {
      let user = m[1] as string;
      const group = m[2] as string;
      if (/^(me|myself)$/.test(user)) user = '"$USER"';
      else if (['a', 'the', 'my'].includes(user)) return null;
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
    id: 'user-from-group',
    when: /\b(?:remove|delete|take)\s+(?:the\s+)?(?:user\s+)?([a-z_][\w-]*)\s+(?:out\s+of|from)\s+(?:the\s+)?(?:group\s+)?([a-z_][\w-]*)(?:\s+group)?\b/,
    confidence: 0.92,
    build: (m) =>
      ['a', 'the', 'my', 'all'].includes(m[1] as string)
        ? null
        : answer(
            `sudo gpasswd -d ${m[1] as string} ${m[2] as string}`,
            `takes ${m[1] as string} out of the ${m[2] as string} group`,
          ),
  },
  {
    id: 'group-create',
    when: /\b(?:create|add|make)\s+(?:a\s+)?(?:new\s+)?group\s+(?:called\s+|named\s+)?([a-z_][\w-]*)\b/,
    confidence: 0.92,
    build: (m) => answer(`sudo groupadd ${m[1] as string}`, `creates the group ${m[1] as string}`),
  },
  {
    id: 'user-delete',
    when: /\b(?:delete|remove)\s+(?:the\s+)?user(?:\s+account)?\s+([a-z_][\w-]*)\b/,
    unless: /\bfrom\s+(?:the\s+)?(?:group|[a-z_][\w-]*\s+group)\b|\bfrom\s+(?:the\s+)?[a-z_][\w-]*$/,
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
];
