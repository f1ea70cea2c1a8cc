/**
 * Alert delivery to a real local HTTP receiver that records what it gets: Alertmanager payload
 * shape, a receiver that is down for a while and then returns, one that answers 500 for a while,
 * a service restart with alerts still queued on disk, and a full queue.
 */
import { homeWithConfig } from '../helpers/home';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { composeServices, type ComposedServices } from '../../src/hosts/runtime';
import { createFleetModule } from '../../src/services/fleet/module';
import type { MonitorAlert } from '../../src/shared/contract/monitor';
import type { WebhookMessage } from '../../src/services/fleet/webhook';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

class Receiver {
  messages: WebhookMessage[] = [];
  requests = 0;
  failNext = 0;
  auth: string[] = [];
  private server: Server | null = null;
  constructor(readonly port: number) {}
  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => (body += c));
      req.on('end', () => {
        this.requests++;
        this.auth.push(req.headers.authorization ?? '');
        if (this.failNext > 0) {
          this.failNext--;
          res.writeHead(500).end('try later');
          return;
        }
        this.messages.push(JSON.parse(body) as WebhookMessage);
        res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => this.server!.listen(this.port, '127.0.0.1', () => r()));
  }
  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }
  /** (fingerprint, status) pairs received, in order */
  get received(): string[] {
    return this.messages.flatMap((m) =>
      m.alerts.map((a) => `${a.labels.entity ?? a.labels.alertname}:${a.status}`),
    );
  }
}

function setup(webhook: Record<string, unknown>): { env: NodeJS.ProcessEnv; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'ainl-fleet-webhook-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const env = homeWithConfig(root, {
    fleet: {
      webhook: {
        enabled: true,
        retry: { minMs: 30, maxMs: 150 },
        timeoutMs: 2000,
        instance: 'test-host',
        ...webhook,
      },
    },
  });
  return { root, env };
}

async function start(env: NodeJS.ProcessEnv): Promise<ComposedServices> {
  const c = await composeServices('test', [['fleet', createFleetModule]], () => undefined, env);
  cleanups.push(() => c.dispose());
  return c;
}

function alert(i: number, severity: MonitorAlert['severity'] = 'warning'): MonitorAlert {
  const firedAt = Date.UTC(2026, 0, 1, 12, 0, i);
  return {
    id: `a${i}`,
    key: `HostOutOfDiskSpace:/data${i}`,
    rule: 'HostOutOfDiskSpace',
    kind: 'threshold',
    metric: `fs[/data${i}].avail_pct`,
    entity: `/data${i}`,
    severity,
    title: 'Disk almost full',
    message: `/data${i} has 4 % free`,
    value: 4,
    threshold: 10,
    state: 'firing',
    firedAt,
    resolvedAt: null,
    suggestion: { text: 'Find big files', command: 'du -xh /data | sort -h | tail' },
  };
}

const status = (c: ComposedServices) => c.ctx.call('fleet:status', {});

async function waitFor(cond: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out waiting');
}

describe('fleet webhook', () => {
  it('sends alerts and resolutions in Alertmanager webhook shape', async () => {
    const port = await freePort();
    const rx = new Receiver(port);
    await rx.start();
    cleanups.push(() => rx.stop());
    const token = join(tmpdir(), `ainl-fleet-token-${process.pid}`);
    writeFileSync(token, 'hook-token\n');
    cleanups.push(() => rmSync(token, { force: true }));
    const { env } = setup({
      url: `http://127.0.0.1:${port}/hook`,
      bearerTokenFile: token,
      labels: { env: 'test' },
      externalUrl: 'http://ui.example',
    });
    const c = await start(env);
    const a = alert(1);
    c.ctx.emit('monitor:alert', { state: 'fired', alert: a });
    c.ctx.emit('monitor:alert', {
      state: 'resolved',
      alert: { ...a, state: 'resolved', resolvedAt: a.firedAt + 60_000 },
    });
    // below minSeverity (warning): not sent
    c.ctx.emit('monitor:alert', { state: 'fired', alert: alert(2, 'info') });
    await waitFor(() => rx.received.length >= 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(rx.received).toEqual(['/data1:firing', '/data1:resolved']);
    expect(rx.auth[0]).toBe('Bearer hook-token');
    const m = rx.messages[0]!;
    expect(m).toMatchObject({
      version: '4',
      status: 'firing',
      receiver: 'ainl',
      groupLabels: { alertname: 'HostOutOfDiskSpace' },
      externalURL: 'http://ui.example',
      truncatedAlerts: 0,
    });
    expect(typeof m.groupKey).toBe('string');
    const fired = m.alerts[0]!;
    expect(fired.labels).toMatchObject({
      alertname: 'HostOutOfDiskSpace',
      severity: 'warning',
      instance: 'test-host',
      env: 'test',
      entity: '/data1',
    });
    expect(fired.annotations).toMatchObject({
      summary: 'Disk almost full',
      description: '/data1 has 4 % free',
      suggested_command: 'du -xh /data | sort -h | tail',
    });
    expect(fired.startsAt).toBe('2026-01-01T12:00:01.000Z');
    expect(fired.endsAt).toBe('0001-01-01T00:00:00Z');
    expect(fired.generatorURL).toMatch(/^http:\/\/ui\.example\//);
    expect(fired.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    // same alertname: one message may carry both (as an Alertmanager group does)
    const resolved = rx.messages.flatMap((x) => x.alerts)[1]!;
    expect(resolved.status).toBe('resolved');
    expect(resolved.endsAt).toBe('2026-01-01T12:01:01.000Z');
    expect(resolved.fingerprint).toBe(fired.fingerprint);
    expect(m.commonLabels).toMatchObject({ alertname: 'HostOutOfDiskSpace' });
    const st = await status(c);
    expect(st.webhook).toMatchObject({ enabled: true, state: 'idle', queued: 0, delivered: 2, dropped: 0 });
  });

  it('loses nothing while the receiver is down for a while, then returns', async () => {
    const port = await freePort();
    const { env } = setup({ url: `http://127.0.0.1:${port}/hook` });
    const c = await start(env);
    const sent: string[] = [];
    for (let i = 0; i < 30; i++) {
      const a = alert(i);
      c.ctx.emit('monitor:alert', { state: 'fired', alert: a });
      sent.push(`/data${i}:firing`);
      if (i % 3 === 0) {
        c.ctx.emit('monitor:alert', {
          state: 'resolved',
          alert: { ...a, state: 'resolved', resolvedAt: a.firedAt + 1000 },
        });
        sent.push(`/data${i}:resolved`);
      }
    }
    await waitFor(async () => (await status(c)).webhook.consecutiveFailures >= 3);
    const down = await status(c);
    expect(down.webhook.state).toBe('retrying');
    expect(down.webhook.queued).toBe(sent.length);
    expect(down.webhook.lastError).toMatch(/ECONNREFUSED/);
    // the receiver comes back, but answers 500 twice first
    const rx = new Receiver(port);
    rx.failNext = 2;
    await rx.start();
    cleanups.push(() => rx.stop());
    await waitFor(async () => (await status(c)).webhook.queued === 0);
    // in order, complete, no duplicates (every attempt either failed whole or was acknowledged)
    expect(rx.received).toEqual(sent);
    const st = await status(c);
    expect(st.webhook).toMatchObject({
      delivered: sent.length,
      dropped: 0,
      consecutiveFailures: 0,
      state: 'idle',
    });
  });

  it('keeps queued alerts on disk across a restart of the service', async () => {
    const port = await freePort();
    const { env } = setup({ url: `http://127.0.0.1:${port}/hook` });
    const c1 = await composeServices('test', [['fleet', createFleetModule]], () => undefined, env);
    for (let i = 0; i < 5; i++) c1.ctx.emit('monitor:alert', { state: 'fired', alert: alert(i) });
    await waitFor(async () => (await status(c1)).webhook.consecutiveFailures >= 1);
    await c1.dispose();
    const rx = new Receiver(port);
    await rx.start();
    cleanups.push(() => rx.stop());
    const c2 = await start(env);
    await waitFor(() => rx.received.length >= 5);
    expect(rx.received).toEqual([0, 1, 2, 3, 4].map((i) => `/data${i}:firing`));
    expect((await status(c2)).webhook.queued).toBe(0);
  });

  it('resolves, after a restart, alerts that were firing and did not fire again', async () => {
    const port = await freePort();
    const rx = new Receiver(port);
    await rx.start();
    cleanups.push(() => rx.stop());
    const { env } = setup({ url: `http://127.0.0.1:${port}/hook`, reconcileAfterS: 1 });
    const c1 = await composeServices('test', [['fleet', createFleetModule]], () => undefined, env);
    c1.ctx.emit('monitor:alert', { state: 'fired', alert: alert(1) });
    c1.ctx.emit('monitor:alert', { state: 'fired', alert: alert(2) });
    await waitFor(() => rx.received.length >= 2);
    // acknowledged, not just received (else the restart sends them again: at-least-once)
    await waitFor(async () => (await status(c1)).webhook.queued === 0);
    await c1.dispose();
    // /data1 recovered while the service was down; /data2 still holds and fires again
    const c2 = await start(env);
    c2.ctx.emit('monitor:alert', { state: 'fired', alert: alert(2) });
    await waitFor(() => rx.received.length >= 4);
    await new Promise((r) => setTimeout(r, 300));
    expect(rx.received).toEqual(['/data1:firing', '/data2:firing', '/data2:firing', '/data1:resolved']);
    const resolved = rx.messages.flatMap((m) => m.alerts).at(-1)!;
    expect(resolved.annotations.resolved_by).toMatch(/restart/);
    expect(resolved.fingerprint).toBe(rx.messages[0]!.alerts[0]!.fingerprint);
  });

  it('drops the oldest (and counts them) when the queue is full', async () => {
    const port = await freePort();
    const { env } = setup({ url: `http://127.0.0.1:${port}/hook`, queue: { maxItems: 10 } });
    const c = await start(env);
    for (let i = 0; i < 15; i++) c.ctx.emit('monitor:alert', { state: 'fired', alert: alert(i) });
    const st = await status(c);
    expect(st.webhook.queued).toBe(10);
    expect(st.webhook.dropped).toBe(5);
    const rx = new Receiver(port);
    await rx.start();
    cleanups.push(() => rx.stop());
    await waitFor(() => rx.received.length >= 10);
    expect(rx.received[0]).toBe('/data5:firing');
  });

  it('counts a receiver refusing an alert for good (HTTP 400) and moves on', async () => {
    const port = await freePort();
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(400).end('bad payload'));
    });
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const { env } = setup({ url: `http://127.0.0.1:${port}/hook` });
    const c = await start(env);
    c.ctx.emit('monitor:alert', { state: 'fired', alert: alert(1) });
    await waitFor(async () => (await status(c)).webhook.rejected === 1);
    const st = await status(c);
    expect(st.webhook.queued).toBe(0);
    expect(st.webhook.lastError).toMatch(/HTTP 400/);
  });

  it('queues a test alert on fleet:testWebhook, and refuses when the webhook is off', async () => {
    const port = await freePort();
    const rx = new Receiver(port);
    await rx.start();
    cleanups.push(() => rx.stop());
    const { env } = setup({ url: `http://127.0.0.1:${port}/hook` });
    const c = await start(env);
    const r = await c.ctx.call('fleet:testWebhook', {});
    expect(r.queued).toBe(2);
    await waitFor(() => rx.received.length >= 2);
    expect(rx.received).toEqual(['AinlWebhookTest:firing', 'AinlWebhookTest:resolved']);

    const off = setup({ enabled: false });
    const c2 = await start(off.env);
    await expect(c2.ctx.call('fleet:testWebhook', {})).rejects.toThrow(/webhook is off/);
  });

  it('turns a healing give-up into a critical alert and its clearing into a resolution', async () => {
    const port = await freePort();
    const rx = new Receiver(port);
    await rx.start();
    cleanups.push(() => rx.stop());
    const { env } = setup({ url: `http://127.0.0.1:${port}/hook` });
    const c = await start(env);
    const base = {
      id: 1,
      ts: Date.now(),
      target: 'nginx.service',
      reason: 'restarted 5 times in 10 min',
      actor: 'engine',
      outcome: 'info' as const,
    };
    c.ctx.emit('healing:event', { ...base, kind: 'gave-up' });
    c.ctx.emit('healing:event', { ...base, id: 2, kind: 'clear', ts: base.ts + 5000 });
    await waitFor(() => rx.received.length >= 2);
    expect(rx.received).toEqual(['AinlHealingGaveUp:firing', 'AinlHealingGaveUp:resolved']);
    expect(rx.messages[0]!.alerts[0]!.labels).toMatchObject({
      severity: 'critical',
      target: 'nginx.service',
    });
  });
});
