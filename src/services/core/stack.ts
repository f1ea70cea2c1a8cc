import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { APP_VERSION } from '../../shared/version';
import type { ConfigProblem } from '../../shared/contract/system';
import { Backend } from './backend';
import { Supervisor, type Launcher } from './supervisor';
import { forkLauncher } from './forkLauncher';

export interface StackOptions {
  /** directory holding background.js and ptyHost.js (out/main) */
  hostsDir: string;
  transport: 'electron' | 'websocket';
  /** how to start a host entry; Node fork by default, Electron passes its utilityProcess launcher */
  launcher?: (entry: string) => Launcher;
  configProblems?: () => ConfigProblem[];
  supervisorOverrides?: { heartbeatMs?: number; backoffMs?: number; maxRestarts?: number };
}

/**
 * The backend stack shared by Electron main and `ainl serve`: a supervised background host
 * (Quest Log, monitor, assistant, system, healing client) and a supervised pty host for terminals.
 */
export function createStack(o: StackOptions): Backend {
  const launch = o.launcher ?? ((entry: string) => forkLauncher(entry));
  let backend: Backend | null = null;
  const emit = (name: string, payload: unknown): void => backend?.emit(name, payload);
  const host = (name: string, file: string): Supervisor =>
    new Supervisor({
      name,
      launch: launch(join(o.hostsDir, file)),
      onEvent: emit,
      onState: (status) => emit('app:hostState', status),
      ...o.supervisorOverrides,
    });
  const background = host('background', 'background.js');
  const routes: Record<string, Supervisor> = {};
  if (existsSync(join(o.hostsDir, 'ptyHost.js'))) routes.terminal = host('pty', 'ptyHost.js');
  backend = new Backend({
    version: APP_VERSION,
    transport: o.transport,
    background,
    routes,
    ...(o.configProblems ? { configProblems: o.configProblems } : {}),
  });
  return backend;
}
