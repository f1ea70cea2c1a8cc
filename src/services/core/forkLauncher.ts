import { fork } from 'node:child_process';
import type { FromHost } from '../../shared/hostProtocol';
import type { ChildHandle, Launcher } from './supervisor';

/** Starts a host entry as a Node child with an IPC channel (structured clone, like utilityProcess). */
export function forkLauncher(
  entry: string,
  opts: { env?: NodeJS.ProcessEnv; execArgv?: string[] } = {},
): Launcher {
  return (): ChildHandle => {
    const child = fork(entry, [], {
      env: opts.env ?? process.env,
      execArgv: opts.execArgv ?? [],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return {
      get pid() {
        return child.pid ?? null;
      },
      post: (msg) => {
        if (child.connected) child.send(msg);
      },
      onMessage: (cb) => child.on('message', (m) => cb(m as FromHost)),
      onExit: (cb) => child.on('exit', (code, signal) => cb(code, signal)),
      kill: () => {
        child.kill('SIGKILL');
      },
    };
  };
}
