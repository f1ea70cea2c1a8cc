/**
 * The background host's healing module (HelperClient): read-only status straight from systemd
 * when the helper is absent (and why), starting the installed helper through systemd, forwarding
 * the helper's events to healing:event and the Quest Log recorder.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { HelperClient } from '../../src/services/healing/client';
import { createHealingModule } from '../../src/services/healing/module';
import { healingConfig } from '../../src/shared/config/healing';
import { defaultConfig } from '../../src/shared/config/schema';
import { Problem } from '../../src/shared/problems';
import { createLogger } from '../../src/services/core/logger';
import { resolvePaths } from '../../src/services/config/paths';
import type { RecordedEvent, ServiceModule } from '../../src/services/core/module';
import { HealingSandbox, HELPER_UNIT } from '../harness/healingFixture';
import { unavailableReason } from '../harness/sandbox';

const cfg = healingConfig.parse({
  targets: [{ name: 'demo.service', policy: { stableSec: 0.3, cooldownSec: 0 } }],
});

describe('healing client without a system bus', () => {
  it('reports the helper unreachable with the reason, serves a read-only status and refuses actions', async () => {
    const client = new HelperClient(cfg, { busAddress: 'unix:path=/nonexistent/ainl-test-bus' });
    await client.start();
    try {
      const h = await client.health();
      expect(h.state).toBe('unreachable');
      expect(h.why).toMatch(/no system bus/);
      const s = await client.status();
      expect(s.source).toBe('read-only');
      expect(s.readOnlyReason).toMatch(/unreachable/);
      expect(s.targets.map((t) => t.name)).toEqual(['demo.service']);
      await expect(client.restart('demo.service')).rejects.toSatisfy(
        (e: unknown) => e instanceof Problem && e.problem === 'unavailable' && /read-only/.test(e.message),
      );
    } finally {
      client.dispose();
    }
  });
});

const why = unavailableReason();

describe.skipIf(why !== null)(
  `healing client against a real system bus${why ? ` (skipped: ${why})` : ''}`,
  () => {
    let hs: HealingSandbox;
    let mod: ServiceModule | null = null;
    const recorded: RecordedEvent[] = [];
    const emitted: unknown[] = [];

    beforeAll(async () => {
      hs = await HealingSandbox.start();
      await hs.installUnit('demo.service', `[Service]\nExecStart=/bin/sleep 100000\nRestart=no\n`);
      hs.writeConfig({ targets: [{ name: 'demo.service', policy: { stableSec: 0.3, cooldownSec: 0 } }] });
      // the helper unit is written by the fixture; hide it first to see "not-installed"
      await hs.sb.run(['mv', `/etc/systemd/system/${HELPER_UNIT}`, '/root/helper.unit']);
      await hs.sb.run(['systemctl', 'daemon-reload']);
      await hs.sb.run(['systemctl', 'start', 'demo.service']);
    }, 60_000);

    afterAll(async () => {
      await mod?.dispose();
      await hs?.stop();
    });

    it('without the helper: not-installed, and a read-only status from systemd that says why', async () => {
      const client = new HelperClient(cfg, { busAddress: hs.sb.busAddress });
      await client.start();
      try {
        const h = await client.health();
        expect(h.state).toBe('not-installed');
        expect(h.why).toMatch(/not installed/);
        const s = await client.status();
        expect(s.source).toBe('read-only');
        expect(s.readOnlyReason).toMatch(/not-installed/);
        const t = s.targets[0];
        expect(t?.state).toBe('running');
        expect(t?.activeState).toBe('active');
        expect(t?.mainPid).toBeGreaterThan(1);
      } finally {
        client.dispose();
      }
    });

    it('starts the installed helper through systemd, then proxies status, actions and events', async () => {
      await hs.sb.run(['mv', '/root/helper.unit', `/etc/systemd/system/${HELPER_UNIT}`]);
      await hs.sb.run(['systemctl', 'daemon-reload']);
      process.env.DBUS_SYSTEM_BUS_ADDRESS = hs.sb.busAddress;
      const config = defaultConfig();
      config.healing = cfg;
      mod = await createHealingModule({
        config,
        configProblems: [],
        paths: resolvePaths({ HOME: '/nonexistent' }),
        emit: (event, payload) => emitted.push({ event, payload }),
        log: createLogger('test', { level: 'error' }),
        events: { record: (e) => recorded.push(e) },
        call: () => Promise.reject(new Problem('unavailable', 'no other services in this test')),
        subscribe: () => () => undefined,
      });
      const handlers = mod.handlers;
      const helper = handlers['healing:helper'];
      const status = handlers['healing:status'];
      const restart = handlers['healing:restart'];
      if (!helper || !status || !restart) throw new Error('missing handlers');
      const ctx = { transport: 'internal' as const };
      const deadline = Date.now() + 30_000;
      let h = await helper({}, ctx);
      while (h.state !== 'running' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 300));
        h = await helper({}, ctx);
      }
      expect(h.state, h.why).toBe('running');
      expect(h.version).toBe('1');
      const s = await status({}, ctx);
      expect(s.source).toBe('helper');
      const r = await restart({ target: 'demo.service' }, ctx);
      expect(r.ok, r.message).toBe(true);
      // events arrive as signals and are forwarded + recorded
      const until = Date.now() + 5000;
      while (!recorded.some((e) => e.type === 'healing.verify-ok') && Date.now() < until)
        await new Promise((res) => setTimeout(res, 100));
      expect(recorded.some((e) => e.type === 'healing.restart' && e.source === 'healing')).toBe(true);
      expect(emitted.some((e) => (e as { event: string }).event === 'healing:event')).toBe(true);
      // a target that is not watched → not-found from the helper, mapped to the closed problem set
      await expect(restart({ target: 'nope.service' }, ctx)).rejects.toSatisfy(
        (e: unknown) => e instanceof Problem && e.problem === 'not-found',
      );
    }, 60_000);

    it('a D-Bus restart: the client reconnects and the helper (restarted by systemd via Requires=) answers again', async () => {
      const helper = mod?.handlers['healing:helper'];
      const status = mod?.handlers['healing:status'];
      if (!helper || !status) throw new Error('module not started');
      const ctx = { transport: 'internal' as const };
      await hs.sb.run(['systemctl', 'restart', 'dbus.service']);
      const seen = new Set<string>();
      const deadline = Date.now() + 40_000;
      let h = await helper({}, ctx);
      while (Date.now() < deadline) {
        h = await helper({}, ctx);
        seen.add(h.state);
        if (h.state === 'running' && seen.size > 1) break;
        await new Promise((r) => setTimeout(r, 300));
      }
      expect(h.state, `${h.why}; seen ${[...seen].join(',')}`).toBe('running');
      expect(seen.has('unreachable') || seen.has('installed')).toBe(true);
      const s = await status({}, ctx);
      expect(s.source).toBe('helper');
      expect(s.connected).toBe(true);
    }, 60_000);
  },
);
