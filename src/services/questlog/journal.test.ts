import { chmodSync, mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../shared/config/schema';
import { resolvePaths } from '../config/paths';
import { createLogger } from '../core/logger';
import type { Emit } from '../core/dispatcher';
import { classifyEntry, fieldText } from './journal';
import { createQuestlogModuleWith, type QuestlogModule } from './module';

const entry = (cursor: string, fields: Record<string, unknown>): string =>
  JSON.stringify({ __CURSOR: cursor, __REALTIME_TIMESTAMP: '1768478400000000', PRIORITY: '3', ...fields });

describe('classifyEntry', () => {
  it('classifies unit failures, OOM kills, logins and kernel errors', () => {
    const c = (f: Record<string, unknown>) =>
      classifyEntry({ __CURSOR: 'x', __REALTIME_TIMESTAMP: '1768478400000000', ...f });
    expect(
      c({
        MESSAGE_ID: 'd9b373ed55a64feb8242e02dbe79a49c',
        UNIT: 'foo.service',
        MESSAGE: 'foo.service: Failed with result exit-code.',
      }),
    ).toMatchObject({
      type: 'unit.failed',
      unit: 'foo.service',
      severity: 'error',
      ts: 1768478400000,
      cursor: 'x',
    });
    expect(
      c({ _TRANSPORT: 'kernel', PRIORITY: '3', MESSAGE: 'Out of memory: Killed process 123 (chrome)' })?.type,
    ).toBe('oom.kill');
    expect(
      c({ MESSAGE_ID: '8d45620c1a4348dbb17410da57c60c66', MESSAGE: 'New session 4 of user alice.' })?.type,
    ).toBe('login');
    expect(c({ _TRANSPORT: 'kernel', PRIORITY: '2', MESSAGE: 'EXT4-fs error' })).toMatchObject({
      type: 'kernel.error',
      severity: 'critical',
    });
    expect(c({ PRIORITY: '4', MESSAGE: 'meh', SYSLOG_IDENTIFIER: 'app' })).toMatchObject({
      type: 'journal.warning',
      severity: 'warning',
    });
    expect(c({ MESSAGE_ID: '7ad2d189f7e94e70a38c781354912448' })).toBeNull();
  });

  it('skips what our own fleet forwarder wrote to the journal (no event stored twice)', () => {
    const c = (f: Record<string, unknown>) =>
      classifyEntry({ __CURSOR: 'x', __REALTIME_TIMESTAMP: '1768478400000000', PRIORITY: '3', ...f });
    expect(c({ SYSLOG_IDENTIFIER: 'ainl', MESSAGE: 'alert: cpu high' })).toBeNull();
    expect(c({ SYSLOG_IDENTIFIER: 'ainl', _COMM: 'node', MESSAGE: 'x' })).toBeNull();
    // a custom identifier still carries AINL_KIND
    expect(c({ SYSLOG_IDENTIFIER: 'fleet-fwd', AINL_KIND: 'event', MESSAGE: 'alert: cpu high' })).toBeNull();
    expect(c({ AINL_KIND: '', MESSAGE: 'x' })).toBeNull();
    // the same message from anyone else is kept; _COMM alone named ainl is not our forwarder
    expect(c({ SYSLOG_IDENTIFIER: 'sshd', MESSAGE: 'alert: cpu high' })).toMatchObject({
      type: 'journal.error',
    });
    expect(c({ SYSLOG_IDENTIFIER: 'ainl-other', MESSAGE: 'x' })).not.toBeNull();
    expect(c({ _COMM: 'ainl', MESSAGE: 'x' })).not.toBeNull();
  });

  it('decodes binary and multi-value fields', () => {
    expect(fieldText([104, 105])).toBe('hi');
    expect(fieldText(['a', 'b'])).toBe('a\nb');
    expect(fieldText(null)).toBeNull();
  });
});

describe('journald follower in the Quest Log module', () => {
  let dir: string;
  let mod: QuestlogModule | null = null;
  const events: Array<{ event: string; payload: unknown }> = [];
  const emit: Emit = (event, payload) => events.push({ event, payload });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ql-journal-'));
  });
  afterEach(async () => {
    await mod?.dispose();
    mod = null;
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (journalctl: string): Promise<QuestlogModule> => {
    const config = defaultConfig();
    config.questlog.journalctl = journalctl;
    const paths = resolvePaths({
      HOME: dir,
      XDG_DATA_HOME: join(dir, 'data'),
      XDG_RUNTIME_DIR: join(dir, 'run'),
    });
    const factory = createQuestlogModuleWith();
    const m = (await factory({
      config,
      configProblems: [],
      paths,
      emit,
      log: createLogger('test', { level: 'error' }),
      events: { record: () => undefined },
      call: () => Promise.reject(new Error('no other services in this test')),
      subscribe: () => () => undefined,
    })) as QuestlogModule;
    mod = m;
    return m;
  };

  const waitFor = async (pred: () => boolean, ms = 5000): Promise<void> => {
    const end = Date.now() + ms;
    while (!pred()) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 25));
    }
  };

  it('stores entries with their cursor and resumes after the last one without duplicates', async () => {
    const fixture = join(dir, 'journal.jsonl');
    const argsLog = join(dir, 'args.log');
    writeFileSync(
      fixture,
      [
        entry('c1', {
          MESSAGE_ID: 'd9b373ed55a64feb8242e02dbe79a49c',
          UNIT: 'a.service',
          MESSAGE: 'a.service failed',
        }),
        // forwarded by our own fleet forwarder: already in the Quest Log, never stored again
        entry('c1f', {
          SYSLOG_IDENTIFIER: 'ainl',
          AINL_KIND: 'event',
          PRIORITY: '3',
          MESSAGE: 'alert.fired: cpu 97%',
        }),
        entry('c2', { _TRANSPORT: 'kernel', MESSAGE: 'Out of memory: Killed process 9 (x)' }),
      ].join('\n') + '\n',
    );
    // a stand-in journalctl: prints the fixture after --after-cursor (or all of it), then follows
    const fake = join(dir, 'journalctl');
    writeFileSync(
      fake,
      `#!/bin/bash
echo "$*" >> ${argsLog}
after=
for a in "$@"; do case $a in --after-cursor=*) after=\${a#--after-cursor=};; esac; done
seen=\${after:+no}
while IFS= read -r line; do
  if [[ $seen == no ]]; then [[ $line == *"\\"__CURSOR\\":\\"$after\\""* ]] && seen=yes; continue; fi
  printf '%s\\n' "$line"
done < ${fixture}
exec sleep 60
`,
    );
    chmodSync(fake, 0o755);
    let m = await start(fake);
    await waitFor(() => m.store.totalEvents() === 2);
    expect(m.store.events({ order: 'oldest' }).items.map((e) => [e.type, e.source])).toEqual([
      ['unit.failed', 'journald'],
      ['oom.kill', 'journald'],
    ]);
    await waitFor(() => events.some((e) => e.event === 'questlog:appended'));
    await m.dispose();
    mod = null;
    appendFileSync(
      fixture,
      entry('c3', { MESSAGE_ID: '8d45620c1a4348dbb17410da57c60c66', MESSAGE: 'New session 5 of user bob.' }) +
        '\n',
    );
    m = await start(fake);
    await waitFor(() => m.store.totalEvents() === 3);
    await new Promise((r) => setTimeout(r, 300));
    expect(m.store.totalEvents()).toBe(3);
    expect(m.store.events({}).items[0]?.type).toBe('login');
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(argsLog, 'utf8')).toMatch(/--after-cursor=c2/);
  });

  it('reports a missing journalctl and keeps everything else working', async () => {
    const m = await start(join(dir, 'no-such-journalctl'));
    const status = m.handlers['questlog:status'];
    await waitFor(() => {
      const s = status?.({}, { transport: 'internal' }) as { journald: { state: string } };
      return s.journald.state === 'failed';
    });
    const s = (await status?.({}, { transport: 'internal' })) as {
      journald: { message: string };
      problems: string[];
    };
    expect(s.journald.message).toMatch(/not found/);
    m.recorder.record({ type: 'alert.fired', source: 'monitor', severity: 'warning', message: 'disk 95%' });
    expect(m.store.events({ types: ['alert.fired'] }).total).toBe(1);
  });

  it('lets a second daemon on the same database serve reads but not ingest, with a clear problem', async () => {
    const first = await start(join(dir, 'none'));
    const factory = createQuestlogModuleWith();
    const config = defaultConfig();
    config.questlog.journald = false;
    const second = (await factory({
      config,
      configProblems: [],
      paths: resolvePaths({ HOME: dir, XDG_DATA_HOME: join(dir, 'data'), XDG_RUNTIME_DIR: join(dir, 'run') }),
      emit,
      log: createLogger('test2', { level: 'error' }),
      events: { record: () => undefined },
      call: () => Promise.reject(new Error('no other services in this test')),
      subscribe: () => () => undefined,
    })) as QuestlogModule;
    try {
      const s = (await second.handlers['questlog:status']?.({}, { transport: 'internal' })) as {
        problems: string[];
      };
      expect(s.problems.join()).toMatch(/another Quest Log daemon \(pid \d+\) already owns/);
      expect(second.ingestNow()).toBeNull();
      first.recorder.record({ type: 'x', source: 'test', severity: 'info', message: 'from first' });
      expect(second.store.events({}).total).toBe(1);
    } finally {
      await second.dispose();
    }
  });
});
