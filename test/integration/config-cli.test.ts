/**
 * `ainl config` as a user runs it: secrets (the assistant API key, user:password@ in the webhook,
 * LLM endpoint and HTTP probe URLs) are not printed unless --show-secrets asks for them; which
 * ones are set is said.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAinl } from '../helpers/ainl';
import { homeWithConfig } from '../helpers/home';

const SECRETS = ['sk-cli-secret', 'llm-pass', 'hook-pass', 'probe-pass'];
const CONFIG = {
  assistant: { llm: { apiKey: 'sk-cli-secret', baseUrl: 'http://me:llm-pass@127.0.0.1:11434/v1' } },
  fleet: { webhook: { url: 'https://ops:hook-pass@alerts.example.invalid/hook' } },
  healing: {
    targets: [
      {
        name: 'nginx.service',
        probes: [{ type: 'http', url: 'http://probe:probe-pass@127.0.0.1:8080/health' }],
      },
    ],
  },
};
let root: string;
let env: NodeJS.ProcessEnv;

const run = (args: string[]): ReturnType<typeof runAinl> => runAinl(['config', ...args], env);

describe('ainl config', () => {
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'ainl-config-cli-'));
    env = homeWithConfig(root, CONFIG);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('prints no secret by default and says which are set', async () => {
    const [text, json] = await Promise.all([run([]), run(['--json'])]);
    expect(text.code, text.stderr).toBe(0);
    expect(json.code, json.stderr).toBe(0);
    for (const s of SECRETS) {
      expect(text.stdout).not.toContain(s);
      expect(json.stdout).not.toContain(s);
    }
    expect(text.stdout).toMatch(
      /secrets \(not shown; --show-secrets prints them\): .*assistant\.llm\.apiKey set/,
    );
    expect(text.stdout).toContain('healing.targets[0].probes[0].url has user:password@');
    expect(text.stdout).toContain('"url": "https://alerts.example.invalid/hook"');
    const j = JSON.parse(json.stdout) as {
      config: { healing: { targets: Array<{ probes: Array<{ url: string }> }> } };
      secrets: Record<string, boolean>;
    };
    expect(j.secrets).toEqual({
      'assistant.llm.apiKey': true,
      'fleet.webhook.url': true,
      'assistant.llm.baseUrl': true,
      'healing.targets[0].probes[0].url': true,
    });
    expect(j.config.healing.targets[0]!.probes[0]!.url).toBe('http://127.0.0.1:8080/health');
  });

  it('--show-secrets prints them in full', async () => {
    const r = await run(['--show-secrets', '--json']);
    expect(r.code, r.stderr).toBe(0);
    for (const s of SECRETS) expect(r.stdout).toContain(s);
    expect(JSON.parse(r.stdout)).not.toHaveProperty('secrets');
  });
});
