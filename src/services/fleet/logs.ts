/**
 * Log forwarding of Quest Log events (and, if opted in, commands as stored, i.e. redacted) to
 * journald's native protocol (structured fields) or to syslog (RFC 5424 over UDP, TCP with RFC 6587
 * framing, or a unix datagram socket).
 *
 * Node has no unix datagram sockets, so datagrams to journald and /dev/log go through one small
 * long-lived perl process (perl-base is Essential on Debian and Ubuntu) that reads length-prefixed
 * frames on stdin, sends each with send(2) and answers "ok" or "err <reason>" per frame. Unix
 * datagram sends block while the receiver's queue is full, so nothing is dropped on the way.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { hostname } from 'node:os';
import type { FleetLogsConfig } from '../../shared/config/fleet';
import type { QuestCommand, QuestEvent } from '../../shared/contract/questlog';

/** What the forwarder queues: one Quest Log event or command, flattened. */
export interface LogRecord {
  kind: 'event' | 'command';
  id: number;
  ts: number;
  severity: 'debug' | 'info' | 'warning' | 'error' | 'critical';
  message: string;
  /** extra fields (journald: AINL_<KEY>; syslog: SD-PARAMs) */
  fields: Record<string, string>;
}

const PRIORITY: Record<LogRecord['severity'], number> = {
  debug: 7,
  info: 6,
  warning: 4,
  error: 3,
  critical: 2,
};
const SEVERITY_RANK: Record<LogRecord['severity'], number> = {
  debug: 0,
  info: 1,
  warning: 2,
  error: 3,
  critical: 4,
};
const FACILITY: Record<string, number> = {
  kern: 0,
  user: 1,
  mail: 2,
  daemon: 3,
  auth: 4,
  syslog: 5,
  lpr: 6,
  news: 7,
  uucp: 8,
  cron: 9,
  authpriv: 10,
  ftp: 11,
  local0: 16,
  local1: 17,
  local2: 18,
  local3: 19,
  local4: 20,
  local5: 21,
  local6: 22,
  local7: 23,
};
/** Longest field value sent (journald refuses oversized datagrams; syslog relays cut long lines). */
const MAX_FIELD = 48 * 1024;

export function atLeast(sev: LogRecord['severity'], min: LogRecord['severity']): boolean {
  return SEVERITY_RANK[sev] >= SEVERITY_RANK[min];
}

export function fromEvent(e: QuestEvent): LogRecord {
  const fields: Record<string, string> = { type: e.type, source: e.source };
  if (e.unit) fields.unit = e.unit;
  if (e.data) fields.data = JSON.stringify(e.data);
  return { kind: 'event', id: e.id, ts: e.ts, severity: e.severity, message: e.message, fields };
}

export function fromCommand(c: QuestCommand): LogRecord {
  const fields: Record<string, string> = {
    type: 'command',
    source: 'shell',
    command: c.command,
    cwd: c.cwd,
    exit: String(c.exit),
    duration_ms: String(c.duration),
    user: c.user,
    host: c.host,
    tty: c.tty,
    session: c.session,
    shell: c.shell,
  };
  if (c.redacted) fields.redacted = c.redacted;
  const severity = c.exit > 0 ? 'warning' : 'info';
  const message = `${c.user}@${c.host} ${c.cwd}$ ${c.command}${c.exit > 0 ? ` (exit ${c.exit})` : ''}`;
  return { kind: 'command', id: c.id, ts: c.ts, severity, message, fields };
}

function cut(s: string): string {
  return s.length > MAX_FIELD ? `${s.slice(0, MAX_FIELD)}…` : s;
}

/** One record in journald's native protocol: KEY=value lines, binary-safe form for multi-line values. */
export function encodeJournal(r: LogRecord, identifier: string): Buffer {
  const parts: Buffer[] = [];
  const field = (key: string, value: string): void => {
    const v = cut(value);
    if (!v.includes('\n')) {
      parts.push(Buffer.from(`${key}=${v}\n`));
      return;
    }
    const data = Buffer.from(v);
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(data.length));
    parts.push(Buffer.from(`${key}\n`), len, data, Buffer.from('\n'));
  };
  field('MESSAGE', r.message);
  field('PRIORITY', String(PRIORITY[r.severity]));
  field('SYSLOG_IDENTIFIER', identifier);
  field('AINL_KIND', r.kind);
  field('AINL_ID', String(r.id));
  field('AINL_SEVERITY', r.severity);
  field('AINL_TIMESTAMP', new Date(r.ts).toISOString());
  for (const [k, v] of Object.entries(r.fields)) {
    const key = `AINL_${k.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`.slice(0, 64);
    field(key, v);
  }
  return Buffer.concat(parts);
}

function sdEscape(v: string): string {
  return v.replace(/[\\"\]]/g, (c) => `\\${c}`);
}

function printableAscii(s: string, max: number): string {
  const r = s.replace(/[^!-~]/g, '_').slice(0, max);
  return r || '-';
}

/** One RFC 5424 message: <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [ainl@32473 …] BOM MSG */
export function encodeSyslog(r: LogRecord, cfg: FleetLogsConfig, host = hostname()): Buffer {
  const pri = (FACILITY[cfg.syslog.facility] ?? 1) * 8 + (PRIORITY[r.severity] ?? 6);
  const msgid = printableAscii(r.kind === 'command' ? 'command' : (r.fields.type ?? 'event'), 32);
  const params = [`kind="${r.kind}"`, `id="${r.id}"`, `severity="${r.severity}"`];
  for (const [k, v] of Object.entries(r.fields)) {
    const name = k.replace(/[^!-~]|[=\]" ]/g, '_').slice(0, 32);
    params.push(`${name}="${sdEscape(cut(v))}"`);
  }
  const head = `<${pri}>1 ${new Date(r.ts).toISOString()} ${printableAscii(host, 255)} ${printableAscii(cfg.identifier, 48)} ${process.pid} ${msgid} [ainl@32473 ${params.join(' ')}] `;
  return Buffer.concat([Buffer.from(head), Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(cut(r.message))]);
}

/** A transport sends a batch in order and resolves once every message was handed over. */
export interface LogTransport {
  readonly target: string;
  send(messages: Buffer[]): Promise<void>;
  close(): void;
}

const PERL_SENDER = String.raw`
use strict; use warnings; use Socket; use IO::Handle;
my $path = shift @ARGV;
socket(my $s, AF_UNIX, SOCK_DGRAM, 0) or die "socket: $!\n";
my $addr = sockaddr_un($path);
binmode STDIN; STDOUT->autoflush(1);
while (1) {
  my $hdr = ''; while (length($hdr) < 4) { my $r = sysread(STDIN, $hdr, 4 - length($hdr), length($hdr)); exit 0 unless $r; }
  my $len = unpack('N', $hdr); my $buf = '';
  while (length($buf) < $len) { my $r = sysread(STDIN, $buf, $len - length($buf), length($buf)); exit 0 unless $r; }
  if (defined send($s, $buf, 0, $addr)) { print "ok\n"; } else { my $e = "$!"; $e =~ s/\n/ /g; print "err $e\n"; }
}
`;

/** Unix datagram socket (journald native socket, /dev/log) through the perl sender. */
export class UnixDatagramTransport implements LogTransport {
  private child: ChildProcessWithoutNullStreams | null = null;
  private waiters: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  private buffered = '';

  constructor(readonly path: string) {}

  get target(): string {
    return `unix-dgram:${this.path}`;
  }

  private ensure(): ChildProcessWithoutNullStreams {
    if (this.child && this.child.exitCode === null && !this.child.killed) return this.child;
    const child = spawn('perl', ['-e', PERL_SENDER, this.path], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (s: string) => (stderr = (stderr + s).slice(-500)));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (s: string) => {
      this.buffered += s;
      let i: number;
      while ((i = this.buffered.indexOf('\n')) >= 0) {
        const line = this.buffered.slice(0, i);
        this.buffered = this.buffered.slice(i + 1);
        const w = this.waiters.shift();
        if (!w) continue;
        if (line === 'ok') w.resolve();
        else w.reject(new Error(`${this.path}: ${line.replace(/^err /, '')}`));
      }
    });
    const failAll = (why: string): void => {
      const ws = this.waiters;
      this.waiters = [];
      this.buffered = '';
      for (const w of ws) w.reject(new Error(why));
      if (this.child === child) this.child = null;
    };
    child.on('error', (err) => failAll(`cannot run perl for unix datagrams: ${err.message}`));
    child.on('exit', (code, signal) =>
      failAll(`the datagram sender exited (${signal ?? code}) ${stderr.trim()}`.trim()),
    );
    child.stdin.on('error', () => undefined);
    this.child = child;
    return child;
  }

  async send(messages: Buffer[]): Promise<void> {
    if (!messages.length) return;
    const child = this.ensure();
    const frames: Buffer[] = [];
    const done: Array<Promise<void>> = [];
    for (const m of messages) {
      const len = Buffer.alloc(4);
      len.writeUInt32BE(m.length);
      frames.push(len, m);
      done.push(new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject })));
    }
    child.stdin.write(Buffer.concat(frames));
    // every frame answers in order; the first failure fails the batch (it is retried whole)
    const results = await Promise.allSettled(done);
    const failed = results.find((r) => r.status === 'rejected');
    if (failed && failed.status === 'rejected') throw failed.reason as Error;
  }

  close(): void {
    this.child?.stdin.end();
    this.child?.kill();
    this.child = null;
  }
}

export class UdpTransport implements LogTransport {
  private sock: UdpSocket | null = null;
  constructor(
    private readonly host: string,
    private readonly port: number,
  ) {}

  get target(): string {
    return `udp://${this.host}:${this.port}`;
  }

  async send(messages: Buffer[]): Promise<void> {
    if (!this.sock) {
      this.sock = createSocket(this.host.includes(':') ? 'udp6' : 'udp4');
      this.sock.on('error', () => this.close());
      this.sock.unref();
    }
    const sock = this.sock;
    await Promise.all(
      messages.map(
        (m) =>
          new Promise<void>((resolve, reject) =>
            sock.send(m, this.port, this.host, (err) => (err ? reject(err) : resolve())),
          ),
      ),
    );
  }

  close(): void {
    try {
      this.sock?.close();
    } catch {
      /* closed */
    }
    this.sock = null;
  }
}

/** Syslog over TCP with RFC 6587 octet-counting (or LF) framing; reconnects on the next send. */
/** Frames written this recently before a connection broke are sent again on the next one. */
const TCP_RESEND_WINDOW_MS = 2000;

/**
 * Syslog over TCP has no acknowledgement: what a receiver had not read when it went away is lost
 * on its side. So the frames written in the last TCP_RESEND_WINDOW_MS before a connection breaks
 * are written again first on the next connection (at-least-once: the receiver may see them twice).
 */
export class TcpTransport implements LogTransport {
  private sock: Socket | null = null;
  private broken: Error | null = null;
  private recent: Array<{ at: number; data: Buffer }> = [];
  private resend: Buffer[] = [];

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly framing: 'octet-counting' | 'lf',
    private readonly timeoutMs = 10_000,
  ) {}

  get target(): string {
    return `tcp://${this.host}:${this.port}`;
  }

  private connect(): Promise<Socket> {
    if (this.sock && !this.broken && !this.sock.destroyed) return Promise.resolve(this.sock);
    this.close();
    return new Promise<Socket>((resolve, reject) => {
      const sock = connect({ host: this.host, port: this.port });
      sock.setNoDelay(true);
      const t = setTimeout(
        () => sock.destroy(new Error(`connect to ${this.target} timed out`)),
        this.timeoutMs,
      );
      sock.once('connect', () => {
        clearTimeout(t);
        this.sock = sock;
        this.broken = null;
        const lost = (): void => {
          if (this.sock !== sock) return;
          const since = Date.now() - TCP_RESEND_WINDOW_MS;
          this.resend.push(...this.recent.filter((r) => r.at >= since).map((r) => r.data));
          this.recent = [];
        };
        sock.on('error', (err) => {
          this.broken = err;
          lost();
        });
        sock.on('close', () => {
          this.broken ??= new Error(`${this.target} closed the connection`);
          lost();
        });
        // a syslog receiver never answers; reading keeps the socket from filling up if one does
        sock.on('data', () => undefined);
        resolve(sock);
      });
      sock.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(t);
        reject(new Error(`${err.code ?? err.message} ${this.target}`));
      });
    });
  }

  async send(messages: Buffer[]): Promise<void> {
    const sock = await this.connect();
    const frames = messages.map((m) =>
      this.framing === 'lf'
        ? Buffer.concat([m, Buffer.from('\n')])
        : Buffer.concat([Buffer.from(`${m.length} `), m]),
    );
    const data = Buffer.concat([...this.resend, ...frames]);
    await new Promise<void>((resolve, reject) => {
      sock.write(data, (err) => (err ? reject(err) : resolve()));
    });
    if (this.broken) {
      const err = this.broken;
      this.close();
      throw err;
    }
    this.resend = [];
    const now = Date.now();
    this.recent = this.recent.filter((r) => r.at >= now - TCP_RESEND_WINDOW_MS);
    this.recent.push({ at: now, data: Buffer.concat(frames) });
  }

  close(): void {
    const s = this.sock;
    this.sock = null;
    this.broken = null;
    s?.destroy();
  }
}

export function createTransport(cfg: FleetLogsConfig): LogTransport {
  if (cfg.target === 'journald') return new UnixDatagramTransport(cfg.journalSocket);
  const s = cfg.syslog;
  if (s.transport === 'unix') return new UnixDatagramTransport(s.socketPath);
  if (s.transport === 'tcp') return new TcpTransport(s.host, s.port, s.framing);
  return new UdpTransport(s.host, s.port);
}

export function encoderFor(cfg: FleetLogsConfig): (r: LogRecord) => Buffer {
  if (cfg.target === 'journald') return (r) => encodeJournal(r, cfg.identifier);
  const host = hostname();
  return (r) => encodeSyslog(r, cfg, host);
}
