/**
 * The monitor as the background host runs it: composed with the real Quest Log, configured from a
 * config file, served through the dispatcher (validation included), pushing monitor:sample and
 * monitor:alert, writing alerts.jsonl, recording alert.fired in the Quest Log database.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { composeServices, type ComposedServices } from '../../src/hosts/runtime';
import { createMonitorModule } from '../../src/services/monitor/module';
import { createQuestlogModule } from '../../src/services/questlog/module';
import { homeWithConfig } from '../helpers/home';

let root: string;
let svc: ComposedServices;
const events: Array<{ name: string; payload: unknown }> = [];
const call = (channel: string, req: unknown) =>
  svc.dispatcher.invoke(channel, req, { transport: 'internal' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'ainl-monmod-'));
  // this process's environment, with every config and data directory in the throw-away home
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...homeWithConfig(root, {
      questlog: { journald: false },
      monitor: {
        intervalS: 1,
        unitsEveryS: 0,
        anomaly: { enabled: false },
        rules: {
          // a custom rule that holds on every machine, to see the whole alert path
          CoresPresent: {
            metric: 'cpu.cores',
            op: '>',
            value: 0,
            severity: 'warning',
            title: 'CPU cores present',
          },
          Broken: { metric: 'cpu.cores' },
          HostClockJump: { enabled: false },
        },
      },
    }),
  };
  svc = await composeServices(
    'test',
    [
      ['questlog', createQuestlogModule],
      ['monitor', createMonitorModule],
    ],
    (name, payload) => events.push({ name, payload }),
    env,
  );
  await sleep(2500);
});

afterAll(async () => {
  await svc?.dispose();
  rmSync(root, { recursive: true, force: true });
});

describe('monitor service module', () => {
  it('serves the latest sample', async () => {
    const r = await call('monitor:current', {});
    expect(r.ok).toBe(true);
    const s = (
      r as {
        value: { cpu: { cores: number }; metrics: Record<string, number>; memory: { totalBytes: number } };
      }
    ).value;
    expect(s.cpu.cores).toBeGreaterThan(0);
    expect(s.memory.totalBytes).toBeGreaterThan(0);
    expect(s.metrics['cpu.busy_pct']).toBeGreaterThanOrEqual(0);
  });

  it('pushes compact samples every interval', () => {
    const samples = events.filter((e) => e.name === 'monitor:sample');
    expect(samples.length).toBeGreaterThanOrEqual(2);
    expect(samples[0]!.payload).toMatchObject({
      cpuPct: expect.any(Number),
      memPct: expect.any(Number),
      load1: expect.any(Number),
    });
  });

  it('serves decimated history and rejects bad requests', async () => {
    const r = await call('monitor:history', { metrics: ['cpu.busy_pct', 'nope.x'], maxPoints: 2 });
    expect(r.ok).toBe(true);
    const v = (r as { value: { series: Array<{ metric: string; t: number[] }>; available: string[] } }).value;
    expect(v.series[0]!.t.length).toBeGreaterThanOrEqual(1);
    expect(v.series[0]!.t.length).toBeLessThanOrEqual(2);
    expect(v.series[1]!.t).toEqual([]);
    expect(v.available).toContain('mem.used_pct');
    const bad = await call('monitor:history', { maxPoints: 1, extra: true });
    expect(bad).toMatchObject({ ok: false, problem: 'invalid-input' });
    expect(await call('monitor:alerts', { limit: 0 })).toMatchObject({ ok: false, problem: 'invalid-input' });
  });

  it('reports the effective rules and the bad one', async () => {
    const r = (await call('monitor:rules', {})) as {
      ok: true;
      value: { rules: Array<{ id: string; source: string; enabled: boolean }>; problems: string[] };
    };
    expect(r.value.rules.find((x) => x.id === 'CoresPresent')?.source).toBe('custom');
    expect(r.value.rules.find((x) => x.id === 'HostClockJump')?.enabled).toBe(false);
    expect(r.value.problems.join('\n')).toMatch(/monitor\.rules\.Broken/);
  });

  it('fires the alert: monitor:alerts, the push event, alerts.jsonl and the Quest Log', async () => {
    const r = (await call('monitor:alerts', {})) as {
      ok: true;
      value: { active: Array<{ rule: string; suggestion: { text: string } }> };
    };
    const a = r.value.active.find((x) => x.rule === 'CoresPresent');
    expect(a).toBeDefined();
    expect(a!.suggestion.text.length).toBeGreaterThan(0);
    expect(
      events.some((e) => e.name === 'monitor:alert' && (e.payload as { state: string }).state === 'fired'),
    ).toBe(true);
    const log = readFileSync(join(root, 'data', 'ai-native-linux', 'alerts.jsonl'), 'utf8');
    expect(log).toMatch(/"rule":"CoresPresent"/);
    let found = false;
    for (let i = 0; i < 20 && !found; i++) {
      const q = (await call('questlog:events', { types: ['alert.fired'], source: 'monitor' })) as {
        ok: boolean;
        value?: { items: Array<{ message: string; data: Record<string, unknown> | null }> };
      };
      found = !!q.ok && !!q.value?.items.some((it) => it.data?.['rule'] === 'CoresPresent');
      if (!found) await sleep(250);
    }
    expect(found).toBe(true);
  });
});
