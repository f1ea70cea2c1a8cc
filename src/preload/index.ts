/**
 * Sandboxed preload: exposes `window.api`, one function per contract channel plus `on` for push
 * events. Nothing else of Electron reaches the page.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { CHANNEL_NAMES, isEventName } from '../shared/contract';

type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<Listener>>();

ipcRenderer.on('ainl:event', (_e, msg: { name: string; payload: unknown }) => {
  for (const l of listeners.get(msg?.name) ?? []) l(msg.payload);
});

const api: Record<string, unknown> = {};
for (const channel of CHANNEL_NAMES) {
  api[channel] = (request: unknown) => ipcRenderer.invoke(channel, request);
}
api.on = (event: string, listener: Listener): (() => void) => {
  if (!isEventName(event) || typeof listener !== 'function')
    throw new Error(`unknown event: ${String(event)}`);
  let set = listeners.get(event);
  if (!set) listeners.set(event, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
};

contextBridge.exposeInMainWorld('api', api);
