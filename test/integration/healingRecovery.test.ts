/**
 * The healing engine in the root helper against a real systemd (booted by test/harness):
 * kill -9 → detected and recovered; active but failing its HTTP probe → restarted; a crash loop →
 * backoff then gave-up (no restart storm); dependencies restart in order; a plain process is
 * restarted in a transient unit of its own that outlives the helper.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { existsSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { HealingSandbox, randomPort, HELPER_UNIT } from '../harness/healingFixture';
import { unavailableReason } from '../harness/sandbox';
import type { HealingAction, HealingStatus } from '../../src/shared/contract/healing';

const why = unavailableReason();
const NODE = '/usr/bin/node';
const WORKER_CMDLINE = 'sleep 424242';
const WORKER_CWD = '/var/tmp/ainl-worker-cwd';

function target(s: HealingStatus, name: string) {
  const t = s.targets.find((x) => x.name === name);
  if (!t) throw new Error(`no target ${name} in status`);
  return t;
}
function actionsFor(s: HealingStatus, name: string, kind?: string): HealingAction[] {
  return s.recent.filter((a) => a.target === name && (!kind || a.kind === kind));
}

describe.skipIf(why !== null)(`healing against real systemd${why ? ` (skipped: ${why})` : ''}`, () => {
  let hs: HealingSandbox;
  const webPort = randomPort();
  const dbPort = webPort + 1;
  const appPort = webPort + 2;
  const fastPolicy = {
    backoffInitialSec: 0.5,
    backoffMaxSec: 2,
    cooldownSec: 0,
    stableSec: 0.5,
    verifyTimeoutSec: 5,
  };

  beforeAll(async () => {
    hs = await HealingSandbox.start();
    const http = (port: number) => `${NODE} /ainl-share/http-server.cjs ${port}`;
    await hs.installUnit('demo.service', `[Service]\nExecStart=${http(appPort)}\nRestart=no\n`);
    await hs.installUnit(
      'probed.service',
      `[Service]\nExecStartPre=/bin/rm -f /ainl-share/${webPort}.bad\nExecStart=${http(webPort)}\nRestart=no\n`,
    );
    await hs.installUnit(
      'crashy.service',
      `[Service]\nExecStart=/bin/sh -c 'sleep 0.2; exit 3'\nRestart=no\n`,
    );
    await hs.installUnit('db.service', `[Service]\nExecStart=${http(dbPort)}\nRestart=no\n`);
    await hs.installUnit(
      'web.service',
      `[Unit]\nAfter=db.service\n[Service]\nExecStart=/bin/sleep 100000\nRestart=no\n`,
    );
    await hs.installUnit('vanish.service', `[Service]\nExecStart=/bin/sleep 100000\nRestart=no\n`);
    await hs.installUnit(
      'selfheal.service',
      `[Service]\nExecStart=/bin/sleep 100000\nRestart=on-failure\nRestartSec=300ms\n`,
    );
    const httpProbe = (port: number) => ({
      type: 'http',
      url: `http://127.0.0.1:${port}/`,
      intervalSec: 0.3,
      timeoutMs: 1000,
      failureThreshold: 2,
    });
    await hs.sb.run(['mkdir', '-p', '-m', '0755', WORKER_CWD]);
    hs.writeConfig({
      reconcileIntervalSec: 5,
      targets: [
        {
          name: 'demo.service',
          probes: [{ type: 'process', intervalSec: 1 }, httpProbe(appPort)],
          policy: fastPolicy,
        },
        { name: 'probed.service', probes: [httpProbe(webPort)], policy: fastPolicy },
        { name: 'crashy.service', policy: { ...fastPolicy, maxRestarts: 3, windowSec: 60 } },
        { name: 'db.service', probes: [httpProbe(dbPort)], policy: { ...fastPolicy, stableSec: 0.8 } },
        { name: 'web.service', dependsOn: ['db.service'], policy: fastPolicy },
        { name: 'selfheal.service', policy: fastPolicy },
        { name: 'ghost.service', policy: fastPolicy },
        { name: 'vanish.service', policy: fastPolicy },
        {
          name: 'worker',
          kind: 'process',
          process: {
            cmdline: WORKER_CMDLINE,
            start: ['sleep', '424242'],
            user: 'nobody',
            workingDirectory: WORKER_CWD,
            environment: { AINL_WORKER_MODE: 'healed by ainl' },
          },
          policy: fastPolicy,
        },
        { name: 'loop-a.service', dependsOn: ['loop-b.service'] },
        { name: 'loop-b.service', dependsOn: ['loop-a.service'] },
      ],
    });
    await hs.sb.run(['systemctl', 'daemon-reload']);
    await hs.sb.run([
      'systemctl',
      'start',
      'demo.service',
      'probed.service',
      'db.service',
      'web.service',
      'selfheal.service',
      'vanish.service',
    ]);
    await hs.startHelper();
    await hs.waitFor(
      (s) => ['demo.service', 'probed.service', 'db.service'].every((n) => target(s, n).phase === 'healthy'),
      15_000,
      'targets healthy after helper start',
    );
  }, 90_000);

  afterAll(async () => {
    await hs?.stop();
  });

  it('reports units that do not exist and dependency cycles clearly', async () => {
    const s = await hs.waitFor(
      (st) => target(st, 'ghost.service').reason !== 'starting',
      5000,
      'ghost.service read',
    );
    expect(s.source).toBe('helper');
    expect(target(s, 'ghost.service').phase).toBe('unknown');
    expect(target(s, 'ghost.service').reason).toMatch(/not found/);
    expect(s.recent.some((a) => a.kind === 'config' && /cycle/.test(a.reason))).toBe(true);
    // Cockpit state + unit file state are reported
    expect(target(s, 'demo.service').state).toBe('running');
  });

  it('kill -9 of the main PID is detected and the unit recovered (active + probe passing)', async () => {
    const before = await hs.mainPid('demo.service');
    expect(before).toBeGreaterThan(1);
    await hs.sb.run(['kill', '-KILL', String(before)]);
    const s = await hs.waitFor(
      (st) =>
        actionsFor(st, 'demo.service', 'verify-ok').length > 0 &&
        target(st, 'demo.service').phase === 'healthy',
      10_000,
      'demo.service recovered',
    );
    const after = await hs.mainPid('demo.service');
    expect(after).toBeGreaterThan(1);
    expect(after).not.toBe(before);
    const t = target(s, 'demo.service');
    expect(t.lastFailure?.result).toBe('signal');
    expect(t.lastFailure?.signal).toBe('SIGKILL');
    expect(t.lastFailure?.cause).toMatch(/SIGKILL/);
    expect(actionsFor(s, 'demo.service', 'detect').length).toBe(1);
    expect(actionsFor(s, 'demo.service', 'restart').length).toBe(1); // exactly one action, no duplicate
    // the helper's own audit trail has it too
    const audit = readFileSync(join(hs.sb.share, 'audit.jsonl'), 'utf8');
    expect(audit).toMatch(/"kind":"restart".*demo\.service|demo\.service.*"kind":"restart"/);
  });

  it('a unit that is active but fails its HTTP probe is restarted', async () => {
    const before = await hs.mainPid('probed.service');
    writeFileSync(join(hs.sb.share, `${webPort}.bad`), '');
    const s = await hs.waitFor(
      (st) => actionsFor(st, 'probed.service', 'verify-ok').length > 0,
      10_000,
      'probed.service restarted',
    );
    expect(existsSync(join(hs.sb.share, `${webPort}.bad`))).toBe(false); // ExecStartPre ran: it was a real restart
    expect(await hs.mainPid('probed.service')).not.toBe(before);
    const restart = actionsFor(s, 'probed.service', 'restart')[0];
    expect(restart?.reason).toMatch(/http probe failed/);
  });

  it("waits for a unit's own Restart= instead of fighting systemd", async () => {
    const before = await hs.mainPid('selfheal.service');
    await hs.sb.run(['kill', '-KILL', String(before)]);
    const s = await hs.waitFor(
      (st) =>
        target(st, 'selfheal.service').phase === 'healthy' && target(st, 'selfheal.service').nRestarts >= 1,
      8_000,
      'systemd restarted selfheal.service',
    );
    expect(actionsFor(s, 'selfheal.service', 'restart')).toHaveLength(0);
    expect(actionsFor(s, 'selfheal.service', 'wait').length).toBeGreaterThan(0);
  });

  it('a crash-looping unit gets backoff, then gave-up, never a restart storm; a person clears it', async () => {
    await hs.sb.run(['systemctl', 'start', 'crashy.service']);
    const s = await hs.waitFor(
      (st) => target(st, 'crashy.service').phase === 'gave-up',
      20_000,
      'crashy gave up',
    );
    const restarts = actionsFor(s, 'crashy.service', 'restart');
    if (process.env.DEBUG_HEAL)
      console.log(
        actionsFor(s, 'crashy.service')
          .map((a) => `${a.ts % 100000} ${a.kind} ${a.outcome} ${a.reason}`)
          .join('\n'),
      );
    expect(restarts).toHaveLength(3);
    const gaps = restarts.slice(1).map((r, i) => r.ts - (restarts[i] as HealingAction).ts);
    expect(gaps[1] as number).toBeGreaterThanOrEqual((gaps[0] as number) * 1.5); // exponential backoff
    expect(actionsFor(s, 'crashy.service', 'gave-up')).toHaveLength(1);
    // stays given up: no more restarts
    await new Promise((r) => setTimeout(r, 2500));
    const later = await hs.status();
    expect(actionsFor(later, 'crashy.service', 'restart')).toHaveLength(3);
    expect(target(later, 'crashy.service').phase).toBe('gave-up');
    // a person clears it: healing resumes (and gives up again after its budget)
    const [ok, msg] = await hs.callHelper('Clear', 's', ['crashy.service']);
    expect(ok).toBe(true);
    expect(String(msg)).toMatch(/cleared/);
    const again = await hs.waitFor(
      (st) => actionsFor(st, 'crashy.service', 'restart').length >= 4,
      5_000,
      'restart after clear',
    );
    expect(actionsFor(again, 'crashy.service', 'clear')).toHaveLength(1);
  });

  it('dependencies first: the dependency is restarted and verified before its dependant', async () => {
    const db = await hs.mainPid('db.service');
    const web = await hs.mainPid('web.service');
    await hs.sb.run(['kill', '-KILL', String(web), String(db)]);
    const s = await hs.waitFor(
      (st) =>
        actionsFor(st, 'web.service', 'verify-ok').length > 0 &&
        actionsFor(st, 'db.service', 'verify-ok').length > 0,
      15_000,
      'db and web recovered',
    );
    const dbRestart = actionsFor(s, 'db.service', 'restart')[0] as HealingAction;
    const dbOk = actionsFor(s, 'db.service', 'verify-ok')[0] as HealingAction;
    const webRestart = actionsFor(s, 'web.service', 'restart')[0] as HealingAction;
    expect(dbRestart.id).toBeLessThan(webRestart.id);
    expect(webRestart.ts).toBeGreaterThanOrEqual(dbOk.ts);
    expect(actionsFor(s, 'web.service', 'hold').length).toBeGreaterThan(0);
  });

  it('a unit that vanishes (file removed, then it dies) is reported as gone, with no restart storm', async () => {
    const pid = await hs.mainPid('vanish.service');
    await hs.sb.run(['rm', '/etc/systemd/system/vanish.service']);
    await hs.sb.run(['systemctl', 'daemon-reload']);
    await hs.sb.run(['kill', '-KILL', String(pid)]);
    const s = await hs.waitFor(
      (st) =>
        target(st, 'vanish.service').phase === 'unknown' &&
        /not found/.test(target(st, 'vanish.service').reason),
      8_000,
      'vanish.service reported as gone',
    );
    await new Promise((r) => setTimeout(r, 1000));
    // systemd may still call it "loaded" at the moment it dies: at most one attempt, which fails
    // cleanly ("not found"), and none after that
    const attempts = actionsFor(await hs.status(), 'vanish.service', 'restart');
    expect(attempts.length).toBeLessThanOrEqual(1);
    for (const a of attempts) expect(a.outcome, a.reason).toBe('failed');
    expect(target(s, 'vanish.service').loadState).toBe('not-found');
  });

  it('survives systemd daemon-reexec and keeps healing', async () => {
    await hs.sb.run(['systemctl', 'daemon-reexec']);
    await new Promise((r) => setTimeout(r, 500));
    const before = await hs.mainPid('demo.service');
    await hs.sb.run(['kill', '-KILL', String(before)]);
    await hs.waitFor(
      (st) => actionsFor(st, 'demo.service', 'verify-ok').length >= 2,
      15_000,
      'demo recovered after reexec',
    );
    expect((await hs.sb.run(['systemctl', 'is-active', HELPER_UNIT])).trim()).toBe('active');
  });

  it('gave-up survives a helper restart (state file): no fresh restart budget', async () => {
    await hs.waitFor(
      (st) => target(st, 'crashy.service').phase === 'gave-up',
      20_000,
      'crashy gave up again',
    );
    const t0 = Date.now();
    await hs.sb.run(['systemctl', 'restart', HELPER_UNIT]);
    const s = await hs.waitFor(
      (st) => st.connected && target(st, 'crashy.service').phase === 'gave-up',
      30_000,
      'restored gave-up',
    );
    await new Promise((r) => setTimeout(r, 1500));
    const later = await hs.status();
    expect(
      later.recent.filter((a) => a.target === 'crashy.service' && a.kind === 'restart' && a.ts >= t0),
    ).toHaveLength(0);
    expect(target(s, 'crashy.service').reason).toMatch(/gave up/);
  });

  it('a killed plain process is restarted in a transient unit of its own that outlives the helper', async () => {
    const cgroupOf = async (pid: number) => (await hs.sb.run(['cat', `/proc/${pid}/cgroup`])).trim();
    const first = await hs.waitFor(
      (st) => target(st, 'worker').phase === 'healthy' && target(st, 'worker').mainPid > 1,
      10_000,
      'worker started by the helper',
    );
    const before = target(first, 'worker').mainPid;
    const starts = actionsFor(first, 'worker', 'start').length;
    await hs.sb.run(['kill', '-KILL', String(before)]);
    const s = await hs.waitFor(
      (st) =>
        actionsFor(st, 'worker', 'start').length > starts &&
        target(st, 'worker').phase === 'healthy' &&
        target(st, 'worker').mainPid > 1,
      10_000,
      'worker restarted',
    );
    const pid = target(s, 'worker').mainPid;
    expect(pid).not.toBe(before);
    const cg = await cgroupOf(pid);
    const unit = /^0::\/system\.slice\/(ainl-heal-worker-\d+\.service)$/m.exec(cg)?.[1] ?? '';
    expect(unit, cg).not.toBe('');
    expect(cg).not.toContain(HELPER_UNIT);
    const start = actionsFor(s, 'worker', 'start').at(-1) as HealingAction;
    expect(start.reason).toContain(`started in transient unit ${unit}`);
    const show = await hs.sb.run([
      'systemctl',
      'show',
      '-p',
      'Type',
      '-p',
      'ExitType',
      '-p',
      'CollectMode',
      '-p',
      'ExecStart',
      '-p',
      'Description',
      '-p',
      'MainPID',
      '-p',
      'ActiveState',
      unit,
    ]);
    expect(show).toMatch(/^Type=exec$/m);
    expect(show).toMatch(/^ExitType=cgroup$/m);
    expect(show).toMatch(/^CollectMode=inactive-or-failed$/m);
    expect(show).toMatch(/^ExecStart=\{ path=\/(usr\/)?bin\/sleep ; argv\[\]=sleep 424242 ;/m);
    expect(show).toMatch(/^Description=AI-Native Linux healing: start of process target worker$/m);
    expect(show).toMatch(new RegExp(`^MainPID=${pid}$`, 'm'));
    // it runs as the configured user, in its directory, with its environment — not as root in /
    const creds = await hs.sb.run([
      'systemctl',
      'show',
      '-p',
      'User',
      '-p',
      'WorkingDirectory',
      '-p',
      'Environment',
      unit,
    ]);
    expect(creds).toMatch(/^User=nobody$/m);
    expect(creds).toMatch(new RegExp(`^WorkingDirectory=${WORKER_CWD}$`, 'm'));
    expect(creds).toMatch(/^Environment=.*AINL_WORKER_MODE=/m);
    const nobody = (await hs.sb.run(['id', '-u', 'nobody'])).trim();
    const status = await hs.sb.run(['cat', `/proc/${pid}/status`]);
    expect(/^Uid:\s+(\d+)\s+(\d+)/m.exec(status)?.slice(1)).toEqual([nobody, nobody]);
    expect((await hs.sb.run(['readlink', `/proc/${pid}/cwd`])).trim()).toBe(WORKER_CWD);
    const environ = (await hs.sb.run(['cat', `/proc/${pid}/environ`])).split('\0');
    expect(environ).toContain('AINL_WORKER_MODE=healed by ainl');
    // the helper goes away: the worker and its unit stay
    const t0 = Date.now();
    await hs.sb.run(['systemctl', 'stop', HELPER_UNIT]);
    await hs.sb.run(['kill', '-0', String(pid)]);
    expect((await hs.sb.run(['systemctl', 'is-active', unit])).trim()).toBe('active');
    await hs.sb.run(['systemctl', 'start', HELPER_UNIT]);
    const back = await hs.waitFor(
      (st) => st.connected && target(st, 'worker').phase === 'healthy',
      15_000,
      'helper back, worker found',
    );
    expect(target(back, 'worker').mainPid).toBe(pid);
    expect(back.recent.filter((a) => a.target === 'worker' && a.kind === 'start' && a.ts >= t0)).toHaveLength(
      0,
    );
    // a person's restart stops the old unit (StopUnit) and starts a new one
    const [ok, msg] = await hs.callHelper('Restart', 's', ['worker']);
    expect(ok, String(msg)).toBe(true);
    const after = await hs.status();
    const restart = actionsFor(after, 'worker', 'restart').at(-1) as HealingAction;
    expect(restart.reason).toContain(`stopped its transient unit ${unit}`);
    const pid2 = target(after, 'worker').mainPid;
    expect(pid2).not.toBe(pid);
    expect((await hs.sb.exec(['kill', '-0', String(pid)])).code).not.toBe(0);
    const unit2 = /(ainl-heal-worker-\d+\.service)/.exec(await cgroupOf(pid2))?.[1] ?? '';
    expect(unit2).not.toBe(''); // (a name is reused once systemd has collected its old unit)
    expect((await hs.sb.run(['systemctl', 'show', '-p', 'MainPID', '--value', unit2])).trim()).toBe(
      String(pid2),
    );
    // and a stop leaves nothing behind
    const [stopped] = await hs.callHelper('Stop', 's', ['worker']);
    expect(stopped).toBe(true);
    expect((await hs.sb.exec(['kill', '-0', String(pid2)])).code).not.toBe(0);
    expect((await hs.sb.exec(['systemctl', 'is-active', unit2])).stdout.trim()).not.toBe('active');
  }, 40_000);
});
