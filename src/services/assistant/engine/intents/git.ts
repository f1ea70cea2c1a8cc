/** Everyday intents: git beyond the basics in rules.ts. */
import { answer, file, shq, type Intent } from './common';

export const GIT_INTENTS: Intent[] = [
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
