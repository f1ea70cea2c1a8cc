import { describe, it, expect } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  escapeUnitPart,
  transientUnitName,
  isTransientUnitName,
  unitFromCgroupFile,
  resolveExecutable,
  resolveCreds,
  lookupAccount,
} from './transient';
import { isValidUnitName } from '../../shared/config/healing';
import { Problem } from '../../shared/problems';

describe('transient unit names', () => {
  it('escapes like systemd-escape (outputs of systemd 252)', () => {
    expect(escapeUnitPart('my-worker@1.a:b_c')).toBe('my\\x2dworker\\x401.a:b_c');
    expect(escapeUnitPart('.hidden')).toBe('\\x2ehidden');
    expect(escapeUnitPart('a\\b')).toBe('a\\x5cb');
    expect(escapeUnitPart('-x')).toBe('\\x2dx');
    expect(escapeUnitPart('ä')).toBe('\\xc3\\xa4');
    expect(escapeUnitPart('a/b')).toBe('a-b');
  });

  it('builds ainl-heal-<target>-<n>.service names systemd accepts and we recognise', () => {
    expect(transientUnitName('worker', 3)).toBe('ainl-heal-worker-3.service');
    for (const t of [
      'worker',
      'my-worker',
      'a@b',
      'x.y:z',
      '-lead',
      '\\',
      'w'.repeat(255),
      '-'.repeat(255),
    ]) {
      const n = transientUnitName(t, 12);
      expect(n.length, t).toBeLessThanOrEqual(255);
      expect(isValidUnitName(n), n).toBe(true);
      expect(isTransientUnitName(n), n).toBe(true);
      expect(n.endsWith('-12.service')).toBe(true);
      expect(n).not.toMatch(/\\x?[0-9a-f]?-12\.service$/); // a long name is never cut inside \xNN
    }
    expect(isTransientUnitName('ainl-heal-worker.service')).toBe(false);
    expect(isTransientUnitName('nginx.service')).toBe(false);
  });

  it('reads the unit from the cgroup v2 line of /proc/<pid>/cgroup', () => {
    expect(unitFromCgroupFile('0::/system.slice/ainl-heal-worker-2.service\n')).toBe(
      'ainl-heal-worker-2.service',
    );
    expect(unitFromCgroupFile('1:name=systemd:/x\n0::/user.slice/user-0.slice/session-3.scope\n')).toBe(
      'session-3.scope',
    );
    expect(unitFromCgroupFile('0::/\n')).toBe('');
    expect(unitFromCgroupFile('12:pids:/foo\n')).toBe('');
  });
});

describe('resolveExecutable', () => {
  it('keeps absolute paths, looks bare names up in PATH, refuses the rest clearly', () => {
    const sh = resolveExecutable('sh', '/nonexistent:/usr/bin:/bin');
    expect(sh).toMatch(/^\/(usr\/)?bin\/sh$/);
    expect(resolveExecutable(sh)).toBe(sh);
    const refuse = (cmd: string, problem: string, re: RegExp) => {
      try {
        resolveExecutable(cmd, '/usr/bin:/bin');
        throw new Error(`${cmd} was accepted`);
      } catch (err) {
        expect(err).toBeInstanceOf(Problem);
        expect((err as Problem).problem).toBe(problem);
        expect((err as Error).message).toMatch(re);
      }
    };
    refuse('no-such-program-ainl', 'not-found', /not on PATH.*absolute path/);
    refuse('./worker', 'invalid-input', /absolute path or a name on PATH/);
    const dir = mkdtempSync(join(tmpdir(), 'ainl-transient-'));
    try {
      writeFileSync(join(dir, 'plain'), 'x', { mode: 0o644 });
      refuse(join(dir, 'plain'), 'not-found', /not an executable file/);
      refuse(dir, 'not-found', /not an executable file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    refuse('', 'invalid-input', /no start command/);
  });
});

describe('resolveCreds (the detached-spawn fallback)', () => {
  const db: Record<string, string[]> = {
    'passwd:worker': ['worker', 'x', '1001', '1002', '', '/srv/worker', '/bin/sh'],
    'passwd:1001': ['worker', 'x', '1001', '1002', '', '/srv/worker', '/bin/sh'],
    'group:staff': ['staff', 'x', '50', ''],
  };
  const lookup = (d: 'passwd' | 'group', k: string) => db[`${d}:${k}`] ?? null;
  it('maps names and ids to uid/gid like User=/Group=, and never quietly to root', () => {
    expect(resolveCreds(undefined, undefined, lookup)).toEqual({});
    expect(resolveCreds('worker', undefined, lookup)).toEqual({
      uid: 1001,
      gid: 1002,
      name: 'worker',
      home: '/srv/worker',
    });
    expect(resolveCreds('1001', 'staff', lookup)).toMatchObject({ uid: 1001, gid: 50 });
    expect(resolveCreds('4242', '4243', lookup)).toEqual({ uid: 4242, gid: 4243 });
    expect(() => resolveCreds('ghost', undefined, lookup)).toThrow(/user ghost does not exist.*root/);
    expect(() => resolveCreds('worker', 'ghosts', lookup)).toThrow(/group ghosts does not exist/);
    expect(() => resolveCreds('4242', undefined, lookup)).toThrow(/no passwd entry: configure a group/);
  });
  it('reads the real account database', () => {
    expect(lookupAccount('passwd', 'root')?.[2]).toBe('0');
    expect(lookupAccount('passwd', 'ainl-no-such-user')).toBeNull();
  });
});
