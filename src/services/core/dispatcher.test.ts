import { describe, expect, it } from 'vitest';
import { Dispatcher } from './dispatcher';
import { contractNameProblems, CHANNEL_NAMES, EVENT_NAMES, channels } from '../../shared/contract';

const overview = {
  hostname: 'h',
  distro: 'd',
  kernel: 'k',
  arch: 'x64',
  uptimeSeconds: 1,
  cpu: { model: 'm', cores: 2, physicalCores: 1 },
  memory: { totalBytes: 2, availableBytes: 1 },
  disks: [],
  collectedAt: new Date(0).toISOString(),
};

describe('contract', () => {
  it('names every channel and event domain:verb', () => {
    expect(contractNameProblems()).toEqual([]);
    expect(CHANNEL_NAMES).toContain('system:overview');
    expect(EVENT_NAMES).toContain('app:hostState');
  });

  it('has a summary for every channel', () => {
    for (const name of CHANNEL_NAMES) expect(channels[name].summary.length, name).toBeGreaterThan(10);
  });
});

describe('Dispatcher', () => {
  it('validates, calls and validates the response', async () => {
    const d = new Dispatcher();
    let seen: unknown;
    d.register({
      'system:overview': (req) => {
        seen = req;
        return overview;
      },
    });
    const r = await d.invoke('system:overview', { refresh: true }, { transport: 'internal' });
    expect(r).toEqual({ ok: true, value: overview });
    expect(seen).toEqual({ refresh: true });
  });

  it('refuses unknown channels, bad payloads and unknown keys with the right problem', async () => {
    const d = new Dispatcher();
    d.register({ 'system:overview': () => overview });
    expect(await d.invoke('system:nope', {}, { transport: 'internal' })).toMatchObject({
      ok: false,
      problem: 'not-found',
    });
    expect(await d.invoke({ evil: 1 }, {}, { transport: 'internal' })).toMatchObject({
      ok: false,
      problem: 'not-found',
    });
    const bad = await d.invoke('system:overview', { refresh: 'yes' }, { transport: 'internal' });
    expect(bad).toMatchObject({ ok: false, problem: 'invalid-input' });
    expect((bad as { message: string }).message).toMatch(/refresh/);
    const extra = await d.invoke('system:overview', { refresh: true, rm: '-rf' }, { transport: 'internal' });
    expect(extra).toMatchObject({ ok: false, problem: 'invalid-input' });
    expect(await d.invoke('system:overview', 'string', { transport: 'internal' })).toMatchObject({
      problem: 'invalid-input',
    });
  });

  it('answers unavailable for a contract channel nobody serves', async () => {
    const d = new Dispatcher();
    expect(await d.invoke('system:overview', {}, { transport: 'internal' })).toMatchObject({
      ok: false,
      problem: 'unavailable',
    });
  });

  it('turns a handler that throws or returns garbage into a problem, never a throw', async () => {
    const d = new Dispatcher();
    d.register({ 'system:overview': () => ({ nonsense: true }) as never });
    expect(await d.invoke('system:overview', {}, { transport: 'internal' })).toMatchObject({
      ok: false,
      problem: 'internal-error',
    });
    const d2 = new Dispatcher();
    d2.register({
      'system:overview': () => {
        throw new Error('boom');
      },
    });
    expect(await d2.invoke('system:overview', {}, { transport: 'internal' })).toEqual({
      ok: false,
      problem: 'internal-error',
      message: 'boom',
    });
  });

  it('refuses registering a channel twice or a non-contract name', () => {
    const d = new Dispatcher();
    d.register({ 'system:overview': () => overview });
    expect(() => d.register({ 'system:overview': () => overview })).toThrow(/twice/);
    expect(() => d.register({ 'x:y': () => overview } as never)).toThrow(/not a contract channel/);
  });
});
