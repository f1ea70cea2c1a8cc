import { describe, it, expect } from 'vitest';
import { targetConfig } from '../../shared/config/healing';
import { configSchema } from '../../shared/config/schema';
import { parseLenient } from '../config/lenient';

const worker = (process: Record<string, unknown>) => ({
  name: 'worker',
  kind: 'process',
  process: { start: ['/usr/local/bin/worker'], ...process },
});

describe('process targets: user, group, working directory, environment', () => {
  it('accepts names, numeric ids, an absolute directory and an environment map', () => {
    for (const user of ['nobody', 'www-data', '_apt', 'svc$', '1000'])
      expect(targetConfig.safeParse(worker({ user, group: user })).success, user).toBe(true);
    const t = targetConfig.parse(
      worker({ user: 'nobody', workingDirectory: '/srv/worker', environment: { MODE: 'a b=c', _X1: '' } }),
    );
    expect(t.process).toMatchObject({
      user: 'nobody',
      workingDirectory: '/srv/worker',
      environment: { MODE: 'a b=c', _X1: '' },
    });
    // none configured: nothing is set (root in / for a transient unit, as before)
    const plain = targetConfig.parse(worker({})).process;
    expect([plain.user, plain.group, plain.workingDirectory, plain.environment]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('refuses malformed values with an error naming the field, through the config loader', () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ user: 'Root;rm' }, /^0\.process\.user: a user\/group name/],
      [{ user: '-x' }, /^0\.process\.user/],
      [{ user: 'a'.repeat(33) }, /^0\.process\.user/],
      [{ group: 'wheel group' }, /^0\.process\.group/],
      [{ workingDirectory: 'srv/worker' }, /^0\.process\.workingDirectory: must be an absolute path/],
      [{ environment: { '1BAD': 'x' } }, /^0\.process\.environment\.1BAD: variable names/],
      [{ environment: { 'A-B': 'x' } }, /^0\.process\.environment\.A-B/],
      [
        { environment: { OK: 'two\nlines' } },
        /^0\.process\.environment\.OK: values may not contain NUL or newline/,
      ],
      [
        { environment: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`V${i}`, '1'])) },
        /process\.environment: at most 32 variables/,
      ],
    ];
    for (const [fields, re] of bad) {
      const r = parseLenient(configSchema, { healing: { targets: [worker(fields)] } });
      const p = r.problems.find((x) => x.path === 'healing.targets');
      expect(p?.message, JSON.stringify(fields)).toMatch(re);
      expect(r.value.healing.targets).toEqual([]); // never started as root with half a config
    }
  });
});
