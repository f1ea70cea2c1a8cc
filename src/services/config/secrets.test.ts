import { describe, expect, it } from 'vitest';
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

describe('redactConfig', () => {
  it('does not change the configuration it is given', () => {
    const c = withHook('https://u:p@h.invalid/');
    redactConfig(c);
    expect(c.fleet.webhook.url).toBe('https://u:p@h.invalid/');
    expect(c.assistant.llm.apiKey).toBe('sk-x');
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

  it('passes what is not a URL through, for the schema to refuse', () => {
    expect(keepSecrets({ fleet: { webhook: { url: 'not a url' } } }, current)).toEqual({
      fleet: { webhook: { url: 'not a url' } },
    });
  });
});
