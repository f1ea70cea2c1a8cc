import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeServices } from './runtime';
import type { RecordedEvent, ServiceFactory } from '../services/core/module';

const homes: string[] = [];
afterAll(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});

const env = (): NodeJS.ProcessEnv => {
  const home = mkdtempSync(join(tmpdir(), 'ainl-runtime-'));
  homes.push(home);
  return { HOME: home, XDG_CONFIG_HOME: join(home, 'c'), AINL_SYSTEM_CONFIG_DIR: join(home, 'etc') };
};

const overview = {
  hostname: 'h',
  distro: 'd',
  kernel: 'k',
  arch: 'x',
  uptimeSeconds: 0,
  cpu: { model: 'm', cores: 1, physicalCores: 1 },
  memory: { totalBytes: 1, availableBytes: 1 },
  disks: [],
  collectedAt: 'now',
};

describe('composeServices', () => {
  it('wires modules together: internal calls, events, the shared recorder; a failing module is skipped', async () => {
    const recorded: RecordedEvent[] = [];
    const pushed: string[] = [];
    let early: ((e: RecordedEvent) => void) | null = null;
    const first: ServiceFactory = (ctx) => {
      early = (e) => ctx.events.record(e); // captured before the recorder module started
      return { name: 'first', handlers: {}, dispose: () => undefined };
    };
    const broken: ServiceFactory = () => {
      throw new Error('no database');
    };
    const log: ServiceFactory = () => ({
      name: 'log',
      handlers: { 'system:overview': () => overview },
      recorder: { record: (e) => recorded.push(e) },
      dispose: () => undefined,
    });
    let heard: unknown = null;
    const user: ServiceFactory = (ctx) => {
      ctx.subscribe('app:hostState', (p) => (heard = p));
      return {
        name: 'user',
        handlers: {},
        dispose: async () => {
          const o = await ctx.call('system:overview', {});
          pushed.push(o.hostname);
        },
      };
    };
    const c = await composeServices(
      't',
      [
        ['first', first],
        ['broken', broken],
        ['log', log],
        ['user', user],
      ],
      (name) => pushed.push(name),
      env(),
    );
    expect(c.modules.map((m) => m.name)).toEqual(['first', 'log', 'user']);
    early!({ type: 'x', source: 's', severity: 'info', message: 'late recorder' });
    expect(recorded.map((e) => e.message)).toEqual(['late recorder']);
    const status = { name: 'b', state: 'running', pid: 1, restarts: 0, lastError: null } as const;
    c.ctx.emit('app:hostState', status);
    expect(heard).toEqual(status);
    expect(pushed).toContain('app:hostState');
    await expect(c.ctx.call('system:overview', { bogus: 1 } as never)).rejects.toMatchObject({
      problem: 'invalid-input',
    });
    await c.dispose();
    expect(pushed).toContain('h');
  });
});
