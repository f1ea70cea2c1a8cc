import { describe, it, expect, afterAll } from 'vitest';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { runProbe, pidAlive } from './probes';
import { probeConfig } from '../../shared/config/healing';

const servers: Array<{ close: () => void }> = [];
afterAll(() => servers.forEach((s) => s.close()));

function listen(handler: Parameters<typeof createServer>[1]): Promise<number> {
  return new Promise((resolve) => {
    const srv: Server = createServer(handler).listen(0, '127.0.0.1', () =>
      resolve((srv.address() as AddressInfo).port),
    );
    servers.push({ close: () => srv.close() });
  });
}

describe('probes (real sockets on 127.0.0.1, real processes)', () => {
  it('process: alive for this process, not for PID 0/1 or a gone PID', async () => {
    expect(pidAlive(process.pid)).toBe(true);
    expect(pidAlive(0)).toBe(false);
    expect(pidAlive(1)).toBe(false);
    const r = await runProbe(probeConfig.parse({ type: 'process' }), { pid: 0 });
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/no main process/);
  });

  it('http: status range and body text', async () => {
    const port = await listen((req, res) => {
      res.writeHead(req.url === '/bad' ? 503 : 200);
      res.end('hello world');
    });
    expect(
      (await runProbe(probeConfig.parse({ type: 'http', url: `http://127.0.0.1:${port}/` }), { pid: 0 })).ok,
    ).toBe(true);
    const bad = await runProbe(probeConfig.parse({ type: 'http', url: `http://127.0.0.1:${port}/bad` }), {
      pid: 0,
    });
    expect(bad.ok).toBe(false);
    expect(bad.detail).toMatch(/HTTP 503/);
    const body = await runProbe(
      probeConfig.parse({ type: 'http', url: `http://127.0.0.1:${port}/`, bodyContains: 'nope' }),
      { pid: 0 },
    );
    expect(body.ok).toBe(false);
    expect(body.detail).toMatch(/body lacks/);
  });

  it('http: a server that hangs fails by the timeout, not forever', async () => {
    const port = await listen(() => undefined); // never answers
    const t0 = Date.now();
    const r = await runProbe(
      probeConfig.parse({ type: 'http', url: `http://127.0.0.1:${port}/`, timeoutMs: 300 }),
      { pid: 0 },
    );
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/timed out/);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('tcp: connect ok, refused fails with the reason', async () => {
    const srv = createTcpServer((s) => s.end()).listen(0, '127.0.0.1');
    servers.push({ close: () => srv.close() });
    await new Promise((r) => srv.once('listening', r));
    const port = (srv.address() as AddressInfo).port;
    expect((await runProbe(probeConfig.parse({ type: 'tcp', port }), { pid: 0 })).ok).toBe(true);
    srv.close();
    await new Promise((r) => setTimeout(r, 50));
    const r = await runProbe(probeConfig.parse({ type: 'tcp', port }), { pid: 0 });
    expect(r.ok).toBe(false);
    expect(r.detail).toMatch(/ECONNREFUSED/);
  });

  it('command: exit code decides; a hanging command is killed at the timeout; no shell', async () => {
    expect((await runProbe(probeConfig.parse({ type: 'command', argv: ['/bin/true'] }), { pid: 0 })).ok).toBe(
      true,
    );
    const f = await runProbe(probeConfig.parse({ type: 'command', argv: ['/bin/sh', '-c', 'exit 4'] }), {
      pid: 0,
    });
    expect(f.detail).toBe('exit 4');
    const t0 = Date.now();
    const hang = await runProbe(
      probeConfig.parse({ type: 'command', argv: ['/bin/sleep', '30'], timeoutMs: 200 }),
      { pid: 0 },
    );
    expect(hang.ok).toBe(false);
    expect(Date.now() - t0).toBeLessThan(2000);
    const shell = await runProbe(probeConfig.parse({ type: 'command', argv: ['true; echo'] }), { pid: 0 });
    expect(shell.ok).toBe(false); // the whole string is a program name, never a shell line
  });
});
