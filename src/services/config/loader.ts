import { readFileSync, mkdirSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { configSchema, type AppConfig } from '../../shared/config/schema';
import type { ConfigProblem } from '../../shared/contract/system';
import { parseLenient } from './lenient';
import { resolvePaths, type AppPaths } from './paths';

export const CONFIG_FILE = 'config.json';
const ENV_PREFIX = 'AINL_';

export interface LoadedConfig {
  config: AppConfig;
  problems: ConfigProblem[];
  /** The files that were read, in order. */
  sources: string[];
  paths: AppPaths;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Later layers win key by key; arrays and scalars are replaced whole. */
export function deepMerge(a: Json, b: Json): Json {
  const out: Json = { ...a };
  for (const [k, v] of Object.entries(b)) {
    if (k === '__proto__' || k === 'constructor' || k === 'prototype') continue;
    out[k] = isObject(v) && isObject(out[k]) ? deepMerge(out[k] as Json, v) : v;
  }
  return out;
}

function readLayer(file: string, problems: ConfigProblem[], sources: string[]): Json {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT' && code !== 'ENOTDIR') {
      problems.push({ source: file, path: '(file)', message: `cannot read: ${code ?? String(err)}` });
    }
    return {};
  }
  sources.push(file);
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (!isObject(parsed)) {
      problems.push({
        source: file,
        path: '(file)',
        message: 'top level must be a JSON object; file ignored',
      });
      return {};
    }
    return parsed;
  } catch (err) {
    problems.push({
      source: file,
      path: '(file)',
      message: `not valid JSON (${(err as Error).message}); file ignored`,
    });
    return {};
  }
}

function camel(s: string): string {
  return s.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * AINL_<SECTION>__<FIELD>[__<FIELD>...]=value, e.g. AINL_MONITOR__INTERVAL_SECONDS=10.
 * Values are read as JSON when they parse (numbers, booleans, arrays), else as strings.
 */
export function envLayer(env: NodeJS.ProcessEnv): Json {
  const out: Json = {};
  for (const [key, raw] of Object.entries(env)) {
    if (!key.startsWith(ENV_PREFIX) || !key.includes('__') || raw === undefined) continue;
    const parts = key.slice(ENV_PREFIX.length).split('__').filter(Boolean).map(camel);
    if (parts.length < 2) continue;
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    let node = out;
    parts.forEach((p, i) => {
      if (i === parts.length - 1) node[p] = value;
      else node = (node[p] = isObject(node[p]) ? node[p] : {}) as Json;
    });
  }
  return out;
}

/** Loads the layered configuration. Never throws: bad input becomes problems and defaults. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const paths = resolvePaths(env);
  const problems: ConfigProblem[] = [];
  const sources: string[] = [];
  const systemFile = join(paths.systemConfigDir, CONFIG_FILE);
  const userFile = join(paths.userConfigDir, CONFIG_FILE);
  const layers: Array<[string, Json]> = [
    [systemFile, readLayer(systemFile, problems, sources)],
    [userFile, readLayer(userFile, problems, sources)],
    ['environment', envLayer(env)],
  ];
  let merged: Json = {};
  for (const [, layer] of layers) merged = deepMerge(merged, layer);
  const { value, problems: fieldProblems } = parseLenient(configSchema, merged);
  for (const p of fieldProblems) {
    const source = [...layers].reverse().find(([, l]) => hasPath(l, p.path))?.[0] ?? 'config';
    problems.push({ source, path: p.path, message: p.message });
  }
  return { config: value, problems, sources, paths };
}

function hasPath(obj: Json, path: string): boolean {
  let node: unknown = obj;
  for (const part of path.split('.')) {
    if (!isObject(node) || !(part in node)) return false;
    node = node[part];
  }
  return true;
}

/**
 * Writes a validated patch into the user's config file (atomic rename, mode 0600).
 * Throws with the field errors when the patch does not validate; the file is then untouched.
 */
export function saveUserConfig(patch: Json, env: NodeJS.ProcessEnv = process.env): LoadedConfig {
  const paths = resolvePaths(env);
  const file = join(paths.userConfigDir, CONFIG_FILE);
  const current = readLayer(file, [], []);
  const next = deepMerge(current, patch);
  const check = parseLenient(configSchema, next);
  if (check.problems.length) {
    throw new Error(check.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  }
  mkdirSync(paths.userConfigDir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(next, null, 2) + '\n', { mode: 0o600 });
  renameSync(tmp, file);
  return loadConfig(env);
}
