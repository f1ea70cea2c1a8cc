/**
 * The child side of the host seam: the same host code runs as an Electron utilityProcess
 * (process.parentPort, message in `e.data`) and as a Node child forked with an IPC channel
 * (process.send / process.on('message')).
 */
import type { FromHost, ToHost } from '../shared/hostProtocol';

interface ElectronParentPort {
  postMessage(msg: unknown): void;
  on(event: 'message', cb: (e: { data: unknown }) => void): void;
}

export interface ParentLink {
  kind: 'utility' | 'fork' | 'none';
  post(msg: FromHost): void;
  onMessage(cb: (msg: ToHost) => void): void;
}

export function connectParent(): ParentLink {
  const port = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;
  if (port) {
    return {
      kind: 'utility',
      post: (m) => port.postMessage(m),
      onMessage: (cb) => port.on('message', (e) => cb(e.data as ToHost)),
    };
  }
  if (typeof process.send === 'function') {
    return {
      kind: 'fork',
      post: (m) => {
        if (process.connected) process.send?.(m);
      },
      onMessage: (cb) => process.on('message', (m) => cb(m as ToHost)),
    };
  }
  return { kind: 'none', post: () => undefined, onMessage: () => undefined };
}
