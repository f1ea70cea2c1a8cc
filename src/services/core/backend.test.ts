import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigView } from '../../shared/contract/system';
import { Backend } from './backend';
import type { Supervisor } from './supervisor';

const API_KEY = 'sk-unit-secret-key-0123456789';
const WEBHOOK_PASSWORD = 'unit-hook-pass-9876';
const LLM_PASSWORD = 'llm-url-pass-5555';

let dir: string;
let env: NodeJS.ProcessEnv;
let backend: Backend;
let restarts: number;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ainl-backend-'));
  mkdirSync(join(dir, 'etc'), { recursive: true });
  env = { HOME: dir, AINL_SYSTEM_CONFIG_DIR: join(dir, 'etc'), XDG_CONFIG_HOME: join(dir, 'xdg') };
  restarts = 0;
  // config:get/config:set are answered by the backend itself; config:set only restarts the host
  const background = {
    restart: () => {
      restarts++;
      return Promise.resolve();
    },
  } as unknown as Supervisor;
  backend = new Backend({ version: 'test', transport: 'websocket', background, env });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const userFile = (): Record<string, Record<string, Record<string, unknown>>> =>
  JSON.parse(readFileSync(join(dir, 'xdg', 'ai-native-linux', 'config.json'), 'utf8')) as Record<
    string,
    Record<string, Record<string, unknown>>
  >;

/** One call as a transport makes it, answered with the JSON a client would receive. */
async function call(channel: string, payload: unknown): Promise<{ json: string; view: ConfigView }> {
  const r = await backend.invoke(channel, payload);
  if (!r.ok) throw new Error(`${channel}: ${r.problem}: ${r.message}`);
  const json = JSON.stringify(r.value);
  return { json, view: JSON.parse(json) as ConfigView };
}

const get = (): Promise<{ json: string; view: ConfigView }> => call('config:get', {});
const set = (patch: unknown, clearSecrets?: string[]): Promise<{ json: string; view: ConfigView }> =>
  call('config:set', clearSecrets ? { patch, clearSecrets } : { patch });

const section = (view: ConfigView, ...path: string[]): Record<string, unknown> =>
  path.reduce<Record<string, unknown>>((o, k) => o[k] as Record<string, unknown>, view.config);

async function saveSecrets(): Promise<void> {
  await set({
    assistant: { llm: { apiKey: API_KEY, baseUrl: `http://me:${LLM_PASSWORD}@127.0.0.1:11434/v1` } },
    fleet: { webhook: { url: `https://ops:${WEBHOOK_PASSWORD}@alerts.example.invalid/hook` } },
  });
}

function expectNoSecret(json: string): void {
  expect(json).not.toContain(API_KEY);
  expect(json).not.toContain(WEBHOOK_PASSWORD);
  expect(json).not.toContain(LLM_PASSWORD);
  expect(json).not.toContain('ops:');
}

describe('config:get and config:set keep secrets in the backend', () => {
  it('say that no secret is set on a fresh configuration', async () => {
    const { view } = await get();
    expect(view.secrets).toEqual({
      'assistant.llm.apiKey': false,
      'fleet.webhook.url': false,
      'assistant.llm.baseUrl': false,
    });
    expect(section(view, 'assistant', 'llm')).not.toHaveProperty('apiKey');
    expect(section(view, 'fleet', 'webhook').url).toBe('');
  });

  it('never send the API key or URL passwords once they are saved, only that they are set', async () => {
    await saveSecrets();
    expect(userFile().assistant!.llm).toMatchObject({ apiKey: API_KEY });
    for (const { json, view } of [await get(), await set({ ui: { theme: 'dark' } })]) {
      expectNoSecret(json);
      expect(view.secrets).toEqual({
        'assistant.llm.apiKey': true,
        'fleet.webhook.url': true,
        'assistant.llm.baseUrl': true,
      });
      expect(section(view, 'fleet', 'webhook').url).toBe('https://alerts.example.invalid/hook');
      expect(section(view, 'assistant', 'llm').baseUrl).toBe('http://127.0.0.1:11434/v1');
      expect(section(view, 'assistant', 'llm')).not.toHaveProperty('apiKey');
    }
    // the answer of the save that wrote them does not carry them either
    const { json } = await set({ assistant: { llm: { apiKey: `${API_KEY}-2` } } });
    expectNoSecret(json);
  });

  it('a key set only in the environment is not sent either', async () => {
    env.AINL_ASSISTANT__LLM__API_KEY = API_KEY;
    const { json, view } = await get();
    expectNoSecret(json);
    expect(view.secrets['assistant.llm.apiKey']).toBe(true);
  });

  it('a save of other fields keeps the stored secrets', async () => {
    await saveSecrets();
    await set({ ui: { theme: 'dark' } });
    // a section saved without the key and with the URLs as config:get shows them
    const { view } = await get();
    await set({
      assistant: { llm: { ...section(view, 'assistant', 'llm'), timeoutMs: 9000 } },
      fleet: { webhook: { ...section(view, 'fleet', 'webhook'), minSeverity: 'critical' } },
    });
    const f = userFile();
    expect(f.assistant!.llm).toMatchObject({
      apiKey: API_KEY,
      timeoutMs: 9000,
      baseUrl: `http://me:${LLM_PASSWORD}@127.0.0.1:11434/v1`,
    });
    expect(f.fleet!.webhook).toMatchObject({
      url: `https://ops:${WEBHOOK_PASSWORD}@alerts.example.invalid/hook`,
      minSeverity: 'critical',
    });
    expect(f.ui).toMatchObject({ theme: 'dark' });
    expect(restarts).toBe(3);
  });

  it("an HTTP probe's user:password@ is not sent, and a save of the targets as shown keeps it", async () => {
    const probe = `http://probe:${WEBHOOK_PASSWORD}@127.0.0.1:8080/health`;
    await set({ healing: { targets: [{ name: 'nginx.service', probes: [{ type: 'http', url: probe }] }] } });
    const { json, view } = await get();
    expectNoSecret(json);
    const targets = section(view, 'healing').targets as Array<{ probes: Array<{ url: string }> }>;
    expect(targets[0]!.probes[0]!.url).toBe('http://127.0.0.1:8080/health');
    // what the Settings page's healing section sends: the targets as shown, a policy changed
    await set({ healing: { targets: targets.map((t) => ({ ...t, allowManual: false })) } });
    const saved = userFile().healing!.targets as unknown as Array<{
      allowManual: boolean;
      probes: unknown[];
    }>;
    expect(saved[0]).toMatchObject({ allowManual: false, probes: [{ url: probe }] });
  });

  it('a new URL without credentials keeps the stored ones; one with credentials replaces them', async () => {
    await saveSecrets();
    await set({ fleet: { webhook: { url: 'https://alerts2.example.invalid/v2/hook' } } });
    expect(userFile().fleet!.webhook!.url).toBe(
      `https://ops:${WEBHOOK_PASSWORD}@alerts2.example.invalid/v2/hook`,
    );
    await set({ fleet: { webhook: { url: 'https://new:pw@alerts2.example.invalid/v2/hook' } } });
    expect(userFile().fleet!.webhook!.url).toBe('https://new:pw@alerts2.example.invalid/v2/hook');
  });

  it('an explicit clear still clears: an empty key, clearSecrets, an empty URL', async () => {
    await saveSecrets();
    await set({ assistant: { llm: { apiKey: '' } } });
    expect(userFile().assistant!.llm!.apiKey).toBe('');

    await saveSecrets();
    const { view } = await set({ fleet: { webhook: { enabled: false } } }, [
      'assistant.llm.apiKey',
      'fleet.webhook.url',
    ]);
    expect(userFile().assistant!.llm!.apiKey).toBe('');
    expect(userFile().fleet!.webhook!.url).toBe('https://alerts.example.invalid/hook');
    expect(view.secrets).toMatchObject({ 'assistant.llm.apiKey': false, 'fleet.webhook.url': false });
    // the LLM URL was not named: its credentials stay
    expect(view.secrets['assistant.llm.baseUrl']).toBe(true);

    await saveSecrets();
    await set({ fleet: { webhook: { url: '' } } });
    expect(userFile().fleet!.webhook!.url).toBe('');
  });

  it('keeps credentials that come from /etc when the user saves the same URL', async () => {
    writeFileSync(
      join(dir, 'etc', 'config.json'),
      JSON.stringify({
        fleet: { webhook: { url: `https://ops:${WEBHOOK_PASSWORD}@alerts.example.invalid/` } },
      }),
    );
    const { json, view } = await get();
    expectNoSecret(json);
    await set({ fleet: { webhook: { url: section(view, 'fleet', 'webhook').url, enabled: true } } });
    expect(userFile().fleet!.webhook).toEqual({ enabled: true });
    expect((await get()).view.secrets['fleet.webhook.url']).toBe(true);
  });

  it('refuses an unknown secret name to clear', async () => {
    const r = await backend.invoke('config:set', { patch: {}, clearSecrets: ['ui.theme'] });
    expect(r).toMatchObject({ ok: false, problem: 'invalid-input' });
  });
});
