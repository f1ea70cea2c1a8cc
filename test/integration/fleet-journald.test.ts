/**
 * Log forwarding into a real systemd-journald: the distribution's journald runs in a private
 * mount namespace (tmpfs over /run/systemd/journal, /run/log and /var/log/journal, so nothing
 * reaches the host's journal), the fleet service writes to its native socket through
 * /proc/<pid>/root, and journalctl in that namespace reads the structured entries back. journald
 * is stopped for a while in the middle: nothing may be lost. Needs root, unshare and journald.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeServices, type ComposedServices } from '../../src/hosts/runtime';
import { createQuestlogModule } from '../../src/services/questlog/module';
import { createFleetModule } from '../../src/services/fleet/module';

const JOURNALD = ['/lib/systemd/systemd-journald', '/usr/lib/systemd/systemd-journald'].find((p) =>
  existsSync(p),
);
const can =
  process.platform === 'linux' &&
  process.getuid?.() === 0 &&
  Boolean(JOURNALD) &&
  spawnSync('unshare', ['-m', '--propagation', 'private', 'true']).status === 0;

async function waitFor(cond: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('timed out waiting');
}

describe.skipIf(!can)('fleet log forwarding into a real journald', () => {
  let root: string;
  let holder: ChildProcess;
  let holderPid: number;
  let journald: ChildProcess | null = null;
  let composed: ComposedServices;

  const startJournald = async (): Promise<void> => {
    journald = spawn('nsenter', ['-t', String(holderPid), '-m', JOURNALD!], { stdio: 'ignore' });
    const sock = `/proc/${holderPid}/root/run/systemd/journal/socket`;
    // journald recreates its socket at start; wait until it is the new one
    await waitFor(
      () =>
        spawnSync('nsenter', ['-t', String(holderPid), '-m', 'test', '-S', '/run/systemd/journal/stdout'])
          .status === 0 && existsSync(sock),
    );
    await new Promise((r) => setTimeout(r, 300));
  };
  const stopJournald = async (): Promise<void> => {
    const j = journald;
    journald = null;
    if (!j || j.exitCode !== null) return;
    j.kill('SIGKILL');
    await new Promise((r) => j.once('exit', r));
  };
  const entries = (): Array<Record<string, string>> => {
    const r = spawnSync(
      'nsenter',
      ['-t', String(holderPid), '-m', 'journalctl', '--no-pager', '-o', 'json', 'SYSLOG_IDENTIFIER=ainl'],
      {
        encoding: 'utf8',
        maxBuffer: 64 << 20,
      },
    );
    return r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, string>);
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'ainl-fleet-journald-'));
    const pidFile = join(root, 'holder.pid');
    holder = spawn(
      'unshare',
      [
        '-m',
        '--propagation',
        'private',
        'sh',
        '-c',
        `set -e
         for d in /run/systemd/journal /run/log /var/log/journal; do mkdir -p "$d"; mount -t tmpfs tmpfs "$d"; done
         echo $$ > ${pidFile}
         exec sleep 3600`,
      ],
      { stdio: 'ignore' },
    );
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim() !== '');
    holderPid = Number(readFileSync(pidFile, 'utf8'));
    await startJournald();
    mkdirSync(join(root, 'config', 'ai-native-linux'), { recursive: true });
    writeFileSync(
      join(root, 'config', 'ai-native-linux', 'config.json'),
      JSON.stringify({
        questlog: { journald: false },
        fleet: {
          logs: {
            enabled: true,
            target: 'journald',
            journalSocket: `/proc/${holderPid}/root/run/systemd/journal/socket`,
            retry: { minMs: 50, maxMs: 200 },
          },
        },
      }),
    );
    composed = await composeServices(
      'test',
      [
        ['questlog', createQuestlogModule],
        ['fleet', createFleetModule],
      ],
      () => undefined,
      {
        PATH: process.env.PATH,
        HOME: root,
        XDG_CONFIG_HOME: join(root, 'config'),
        XDG_DATA_HOME: join(root, 'data'),
        XDG_RUNTIME_DIR: join(root, 'run'),
      },
    );
    await waitFor(() => existsSync(join(root, 'data', 'ai-native-linux', 'fleet', 'logs', 'cursor.json')));
  }, 60_000);

  afterAll(async () => {
    await composed?.dispose();
    await stopJournald();
    holder?.kill('SIGKILL');
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('stores structured entries, and loses none while journald is down', async () => {
    const status = () => composed.ctx.call('fleet:status', {});
    for (let i = 0; i < 40; i++) {
      composed.ctx.events.record({
        type: 'unit.failed',
        source: 'healing',
        severity: 'error',
        message: `nginx.service failed (${i})`,
        data: { i },
      });
    }
    composed.ctx.events.record({
      type: 'alert.fired',
      source: 'monitor',
      severity: 'warning',
      message: 'Disk almost full\n/srv has 4 % free',
    });
    await waitFor(async () => (await status()).logs.queued === 0 && (await status()).logs.delivered >= 41);

    await stopJournald();
    for (let i = 40; i < 80; i++) {
      composed.ctx.events.record({
        type: 'unit.failed',
        source: 'healing',
        severity: 'error',
        message: `nginx.service failed (${i})`,
        data: { i },
      });
    }
    await waitFor(async () => (await status()).logs.consecutiveFailures >= 2);
    expect((await status()).logs.lastError).toMatch(/Connection refused|No such file/);
    await startJournald();
    await waitFor(async () => (await status()).logs.queued === 0, 30_000);

    await waitFor(() => entries().length >= 81);
    const got = entries();
    const ids = got.map((e) => e.AINL_ID);
    // at-least-once: every one arrived; duplicates only from a batch that was retried
    expect(new Set(ids).size).toBe(81);
    const multi = got.find((e) => e.AINL_TYPE === 'alert.fired')!;
    expect(multi.MESSAGE).toBe('Disk almost full\n/srv has 4 % free');
    expect(multi.PRIORITY).toBe('4');
    expect(multi._TRANSPORT).toBe('journal');
    const one = got.find((e) => e.MESSAGE === 'nginx.service failed (7)')!;
    expect(one).toMatchObject({
      PRIORITY: '3',
      AINL_KIND: 'event',
      AINL_SOURCE: 'healing',
      AINL_SEVERITY: 'error',
      AINL_DATA: '{"i":7}',
    });
  });
});
