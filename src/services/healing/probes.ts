/** Health probes: process alive, TCP connect, HTTP status/body, command exit code. Every probe has a hard timeout. */
import { connect } from 'node:net';
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';
import type { ProbeConfig } from '../../shared/config/healing';

export interface ProbeResult {
  ok: boolean;
  detail: string;
  ms: number;
}

export interface ProbeContext {
  /** The target's main PID (units: MainPID; processes: the matched PID), 0 if none. */
  pid: number;
}

export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 1) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

export async function runProbe(probe: ProbeConfig, ctx: ProbeContext): Promise<ProbeResult> {
  const t0 = performance.now();
  const done = (ok: boolean, detail: string): ProbeResult => ({
    ok,
    detail,
    ms: Math.round(performance.now() - t0),
  });
  try {
    switch (probe.type) {
      case 'process':
        return pidAlive(ctx.pid)
          ? done(true, `pid ${ctx.pid} alive`)
          : done(false, ctx.pid > 0 ? `pid ${ctx.pid} gone` : 'no main process');
      case 'tcp':
        await tcpProbe(probe.host, probe.port, probe.timeoutMs);
        return done(true, `connected to ${probe.host}:${probe.port}`);
      case 'http': {
        const r = await httpProbe(probe.url, probe.timeoutMs);
        const [lo, hi] = probe.expectStatus;
        if (r.status < lo || r.status > hi) return done(false, `HTTP ${r.status} (want ${lo}–${hi})`);
        if (probe.bodyContains && !r.body.includes(probe.bodyContains))
          return done(false, `HTTP ${r.status} but body lacks ${JSON.stringify(probe.bodyContains)}`);
        return done(true, `HTTP ${r.status}`);
      }
      case 'command': {
        const code = await commandProbe(probe.argv, probe.timeoutMs);
        return code === 0 ? done(true, 'exit 0') : done(false, `exit ${code}`);
      }
    }
  } catch (err) {
    return done(false, (err as Error).message);
  }
}

function tcpProbe(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host, port });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`TCP ${host}:${port} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      sock.destroy();
      resolve();
    });
    sock.once('error', (err) => {
      clearTimeout(timer);
      sock.destroy();
      reject(new Error(`TCP ${host}:${port}: ${(err as NodeJS.ErrnoException).code ?? err.message}`));
    });
  });
}

const MAX_BODY = 64 * 1024;

function httpProbe(url: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = (url.startsWith('https:') ? httpsRequest : httpRequest)(
      url,
      { method: 'GET', agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (body.length < MAX_BODY) body += chunk;
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, body });
        });
        res.on('error', (err) => {
          clearTimeout(timer);
          reject(err);
        });
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error(`HTTP ${url} timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    req.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`HTTP ${url}: ${(err as NodeJS.ErrnoException).code ?? err.message}`));
    });
    req.end();
  });
}

function commandProbe(argv: string[], timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const [cmd, ...args] = argv;
    if (!cmd) {
      reject(new Error('empty argv'));
      return;
    }
    const child = spawn(cmd, args, { stdio: 'ignore', shell: false, detached: true });
    const timer = setTimeout(() => {
      try {
        if (child.pid && child.pid > 1) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
      reject(new Error(`command timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`command: ${err.message}`));
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}
