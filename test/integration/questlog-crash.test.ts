/**
 * Crash safety, small version (the 100k-command run is in the bench: `bench -- questlog --crash`):
 * real bash and zsh type commands while the `questlog daemon` process is killed with SIGKILL and
 * restarted again and again; every command must be stored exactly once and the database intact.
 */
import { describe, expect, it } from 'vitest';
import { crashTest } from '../bench/questlog';

describe('questlog daemon killed with SIGKILL during a command burst', () => {
  it('stores every command exactly once and keeps the database intact', async () => {
    const r = await crashTest(1200, { killEveryMs: 300, chunk: 200, chunksPerKill: 1 });
    expect(r.kills).toBeGreaterThanOrEqual(3);
    expect(r.missing).toBe(0);
    expect(r.duplicates).toBe(0);
    expect(r.stored).toBe(r.commands);
    expect(r.integrity).toBe('ok');
  }, 180_000);
});
