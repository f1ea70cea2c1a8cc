import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envLayer, loadConfig, saveUserConfig } from './loader';
import { defaultConfig } from '../../shared/config/schema';

let dir: string;
let env: NodeJS.ProcessEnv;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ainl-config-'));
  mkdirSync(join(dir, 'etc'), { recursive: true });
  mkdirSync(join(dir, 'xdg', 'ai-native-linux'), { recursive: true });
  env = { HOME: dir, AINL_SYSTEM_CONFIG_DIR: join(dir, 'etc'), XDG_CONFIG_HOME: join(dir, 'xdg') };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const userFile = (): string => join(dir, 'xdg', 'ai-native-linux', 'config.json');

describe('loadConfig', () => {
  it('gives all defaults and no problems when nothing is configured', () => {
    const r = loadConfig(env);
    expect(r.config).toEqual(defaultConfig());
    expect(r.problems).toEqual([]);
    expect(r.paths.userConfigDir).toBe(join(dir, 'xdg', 'ai-native-linux'));
  });

  it('layers /etc, then the user file, then the environment', () => {
    writeFileSync(
      join(dir, 'etc', 'config.json'),
      JSON.stringify({ ui: { theme: 'dark', autostart: true } }),
    );
    writeFileSync(userFile(), JSON.stringify({ ui: { theme: 'light' } }));
    const r = loadConfig({ ...env, AINL_UI__NOTIFICATIONS: 'false' });
    expect(r.config.ui).toEqual({ theme: 'light', autostart: true, notifications: false });
    expect(r.sources).toHaveLength(2);
  });

  it('keeps the default for a bad field and names the file and field', () => {
    writeFileSync(
      userFile(),
      JSON.stringify({ ui: { theme: 'purple', autostart: true }, serve: { port: -4 } }),
    );
    const r = loadConfig(env);
    expect(r.config.ui.theme).toBe('system');
    expect(r.config.ui.autostart).toBe(true);
    expect(r.config.serve.port).toBe(0);
    expect(r.problems.map((p) => p.path).sort()).toEqual(['serve.port', 'ui.theme']);
    expect(r.problems[0]?.source).toBe(userFile());
  });

  it('survives malformed JSON, a non-object top level, binary garbage and unknown keys', () => {
    writeFileSync(userFile(), '{ "ui": { "theme": "dark", }');
    expect(loadConfig(env).problems[0]?.message).toMatch(/not valid JSON/);
    writeFileSync(userFile(), '[1,2]');
    expect(loadConfig(env).problems[0]?.message).toMatch(/JSON object/);
    writeFileSync(userFile(), Buffer.from([0xff, 0xfe, 0x00, 0x01]));
    expect(loadConfig(env).config).toEqual(defaultConfig());
    writeFileSync(userFile(), JSON.stringify({ ui: 'dark', typo: 1 }));
    const r = loadConfig(env);
    expect(r.problems.map((p) => p.path).sort()).toEqual(['typo', 'ui']);
    expect(r.config).toEqual(defaultConfig());
  });

  it('reports an unreadable file instead of throwing', () => {
    mkdirSync(userFile()); // a directory where the file should be
    const r = loadConfig(env);
    expect(r.problems[0]?.message).toMatch(/cannot read/);
  });

  it('ignores prototype-polluting keys', () => {
    writeFileSync(userFile(), '{"__proto__": {"polluted": true}, "ui": {"theme": "dark"}}');
    const r = loadConfig(env);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(r.config.ui.theme).toBe('dark');
  });
});

describe('envLayer', () => {
  it('maps AINL_SECTION__FIELD to camelCase paths and parses JSON values', () => {
    expect(
      envLayer({ AINL_SERVE__PORT: '8080', AINL_UI__THEME: 'dark', AINL_NOT_NESTED: 'x', OTHER: '1' }),
    ).toEqual({
      serve: { port: 8080 },
      ui: { theme: 'dark' },
    });
  });
});

describe('saveUserConfig', () => {
  it('writes a validated patch atomically with mode 0600 and refuses a bad one', () => {
    saveUserConfig({ ui: { theme: 'dark' } }, env);
    expect(JSON.parse(readFileSync(userFile(), 'utf8'))).toEqual({ ui: { theme: 'dark' } });
    expect(statSync(userFile()).mode & 0o777).toBe(0o600);
    expect(() => saveUserConfig({ ui: { theme: 'neon' } }, env)).toThrow(/ui.theme/);
    expect(JSON.parse(readFileSync(userFile(), 'utf8'))).toEqual({ ui: { theme: 'dark' } });
  });
});
