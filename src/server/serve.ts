import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Backend } from '../services/core/backend';

export interface ServeOptions {
  backend: Backend;
  /** the built renderer (out/renderer) */
  rendererDir: string;
  port?: number;
  /** fixed token (tests); a random one by default */
  token?: string;
  log?: (line: string) => void;
}

export interface ServeHandle {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const MAX_MESSAGE_BYTES = 1024 * 1024;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ws://${HOST}:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The id of the inert JSON block with the first snapshot (read by the renderer's overview state). */
export const SNAPSHOT_ELEMENT_ID = 'ainl-initial';
/** How long the page waits for the backend's overview before it goes without it. */
const SNAPSHOT_WAIT_MS = 250;

/** JSON that cannot end its <script> element or open a comment, whatever the strings hold. */
export function jsonForHtml(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<null>((r) => {
      timer = setTimeout(() => r(null), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Serve mode: the built renderer over HTTP and the typed API over a WebSocket, on 127.0.0.1 only.
 * The API needs the random token printed in the URL; Host and Origin must name this server (no
 * DNS rebinding, no cross-site pages); every payload goes through the Backend's validation.
 */
export async function startServe(opts: ServeOptions): Promise<ServeHandle> {
  const token = opts.token ?? randomBytes(24).toString('base64url');
  const root = resolve(opts.rendererDir);
  const indexHtml = join(root, 'index.html');
  const assetsDir = join(root, 'assets') + sep;
  let port = opts.port ?? 0;
  const allowedHosts = (): string[] => [`${HOST}:${port}`, `localhost:${port}`];

  const server = createServer((req, res) => {
    void serveStatic(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end('internal error');
    });
  });

  async function serveStatic(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // No Cross-Origin-Opener-Policy: on the page it makes Chromium swap browsing-context groups,
    // i.e. start a second renderer process for every load (≈150–200 ms here, see
    // docs/benchmarks.md, UI). The page is not framable (frame-ancestors), nothing it holds is
    // readable across origins, and the API stays behind the token and the Origin check.
    const headers = {
      'Content-Security-Policy': contentSecurityPolicy(port),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-cache',
    };
    if (!allowedHosts().includes(req.headers.host ?? '')) {
      res.writeHead(421, { 'Content-Type': 'text/plain' }).end('misdirected request\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    let path = decodeURIComponent(url.pathname);
    if (path.endsWith('/')) path += 'index.html';
    const file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403, headers).end('forbidden\n');
      return;
    }
    let body: Buffer;
    try {
      const st = await stat(file);
      if (!st.isFile()) throw new Error('not a file');
      body = await readFile(file);
    } catch {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain' }).end('not found\n');
      return;
    }
    const type = MIME[extname(file)] ?? 'application/octet-stream';
    if (
      file === indexHtml &&
      req.method === 'GET' &&
      sameSecret(url.searchParams.get('token') ?? '', token)
    ) {
      await servePage(
        res,
        { ...headers, 'Cache-Control': 'no-store', 'Content-Type': type },
        body.toString('utf8'),
      );
      return;
    }
    // build outputs under assets/ carry a content hash in their names: cache them for good, so a
    // kept browser (or a reload) neither fetches nor revalidates them
    const cache = file.startsWith(assetsDir)
      ? 'public, max-age=31536000, immutable'
      : headers['Cache-Control'];
    res.writeHead(200, { ...headers, 'Cache-Control': cache, 'Content-Type': type });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  /**
   * The page for a caller that has the token: everything before </body> goes out at once (the
   * browser starts fetching the scripts), then the machine overview the popup shows first as an
   * inert JSON block, so the first paint needs no round trip over the WebSocket. A backend that
   * is slow (host starting) is not waited for: the page goes without it and asks over the socket.
   */
  async function servePage(
    res: ServerResponse,
    headers: Record<string, string>,
    html: string,
  ): Promise<void> {
    const cut = html.lastIndexOf('</body>');
    if (cut < 0) {
      res.writeHead(200, headers).end(html);
      return;
    }
    res.writeHead(200, headers);
    res.write(html.slice(0, cut));
    const overview = await withTimeout(opts.backend.invoke('system:overview', {}), SNAPSHOT_WAIT_MS);
    const snapshot =
      overview?.ok === true
        ? `<script type="application/json" id="${SNAPSHOT_ELEMENT_ID}">${jsonForHtml({ at: Date.now(), overview: overview.value })}</script>\n`
        : '';
    res.end(snapshot + html.slice(cut));
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const clients = new Set<WebSocket>();

  server.on('upgrade', (req, socket, head) => {
    const refuse = (code: number, why: string): void => {
      socket.write(`HTTP/1.1 ${code} ${why}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
      opts.log?.(`refused WebSocket: ${why}`);
    };
    const url = new URL(req.url ?? '/', `http://${HOST}`);
    if (url.pathname !== '/api') return refuse(404, 'Not Found');
    if (!allowedHosts().includes(req.headers.host ?? '')) return refuse(421, 'Misdirected Request');
    const origin = req.headers.origin;
    if (origin !== undefined && !allowedHosts().some((h) => origin === `http://${h}`)) {
      return refuse(403, 'Forbidden Origin');
    }
    if (!sameSecret(url.searchParams.get('token') ?? '', token)) return refuse(401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws));
  });

  function onConnection(ws: WebSocket): void {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('error', () => clients.delete(ws));
    ws.on('message', (data, isBinary) => {
      void handleMessage(ws, isBinary ? null : data.toString());
    });
  }

  async function handleMessage(ws: WebSocket, text: string | null): Promise<void> {
    let msg: unknown;
    try {
      if (text === null) throw new Error('binary frames are not part of the protocol');
      msg = JSON.parse(text);
    } catch (err) {
      send(ws, {
        id: null,
        ok: false,
        problem: 'invalid-input',
        message: `not a JSON message: ${(err as Error).message}`,
      });
      return;
    }
    const m = msg as { id?: unknown; channel?: unknown; payload?: unknown };
    const id = typeof m?.id === 'number' && Number.isSafeInteger(m.id) ? m.id : null;
    if (id === null || typeof m.channel !== 'string') {
      send(ws, {
        id,
        ok: false,
        problem: 'invalid-input',
        message: 'a request is {"id": integer, "channel": string, "payload": object}',
      });
      return;
    }
    const result = await opts.backend.invoke(m.channel, m.payload);
    send(ws, { id, ...result });
  }

  function send(ws: WebSocket, msg: unknown): void {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  }

  const unsubscribe = opts.backend.on((event, payload) => {
    const text = JSON.stringify({ event, payload });
    for (const ws of clients) if (ws.readyState === ws.OPEN) ws.send(text);
  });

  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(port, HOST, () => {
      server.off('error', rej);
      res();
    });
  });
  port = (server.address() as AddressInfo).port;
  // start the background host now rather than on the first page's request (as the Electron app
  // does by rendering its popup at start): the first page then finds it up, its overview cached
  void opts.backend.invoke('system:overview', {});

  return {
    url: `http://${HOST}:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      unsubscribe();
      for (const ws of clients) ws.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
