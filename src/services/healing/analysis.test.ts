import { describe, it, expect } from 'vitest';
import { explainFailure, exitFacts, systemdWouldRestart, backoffMs, findCycles } from './analysis';
import { unitPath, unitNameFromPath, cockpitState, type UnitSnapshot } from './systemd';
import { healingConfig, isValidUnitName } from '../../shared/config/healing';
import { healingChannels } from '../../shared/contract/healing';

describe('failure analysis', () => {
  it('names the signal and explains a kill -9', () => {
    const f = { activeState: 'failed', result: 'signal', execMainCode: 2, execMainStatus: 9 };
    expect(exitFacts(f)).toEqual({ exitCode: null, signal: 'SIGKILL' });
    expect(explainFailure(f)).toMatch(/SIGKILL.*OOM/);
  });
  it('explains exit codes, including systemd-specific ones', () => {
    expect(
      explainFailure({ activeState: 'failed', result: 'exit-code', execMainCode: 1, execMainStatus: 3 }),
    ).toMatch(/status 3/);
    expect(
      explainFailure({ activeState: 'failed', result: 'exit-code', execMainCode: 1, execMainStatus: 203 }),
    ).toMatch(/EXEC/);
    expect(
      explainFailure({
        activeState: 'failed',
        result: 'start-limit-hit',
        execMainCode: 0,
        execMainStatus: 0,
      }),
    ).toMatch(/reset-failed/);
  });
  it("knows when systemd's own Restart= would act", () => {
    expect(systemdWouldRestart('no', 'signal')).toBe(false);
    expect(systemdWouldRestart('on-failure', 'exit-code')).toBe(true);
    expect(systemdWouldRestart('on-failure', 'success')).toBe(false);
    expect(systemdWouldRestart('on-abnormal', 'exit-code')).toBe(false);
    expect(systemdWouldRestart('on-abnormal', 'signal')).toBe(true);
    expect(systemdWouldRestart('always', 'success')).toBe(true);
  });
  it('backs off exponentially with a cap; the first attempt is immediate', () => {
    expect([0, 1, 2, 3, 4, 10].map((n) => backoffMs(n, 1, 5))).toEqual([0, 1000, 2000, 4000, 5000, 5000]);
  });
  it('finds dependency cycles and ignores edges to unknown targets', () => {
    const deps = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a', 'x']],
    ]);
    expect([...findCycles(deps)].sort()).toEqual(['a', 'b', 'c']);
    expect(findCycles(new Map([['a', ['a']]]))).toEqual(new Set(['a']));
  });
});

describe('systemd names', () => {
  it('escapes unit object paths like sd_bus_path_encode and back', () => {
    expect(unitPath('demo.service')).toBe('/org/freedesktop/systemd1/unit/demo_2eservice');
    expect(unitPath('getty@tty1.service')).toBe('/org/freedesktop/systemd1/unit/getty_40tty1_2eservice');
    expect(unitPath('1x.service')).toBe('/org/freedesktop/systemd1/unit/_31x_2eservice');
    for (const n of ['a-b_c.service', 'x@y.socket', 'dev-sda1.device'])
      expect(unitNameFromPath(unitPath(n))).toBe(n);
  });
  it('accepts unit names and refuses paths and shell strings', () => {
    expect(isValidUnitName('nginx.service')).toBe(true);
    expect(isValidUnitName('getty@tty1.service')).toBe(true);
    for (const bad of [
      '../../etc/passwd',
      'a.service; rm -rf /',
      '',
      'nginx',
      '/etc/x.service',
      '-x.service',
      'a..b.service',
    ])
      expect(isValidUnitName(bad), bad).toBe(false);
  });
  it("maps unit state to Cockpit's five states", () => {
    const s = (o: Partial<UnitSnapshot>): UnitSnapshot =>
      ({
        name: 'x.service',
        loadState: 'loaded',
        activeState: 'inactive',
        subState: 'dead',
        unitFileState: 'disabled',
        ...o,
      }) as UnitSnapshot;
    expect(cockpitState(s({ activeState: 'active' }))).toBe('running');
    expect(cockpitState(s({ activeState: 'failed' }))).toBe('failed');
    expect(cockpitState(s({ unitFileState: 'static' }))).toBe('static');
    expect(cockpitState(s({ loadState: 'masked' }))).toBe('masked');
    expect(cockpitState(s({}))).toBe('not-running');
  });
});

describe('healing config and contract', () => {
  it('an empty section is valid and has safe defaults', () => {
    const c = healingConfig.parse({});
    expect(c.targets).toEqual([]);
    expect(c.reconcileIntervalSec).toBe(30);
    expect(c.helperBusName).toBe('org.ainl.Helper1');
  });
  it('fills target defaults and refuses bad values with a clear error', () => {
    const c = healingConfig.parse({
      targets: [{ name: 'nginx.service', probes: [{ type: 'tcp', port: 80 }] }],
    });
    expect(c.targets[0]?.policy.maxRestarts).toBe(5);
    expect(c.targets[0]?.probes[0]).toMatchObject({ type: 'tcp', host: '127.0.0.1', failureThreshold: 3 });
    const bad = healingConfig.safeParse({ targets: [{ name: 'x; rm -rf /' }] });
    expect(bad.success).toBe(false);
    const badProbe = healingConfig.safeParse({
      targets: [{ name: 'a.service', probes: [{ type: 'http', url: 'ftp://x' }] }],
    });
    expect(badProbe.success).toBe(false);
    expect(JSON.stringify(badProbe.error?.issues)).toMatch(/http/);
  });
  it('requests are strict and validate target names', () => {
    expect(healingChannels['healing:restart'].request.safeParse({ target: 'nginx.service' }).success).toBe(
      true,
    );
    expect(healingChannels['healing:restart'].request.safeParse({ target: '../x' }).success).toBe(false);
    expect(
      healingChannels['healing:restart'].request.safeParse({ target: 'a.service', extra: 1 }).success,
    ).toBe(false);
    expect(healingChannels['healing:pause'].request.safeParse({ x: 1 }).success).toBe(false);
  });
});
