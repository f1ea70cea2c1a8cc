/**
 * `ainl fleet …` as a user runs it: JSON output, exit codes (0 ok, 1 problem), problems named,
 * test-webhook against a local receiver. (Each run starts the whole CLI under tsx: kept to three.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { runAinl } from '../helpers/ainl';

let root: string;

/** Writes the config, then runs `ainl ARGS` with only PATH and the throw-away home's directories. */
function run(args: string[], config: unknown): ReturnType<typeof runAinl> {
  const cfgDir = join(root, 'config', 'ai-native-linux');
  mkdirSync(cfgDir, { recursive: true });
  writeFileSync(join(cfgDir, 'config.json'), JSON.stringify(config));
  return runAinl(args, {
    PATH: process.env.PATH,
    HOME: root,
    XDG_CONFIG_HOME: join(root, 'config'),
    XDG_DATA_HOME: join(root, 'data'),
    AINL_SYSTEM_CONFIG_DIR: join(root, 'etc'),
  });
}

describe('ainl fleet CLI', () => {
  let server: Server;
  let port: number;
  const bodies: string[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'ainl-fleet-cli-'));
    server = createServer((req, res) => {
      let b = '';
      req.on('data', (c: Buffer) => (b += c.toString()));
      req.on('end', () => {
        bodies.push(b);
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(root, { recursive: true, force: true });
  });

  it('status --json: everything off by default, exit 0', async () => {
    const r = await run(['fleet', 'status', '--json'], {});
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as {
      running: boolean;
      metrics: { enabled: boolean };
      webhook: { state: string };
      logs: { state: string };
      problems: string[];
    };
    expect(j).toMatchObject({
      running: false,
      metrics: { enabled: false },
      webhook: { state: 'disabled' },
      logs: { state: 'disabled' },
      problems: [],
    });
  });

  it('status: exit 1 and a named problem when the endpoint does not answer', async () => {
    const dead = await new Promise<number>((r) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => r(p));
      });
    });
    const r = await run(['fleet', 'status'], { fleet: { metrics: { enabled: true, port: dead } } });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/NOT answering/);
    expect(r.stdout).toMatch(
      /problem +metrics: http:\/\/127\.0\.0\.1:\d+\/metrics does not answer \(ECONNREFUSED\)/,
    );
    expect(r.stdout).toMatch(/background service is not running/);
  });

  it('test-webhook sends one Alertmanager-shaped alert and exits 0', async () => {
    const ok = await run(['fleet', 'test-webhook', '--json'], {
      fleet: { webhook: { url: `http://127.0.0.1:${port}/hook` } },
    });
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true });
    const msg = JSON.parse(bodies.at(-1)!) as {
      version: string;
      alerts: Array<{ labels: Record<string, string> }>;
    };
    expect(msg.version).toBe('4');
    expect(msg.alerts[0]!.labels.alertname).toBe('AinlWebhookTest');
    // not enabled yet: said on stderr
    expect(ok.stderr).toMatch(/enabled is false/);
  });
});
