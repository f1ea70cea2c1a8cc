import { utilityProcess } from 'electron';
import type { FromHost } from '../shared/hostProtocol';
import type { ChildHandle, Launcher } from '../services/core/supervisor';

/** Starts a host entry as an Electron utility process (the desktop counterpart of forkLauncher). */
export function utilityLauncher(entry: string, serviceName: string): Launcher {
  return (): ChildHandle => {
    const child = utilityProcess.fork(entry, [], { serviceName, stdio: 'inherit' });
    return {
      get pid() {
        return child.pid ?? null;
      },
      post: (msg) => child.postMessage(msg),
      onMessage: (cb) => child.on('message', (m: unknown) => cb(m as FromHost)),
      onExit: (cb) => child.on('exit', (code: number) => cb(code, null)),
      kill: () => {
        child.kill();
      },
    };
  };
}
