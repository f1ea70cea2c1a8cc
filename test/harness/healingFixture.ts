/**
 * Healing test fixture on top of the sandbox: installs the helper's D-Bus policy, polkit actions
 * and the real unit file (with ExecStart pointed at the TypeScript source), demo units, and gives
 * a D-Bus client to the helper from the host.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Sandbox } from './sandbox';
import { connectSystemBus, call, type MessageBus } from '../../src/services/healing/bus';
import type { HealingStatus } from '../../src/shared/contract/healing';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const HELPER_UNIT = 'ai-native-linux-helper.service';

/** A tiny HTTP server for units: 200 "ok", or 500 while /ainl-share/<port>.bad exists. */
export const HTTP_SERVER_JS = `
const http = require('node:http');
const fs = require('node:fs');
const port = Number(process.argv[2]);
http.createServer((req, res) => {
  const bad = fs.existsSync('/ainl-share/' + port + '.bad');
  res.writeHead(bad ? 500 : 200, { 'content-type': 'text/plain' });
  res.end(bad ? 'broken' : 'ok');
}).listen(port, '127.0.0.1');
`;

export function randomPort(): number {
  return 20000 + Math.floor(Math.random() * 20000);
}

export class HealingSandbox {
  bus: MessageBus | null = null;
  private constructor(readonly sb: Sandbox) {}

  static async start(): Promise<HealingSandbox> {
    const sb = await Sandbox.start({ bind: [REPO] });
    const hs = new HealingSandbox(sb);
    try {
      await sb.writeFile(
        '/etc/dbus-1/system.d/org.ainl.Helper1.conf',
        readFileSync(join(REPO, 'resources/dbus/org.ainl.Helper1.conf'), 'utf8'),
      );
      await sb.writeFile(
        '/usr/share/polkit-1/actions/org.ainl.helper.policy',
        readFileSync(join(REPO, 'resources/polkit/org.ainl.helper.policy'), 'utf8'),
      );
      await sb.run([
        'busctl',
        'call',
        'org.freedesktop.DBus',
        '/org/freedesktop/DBus',
        'org.freedesktop.DBus',
        'ReloadConfig',
      ]);
      writeFileSync(join(sb.share, 'http-server.cjs'), HTTP_SERVER_JS);
      await sb.writeFile(
        `/etc/systemd/system/${HELPER_UNIT}`,
        readFileSync(join(REPO, 'systemd', HELPER_UNIT), 'utf8'),
      );
      await sb.writeFile(
        `/etc/systemd/system/${HELPER_UNIT}.d/10-test.conf`,
        `[Service]\nWorkingDirectory=${REPO}\nExecStart=\nExecStart=/usr/bin/node --import tsx ${REPO}/helpers/rootHelper.ts --config /ainl-share/config.json --audit-file /ainl-share/audit.jsonl --state-file /ainl-share/state.json\nReadWritePaths=/ainl-share\nRestart=no\n# tests run from a checkout that may live under /home, /root or /tmp\nProtectHome=no\nPrivateTmp=no\nReadWritePaths=/tmp\n`,
      );
    } catch (err) {
      await sb.stop();
      throw err;
    }
    return hs;
  }

  async connect(): Promise<MessageBus> {
    if (!this.bus) this.bus = await connectSystemBus(3000, this.sb.busAddress);
    return this.bus;
  }

  writeConfig(healing: unknown): void {
    writeFileSync(join(this.sb.share, 'config.json'), JSON.stringify({ healing }, null, 2));
  }

  async installUnit(name: string, content: string): Promise<void> {
    await this.sb.writeFile(`/etc/systemd/system/${name}`, content);
  }

  async startHelper(): Promise<void> {
    await this.sb.run(['systemctl', 'daemon-reload']);
    await this.sb.run(['systemctl', 'start', HELPER_UNIT]);
  }

  async callHelper(
    member: string,
    signature = '',
    body: unknown[] = [],
    timeoutMs = 20_000,
  ): Promise<unknown[]> {
    const bus = await this.connect();
    return call(
      bus,
      {
        destination: 'org.ainl.Helper1',
        path: '/org/ainl/Helper1',
        interface: 'org.ainl.Helper1',
        member,
        signature,
        body,
      },
      timeoutMs,
    );
  }

  async status(): Promise<HealingStatus> {
    const [json] = await this.callHelper('GetStatus');
    return JSON.parse(String(json)) as HealingStatus;
  }

  /** Polls the helper status until pred is true; returns it (throws with the last status on timeout). */
  async waitFor(
    pred: (s: HealingStatus) => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<HealingStatus> {
    const deadline = Date.now() + timeoutMs;
    let last: HealingStatus | null = null;
    for (;;) {
      try {
        last = await this.status();
        if (pred(last)) return last;
      } catch {
        /* helper still starting */
      }
      if (Date.now() > deadline) {
        const brief = last && {
          targets: last.targets.map(
            (t) => `${t.name} ${t.activeState}/${t.subState} ${t.phase}: ${t.reason}`,
          ),
          recent: last.recent
            .slice(-25)
            .map((a) => `${a.id} ${a.ts % 100000} ${a.target} ${a.kind} ${a.outcome}: ${a.reason}`),
        };
        throw new Error(`timed out waiting for ${what}; last status: ${JSON.stringify(brief, null, 1)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async mainPid(unit: string): Promise<number> {
    return Number((await this.sb.run(['systemctl', 'show', '-p', 'MainPID', '--value', unit])).trim());
  }

  async stop(): Promise<void> {
    try {
      this.bus?.disconnect();
    } catch {
      /* gone */
    }
    await this.sb.stop();
  }
}
