/**
 * The endpoint against the real thing: promtool (the Prometheus project's own parser and linter)
 * checks the exposition, and a real Prometheus server scrapes the endpoint with the scrape config
 * from docs/fleet.md (bearer token from a file) and answers PromQL over what it stored.
 * Skipped where the Debian package `prometheus` is not installed (.ci/apt-packages has it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeServices, type ComposedServices } from '../../src/hosts/runtime';
import { createMonitorModule } from '../../src/services/monitor/module';
import { createFleetModule } from '../../src/services/fleet/module';

const have = (bin: string): boolean =>
  (process.env.PATH ?? '').split(':').some((d) => d && existsSync(join(d, bin)));
const available = have('promtool') && have('prometheus');

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe.skipIf(!available)('fleet metrics with Prometheus itself', () => {
  let root: string;
  let composed: ComposedServices;
  let port: number;
  const TOKEN = 'prom-test-token';

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'ainl-fleet-prom-'));
    mkdirSync(join(root, 'config', 'ai-native-linux'), { recursive: true });
    writeFileSync(join(root, 'token'), TOKEN);
    port = await freePort();
    writeFileSync(
      join(root, 'config', 'ai-native-linux', 'config.json'),
      JSON.stringify({
        monitor: { intervalS: 1, unitsEveryS: 0 },
        fleet: { metrics: { enabled: true, port, bearerTokenFile: join(root, 'token') } },
      }),
    );
    composed = await composeServices(
      'test',
      [
        ['monitor', createMonitorModule],
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
  });

  afterAll(async () => {
    await composed?.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  it('passes promtool check metrics (only node_exporter-inherited name lints)', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    const text = await res.text();
    const r = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
    // 0 = clean, 3 = lint findings only; 1 would be a parse error
    expect([0, 3], r.stderr + r.stdout).toContain(r.status);
    const findings = (r.stdout + r.stderr).split('\n').filter(Boolean);
    // node_exporter's own /proc/meminfo names (node_memory_MemAvailable_bytes …) are camelCase by design
    const other = findings.filter(
      (l) => !/^node_memory_\S+ metric names should be written in 'snake_case' not 'camelCase'$/.test(l),
    );
    expect(other).toEqual([]);
  });

  it('is scraped by a real Prometheus with the documented scrape config', async () => {
    const promPort = await freePort();
    const cfg = join(root, 'prometheus.yml');
    writeFileSync(
      cfg,
      [
        'global:',
        '  scrape_interval: 1s',
        'scrape_configs:',
        '  - job_name: ainl',
        '    authorization:',
        '      type: Bearer',
        `      credentials_file: ${join(root, 'token')}`,
        '    static_configs:',
        `      - targets: ['127.0.0.1:${port}']`,
        '',
      ].join('\n'),
    );
    expect(spawnSync('promtool', ['check', 'config', cfg], { encoding: 'utf8' }).status).toBe(0);
    const prom: ChildProcess = spawn(
      'prometheus',
      [
        `--config.file=${cfg}`,
        `--storage.tsdb.path=${join(root, 'tsdb')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    prom.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
    try {
      const query = async (
        q: string,
      ): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> => {
        const r = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(q)}`);
        const j = (await r.json()) as {
          data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
        };
        return j.data.result;
      };
      const end = Date.now() + 25_000;
      let up: Awaited<ReturnType<typeof query>> = [];
      while (Date.now() < end) {
        try {
          up = await query('up{job="ainl"}');
          if (up[0]?.value[1] === '1') break;
        } catch {
          /* not listening yet */
        }
        await new Promise((r) => setTimeout(r, 300));
      }
      expect(up[0]?.value[1], stderr).toBe('1');
      const targets = (await (await fetch(`http://127.0.0.1:${promPort}/api/v1/targets`)).json()) as {
        data: { activeTargets: Array<{ health: string; lastError: string }> };
      };
      expect(targets.data.activeTargets[0]).toMatchObject({ health: 'up', lastError: '' });
      // the usual node_exporter alert expressions evaluate over our series
      const mem = await query('node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes');
      expect(Number(mem[0]?.value[1])).toBeGreaterThan(0);
      expect(Number(mem[0]?.value[1])).toBeLessThanOrEqual(1);
      const modes = await query('count by (mode) (node_cpu_seconds_total)');
      expect(modes.map((m) => m.metric.mode).sort()).toContain('idle');
      expect((await query('ainl_build_info'))[0]?.metric.version).toBeTruthy();
      expect((await query('ainl_component_up{component="monitor"}'))[0]?.value[1]).toBe('1');
    } finally {
      prom.kill('SIGTERM');
      await new Promise((r) => prom.once('exit', r));
    }
  });
});
