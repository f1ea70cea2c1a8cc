import { describe, expect, it } from 'vitest';
import { BUILTIN_RULES, RuleEngine, effectiveRules, matchMetrics, parseMetric } from './rules';

const rule = (over: Record<string, unknown>) =>
  effectiveRules({ T: { metric: 'x.v', op: '>', value: 10, ...over } }).rules.find((r) => r.id === 'T')!;

describe('rules', () => {
  it('ships the host rule families', () => {
    const ids = BUILTIN_RULES.map((r) => r.id);
    for (const id of [
      'HostOutOfMemory',
      'HostOutOfDiskSpace',
      'HostOutOfInodes',
      'HostHighCpuLoad',
      'HostCpuHighIowait',
      'HostSwapIsFillingUp',
      'HostHighLoad',
      'HostNetworkReceiveErrors',
      'HostOomKillDetected',
      'HostSystemdServiceCrashed',
      'HostClockJump',
      'HostPhysicalComponentTooHot',
      'HostDiskMayFillIn24Hours',
      'HostInodesMayFillIn24Hours',
      'HostMemoryMayFillIn24Hours',
    ]) {
      expect(ids).toContain(id);
    }
  });

  it('parses and matches metric patterns', () => {
    expect(parseMetric('fs[/home].avail_pct')).toEqual({ family: 'fs', entity: '/home', field: 'avail_pct' });
    expect(parseMetric('cpu.busy_pct')).toEqual({ family: 'cpu', entity: null, field: 'busy_pct' });
    const m = { 'fs[/].avail_pct': 5, 'fs[/a b].avail_pct': 50, 'fs[/].used_pct': 95 };
    expect(matchMetrics('fs[*].avail_pct', m).map((x) => x.entity)).toEqual(['/', '/a b']);
  });

  it('fires only after `for`, resolves with hysteresis', () => {
    const e = new RuleEngine([rule({ forS: 10, clear: 8 })]);
    expect(e.evaluate({ 'x.v': 11 }, 0)).toEqual([]);
    expect(e.evaluate({ 'x.v': 12 }, 5000)).toEqual([]);
    const f = e.evaluate({ 'x.v': 12 }, 10_000);
    expect(f.map((t) => t.type)).toEqual(['fire']);
    // 9 is below the threshold but above the clear level: still active
    expect(e.evaluate({ 'x.v': 9 }, 15_000)).toEqual([]);
    expect(e.evaluate({ 'x.v': 7 }, 20_000).map((t) => t.type)).toEqual(['resolve']);
  });

  it('a condition that breaks before `for` never fires', () => {
    const e = new RuleEngine([rule({ forS: 10 })]);
    e.evaluate({ 'x.v': 11 }, 0);
    e.evaluate({ 'x.v': 1 }, 5000);
    expect(e.evaluate({ 'x.v': 11 }, 11_000)).toEqual([]);
  });

  it('holdS keeps event alerts active', () => {
    const e = new RuleEngine([rule({ holdS: 60, clear: 10 })]);
    expect(e.evaluate({ 'x.v': 11 }, 0)[0]?.type).toBe('fire');
    expect(e.evaluate({ 'x.v': 0 }, 30_000)).toEqual([]);
    expect(e.evaluate({ 'x.v': 0 }, 61_000)[0]?.type).toBe('resolve');
  });

  it('a vanished entity resolves its alert', () => {
    const e = new RuleEngine(effectiveRules({ HostOutOfDiskSpace: { forS: 0 } }).rules);
    expect(e.evaluate({ 'fs[/mnt].avail_pct': 1 }, 0).map((t) => t.key)).toEqual(['HostOutOfDiskSpace:/mnt']);
    expect(e.evaluate({}, 5000).map((t) => [t.type, t.key])).toEqual([
      ['resolve', 'HostOutOfDiskSpace:/mnt'],
    ]);
  });

  it('applies overrides, adds custom rules, and reports bad rules without failing', () => {
    const { rules, problems } = effectiveRules({
      HostHighCpuLoad: { value: 95, forS: 30 },
      MyRule: { metric: 'load.1', op: '>', value: 8, title: 'Mine' },
      Broken: { metric: 'load.1', op: '!=', value: 1 },
      Incomplete: { metric: 'load.1' },
      BadMetric: { metric: 'no metric here', op: '>', value: 1 },
      HostOutOfMemory: { value: 'ten' },
    });
    const cpu = rules.find((r) => r.id === 'HostHighCpuLoad')!;
    expect(cpu).toMatchObject({ value: 95, forS: 30, source: 'override', clear: 90.25 });
    expect(rules.find((r) => r.id === 'MyRule')).toMatchObject({
      source: 'custom',
      severity: 'warning',
      title: 'Mine',
    });
    expect(rules.find((r) => r.id === 'HostOutOfMemory')).toMatchObject({ value: 10, source: 'builtin' });
    expect(rules.some((r) => r.id === 'Broken' || r.id === 'Incomplete' || r.id === 'BadMetric')).toBe(false);
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/monitor\.rules\.Incomplete: a new rule needs op, value/);
  });
});
