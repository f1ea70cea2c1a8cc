/**
 * The real pty host process behind the backend: the path every `terminal:*` call takes in the app
 * (Backend → Supervisor → forked src/hosts/ptyHost.ts → TerminalService → node-pty).
 */
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backend } from '../../src/services/core/backend';
import { forkLauncher } from '../../src/services/core/forkLauncher';
import { Supervisor } from '../../src/services/core/supervisor';
import { Problem } from '../../src/shared/problems';

let root: string;
let backend: Backend;
const events: Array<{ name: string; payload: Record<string, unknown> }> = [];

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ainl-ptyhost-'));
  const home = join(root, 'home');
  mkdirSync(home);
  const env = {
    ...process.env,
    HOME: home,
    SHELL: '/bin/bash',
    XDG_CONFIG_HOME: join(root, 'config'),
    XDG_DATA_HOME: join(root, 'data'),
    XDG_STATE_HOME: join(root, 'state'),
    XDG_RUNTIME_DIR: join(root, 'run'),
    AINL_SYSTEM_CONFIG_DIR: join(root, 'etc'),
    AINL_SHELL_HOOK_DIR: '',
    AINL_LOG_LEVEL: 'warn',
  };
  const pty = new Supervisor({
    name: 'pty',
    launch: forkLauncher(resolve('src/hosts/ptyHost.ts'), { env, execArgv: ['--import', 'tsx'] }),
    onEvent: (name, payload) => backend.emit(name, payload),
  });
  const background = new Supervisor({
    name: 'background',
    launch: () => {
      throw new Problem('unavailable', 'not started in this test');
    },
  });
  backend = new Backend({ version: 'test', transport: 'websocket', background, routes: { terminal: pty } });
  backend.on((name, payload) => events.push({ name, payload: payload as Record<string, unknown> }));
});

afterAll(async () => {
  await backend?.dispose();
  rmSync(root, { recursive: true, force: true });
});

async function waitFor(cond: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const dataOf = (id: string): string =>
  events
    .filter((e) => e.name === 'terminal:data' && e.payload.id === id)
    .map((e) => e.payload.data as string)
    .join('');

describe('pty host process', () => {
  it('serves terminal:* through the backend: create, write, data, ack, list, close, exit', async () => {
    const created = await backend.invoke('terminal:create', { cols: 90, rows: 30 });
    expect(created.ok).toBe(true);
    const { id, pid } = (created as { value: { id: string; pid: number } }).value;
    expect(pid).toBeGreaterThan(0);
    expect(await backend.invoke('terminal:write', { id, data: 'echo "via-host-$((7*6))"\r' })).toEqual({
      ok: true,
      value: {},
    });
    await waitFor(() => dataOf(id).includes('via-host-42'), 'output through the host');
    expect((await backend.invoke('terminal:ack', { id, chars: dataOf(id).length })).ok).toBe(true);
    const list = (await backend.invoke('terminal:list', {})) as {
      ok: true;
      value: { sessions: Array<{ id: string; unackedChars: number }> };
    };
    expect(list.value.sessions.find((s) => s.id === id)?.unackedChars).toBe(0);
    const status = backend.status();
    expect(status.hosts.find((h) => h.name === 'pty')?.state).toBe('running');
    expect((await backend.invoke('terminal:close', { id })).ok).toBe(true);
    await waitFor(() => events.some((e) => e.name === 'terminal:exit' && e.payload.id === id), 'exit event');
  });

  it('validates at the front door and in the host', async () => {
    expect(await backend.invoke('terminal:create', { cols: 5000, rows: 24 })).toMatchObject({
      ok: false,
      problem: 'invalid-input',
    });
    expect(await backend.invoke('terminal:resize', { id: 'missing', cols: 80, rows: 24 })).toMatchObject({
      ok: false,
      problem: 'not-found',
    });
  });
});
