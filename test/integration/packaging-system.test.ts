/**
 * Packaging against a real systemd (test/harness sandbox): the packaged tree is staged at
 * /opt/ai-native-linux (as dpkg unpacks it), then the real .deb maintainer scripts run inside:
 * postinst installs and starts the root helper, which answers on the system bus and heals a unit;
 * a second postinst changes nothing (idempotence); prerm + postrm remove + purge leave nothing
 * behind. systemd-analyze verifies the installed units and scores the helper's exposure.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Sandbox, unavailableReason } from '../harness/sandbox';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const APP = '/opt/ai-native-linux';
const DEB = `${APP}/resources/resources/deb`;
const HELPER = 'ai-native-linux-helper.service';
const built = existsSync(join(REPO, 'out/main/rootHelper.js')) && existsSync(join(REPO, 'out/main/cli.js'));
const why = unavailableReason() ?? (built ? null : 'not built (npm run build)');

// what a removal must leave exactly as it was (the journal, systemd's own state and caches aside)
// (/etc/passwd- and friends are shadow-utils' backups, rewritten by any account change)
const SNAPSHOT =
  "find /etc /usr /var/lib /opt -xdev \\( -path /var/lib/systemd -o -path /var/cache -o -path /var/log \\) -prune -o ! -path '/etc/*-' -print 2>/dev/null | sort";

describe.skipIf(why !== null)(`packaging on real systemd${why ? ` (skipped: ${why})` : ''}`, () => {
  let sb: Sandbox;
  let before = '';

  const sh = (script: string, env?: Record<string, string>) =>
    sb.exec(['sh', '-c', script], { env, timeoutMs: 60_000 });
  const run = async (script: string): Promise<string> => {
    const r = await sh(script);
    if (r.code !== 0) throw new Error(`${script} → exit ${r.code}: ${r.stderr.trim() || r.stdout.trim()}`);
    return r.stdout;
  };
  async function waitFor(pred: () => Promise<boolean>, ms: number, what: string): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await pred())) {
      if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const helperVersion = async (): Promise<string> => {
    const r = await sh(
      'busctl --json=short call org.ainl.Helper1 /org/ainl/Helper1 org.ainl.Helper1 Version',
    );
    if (r.code !== 0) return '';
    return String((JSON.parse(r.stdout) as { data: unknown[] }).data[0]);
  };
  const manifestAndFiles = () =>
    run(
      'cat /var/lib/ai-native-linux/manifest; ls -l --time-style=+ /usr/bin/ainl /usr/bin/questlog /usr/bin/ai; md5sum /usr/lib/systemd/system/ai-native-linux-helper.service.d/10-runtime.conf',
    );

  beforeAll(async () => {
    sb = await Sandbox.start();
    before = await run(SNAPSHOT);
    // "dpkg unpack": the packaged layout, staged from this checkout, copied into /opt
    const stage = join(sb.share, 'stage');
    mkdirSync(stage, { recursive: true });
    // link node_modules where the sandbox (its own /tmp) and the hardened helper (ProtectHome=)
    // can see the checkout; copy them otherwise
    const linkArgs = /^\/(tmp|root|home|run)\//.test(REPO) ? [] : ['--link-node-modules'];
    execFileSync('sh', [join(REPO, 'packaging/stage-install.sh'), stage, ...linkArgs], {
      stdio: 'pipe',
    });
    await run(`cp -a /ainl-share/stage/opt/ai-native-linux ${APP}`);
  }, 120_000);

  afterAll(async () => {
    await sb?.stop();
  });

  it('postinst configure installs the integration and starts the helper, which answers on the system bus', async () => {
    const r = await sh(`${DEB}/postinst configure`);
    expect(r.code, r.stderr).toBe(0);
    for (const f of [
      '/usr/lib/systemd/system/ai-native-linux-helper.service',
      '/usr/lib/systemd/system/ai-native-linux-helper.service.d/10-runtime.conf',
      '/usr/lib/systemd/user/ai-native-linux.service',
      '/usr/share/dbus-1/system.d/org.ainl.Helper1.conf',
      '/usr/share/polkit-1/actions/org.ainl.helper.policy',
      '/etc/profile.d/ai-native-linux.sh',
      '/etc/ai-native-linux/config.json',
      '/usr/lib/ai-native-linux/ainl-integration',
    ]) {
      expect((await sh(`test -f ${f}`)).code, f).toBe(0);
    }
    expect(await run('readlink /usr/bin/ainl')).toBe(`${APP}/resources/bin/ainl\n`);
    expect(await run('getent group ainl-heal')).toMatch(/^ainl-heal:/);
    expect((await run(`systemctl is-enabled ${HELPER}`)).trim()).toBe('enabled');
    await waitFor(
      async () => (await helperVersion()) !== '',
      20_000,
      'the helper answering Version on the system bus',
    );
    expect(await helperVersion()).toMatch(/^\d/);
    // the helper runs the packaged runtime (Electron as Node), not the checkout
    const exec = await run(`systemctl show -p ExecStart --value ${HELPER}`);
    expect(exec).toContain(`${APP}/ai-native-linux`);
    expect(exec).toContain(`${APP}/resources/app/out/main/rootHelper.js`);
  }, 60_000);

  it('the packaged CLI wrappers run through the app runtime', async () => {
    const r = await sh('ainl config --json', { HOME: '/root', XDG_CONFIG_HOME: '/tmp/cfg' });
    expect(r.code, r.stderr).toBe(0);
    const cfg = JSON.parse(r.stdout) as { sources: string[]; problems: unknown[] };
    expect(cfg.sources).toContain('/etc/ai-native-linux/config.json');
    expect(cfg.problems).toEqual([]);
    const bad = await sh('ainl --no-such-option');
    expect(bad.code).toBe(2);
  });

  it('the installed units pass systemd-analyze verify and the helper scores <= 2.5 exposure', async () => {
    const v = await sh(`systemd-analyze verify ${HELPER}`);
    expect(v.code, v.stderr).toBe(0);
    const u = await sh(
      'mkdir -p /tmp/xdg && systemd-analyze verify --user /usr/lib/systemd/user/ai-native-linux.service',
      {
        XDG_RUNTIME_DIR: '/tmp/xdg',
        HOME: '/root',
      },
    );
    expect(u.code, u.stderr).toBe(0);
    const sec = await run(`systemd-analyze security --no-pager ${HELPER} | tail -n 2`);
    const m = /exposure level for \S+: ([\d.]+)/.exec(sec);
    expect(m, sec).not.toBeNull();
    expect(Number(m?.[1])).toBeLessThanOrEqual(2.5);
  });

  it('the installed helper heals a unit (kill -9 → restarted with a new PID)', async () => {
    await sb.writeFile(
      '/run/systemd/system/demo.service',
      '[Service]\nExecStart=/bin/sleep 100000\nRestart=no\n',
    );
    const fast = {
      backoffInitialSec: 0.2,
      backoffMaxSec: 1,
      cooldownSec: 0,
      stableSec: 0.3,
      verifyTimeoutSec: 5,
    };
    // the admin edits the installed config (so removal must keep it, and purge must remove it)
    await sb.writeFile(
      '/etc/ai-native-linux/config.json',
      JSON.stringify(
        { healing: { reconcileIntervalSec: 2, targets: [{ name: 'demo.service', policy: fast }] } },
        null,
        2,
      ),
    );
    await run(`systemctl daemon-reload && systemctl start demo.service && systemctl restart ${HELPER}`);
    await waitFor(async () => (await helperVersion()) !== '', 20_000, 'helper back after restart');
    const pid0 = Number((await run('systemctl show -p MainPID --value demo.service')).trim());
    expect(pid0).toBeGreaterThan(0);
    await run('systemctl kill -s KILL demo.service');
    try {
      await waitFor(
        async () => {
          const [pid, state] = (await run('systemctl show -p MainPID -p ActiveState demo.service'))
            .trim()
            .split('\n')
            .map((l) => l.split('=')[1]);
          return state === 'active' && Number(pid) > 0 && Number(pid) !== pid0;
        },
        20_000,
        'demo.service restarted by the helper',
      );
    } catch (err) {
      const journal = await run(`journalctl --no-pager -n 40 -u ${HELPER} -u demo.service`);
      throw new Error(`${(err as Error).message}\n${journal}`, { cause: err });
    }
  }, 60_000);

  it('a user runs the headless daemon from the installed user unit, and opts in to the shell hook', async () => {
    const asUser = (cmd: string) =>
      sh(
        `setpriv --reuid 1500 --regid 1500 --init-groups env HOME=/home/tester XDG_RUNTIME_DIR=/run/user/1500 PATH=/usr/local/bin:/usr/bin:/bin sh -c '${cmd}'`,
      );
    await run('useradd -m -u 1500 -s /bin/bash tester && systemctl start user@1500.service');
    try {
      const en = await asUser('systemctl --user enable --now ai-native-linux.service');
      expect(en.code, en.stderr).toBe(0);
      let daemonPid: number | null = null;
      try {
        // the daemon loads every background service (SQLite, the assistant's knowledge base …): slow on a busy CI core
        await waitFor(
          async () => {
            const r = await asUser('questlog status --json');
            if (r.code !== 0) return false;
            daemonPid =
              (JSON.parse(r.stdout) as { daemon: { pid: number | null } | null }).daemon?.pid ?? null;
            return daemonPid !== null;
          },
          75_000,
          'questlog status showing the daemon started by the user unit',
        );
      } catch (err) {
        const why = await asUser(
          'systemctl --user status --no-pager ai-native-linux.service; journalctl --user --no-pager -n 30',
        );
        throw new Error(`${(err as Error).message}\n${why.stdout}${why.stderr}`, { cause: err });
      }
      const mainPid = Number(
        (await asUser('systemctl --user show -p MainPID --value ai-native-linux.service')).stdout.trim(),
      );
      expect(daemonPid).toBe(mainPid);
      // profile.d: no hook without the opt-in file, the hook with it (login shells)
      expect((await asUser('bash -lic "echo loaded=\\${__ql_loaded:-no}" 2>/dev/null')).stdout).toContain(
        'loaded=no',
      );
      await asUser('mkdir -p ~/.config/ai-native-linux && touch ~/.config/ai-native-linux/shell-hook');
      expect((await asUser('bash -lic "echo loaded=\\${__ql_loaded:-no}" 2>/dev/null')).stdout).toContain(
        'loaded=1',
      );
      expect((await asUser('systemctl --user disable --now ai-native-linux.service')).code).toBe(0);
    } finally {
      await sh('systemctl stop user@1500.service; userdel -r tester 2>/dev/null; true');
    }
  }, 150_000);

  it('postinst again is idempotent: same manifest, same files, helper still up', async () => {
    const first = await manifestAndFiles();
    const r = await sh(`${DEB}/postinst configure`);
    expect(r.code, r.stderr).toBe(0);
    expect(await manifestAndFiles()).toBe(first);
    await waitFor(async () => (await helperVersion()) !== '', 20_000, 'helper up after the second postinst');
    // the admin's edited config survives a reinstall
    expect(await run('cat /etc/ai-native-linux/config.json')).toContain('demo.service');
  }, 60_000);

  it('prerm + postrm remove keep only the edited config and the group; purge leaves nothing behind', async () => {
    expect((await sh(`${DEB}/prerm remove`)).code).toBe(0);
    expect((await sh(`systemctl is-active ${HELPER}`)).stdout.trim()).not.toBe('active');
    await run(`rm -rf ${APP}`); // dpkg removes the package's files
    // dpkg runs the package's own copy of postrm (kept in /var/lib/dpkg/info): use the checkout's
    await sb.writeFile(
      '/tmp/postrm',
      await run('cat /ainl-share/stage/opt/ai-native-linux/resources/resources/deb/postrm'),
      '0755',
    );
    expect((await sh('/tmp/postrm remove')).code).toBe(0);
    expect((await sh('test -f /etc/ai-native-linux/config.json')).code).toBe(0);
    expect((await sh('test -e /usr/lib/systemd/system/ai-native-linux-helper.service')).code).not.toBe(0);
    expect((await sh('busctl status org.ainl.Helper1')).code).not.toBe(0);
    const p = await sh('/tmp/postrm purge && rm -f /tmp/postrm');
    expect(p.code, p.stderr).toBe(0);
    const after = await run(SNAPSHOT);
    const was = new Set(before.split('\n'));
    const now = new Set(after.split('\n'));
    expect(was.size).toBeGreaterThan(1000);
    const added = [...now].filter((l) => !was.has(l));
    const removed = [...was].filter((l) => !now.has(l));
    expect({ added, removed }).toEqual({ added: [], removed: [] });
    expect((await sh('getent group ainl-heal')).code).not.toBe(0);
  }, 60_000);
});
