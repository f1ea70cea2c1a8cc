import type { AppConfig } from '../../shared/config/schema';
import {
  bareUrl,
  CREDENTIAL_URL_PATHS,
  SECRET_KEY_PATHS,
  stripCredentials,
  withCredentialsOf,
  type SecretPath,
} from '../../shared/config/secrets';

type Json = Record<string, unknown>;

export interface RedactedConfig {
  /** the configuration without secret keys and with URLs stripped of `user:password@` */
  config: Json;
  /** per secret field: a key is set (non-empty), a URL carries credentials */
  secrets: Record<SecretPath, boolean>;
  /** the HTTP probe URLs that carried `user:password@`, as paths: `healing.targets[0].probes[1].url` */
  probeCredentials: string[];
}

/** What `config:get` may show of a configuration: no secret value leaves the backend. */
export function redactConfig(config: AppConfig): RedactedConfig {
  const out = structuredClone(config) as unknown as Json;
  const secrets = {} as Record<SecretPath, boolean>;
  for (const path of SECRET_KEY_PATHS) {
    const v = getPath(out, path);
    secrets[path] = v !== undefined && v !== null && v !== '';
    deletePath(out, path);
  }
  for (const path of CREDENTIAL_URL_PATHS) {
    const v = getPath(out, path);
    secrets[path] = false;
    if (typeof v !== 'string') continue;
    const s = stripCredentials(v);
    secrets[path] = s.hadCredentials;
    setPath(out, path, s.url);
  }
  const probeCredentials: string[] = [];
  for (const p of probeUrls(out)) {
    const s = stripCredentials(p.url);
    if (!s.hadCredentials) continue;
    p.probe.url = s.url;
    probeCredentials.push(p.path);
  }
  return { config: out, secrets, probeCredentials };
}

/**
 * The patch `config:set` writes, given the one it was sent, so that a secret the client never saw
 * is not lost by a save (the rule, also in docs/architecture.md):
 * - a secret key (`assistant.llm.apiKey`) left out of the patch keeps its stored value; `''`
 *   clears it; any other value replaces it;
 * - a URL with credentials left out keeps its value; one carrying `user:password@` is written as
 *   sent (new credentials); one without credentials while the current URL has some keeps them:
 *   the same URL (compared without credentials) leaves the stored value untouched, a different URL
 *   gets the current credentials put on it (they follow the address being edited); `''` clears
 *   the URL;
 * - `clear` names secrets to remove explicitly: a key becomes `''`, a URL (the one sent, else the
 *   current one) loses its `user:password@`;
 * - an HTTP probe URL (`healing.targets[].probes[].url`) sent without credentials gets the stored
 *   ones back when the same target (by name) has a probe with that URL (compared without
 *   credentials) that carries some; a changed URL gets none (a probe has no single "current" URL
 *   the credentials could follow), and one sent with credentials is written as sent.
 * `current` is the effective configuration before the save. The patch passed in is not modified.
 */
export function keepSecrets(patch: Json, current: AppConfig, clear: readonly SecretPath[] = []): Json {
  const out = structuredClone(patch);
  const now = current as unknown as Json;
  for (const path of SECRET_KEY_PATHS) {
    if (clear.includes(path)) setPath(out, path, '');
  }
  for (const path of CREDENTIAL_URL_PATHS) {
    const sent = getPath(out, path);
    const stored = getPath(now, path);
    const storedUrl = typeof stored === 'string' ? stored : '';
    if (clear.includes(path)) {
      const base = typeof sent === 'string' ? sent : storedUrl;
      if (base !== '') setPath(out, path, stripCredentials(base).url);
      continue;
    }
    if (typeof sent !== 'string' || sent === '') continue;
    if (stripCredentials(sent).hadCredentials || !stripCredentials(storedUrl).hadCredentials) continue;
    const bare = bareUrl(sent);
    if (bare === null) continue; // not a URL: the schema refuses it with a reason
    if (bare === bareUrl(storedUrl)) deletePath(out, path);
    else setPath(out, path, withCredentialsOf(sent, storedUrl) ?? sent);
  }
  keepProbeCredentials(out, now);
  return out;
}

/** Puts stored probe credentials back on the patch's probe URLs that were sent without them. */
function keepProbeCredentials(patch: Json, current: Json): void {
  const withCredentials = new Map<unknown, string[]>();
  for (const p of probeUrls(current)) {
    if (stripCredentials(p.url).hadCredentials)
      withCredentials.set(p.target, [...(withCredentials.get(p.target) ?? []), p.url]);
  }
  for (const p of probeUrls(patch)) {
    if (stripCredentials(p.url).hadCredentials) continue;
    const bare = bareUrl(p.url);
    if (bare === null) continue;
    const match = withCredentials.get(p.target)?.find((u) => bareUrl(u) === bare);
    if (match !== undefined) p.probe.url = match;
  }
}

/** Every probe of `healing.targets` whose `url` is a string, with its target's name and its path. */
function probeUrls(config: Json): Array<{ target: unknown; probe: Json; url: string; path: string }> {
  const targets = getPath(config, 'healing.targets');
  if (!Array.isArray(targets)) return [];
  return targets.flatMap((t: unknown, i) => {
    if (!isObject(t) || !Array.isArray(t.probes)) return [];
    return t.probes.flatMap((probe: unknown, j) =>
      isObject(probe) && typeof probe.url === 'string'
        ? [{ target: t.name, probe, url: probe.url, path: `healing.targets[${i}].probes[${j}].url` }]
        : [],
    );
  });
}

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function getPath(obj: Json, path: string): unknown {
  let node: unknown = obj;
  for (const part of path.split('.')) {
    if (!isObject(node)) return undefined;
    node = node[part];
  }
  return node;
}

/** Sets a value, creating missing objects on the way; a non-object on the way is left alone. */
function setPath(obj: Json, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = obj;
  for (const part of parts.slice(0, -1)) {
    if (node[part] === undefined) node[part] = {};
    const next = node[part];
    if (!isObject(next)) return;
    node = next;
  }
  node[parts[parts.length - 1]!] = value;
}

function deletePath(obj: Json, path: string): void {
  const parts = path.split('.');
  const parent = getPath(obj, parts.slice(0, -1).join('.'));
  if (isObject(parent)) delete parent[parts[parts.length - 1]!];
}
