/**
 * The opt-in Prometheus endpoint: HTTP (or HTTPS with a PEM certificate and key from files) on a
 * configurable address, optional bearer token from a file, GET/HEAD of the metrics path only.
 */
import {
  createServer as createHttp,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttps } from 'node:https';
import { readFileSync } from 'node:fs';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FleetMetricsConfig } from '../../shared/config/fleet';

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export interface MetricsServer {
  url: string;
  port: number;
  tls: boolean;
  auth: boolean;
  close(): Promise<void>;
}

/** Reads a secret file (trimmed); throws a one-line error naming the file. */
export function readSecretFile(path: string, what: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (err) {
    throw new Error(
      `cannot read the ${what} file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      {
        cause: err,
      },
    );
  }
  if (!text) throw new Error(`the ${what} file ${path} is empty`);
  return text;
}

function tokenMatches(header: string | undefined, token: Buffer): boolean {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  if (!m || !m[1]) return false;
  const got = Buffer.from(m[1]);
  return got.length === token.length && timingSafeEqual(got, token);
}

export async function startMetricsServer(
  cfg: FleetMetricsConfig,
  render: () => Promise<string>,
): Promise<MetricsServer> {
  const token = cfg.bearerTokenFile
    ? Buffer.from(readSecretFile(cfg.bearerTokenFile, 'metrics bearer token'))
    : null;
  if (Boolean(cfg.tlsCertFile) !== Boolean(cfg.tlsKeyFile)) {
    throw new Error('fleet.metrics: tlsCertFile and tlsKeyFile go together (set both or neither)');
  }
  const tls = cfg.tlsCertFile
    ? {
        cert: readSecretFile(cfg.tlsCertFile, 'TLS certificate'),
        key: readSecretFile(cfg.tlsKeyFile, 'TLS key'),
      }
    : null;

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (code: number, body: string, headers: Record<string, string> = {}): void => {
      res.writeHead(code, {
        'Content-Type': 'text/plain; charset=utf-8',
        'Cache-Control': 'no-store',
        ...headers,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return send(405, 'only GET and HEAD\n', { Allow: 'GET, HEAD' });
    if (path === '/' && cfg.path !== '/') {
      return send(200, `AI-Native Linux exporter\nmetrics: ${cfg.path}\n`);
    }
    if (path !== cfg.path) return send(404, `not found; metrics are at ${cfg.path}\n`);
    if (token && !tokenMatches(req.headers.authorization, token)) {
      return send(401, 'a valid bearer token is required\n', { 'WWW-Authenticate': 'Bearer realm="ainl"' });
    }
    render().then(
      (body) => send(200, body, { 'Content-Type': CONTENT_TYPE }),
      (err: unknown) =>
        send(500, `cannot collect metrics: ${err instanceof Error ? err.message : String(err)}\n`),
    );
  };

  const server: Server = tls ? createHttps({ cert: tls.cert, key: tls.key }, handler) : createHttp(handler);
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException): void => {
      const why =
        err.code === 'EADDRINUSE'
          ? `${cfg.listen}:${cfg.port} is already in use`
          : err.code === 'EACCES'
            ? `not allowed to listen on port ${cfg.port}`
            : err.code === 'EADDRNOTAVAIL'
              ? `${cfg.listen} is not an address of this machine`
              : err.message;
      reject(new Error(`fleet.metrics: cannot listen: ${why}`));
    };
    server.once('error', onError);
    server.listen(cfg.port, cfg.listen, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = cfg.listen.includes(':') ? `[${cfg.listen}]` : cfg.listen;
  return {
    url: `${tls ? 'https' : 'http'}://${host}:${port}${cfg.path}`,
    port,
    tls: Boolean(tls),
    auth: Boolean(token),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
