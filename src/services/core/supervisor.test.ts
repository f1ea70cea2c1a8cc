import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Supervisor } from './supervisor';
import { forkLauncher } from './forkLauncher';
import type { HostStatus } from '../../shared/contract/system';

const fixture = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures', 'hosts', 'echo-host.mjs');
const sups: Supervisor[] = [];

function make(mode: string, extra: Partial<ConstructorParameters<typeof Supervisor>[0]> = {}): Supervisor {
  const s = new Supervisor({
    name: 'test',
    launch: forkLauncher(fixture, { env: { ...process.env, FIXTURE_MODE: mode } }),
    backoffMs: 20,
    maxRestarts: 3,
    heartbeatMs: 50,
    heartbeatMisses: 3,
    ...extra,
  });
  sups.push(s);
  return s;
}

const until = async (cond: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 10));
  }
};

afterEach(async () => {
  await Promise.all(sups.splice(0).map((s) => s.stop()));
});

describe('Supervisor (real forked child processes)', () => {
  it('starts lazily on the first call, routes results and events', async () => {
    const events: unknown[] = [];
    const s = make('ok', { onEvent: (name, payload) => events.push({ name, payload }) });
    expect(s.status().state).toBe('idle');
    expect(s.status().pid).toBeNull();
    const r = (await s.invoke('x:y', { a: 1 })) as { echo: unknown; pid: number };
    expect(r.echo).toEqual({ a: 1 });
    expect(s.status()).toMatchObject({ state: 'running', pid: r.pid, restarts: 0 });
    expect(events).toEqual([{ name: 'test:event', payload: { channel: 'x:y' } }]);
  });

  it('restarts a host that dies and serves again with a new pid', async () => {
    const s = make('ok');
    const first = (await s.invoke('x:y', {})) as { pid: number };
    process.kill(first.pid, 'SIGKILL');
    await until(() => s.status().restarts === 1 && s.status().state === 'running');
    const second = (await s.invoke('x:y', {})) as { pid: number };
    expect(second.pid).not.toBe(first.pid);
  });

  it('fails the calls in flight when the host dies, with a problem code', async () => {
    const s = make('crash-on-call');
    await expect(s.invoke('x:y', {})).rejects.toMatchObject({ problem: 'unavailable' });
  });

  it('gives up after too many restarts in the window and says so until reset', async () => {
    const states: HostStatus[] = [];
    const s = make('crash', { onState: (st) => states.push(st) });
    await expect(s.start()).rejects.toMatchObject({ problem: 'unavailable' });
    await until(() => s.status().state === 'gave-up');
    expect(s.status().restarts).toBe(3);
    expect(s.status().lastError).toMatch(/code 3/);
    await expect(s.invoke('x:y', {})).rejects.toMatchObject({ problem: 'unavailable', message: /gave up/ });
    expect(states.map((x) => x.state)).toContain('restarting');
  });

  it('kills and restarts a host that stops answering the heartbeat', async () => {
    const s = make('mute');
    await s.start();
    const pid = s.status().pid;
    await until(() => s.status().restarts >= 1, 5000);
    expect(s.status().lastError).toMatch(/heartbeat/);
    await until(() => s.status().pid !== null && s.status().pid !== pid);
  });

  it('times out a call that never answers', async () => {
    const s = make('ok', { callTimeoutMs: 100 });
    await expect(s.invoke('slow:call', {})).rejects.toMatchObject({ problem: 'timeout' });
  });
});
