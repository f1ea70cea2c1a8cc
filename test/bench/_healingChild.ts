/**
 * The measured process of the healing bench: only the engine + its D-Bus connection run here, so
 * its resident memory is the engine's cost (the driver's own work stays in the parent).
 * Protocol (IPC): parent sends {cmd: 'status'|'pause'|'resume'|'rss'|'exit'}; child sends
 * {type: 'ready'|'detect'|'up'|'status'|'rss', ...}.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { connectSystemBus } from '../../src/services/healing/bus';
import { SystemdClient } from '../../src/services/healing/systemd';
import { HealingEngine } from '../../src/services/healing/engine';
import { healingConfig } from '../../src/shared/config/healing';

function gc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

const [busAddress, port] = process.argv.slice(2);
const send = (m: unknown): void => void process.send?.(m);

async function run(): Promise<void> {
  gc();
  await new Promise((r) => setTimeout(r, 200));
  gc();
  const rssBase = process.memoryUsage().rss;
  const bus = await connectSystemBus(3000, busAddress);
  const sd = new SystemdClient(bus);
  await sd.subscribe();
  const config = healingConfig.parse({
    reconcileIntervalSec: 30,
    targets: [
      {
        name: 'bench.service',
        probes: [
          {
            type: 'http',
            url: `http://127.0.0.1:${port}/`,
            intervalSec: 1,
            timeoutMs: 1000,
            failureThreshold: 3,
          },
        ],
        policy: {
          maxRestarts: 1000,
          windowSec: 60,
          backoffInitialSec: 0,
          cooldownSec: 0,
          stableSec: 0.2,
          verifyTimeoutSec: 10,
        },
      },
    ],
  });
  const engine = new HealingEngine({ config });
  engine.start();
  await engine.attach(sd);
  engine.on('detect', (d: { at: number }) => send({ type: 'detect', at: d.at }));
  engine.on('up', (d: { at: number }) => send({ type: 'up', at: d.at }));
  process.on('message', (m: { cmd: string }) => {
    if (m.cmd === 'status') {
      const t = engine.status().targets[0];
      send({ type: 'status', phase: t?.phase, mainPid: t?.mainPid ?? 0, probeOk: t?.probes[0]?.ok ?? null });
    } else if (m.cmd === 'pause') engine.pause('bench');
    else if (m.cmd === 'resume') engine.resume('bench');
    else if (m.cmd === 'rss') {
      gc();
      send({
        type: 'rss',
        base: rssBase,
        now: process.memoryUsage().rss,
        heapUsed: process.memoryUsage().heapUsed,
      });
    } else if (m.cmd === 'exit') {
      engine.dispose();
      sd.dispose();
      bus.disconnect();
      process.exit(0);
    }
  });
  send({ type: 'ready' });
}

run().catch((err: unknown) => {
  process.stderr.write(`bench child: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
