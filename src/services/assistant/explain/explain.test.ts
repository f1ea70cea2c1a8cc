import { beforeAll, describe, expect, it } from 'vitest';
import { initBashParser } from '../bash/parser';
import { applyRules } from '../engine/rules';
import { explainSync, prefetchWhatis, whatis } from './explain';

beforeAll(async () => {
  await initBashParser();
});

describe('explanations', () => {
  it('describes every option of the commands the everyday intents suggest', () => {
    const requests = [
      'is firefox running',
      'show kernel messages',
      'install htop',
      'update all packages',
      'which package owns /usr/bin/curl',
      'list installed packages containing python',
      'is curl installed?',
      'add user bob to the docker group',
      'ping google.com 5 times',
      'generate an ssh key',
      'show the process tree',
      'watch memory usage every 5 seconds',
      'show the current git branch',
      'create a new branch called x and switch to it',
      'print the first column of data.csv',
      'list cron jobs',
      'find broken symlinks',
      'list upgradable packages',
      'sync photos to bob@nas:/backup',
    ];
    for (const request of requests) {
      const command = applyRules(request, { packageManager: 'apt' })[0]?.command;
      expect(command, request).toBeDefined();
      for (const p of explainSync(command as string).parts.filter((x) => x.kind === 'option')) {
        expect(p.explanation, `${command}: ${p.text}`).not.toMatch(/see the manual/);
        expect(p.explanation, `${command}: ${p.text}`).not.toMatch(/(^|; )-\w(;|$)/);
      }
    }
  });

  it('looks many programs up at once and remembers the ones without a page', () => {
    prefetchWhatis(['ls', 'no-such-program-ainl-test']);
    expect(whatis('no-such-program-ainl-test')).toBeNull();
    // a name whatis cannot take is never looked up
    expect(whatis('rm -rf /')).toBeNull();
  });
});
