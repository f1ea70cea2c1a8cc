/**
 * Log forwarding of Quest Log events through the real Quest Log module to receivers that are
 * down for a while and then return: syslog RFC 5424 over TCP (octet counting) and UDP, and the
 * journald native protocol on a unix datagram socket (a perl listener bound like journald's).
 */
import { homeWithConfig } from '../helpers/home';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, type Server, type Socket } from 'node:net';
import { createSocket } from 'node:dgram';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { composeServices, type ComposedServices } from '../../src/hosts/runtime';
import { createQuestlogModule } from '../../src/services/questlog/module';
import { createFleetModule } from '../../src/services/fleet/module';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function waitFor(cond: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('timed out waiting');
}

async function freeTcpPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function start(logs: Record<string, unknown>): Promise<{ c: ComposedServices; root: string }> {
  const root = mkdtempSync(join(tmpdir(), 'ainl-fleet-logs-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const env = homeWithConfig(root, {
    questlog: { journald: false },
    fleet: { logs: { enabled: true, retry: { minMs: 30, maxMs: 150 }, ...logs } },
  });
  const c = await composeServices(
    'test',
    [
      ['questlog', createQuestlogModule],
      ['fleet', createFleetModule],
    ],
    () => undefined,
    env,
  );
  cleanups.push(() => c.dispose());
  // forwarding starts at the newest row once the cursor exists
  await waitFor(() => existsSync(join(root, 'data', 'ai-native-linux', 'fleet', 'logs', 'cursor.json')));
  return { c, root };
}

const status = (c: ComposedServices) => c.ctx.call('fleet:status', {});

function record(c: ComposedServices, n: number, from = 0): void {
  for (let i = from; i < from + n; i++) {
    c.ctx.events.record({
      type: 'unit.failed',
      source: 'test',
      severity: i % 2 ? 'error' : 'info',
      message: `event ${i} with "quotes" and ]brackets\\`,
      data: { i },
    });
  }
}

/** RFC 6587 octet-counted frames from a byte stream. */
function octetFrames(buf: Buffer): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < buf.length) {
    const sp = buf.indexOf(0x20, i);
    if (sp < 0) break;
    const len = Number(buf.subarray(i, sp).toString());
    if (sp + 1 + len > buf.length) break;
    out.push(buf.subarray(sp + 1, sp + 1 + len).toString());
    i = sp + 1 + len;
  }
  return out;
}

const RFC5424 =
  /^<(\d{1,3})>1 (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (\S+) (\S+) (\d+) (\S+) \[ainl@32473 ([^\]]|\\\])*\] \ufeff(.*)$/s;

describe('fleet log forwarding', () => {
  it('forwards every event over syslog TCP across a receiver outage', async () => {
    const port = await freeTcpPort();
    const { c } = await start({ target: 'syslog', syslog: { transport: 'tcp', port, facility: 'local3' } });
    record(c, 120);
    await waitFor(async () => (await status(c)).logs.consecutiveFailures >= 2);
    const down = await status(c);
    expect(down.logs.state).toBe('retrying');
    expect(down.logs.queued).toBe(120);
    expect(down.logs.lastError).toMatch(/ECONNREFUSED/);

    const chunks: Buffer[] = [];
    const conns = new Set<Socket>();
    const server: Server = createServer((s) => {
      conns.add(s);
      s.on('data', (d: Buffer) => chunks.push(d));
    });
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          for (const s of conns) s.destroy();
          server.close(() => r());
        }),
    );
    record(c, 30, 120);
    await waitFor(() => octetFrames(Buffer.concat(chunks)).length >= 150);
    const frames = octetFrames(Buffer.concat(chunks));
    const ids = frames.map((f) => Number(/ id="(\d+)"/.exec(f)?.[1]));
    expect(new Set(ids).size).toBe(150);
    const m = RFC5424.exec(frames[1]!);
    expect(m, frames[1]).toBeTruthy();
    // local3 (19) * 8 + error (3)
    expect(m![1]).toBe(String(19 * 8 + 3));
    expect(m![4]).toBe('ainl');
    expect(m![6]).toBe('unit.failed');
    expect(frames[1]).toContain('type="unit.failed"');
    // SD-PARAM values escape " \ and ]
    expect(frames[1]).toContain('data="{\\"i\\":1}"');
    expect(m![8]).toBe('event 1 with "quotes" and ]brackets\\');
    await waitFor(async () => (await status(c)).logs.queued === 0);
    expect((await status(c)).logs.delivered).toBe(150);
  });

  it('sends again what a TCP receiver dropped unread when it went away', async () => {
    const port = await freeTcpPort();
    const chunks: Buffer[] = [];
    let connections = 0;
    const conns = new Set<Socket>();
    const server: Server = createServer((s) => {
      conns.add(s);
      const n = ++connections;
      s.on('data', (d: Buffer) => {
        // the first connection "crashes" with the data still unread
        if (n === 1) s.destroy();
        else chunks.push(d);
      });
    });
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
    cleanups.push(
      () =>
        new Promise<void>((r) => {
          for (const s of conns) s.destroy();
          server.close(() => r());
        }),
    );
    const { c } = await start({ target: 'syslog', syslog: { transport: 'tcp', port } });
    record(c, 10);
    await waitFor(() => connections >= 1);
    await new Promise((r) => setTimeout(r, 200));
    record(c, 10, 10);
    await waitFor(
      () => new Set(octetFrames(Buffer.concat(chunks)).map((f) => / id="(\d+)"/.exec(f)?.[1])).size >= 20,
    );
    expect(connections).toBeGreaterThanOrEqual(2);
  });

  it('forwards over UDP and honours minSeverity', async () => {
    const sock = createSocket('udp4');
    const got: string[] = [];
    sock.on('message', (m) => got.push(m.toString()));
    await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
    cleanups.push(() => void sock.close());
    const port = sock.address().port;
    const { c } = await start({ target: 'syslog', minSeverity: 'error', syslog: { transport: 'udp', port } });
    record(c, 40);
    await waitFor(() => got.length >= 20);
    await new Promise((r) => setTimeout(r, 200));
    expect(got.length).toBe(20);
    for (const g of got) expect(g).toMatch(RFC5424);
    for (const g of got) expect(g).toContain('severity="error"');
  });

  it('forwards to the journald native protocol with structured fields, across an outage', async () => {
    // the socket does not exist yet: journald is "down"
    const root = mkdtempSync(join(tmpdir(), 'ainl-fleet-journal-'));
    cleanups.push(() => rmSync(root, { recursive: true, force: true }));
    const sockPath = join(root, 'journal.sock');
    const second = await start({ target: 'journald', journalSocket: sockPath });
    const c2 = second.c;
    record(c2, 50);
    c2.ctx.events.record({
      type: 'kernel.error',
      source: 'test',
      severity: 'critical',
      message: 'line one\nline two',
    });
    // read from the journal: never sent back to it (that would loop through the journal follower)
    c2.ctx.events.record({
      type: 'journal.warning',
      source: 'journald',
      severity: 'warning',
      message: 'from the journal',
    });
    await waitFor(async () => (await status(c2)).logs.consecutiveFailures >= 2);
    expect((await status(c2)).logs.lastError).toMatch(/No such file or directory|Connection refused/);

    // a unix datagram listener like journald's (Node has none: perl, which is Essential on Debian)
    const listener: ChildProcess = spawn(
      'perl',
      [
        '-e',
        `use Socket; use IO::Handle; my $p = shift; socket(my $s, AF_UNIX, SOCK_DGRAM, 0) or die; unlink $p;
         bind($s, sockaddr_un($p)) or die "bind: $!"; STDOUT->autoflush(1); binmode STDOUT; print "ready\\n";
         while (defined recv($s, my $b, 1048576, 0)) { print pack('N', length $b), $b; }`,
        sockPath,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    cleanups.push(() => void listener.kill());
    let out = Buffer.alloc(0);
    listener.stdout!.on('data', (d: Buffer) => (out = Buffer.concat([out, d])));
    const datagrams = (): Buffer[] => {
      const body = out.subarray(out.indexOf('\n') + 1);
      const r: Buffer[] = [];
      let i = 0;
      while (i + 4 <= body.length) {
        const len = body.readUInt32BE(i);
        if (i + 4 + len > body.length) break;
        r.push(body.subarray(i + 4, i + 4 + len));
        i += 4 + len;
      }
      return r;
    };
    await waitFor(() => datagrams().length >= 51);
    await waitFor(async () => (await status(c2)).logs.queued === 0);
    const all = datagrams();
    expect(all.length).toBe(51);
    /** journald's native format: KEY=value\n, or KEY\n<u64 le length><bytes>\n */
    const parse = (b: Buffer): Record<string, string> => {
      const f: Record<string, string> = {};
      let i = 0;
      while (i < b.length) {
        const nl = b.indexOf(0x0a, i);
        const line = b.subarray(i, nl).toString();
        const eq = line.indexOf('=');
        if (eq >= 0) {
          f[line.slice(0, eq)] = line.slice(eq + 1);
          i = nl + 1;
        } else {
          const len = Number(b.readBigUInt64LE(nl + 1));
          f[line] = b.subarray(nl + 9, nl + 9 + len).toString();
          expect(b[nl + 9 + len]).toBe(0x0a);
          i = nl + 10 + len;
        }
      }
      return f;
    };
    const entries = all.map(parse);
    const ids = new Set(entries.map((e) => e.AINL_ID));
    expect(ids.size).toBe(51);
    const multi = entries.find((e) => e.AINL_TYPE === 'kernel.error')!;
    expect(multi).toMatchObject({
      MESSAGE: 'line one\nline two',
      PRIORITY: '2',
      SYSLOG_IDENTIFIER: 'ainl',
      AINL_SOURCE: 'test',
      AINL_KIND: 'event',
    });
    const first = entries.find((e) => e.MESSAGE?.startsWith('event 0 '))!;
    expect(first).toMatchObject({ PRIORITY: '6', AINL_TYPE: 'unit.failed', AINL_DATA: '{"i":0}' });
    for (const e of entries) for (const k of Object.keys(e)) expect(k).toMatch(/^[A-Z0-9][A-Z0-9_]*$/);
    await waitFor(async () => (await status(c2)).logs.queued === 0);
  });
});
