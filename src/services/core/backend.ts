import { channels, isChannelName, type ChannelName } from '../../shared/contract';
import { join } from 'node:path';
import type { AppStatus, ConfigView } from '../../shared/contract/system';
import { CONFIG_FILE, loadConfig, saveUserConfig, type LoadedConfig } from '../config/loader';
import { keepSecrets, redactConfig } from '../config/secrets';
import { Problem, toProblem } from '../../shared/problems';
import { formatZodError } from '../../shared/validation';
import type { ConfigProblem } from '../../shared/contract/system';
import { Dispatcher, type InvokeResult } from './dispatcher';
import type { Supervisor } from './supervisor';

export type EventListener = (name: string, payload: unknown) => void;

export interface BackendOptions {
  version: string;
  transport: AppStatus['transport'];
  /** channels not in `local` and not in `routes` go here */
  background: Supervisor;
  /** domain → supervisor, e.g. { terminal: ptySupervisor } */
  routes?: Record<string, Supervisor>;
  configProblems?: () => ConfigProblem[];
  /** environment for config paths (tests); process.env by default */
  env?: NodeJS.ProcessEnv;
}

/**
 * The front door every transport uses (Electron IPC in main, WebSocket in serve mode): validates
 * the payload against the contract, answers `app:*` itself, and forwards the rest to the host
 * that owns the domain. The host validates again on its side.
 */
export class Backend {
  readonly local = new Dispatcher();
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly o: BackendOptions) {
    this.local.register({
      'app:status': () => this.status(),
      'app:resetHost': async (req) => {
        const sup = req.name === 'background' ? this.o.background : this.o.routes?.terminal;
        if (!sup) throw new Problem('not-found', `no ${req.name} host in this process`);
        await sup.reset();
        return sup.status();
      },
      'config:get': () => this.configView(loadConfig(this.o.env)),
      'config:set': async (req) => {
        let loaded;
        try {
          const current = loadConfig(this.o.env).config;
          loaded = saveUserConfig(keepSecrets(req.patch, current, req.clearSecrets), this.o.env);
        } catch (err) {
          throw new Problem('invalid-input', (err as Error).message);
        }
        this.currentProblems = loaded.problems;
        // the background services read the config at start: restart them so the change applies now
        await this.o.background.restart();
        return this.configView(loaded);
      },
    });
  }

  private currentProblems: ConfigProblem[] | null = null;

  /** Secrets never leave the backend: the view carries only whether each one is set. */
  private configView(loaded: LoadedConfig): ConfigView {
    const { config, secrets } = redactConfig(loaded.config);
    return {
      config,
      secrets,
      problems: loaded.problems,
      sources: loaded.sources,
      userFile: join(loaded.paths.userConfigDir, CONFIG_FILE),
    };
  }

  status(): AppStatus {
    const sups = [this.o.background, ...Object.values(this.o.routes ?? {})];
    return {
      version: this.o.version,
      transport: this.o.transport,
      hosts: sups.map((s) => s.status()),
      configProblems: this.currentProblems ?? this.o.configProblems?.() ?? [],
    };
  }

  on(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Hosts' supervisors call this with their events; fan out to every transport. */
  emit(name: string, payload: unknown): void {
    for (const l of this.listeners) {
      try {
        l(name, payload);
      } catch {
        // a broken listener never breaks the others
      }
    }
  }

  async invoke(channel: unknown, payload: unknown): Promise<InvokeResult> {
    try {
      if (!isChannelName(channel))
        throw new Problem('not-found', `unknown channel: ${String(channel).slice(0, 80)}`);
      if (this.local.has(channel))
        return await this.local.invoke(channel, payload, { transport: 'internal' });
      const parsed = channels[channel].request.safeParse(payload ?? {});
      if (!parsed.success) throw new Problem('invalid-input', `${channel}: ${formatZodError(parsed.error)}`);
      const value = await this.route(channel).invoke(channel, parsed.data);
      return { ok: true, value };
    } catch (err) {
      return { ok: false, ...toProblem(err) };
    }
  }

  private route(channel: ChannelName): Supervisor {
    const domain = channel.slice(0, channel.indexOf(':'));
    return this.o.routes?.[domain] ?? this.o.background;
  }

  async dispose(): Promise<void> {
    await Promise.all([this.o.background.stop(), ...Object.values(this.o.routes ?? {}).map((s) => s.stop())]);
  }
}
