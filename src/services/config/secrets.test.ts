import { describe, expect, it } from 'vitest';
import { healingConfig } from '../../shared/config/healing';
import { defaultConfig } from '../../shared/config/schema';
import { stripCredentials } from '../../shared/config/secrets';
import { keepSecrets, redactConfig } from './secrets';

const withHook = (url: string): ReturnType<typeof defaultConfig> => {
  // a copy: defaultConfig() shares nested default objects between calls
  const c = structuredClone(defaultConfig());
  c.fleet.webhook.url = url;
  c.assistant.llm.apiKey = 'sk-x';
  return c;
};

describe('stripCredentials', () => {
  it('removes user and password and says so', () => {
    expect(stripCredentials('https://u:p@h.invalid:8443/a?b#c')).toEqual({
      url: 'https://h.invalid:8443/a?b#c',
      hadCredentials: true,
    });
    expect(stripCredentials('https://u@h.invalid/')).toEqual({
      url: 'https://h.invalid/',
      hadCredentials: true,
    });
  });
  it('leaves a URL without credentials exactly as written', () => {
    expect(stripCredentials('http://h.invalid')).toEqual({ url: 'http://h.invalid', hadCredentials: false });
    expect(stripCredentials('')).toEqual({ url: '', hadCredentials: false });
  });
  it('strips credential-looking text from what does not parse as a URL', () => {
    expect(stripCredentials('http://u:p@bad host/x')).toEqual({
      url: 'http://bad host/x',
      hadCredentials: true,
    });
  });
});

/** A configuration whose watched nginx has an HTTP probe at `url` and a TCP probe. */
const withProbe = (url: string): ReturnType<typeof defaultConfig> => {
  const c = structuredClone(defaultConfig());
  c.healing.targets = healingConfig.parse({
    targets: [
      {
        name: 'nginx.service',
        probes: [
          { type: 'tcp', port: 80 },
          { type: 'http', url },
        ],
      },
    ],
  }).targets;
  return c;
};
const probeUrl = (c: unknown, target = 0, probe = 1): unknown =>
  (c as { healing: { targets: Array<{ probes: Array<{ url?: string }> }> } }).healing.targets[target]!.probes[
    probe
  ]!.url;

describe('redactConfig', () => {
  it('does not change the configuration it is given', () => {
    const c = withHook('https://u:p@h.invalid/');
    redactConfig(c);
    expect(c.fleet.webhook.url).toBe('https://u:p@h.invalid/');
    expect(c.assistant.llm.apiKey).toBe('sk-x');
  });

  it('strips user:password@ from HTTP probe URLs and names the probes that had them', () => {
    const c = withProbe('http://probe:s3cret@127.0.0.1:8080/health');
    const r = redactConfig(c);
    expect(probeUrl(r.config)).toBe('http://127.0.0.1:8080/health');
    expect(r.probeCredentials).toEqual(['healing.targets[0].probes[1].url']);
    expect(JSON.stringify(r)).not.toContain('s3cret');
    expect(probeUrl(c)).toBe('http://probe:s3cret@127.0.0.1:8080/health');
    expect(redactConfig(withProbe('http://127.0.0.1/')).probeCredentials).toEqual([]);
  });
});

describe('keepSecrets', () => {
  const current = withHook('https://u:p@h.invalid/hook');

  it('does not change the patch it is given', () => {
    const patch = { fleet: { webhook: { url: 'https://h.invalid/hook' } } };
    expect(keepSecrets(patch, current)).toEqual({ fleet: { webhook: {} } });
    expect(patch.fleet.webhook.url).toBe('https://h.invalid/hook');
  });

  it('puts the current credentials on a new URL sent without any', () => {
    expect(keepSecrets({ fleet: { webhook: { url: 'https://other.invalid/x' } } }, current)).toEqual({
      fleet: { webhook: { url: 'https://u:p@other.invalid/x' } },
    });
  });

  it('lets clearSecrets win over credentials in the patch, and clears from the current URL', () => {
    expect(
      keepSecrets({ fleet: { webhook: { url: 'https://n:q@h.invalid/' } } }, current, ['fleet.webhook.url']),
    ).toEqual({ fleet: { webhook: { url: 'https://h.invalid/' } } });
    expect(keepSecrets({}, current, ['fleet.webhook.url', 'assistant.llm.apiKey'])).toEqual({
      fleet: { webhook: { url: 'https://h.invalid/hook' } },
      assistant: { llm: { apiKey: '' } },
    });
  });

  it('puts stored probe credentials back on the same probe URL sent without them', () => {
    const stored = withProbe('http://probe:s3cret@127.0.0.1:8080/health');
    // what the Settings page sends back: the targets as config:get showed them
    const shown = redactConfig(stored).config as { healing: unknown };
    const patch = { healing: shown.healing };
    expect(probeUrl(keepSecrets(patch, stored))).toBe('http://probe:s3cret@127.0.0.1:8080/health');
    expect(probeUrl(patch)).toBe('http://127.0.0.1:8080/health');
  });

  it('gives a changed probe URL, or another target, none of the stored probe credentials', () => {
    const stored = withProbe('http://probe:s3cret@127.0.0.1:8080/health');
    const changed = redactConfig(withProbe('http://127.0.0.1:9090/health')).config;
    expect(probeUrl(keepSecrets(changed, stored))).toBe('http://127.0.0.1:9090/health');
    const renamed = structuredClone(redactConfig(stored).config) as {
      healing: { targets: Array<{ name: string }> };
    };
    renamed.healing.targets[0]!.name = 'apache2.service';
    expect(probeUrl(keepSecrets(renamed, stored))).toBe('http://127.0.0.1:8080/health');
    // credentials sent with the URL are written as sent
    expect(probeUrl(keepSecrets(withProbe('http://new:pw@127.0.0.1:8080/health'), stored))).toBe(
      'http://new:pw@127.0.0.1:8080/health',
    );
  });

  it('passes what is not a URL through, for the schema to refuse', () => {
    expect(keepSecrets({ fleet: { webhook: { url: 'not a url' } } }, current)).toEqual({
      fleet: { webhook: { url: 'not a url' } },
    });
  });
});
