import type { ConfigView, SecretPath } from '@shared/contract/system';
import type { EffectiveRule } from '@shared/contract/monitor';
import { api, ApiError } from '../../api';
import { describeError } from '../../problems';
import { theme, type ThemeChoice } from '../../theme.svelte';

type Json = Record<string, unknown>;

export interface TargetDraft {
  name: string;
  kind: 'unit' | 'process';
  allowManual: boolean;
  maxRestarts: number;
  windowSec: number;
  backoffInitialSec: number;
  backoffMaxSec: number;
  /** everything else of the target, written back unchanged */
  rest: Json;
}

export interface RuleDraft {
  id: string;
  title: string;
  metric: string;
  op: string;
  severity: string;
  enabled: boolean;
  value: number;
  original: { enabled: boolean; value: number };
}

export type SectionId = 'monitor' | 'healing' | 'privacy' | 'assistant' | 'fleet' | 'desktop';

export type AlertSeverity = 'info' | 'warning' | 'critical';
export type LogSeverity = 'debug' | 'info' | 'warning' | 'error' | 'critical';

const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const num = (v: unknown, d: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : d);
const str = (v: unknown, d = ''): string => (typeof v === 'string' ? v : d);
const bool = (v: unknown, d = false): boolean => (typeof v === 'boolean' ? v : d);
const oneOf = <T extends string>(v: unknown, allowed: readonly T[], d: T): T =>
  allowed.find((a) => a === v) ?? d;

const FLEET_PATHS = [
  'fleet.metrics.enabled',
  'fleet.metrics.listen',
  'fleet.metrics.port',
  'fleet.metrics.path',
  'fleet.metrics.bearerTokenFile',
  'fleet.metrics.tlsCertFile',
  'fleet.metrics.tlsKeyFile',
  'fleet.webhook.enabled',
  'fleet.webhook.url',
  'fleet.webhook.bearerTokenFile',
  'fleet.webhook.minSeverity',
  'fleet.webhook.sendResolved',
  'fleet.webhook.healing',
  'fleet.logs.enabled',
  'fleet.logs.target',
  'fleet.logs.syslog.transport',
  'fleet.logs.syslog.host',
  'fleet.logs.syslog.port',
  'fleet.logs.minSeverity',
  'fleet.logs.includeCommands',
  'fleet.logs.identifier',
];

/**
 * Splits a `config:set` refusal ("monitor.intervalS: Too small …; healing.targets: …") into
 * per-field messages for the given field paths; anything unmatched goes to `_`.
 */
export function fieldErrors(message: string, paths: string[]): Record<string, string> {
  const hits = paths
    .map((p) => ({ p, i: message.indexOf(`${p}:`) }))
    .filter((h) => h.i >= 0)
    .sort((a, b) => a.i - b.i);
  const out: Record<string, string> = {};
  hits.forEach((h, k) => {
    const end = hits[k + 1]?.i ?? message.length;
    out[h.p] = message
      .slice(h.i + h.p.length + 1, end)
      .replace(/^\s*(\(payload\):\s*)?/, '')
      .replace(/;?\s*using the default[s]?;?\s*$/, '')
      .replace(/;\s*$/, '')
      .trim();
  });
  if (!hits.length) out._ = message;
  return out;
}

/** The Settings page's drafts, loaded from `config:get`, saved per section through `config:set`. */
export class SettingsState {
  view = $state.raw<ConfigView | null>(null);
  loadError = $state<string | null>(null);
  saving = $state<SectionId | null>(null);
  saved = $state<SectionId | null>(null);
  errors = $state<Record<string, string>>({});

  // monitor
  intervalS = $state(5);
  rules = $state<RuleDraft[]>([]);
  rulesError = $state<string | null>(null);
  // healing
  healingEnabled = $state(true);
  targets = $state<TargetDraft[]>([]);
  // privacy
  incognitoAtStart = $state(false);
  incognitoNow = $state<boolean | null>(null);
  incognitoError = $state<string | null>(null);
  retentionDays = $state(365);
  redact = $state(true);
  redactPatterns = $state('');
  // assistant (config:get never carries the key; only view.secrets says whether it is set)
  llmEnabled = $state(false);
  llmBaseUrl = $state('');
  /** the endpoint URL has user:password@ (the backend keeps it out of the page) */
  llmBaseUrlHasAuth = $state(false);
  llmBaseUrlDropAuth = $state(false);
  llmModel = $state('');
  /** a new key typed into the field; the stored one never reaches the page */
  llmApiKey = $state('');
  llmApiKeySet = $state(false);
  llmApiKeyDrop = $state(false);
  llmTimeoutMs = $state(8000);
  // fleet: Prometheus endpoint
  metricsEnabled = $state(false);
  metricsListen = $state('127.0.0.1');
  metricsPort = $state(9464);
  metricsPath = $state('/metrics');
  metricsTokenFile = $state('');
  metricsTlsCert = $state('');
  metricsTlsKey = $state('');
  // fleet: Alertmanager webhook (the backend sends the URL without its credentials, and whether it has some)
  webhookEnabled = $state(false);
  webhookUrl = $state('');
  webhookHasAuth = $state(false);
  webhookDropAuth = $state(false);
  #webhookShownUrl = '';
  webhookTokenFile = $state('');
  webhookMinSeverity = $state<AlertSeverity>('warning');
  webhookSendResolved = $state(true);
  webhookHealing = $state(true);
  // fleet: log forwarding
  logsEnabled = $state(false);
  logsTarget = $state<'journald' | 'syslog'>('journald');
  syslogTransport = $state<'udp' | 'tcp' | 'unix'>('udp');
  syslogHost = $state('127.0.0.1');
  syslogPort = $state(514);
  logsMinSeverity = $state<LogSeverity>('info');
  logsIncludeCommands = $state(false);
  logsIdentifier = $state('ainl');
  // desktop
  theme = $state<ThemeChoice>('system');
  autostart = $state(false);
  notifications = $state(true);

  async load(): Promise<void> {
    try {
      this.apply(await api.invoke('config:get', {}));
      this.loadError = null;
    } catch (err) {
      this.loadError = describeError(err, 'The configuration');
    }
    void this.loadRules();
    void this.loadIncognito();
  }

  private apply(view: ConfigView): void {
    this.view = view;
    const c = view.config;
    const mon = obj(c.monitor);
    const heal = obj(c.healing);
    const ql = obj(c.questlog);
    const llm = obj(obj(c.assistant).llm);
    const ui = obj(c.ui);
    this.intervalS = num(mon.intervalS, 5);
    this.healingEnabled = bool(heal.enabled, true);
    this.targets = (Array.isArray(heal.targets) ? heal.targets : []).map((t) => {
      const { name, kind, allowManual, policy, ...rest } = obj(t);
      const p = obj(policy);
      return {
        name: str(name),
        kind: kind === 'process' ? 'process' : 'unit',
        allowManual: bool(allowManual, true),
        maxRestarts: num(p.maxRestarts, 5),
        windowSec: num(p.windowSec, 300),
        backoffInitialSec: num(p.backoffInitialSec, 1),
        backoffMaxSec: num(p.backoffMaxSec, 300),
        rest: { ...rest, policy: p },
      };
    });
    this.incognitoAtStart = bool(ql.incognito);
    this.retentionDays = num(ql.retentionDays, 365);
    this.redact = bool(ql.redact, true);
    this.redactPatterns = (Array.isArray(ql.redactPatterns) ? ql.redactPatterns : []).map(String).join('\n');
    this.llmEnabled = bool(llm.enabled);
    this.llmBaseUrl = str(llm.baseUrl);
    this.llmBaseUrlHasAuth = view.secrets['assistant.llm.baseUrl'];
    this.llmBaseUrlDropAuth = false;
    this.llmModel = str(llm.model);
    this.llmApiKey = '';
    this.llmApiKeySet = view.secrets['assistant.llm.apiKey'];
    this.llmApiKeyDrop = false;
    this.llmTimeoutMs = num(llm.timeoutMs, 8000);
    this.applyFleet(obj(c.fleet), view.secrets['fleet.webhook.url']);
    this.theme = (['system', 'light', 'dark'] as const).find((t) => t === ui.theme) ?? 'system';
    this.autostart = bool(ui.autostart);
    this.notifications = bool(ui.notifications, true);
    theme.set(this.theme);
  }

  private applyFleet(fleet: Json, webhookHasAuth: boolean): void {
    const m = obj(fleet.metrics);
    const w = obj(fleet.webhook);
    const l = obj(fleet.logs);
    const sys = obj(l.syslog);
    this.metricsEnabled = bool(m.enabled);
    this.metricsListen = str(m.listen, '127.0.0.1');
    this.metricsPort = num(m.port, 9464);
    this.metricsPath = str(m.path, '/metrics');
    this.metricsTokenFile = str(m.bearerTokenFile);
    this.metricsTlsCert = str(m.tlsCertFile);
    this.metricsTlsKey = str(m.tlsKeyFile);
    this.webhookEnabled = bool(w.enabled);
    this.webhookUrl = str(w.url);
    this.#webhookShownUrl = this.webhookUrl;
    this.webhookHasAuth = webhookHasAuth;
    this.webhookDropAuth = false;
    this.webhookTokenFile = str(w.bearerTokenFile);
    this.webhookMinSeverity = oneOf(w.minSeverity, ['info', 'warning', 'critical'] as const, 'warning');
    this.webhookSendResolved = bool(w.sendResolved, true);
    this.webhookHealing = bool(w.healing, true);
    this.logsEnabled = bool(l.enabled);
    this.logsTarget = oneOf(l.target, ['journald', 'syslog'] as const, 'journald');
    this.syslogTransport = oneOf(sys.transport, ['udp', 'tcp', 'unix'] as const, 'udp');
    this.syslogHost = str(sys.host, '127.0.0.1');
    this.syslogPort = num(sys.port, 514);
    this.logsMinSeverity = oneOf(
      l.minSeverity,
      ['debug', 'info', 'warning', 'error', 'critical'] as const,
      'info',
    );
    this.logsIncludeCommands = bool(l.includeCommands);
    this.logsIdentifier = str(l.identifier, 'ainl');
  }

  /**
   * The webhook URL to write, or undefined to leave the stored one alone. The backend keeps the
   * stored credentials on a URL sent without any (also a new one), replaces them with credentials
   * typed into the field, and drops them when "Remove" was chosen (`clearSecrets`).
   */
  private webhookUrlPatch(): string | undefined {
    const typed = this.webhookUrl.trim();
    return typed === this.#webhookShownUrl ? undefined : typed;
  }

  async loadRules(): Promise<void> {
    try {
      const res = await api.invoke('monitor:rules', {});
      this.rules = res.rules
        .filter((r: EffectiveRule) => r.kind === 'threshold')
        .map((r: EffectiveRule) => ({
          id: r.id,
          title: r.title,
          metric: r.metric,
          op: r.op,
          severity: r.severity,
          enabled: r.enabled,
          value: r.value,
          original: { enabled: r.enabled, value: r.value },
        }));
      this.rulesError = res.problems.length ? `Rule problems: ${res.problems.join('; ')}` : null;
    } catch (err) {
      this.rulesError = describeError(err, 'The kernel monitor');
    }
  }

  async loadIncognito(): Promise<void> {
    try {
      this.incognitoNow = (await api.invoke('questlog:incognito', {})).enabled;
      this.incognitoError = null;
    } catch (err) {
      this.incognitoError = describeError(err, 'The Quest Log');
    }
  }

  async setIncognitoNow(enabled: boolean): Promise<void> {
    try {
      this.incognitoNow = (await api.invoke('questlog:incognito', { enabled })).enabled;
      this.incognitoError = null;
    } catch (err) {
      this.incognitoError = describeError(err, 'The Quest Log');
    }
  }

  addTarget(name: string, kind: 'unit' | 'process'): string | null {
    const n = name.trim();
    if (!/^[A-Za-z0-9:_.\\@-]{1,255}$/.test(n))
      return 'Letters, digits and :_.\\@- only (e.g. nginx.service).';
    if (this.targets.some((t) => t.name === n)) return `${n} is already watched.`;
    this.targets = [
      ...this.targets,
      {
        name: n,
        kind,
        allowManual: true,
        maxRestarts: 5,
        windowSec: 300,
        backoffInitialSec: 1,
        backoffMaxSec: 300,
        rest: {},
      },
    ];
    return null;
  }

  removeTarget(i: number): void {
    this.targets = this.targets.filter((_, k) => k !== i);
  }

  private patchFor(section: SectionId): { patch: Json; paths: string[]; clearSecrets?: SecretPath[] } {
    switch (section) {
      case 'monitor': {
        const current = obj(obj(this.view?.config.monitor).rules);
        const rules: Json = { ...current };
        for (const r of this.rules) {
          if (r.enabled !== r.original.enabled || r.value !== r.original.value) {
            rules[r.id] = { ...obj(current[r.id]), enabled: r.enabled, value: r.value };
          }
        }
        return {
          patch: { monitor: { intervalS: this.intervalS, rules } },
          paths: ['monitor.intervalS', 'monitor.rules'],
        };
      }
      case 'healing':
        return {
          patch: {
            healing: {
              enabled: this.healingEnabled,
              targets: this.targets.map((t) => ({
                ...t.rest,
                name: t.name,
                kind: t.kind,
                allowManual: t.allowManual,
                policy: {
                  ...obj(t.rest.policy),
                  maxRestarts: t.maxRestarts,
                  windowSec: t.windowSec,
                  backoffInitialSec: t.backoffInitialSec,
                  backoffMaxSec: t.backoffMaxSec,
                },
              })),
            },
          },
          paths: ['healing.enabled', 'healing.targets'],
        };
      case 'privacy':
        return {
          patch: {
            questlog: {
              incognito: this.incognitoAtStart,
              retentionDays: this.retentionDays,
              redact: this.redact,
              redactPatterns: this.redactPatterns
                .split('\n')
                .map((l) => l.trim())
                .filter(Boolean),
            },
          },
          paths: [
            'questlog.incognito',
            'questlog.retentionDays',
            'questlog.redact',
            'questlog.redactPatterns',
          ],
        };
      case 'assistant':
        return {
          patch: {
            assistant: {
              llm: {
                enabled: this.llmEnabled,
                baseUrl: this.llmBaseUrl,
                model: this.llmModel,
                // left out: the stored key stays
                ...(this.llmApiKey || this.llmApiKeyDrop
                  ? { apiKey: this.llmApiKeyDrop ? '' : this.llmApiKey }
                  : {}),
                timeoutMs: this.llmTimeoutMs,
              },
            },
          },
          paths: [
            'assistant.llm.enabled',
            'assistant.llm.baseUrl',
            'assistant.llm.model',
            'assistant.llm.apiKey',
            'assistant.llm.timeoutMs',
          ],
          ...(this.llmBaseUrlDropAuth ? { clearSecrets: ['assistant.llm.baseUrl' as const] } : {}),
        };
      case 'fleet': {
        const url = this.webhookUrlPatch();
        return {
          patch: {
            fleet: {
              metrics: {
                enabled: this.metricsEnabled,
                listen: this.metricsListen.trim(),
                port: this.metricsPort,
                path: this.metricsPath.trim(),
                bearerTokenFile: this.metricsTokenFile.trim(),
                tlsCertFile: this.metricsTlsCert.trim(),
                tlsKeyFile: this.metricsTlsKey.trim(),
              },
              webhook: {
                enabled: this.webhookEnabled,
                ...(url === undefined ? {} : { url }),
                bearerTokenFile: this.webhookTokenFile.trim(),
                minSeverity: this.webhookMinSeverity,
                sendResolved: this.webhookSendResolved,
                healing: this.webhookHealing,
              },
              logs: {
                enabled: this.logsEnabled,
                target: this.logsTarget,
                syslog: {
                  transport: this.syslogTransport,
                  host: this.syslogHost.trim(),
                  port: this.syslogPort,
                },
                minSeverity: this.logsMinSeverity,
                includeCommands: this.logsIncludeCommands,
                identifier: this.logsIdentifier.trim(),
              },
            },
          },
          paths: FLEET_PATHS,
          ...(this.webhookDropAuth ? { clearSecrets: ['fleet.webhook.url' as const] } : {}),
        };
      }
      case 'desktop':
        return {
          patch: { ui: { theme: this.theme, autostart: this.autostart, notifications: this.notifications } },
          paths: ['ui.theme', 'ui.autostart', 'ui.notifications'],
        };
    }
  }

  /** Checks the drafts the server cannot see as wrong (e.g. an invalid regex), per field. */
  private localErrors(section: SectionId): Record<string, string> {
    const e: Record<string, string> = {};
    if (section === 'privacy') {
      for (const line of this.redactPatterns
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)) {
        try {
          new RegExp(line);
        } catch {
          e['questlog.redactPatterns'] = `Not a valid regular expression: ${line}`;
          break;
        }
      }
    }
    if (section === 'fleet') {
      if (this.webhookEnabled && !this.webhookUrl.trim())
        e['fleet.webhook.url'] = 'A receiver URL is needed while the webhook is on.';
      if (!!this.metricsTlsCert.trim() !== !!this.metricsTlsKey.trim())
        e[this.metricsTlsCert.trim() ? 'fleet.metrics.tlsKeyFile' : 'fleet.metrics.tlsCertFile'] =
          'HTTPS needs both the certificate and the key.';
    }
    if (section === 'assistant' && this.llmEnabled && !/^https?:\/\/\S+$/.test(this.llmBaseUrl)) {
      e['assistant.llm.baseUrl'] = 'Must be an http:// or https:// URL.';
    }
    return e;
  }

  async save(section: SectionId): Promise<boolean> {
    const { patch, paths, clearSecrets } = this.patchFor(section);
    const cleared = Object.fromEntries(
      Object.entries(this.errors).filter(([k]) => !paths.includes(k) && k !== `_${section}`),
    );
    const local = this.localErrors(section);
    if (Object.keys(local).length) {
      this.errors = { ...cleared, ...local };
      return false;
    }
    this.errors = cleared;
    this.saving = section;
    this.saved = null;
    try {
      this.apply(await api.invoke('config:set', clearSecrets ? { patch, clearSecrets } : { patch }));
      this.saved = section;
      if (section === 'monitor') void this.loadRules();
      return true;
    } catch (err) {
      const msg =
        err instanceof ApiError && err.problem === 'invalid-input'
          ? err.message
          : describeError(err, 'The configuration');
      const fe = fieldErrors(msg, paths);
      const { _: rest, ...fields } = fe;
      this.errors = { ...cleared, ...fields, ...(rest ? { [`_${section}`]: rest } : {}) };
      return false;
    } finally {
      this.saving = null;
    }
  }
}
