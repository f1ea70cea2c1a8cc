// Which configuration fields hold secrets. The backend never sends their values out of itself
// (`config:get` and `config:set` answer with them removed); see src/services/config/secrets.ts.

/** Fields whose whole value is a secret: left out of the view, only "set / not set" is told. */
export const SECRET_KEY_PATHS = ['assistant.llm.apiKey'] as const;

/** URL fields whose `user:password@` is a secret: the view carries the URL without it. */
export const CREDENTIAL_URL_PATHS = ['fleet.webhook.url', 'assistant.llm.baseUrl'] as const;

export const SECRET_PATHS = [...SECRET_KEY_PATHS, ...CREDENTIAL_URL_PATHS] as const;
export type SecretPath = (typeof SECRET_PATHS)[number];

/**
 * The URL without `user:password@` and whether it had any. A URL that does not parse loses
 * anything between `scheme://` and an `@` in its authority, so no credential-looking text passes.
 */
export function stripCredentials(url: string): { url: string; hadCredentials: boolean } {
  const u = parseUrl(url);
  if (!u) {
    const stripped = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1');
    return { url: stripped, hadCredentials: stripped !== url };
  }
  if (!u.username && !u.password) return { url, hadCredentials: false };
  u.username = '';
  u.password = '';
  return { url: u.href, hadCredentials: true };
}

/** `url` with the credentials of `from` put on it (null when either does not parse). */
export function withCredentialsOf(url: string, from: string): string | null {
  const u = parseUrl(url);
  const f = parseUrl(from);
  if (!u || !f) return null;
  u.username = f.username;
  u.password = f.password;
  return u.href;
}

/** The URL without credentials, normalised (for comparing two URLs); null when it does not parse. */
export function bareUrl(url: string): string | null {
  const u = parseUrl(url);
  if (!u) return null;
  u.username = '';
  u.password = '';
  return u.href;
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
