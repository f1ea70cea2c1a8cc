import { describe, expect, it } from 'vitest';
import { Exposition, escapeLabelValue } from './exposition';
import { encodeJournal, encodeSyslog, fromCommand, type LogRecord } from './logs';
import { fingerprint } from './webhook';
import { fleetConfig } from '../../shared/config/fleet';

describe('Exposition', () => {
  it('escapes label values and help text, and writes a family once', () => {
    const x = new Exposition();
    const f = x.family('a_total', 'counter', 'help with \\ and\nnewline');
    f(1, { path: 'C:\\x "q"\nz' });
    x.family('a_total', 'counter', 'ignored')(2, { path: 'other' });
    f(3, { path: 'other' }); // same label set: first value wins
    expect(x.render()).toBe(
      '# HELP a_total help with \\\\ and\\nnewline\n# TYPE a_total counter\na_total{path="C:\\\\x \\"q\\"\\nz"} 1\na_total{path="other"} 2\n',
    );
    expect(escapeLabelValue('plain')).toBe('plain');
  });

  it('writes NaN and infinities as Prometheus spells them, and refuses bad names', () => {
    const x = new Exposition();
    x.family('g', 'gauge', 'g')(NaN, { a: '1' });
    x.family('g', 'gauge', 'g')(Infinity, { a: '2' });
    x.family('g', 'gauge', 'g')(-Infinity, { a: '3' });
    expect(x.render()).toContain('g{a="1"} NaN\ng{a="2"} +Inf\ng{a="3"} -Inf');
    expect(() => x.family('1bad', 'gauge', 'x')).toThrow(/invalid metric name/);
  });
});

const rec: LogRecord = {
  kind: 'event',
  id: 7,
  ts: Date.UTC(2026, 0, 2, 3, 4, 5, 6),
  severity: 'error',
  message: 'two\nlines',
  fields: { type: 'unit.failed', source: 'journald', unit: 'x.service' },
};

describe('journald native encoding', () => {
  it('uses KEY=value lines, and the length-prefixed form for multi-line values', () => {
    const b = encodeJournal(rec, 'ainl');
    const s = b.toString('latin1');
    expect(s.startsWith('MESSAGE\n')).toBe(true);
    expect(b.readBigUInt64LE(8)).toBe(9n);
    expect(b.subarray(16, 25).toString()).toBe('two\nlines');
    expect(s).toContain('\nPRIORITY=3\n');
    expect(s).toContain('\nSYSLOG_IDENTIFIER=ainl\n');
    expect(s).toContain('\nAINL_UNIT=x.service\n');
    expect(s).toContain('\nAINL_TIMESTAMP=2026-01-02T03:04:05.006Z\n');
  });
});

describe('RFC 5424 encoding', () => {
  it('writes PRI, version, timestamp, host, app, procid, msgid, structured data and a BOM', () => {
    const cfg = fleetConfig.parse({ logs: { syslog: { facility: 'local0' } } }).logs;
    const s = encodeSyslog(rec, cfg, 'host1').toString();
    expect(s).toBe(
      `<131>1 2026-01-02T03:04:05.006Z host1 ainl ${process.pid} unit.failed [ainl@32473 kind="event" id="7" severity="error" type="unit.failed" source="journald" unit="x.service"] \ufefftwo\nlines`,
    );
  });
});

describe('commands', () => {
  it('forwards the stored (already redacted) text with its context', () => {
    const r = fromCommand({
      id: 3,
      ts: 1,
      duration: 5,
      exit: 2,
      command: 'curl -H "Authorization: [REDACTED:token]"',
      cwd: '/srv',
      user: 'ann',
      host: 'h',
      tty: 'pts/1',
      session: 's',
      shell: 'bash',
      redacted: 'token',
    });
    expect(r).toMatchObject({ kind: 'command', severity: 'warning' });
    expect(r.fields).toMatchObject({
      command: 'curl -H "Authorization: [REDACTED:token]"',
      exit: '2',
      redacted: 'token',
    });
  });
});

describe('fingerprint', () => {
  it('is 16 hex digits and independent of label order', () => {
    const a = fingerprint({ alertname: 'X', instance: 'h' });
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(fingerprint({ instance: 'h', alertname: 'X' })).toBe(a);
    expect(fingerprint({ instance: 'h', alertname: 'Y' })).not.toBe(a);
  });
});

describe('fleet config', () => {
  it('is all off by default and refuses bad values with a clear message', () => {
    const c = fleetConfig.parse({});
    expect([c.metrics.enabled, c.webhook.enabled, c.logs.enabled]).toEqual([false, false, false]);
    expect(c.metrics.listen).toBe('127.0.0.1');
    const bad = fleetConfig.safeParse({
      webhook: { url: 'ftp://x' },
      metrics: { tlsCertFile: 'relative.pem' },
    });
    expect(bad.success).toBe(false);
    expect(JSON.stringify(bad.error?.issues.map((i) => i.path.join('.')))).toContain('metrics.tlsCertFile');
  });
});
