import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { CHANNEL_NAMES } from '../shared/contract';
import type { Backend } from '../services/core/backend';

/**
 * The only way main answers the renderer: one handler per contract channel, each checking that the
 * sender is the top frame of one of our own pages before the Backend validates the payload.
 */
export function registerValidatedIpc(backend: Backend, isTrustedUrl: (url: string) => boolean): () => void {
  const check = (e: IpcMainInvokeEvent): string | null => {
    const frame = e.senderFrame;
    if (!frame) return 'no sender frame';
    if (frame.parent) return 'sub-frames may not call the API';
    if (!isTrustedUrl(frame.url)) return `untrusted sender ${frame.url.slice(0, 80)}`;
    return null;
  };
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(channel, async (e, payload: unknown) => {
      const refusal = check(e);
      if (refusal) return { ok: false, problem: 'access-denied', message: refusal };
      return backend.invoke(channel, payload);
    });
  }
  return () => CHANNEL_NAMES.forEach((c) => ipcMain.removeHandler(c));
}

/** Our pages: the built renderer on disk, or the electron-vite dev server in development. */
export function trustedUrlChecker(
  rendererIndex: string,
  devServerUrl: string | undefined,
): (url: string) => boolean {
  const file = new URL(`file://${rendererIndex}`);
  const dev = devServerUrl ? new URL(devServerUrl) : null;
  return (raw: string) => {
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      return false;
    }
    if (u.protocol === 'file:') return u.pathname === file.pathname;
    return dev !== null && u.origin === dev.origin;
  };
}
