import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ingestSpools, parseRecord, parseRecordAt, parseTime } from './spool';
import { QuestlogStore } from './store';

let dir: string;
let spool: string;
let store: QuestlogStore;
const US = '\x1f';
const RS = '\x1e';
const header = (pid = 4242): string =>
  ['H', 'bash', 'sess1', 'alice', 'myhost', '/dev/pts/3', String(pid)].join(US) + RS;
const hrec = (
  n: number,
  cmd: string,
  exit = 0,
  t0 = 1_768_478_400_000_000,
  t1 = t0 + 1500,
  cwd = '/home/alice',
): string =>
  ['h', String(exit), String(t0), String(t1), cwd, `${String(n).padStart(5)}  ${cmd}\n`].join(US) + RS;
const crec = (cmd: string, exit = 0): string =>
  ['c', String(exit), '1768478400.1234567890', '1768478401.5', '/tmp', cmd].join(US) + RS;
const alive = { isAlive: () => true };
const dead = { isAlive: () => false };

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ql-spool-'));
  spool = join(dir, 'spool');
  mkdirSync(spool);
  store = QuestlogStore.open(join(dir, 'q.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('spool records', () => {
  it('parses bash (µs) and zsh (fractional seconds) times', () => {
    expect(parseTime('1768478400123456')).toBeCloseTo(1768478400123.456, 3);
    expect(parseTime('1768478400.5')).toBe(1768478400500);
    expect(parseTime('1768478400,25')).toBe(1768478400250);
    expect(parseTime('')).toBeNull();
  });

  it('parses a history record and keeps multi-line text', () => {
    const r = parseRecord(Buffer.from(hrec(7, 'for i in 1 2; do\necho $i\ndone', 3).slice(0, -1)));
    expect(r).toMatchObject({
      kind: 'h',
      exit: 3,
      hist: 7,
      text: 'for i in 1 2; do\necho $i\ndone',
      cwd: '/home/alice',
    });
    expect(parseRecord(Buffer.from('garbage'))).toBeNull();
    expect(parseRecord(Buffer.from(['x', '0', '1', '2', '/', 'ls'].join(US)))).toBeNull();
  });

  it('parses every field shape the hooks write, byte by byte, inside a larger buffer', () => {
    const rec = (...f: Array<string | Buffer>): Buffer =>
      Buffer.concat(f.flatMap((x, i) => [i ? Buffer.from(US) : Buffer.alloc(0), Buffer.from(x)]));
    const p = (...f: Array<string | Buffer>) => parseRecord(rec(...f));
    // bash: µs times, `history 1` text with a modified-entry '*', one trailing newline removed
    expect(p('h', '0', '1768478400123456', '1768478401123456', '/d', '  12* ls -l\n\n')).toEqual({
      kind: 'h',
      exit: 0,
      start: 1768478400123.456,
      end: 1768478401123.456,
      cwd: '/d',
      text: 'ls -l\n',
      hist: 12,
    });
    // zsh: fractional seconds; kind c keeps its text as is
    expect(p('c', '127', '1768478400.25', '1768478400,75', '', 'echo x\n')).toEqual({
      kind: 'c',
      exit: 127,
      start: 1768478400250,
      end: 1768478400750,
      cwd: '',
      text: 'echo x\n',
      hist: null,
    });
    // odd values: unknown exit, empty or bad times, an empty command, a US inside the text
    expect(p('c', '1000', '', 'abc', '/', `a${US}b`)).toMatchObject({
      exit: -1,
      start: null,
      end: null,
      text: `a${US}b`,
    });
    expect(p('c', '', '1', '2', '/', '')).toMatchObject({ exit: -1, text: '' });
    // history text without the number, without the two separators, or with a letter: not a record
    expect(p('h', '0', '1', '2', '/', 'ls')).toBeNull();
    expect(p('h', '0', '1', '2', '/', '12')).toBeNull();
    expect(p('h', '0', '1', '2', '/', '12 ')).toBeNull();
    expect(p('h', '0', '1', '2', '/', '12x ls')).toBeNull();
    expect(p('h', '0', '1', '2', '/', '12  ')).toMatchObject({ hist: 12, text: '' });
    expect(p('hh', '0', '1', '2', '/', 'x')).toBeNull();
    expect(p('c', '0', '1', '2')).toBeNull();
    // invalid UTF-8 becomes U+FFFD; multi-byte text and directories survive
    expect(
      p('c', '0', '1', '2', Buffer.from([0x2f, 0xc3, 0xa9]), Buffer.from([0x65, 0xff, 0xe2, 0x82, 0xac])),
    ).toMatchObject({ cwd: '/é', text: 'e\ufffd€' });
    // a record in the middle of a buffer is read within its bounds
    const a = rec('c', '1', '1', '2', '/a', 'first');
    const b = rec('c', '2', '1', '2', '/b', 'second');
    const buf = Buffer.concat([a, Buffer.from(RS), b, Buffer.from(RS)]);
    expect(parseRecordAt(buf, a.length + 1, buf.length - 1)).toMatchObject({
      exit: 2,
      cwd: '/b',
      text: 'second',
    });
    expect(parseRecordAt(buf, 0, a.length)).toMatchObject({ exit: 1, cwd: '/a', text: 'first' });
  });
});

describe('ingestSpools', () => {
  it('ingests each record exactly once across repeated runs and appends', () => {
    const f = join(spool, 'bash-4242-sess1.spool');
    writeFileSync(f, header() + hrec(1, 'ls') + hrec(2, 'false', 1));
    expect(ingestSpools(store, spool, alive).commands).toBe(2);
    expect(ingestSpools(store, spool, alive).commands).toBe(0);
    appendFileSync(f, hrec(3, 'make'));
    expect(ingestSpools(store, spool, alive).commands).toBe(1);
    const rows = store.search({ order: 'oldest' }).items;
    expect(
      rows.map((c) => [c.command, c.exit, c.duration, c.user, c.host, c.tty, c.session, c.shell]),
    ).toEqual([
      ['ls', 0, 2, 'alice', 'myhost', '/dev/pts/3', 'sess1', 'bash'],
      ['false', 1, 2, 'alice', 'myhost', '/dev/pts/3', 'sess1', 'bash'],
      ['make', 0, 2, 'alice', 'myhost', '/dev/pts/3', 'sess1', 'bash'],
    ]);
  });

  it('drops lines bash kept out of history (same number) and leading-space commands', () => {
    const f = join(spool, 'bash-1-s.spool');
    writeFileSync(f, header() + hrec(5, 'ls') + hrec(5, 'ls') + hrec(6, ' secret-thing') + hrec(7, 'pwd'));
    const r = ingestSpools(store, spool, alive);
    expect(r.commands).toBe(2);
    expect(r.skipped).toBe(2);
    expect(store.search({}).items.map((c) => c.command)).toEqual(['pwd', 'ls']);
  });

  it('waits for a truncated last record while the shell lives, drops it once the shell is gone', () => {
    const f = join(spool, 'zsh-99-s.spool');
    const partial = crec('echo complete-me').slice(0, 20);
    writeFileSync(f, header(99) + crec('echo one') + partial);
    expect(ingestSpools(store, spool, alive).commands).toBe(1);
    expect(existsSync(f)).toBe(true);
    const r = ingestSpools(store, spool, dead);
    expect(r.commands).toBe(0);
    expect(r.corrupt).toBe(1);
    expect(r.problems.join()).toMatch(/incomplete last record/);
    expect(existsSync(f)).toBe(false);
    expect(store.offsetFiles()).toEqual([]);
    expect(store.search({}).total).toBe(1);
  });

  it('completes a record written in two parts', () => {
    const f = join(spool, 'zsh-99-s.spool');
    const rec = crec('echo split');
    writeFileSync(f, header(99) + rec.slice(0, 15));
    expect(ingestSpools(store, spool, alive).commands).toBe(0);
    appendFileSync(f, rec.slice(15));
    expect(ingestSpools(store, spool, alive).commands).toBe(1);
    expect(store.search({}).items[0]?.command).toBe('echo split');
  });

  it('survives invalid UTF-8, garbage records and a 1 MB command line', () => {
    const f = join(spool, 'zsh-98-s.spool');
    const big = 'x'.repeat(1024 * 1024);
    writeFileSync(
      f,
      Buffer.concat([
        Buffer.from(header(98)),
        Buffer.from(['c', '0', '1768478400.1', '1768478400.2', '/tmp', 'echo '].join(US)),
        Buffer.from([0xff, 0xfe, 0xc3]),
        Buffer.from(RS + 'total garbage' + RS + crec(big) + crec('echo after')),
      ]),
    );
    const r = ingestSpools(store, spool, alive);
    expect(r.commands).toBe(3);
    expect(r.corrupt).toBe(1);
    const items = store.search({ order: 'oldest' }).items;
    expect(items[0]?.command).toBe('echo \uFFFD\uFFFD\uFFFD');
    expect(items[1]?.command.length).toBeLessThan(70_000);
    expect(items[1]?.command).toMatch(/truncated/);
    expect(items[2]?.command).toBe('echo after');
  });

  it('drops records while incognito but advances past them', () => {
    const f = join(spool, 'zsh-97-s.spool');
    writeFileSync(f, header(97) + crec('echo private'));
    expect(ingestSpools(store, spool, { ...alive, incognito: true }).commands).toBe(0);
    appendFileSync(f, crec('echo public'));
    expect(ingestSpools(store, spool, alive).commands).toBe(1);
    expect(store.search({}).items.map((c) => c.command)).toEqual(['echo public']);
  });

  it('keeps the records a shell wrote just before exiting, after the read and before the liveness check', () => {
    const f = join(spool, 'bash-7-s.spool');
    writeFileSync(f, header(7) + hrec(1, 'cd /tmp') + hrec(2, 'uname -r'));
    // the shell runs three more commands and exits while the reader is between its read and the
    // liveness check
    const lastWords = {
      isAlive: (): boolean => {
        appendFileSync(f, hrec(3, 'cat /etc/hostname') + hrec(4, 'false', 1) + hrec(5, 'printf done'));
        return false;
      },
    };
    const r = ingestSpools(store, spool, lastWords);
    expect(r.commands).toBe(5);
    expect(r.corrupt).toBe(0);
    expect(r.problems).toEqual([]);
    expect(store.search({}).total).toBe(5);
    expect(existsSync(f)).toBe(false);
  });

  it('removes the spool of a finished shell after reading it', () => {
    const f = join(spool, 'bash-1-s.spool');
    writeFileSync(f, header(1) + hrec(1, 'ls'));
    const r = ingestSpools(store, spool, dead);
    expect(r).toMatchObject({ commands: 1, removed: 1 });
    expect(existsSync(f)).toBe(false);
  });
});
