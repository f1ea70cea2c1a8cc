import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { detectFormat, importHistory, parseBash, parseFish, parseZsh } from './importer';
import { QuestlogStore } from './store';

let dir: string;
let store: QuestlogStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ql-imp-'));
  store = QuestlogStore.open(join(dir, 'q.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('parsers', () => {
  it('bash with HISTTIMEFORMAT timestamps and plain lines', () => {
    const r = parseBash(Buffer.from('#1700000000\nls\n#1700000010\ngit status\nuntimed\n'));
    expect(r.entries).toEqual([
      { command: 'ls', ts: 1700000000000 },
      { command: 'git status', ts: 1700000010000 },
      { command: 'untimed', ts: null },
    ]);
    expect(parseBash(Buffer.from('a\nb\n')).entries.map((e) => e.ts)).toEqual([null, null]);
  });

  it('zsh extended (durations, continuation lines, metafied bytes) and plain', () => {
    const meta = Buffer.concat([
      Buffer.from(': 1700000002:0;echo '),
      Buffer.from([0xc3, 0x83, 0xa9 ^ 0x20]),
      Buffer.from('\n'),
    ]);
    const buf = Buffer.concat([
      Buffer.from(': 1700000000:3;make\n: 1700000001:0;for i in 1; do\\\necho $i\\\ndone\n'),
      meta,
    ]);
    const r = parseZsh(buf);
    expect(r.entries).toEqual([
      { command: 'make', ts: 1700000000000, duration: 3000 },
      { command: 'for i in 1; do\necho $i\ndone', ts: 1700000001000, duration: 0 },
      { command: 'echo é', ts: 1700000002000, duration: 0 },
    ]);
    expect(parseZsh(Buffer.from('ls\npwd\n')).entries.map((e) => e.command)).toEqual(['ls', 'pwd']);
  });

  it('fish with escapes and a corrupt when: line', () => {
    const r = parseFish(
      Buffer.from('- cmd: echo a\\nb\n  when: 1700000000\n- cmd: ls\n  when: soon\n  paths:\n    - /tmp\n'),
    );
    expect(r.entries).toEqual([
      { command: 'echo a\nb', ts: 1700000000000 },
      { command: 'ls', ts: 1700000000000 },
    ]);
    expect(r.warnings.join()).toMatch(/bad "when:"/);
  });

  it('detects the format', () => {
    expect(detectFormat(Buffer.from('- cmd: ls\n'))).toBe('fish');
    expect(detectFormat(Buffer.from(': 1700000000:0;ls\n'))).toBe('zsh');
    expect(detectFormat(Buffer.from('ls\n'))).toBe('bash');
  });
});

describe('importHistory', () => {
  it('keeps order, back-fills untimed entries, and is idempotent', () => {
    const f = join(dir, 'bash_history');
    writeFileSync(f, 'first\nsecond\n#1700000000\nthird\nfourth\n');
    utimesSync(f, 1700000100, 1700000100);
    const r1 = importHistory(store, { file: f, format: 'bash' });
    expect(r1).toMatchObject({ entries: 4, imported: 4, skipped: 0 });
    const rows = store.search({ order: 'oldest' }).items;
    expect(rows.map((c) => c.command)).toEqual(['first', 'second', 'third', 'fourth']);
    expect(rows.map((c) => c.ts)).toEqual([1699999999998, 1699999999999, 1700000000000, 1700000099999]);
    expect(rows.every((c) => c.exit === -1 && c.session.startsWith('import:bash:'))).toBe(true);
    const r2 = importHistory(store, { file: f, format: 'bash' });
    expect(r2).toMatchObject({ imported: 0, skipped: 4 });
    expect(store.search({ shell: 'import' }).total).toBe(4);
    // the shell appends (and the modification time changes): only the new entries come in
    writeFileSync(f, 'first\nsecond\n#1700000000\nthird\nfourth\nfifth\n');
    const r3 = importHistory(store, { file: f, format: 'bash' });
    expect(r3).toMatchObject({ entries: 5, imported: 1, skipped: 4 });
    expect(store.search({ shell: 'import', order: 'oldest' }).items.map((c) => c.command)).toEqual([
      'first',
      'second',
      'third',
      'fourth',
      'fifth',
    ]);
  });

  it('rejects binary files, missing files and directories with clear messages', () => {
    const bin = join(dir, 'bin');
    writeFileSync(bin, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1, 2, 3]));
    expect(() => importHistory(store, { file: bin })).toThrow(/looks binary/);
    expect(() => importHistory(store, { file: join(dir, 'nope') })).toThrow(/no such file/);
    expect(() => importHistory(store, { file: dir })).toThrow(/not a regular file/);
  });

  it('replaces invalid UTF-8, cuts 1 MB lines, and reports both', () => {
    const f = join(dir, 'h');
    writeFileSync(
      f,
      Buffer.concat([
        Buffer.from('echo '),
        Buffer.from([0xff, 0xfe]),
        Buffer.from('\n' + 'y'.repeat(1 << 20) + '\nls\n'),
      ]),
    );
    const r = importHistory(store, { file: f, format: 'bash' });
    expect(r.imported).toBe(3);
    expect(r.warnings.join('\n')).toMatch(/invalid UTF-8/);
    expect(r.warnings.join('\n')).toMatch(/cut to/);
    expect(store.search({ query: 'ls', mode: 'prefix' }).total).toBe(1);
  });
});
