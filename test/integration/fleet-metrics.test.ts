/**
 * The Prometheus endpoint as the background host runs it: real monitor module, real /proc, real
 * HTTP(S) server on 127.0.0.1, output read by an independent parser of the text format.
 */
import { homeWithConfig } from '../helpers/home';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { request as httpsRequest } from 'node:https';
import { composeServices, type ComposedServices } from '../../src/hosts/runtime';
import { createMonitorModule } from '../../src/services/monitor/module';
import { createFleetModule } from '../../src/services/fleet/module';

interface Family {
  name: string;
  type: string;
  help: string;
  metrics: Array<{ value?: string; labels?: Record<string, string> }>;
}
const parsePrometheusTextFormat = createRequire(import.meta.url)('parse-prometheus-text-format') as (
  text: string,
) => Family[];

const TOKEN = 's3cret-token-for-tests';

function setup(fleet: unknown): { env: NodeJS.ProcessEnv; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'ainl-fleet-metrics-'));
  const env = homeWithConfig(root, { monitor: { intervalS: 1, unitsEveryS: 0 }, fleet });
  return { env, root };
}

/** Sample lines (not comments, not blank) of an exposition. */
function sampleLines(text: string): string[] {
  return text.split('\n').filter((l) => l && !l.startsWith('#'));
}

describe('fleet metrics endpoint', () => {
  let composed: ComposedServices;
  let root: string;
  let url: string;

  beforeAll(async () => {
    const s = setup({});
    root = s.root;
    writeFileSync(join(root, 'token'), `${TOKEN}\n`);
    writeFileSync(
      join(s.root, 'config', 'ai-native-linux', 'config.json'),
      JSON.stringify({
        monitor: { intervalS: 1, unitsEveryS: 0 },
        fleet: { metrics: { enabled: true, port: 0, bearerTokenFile: join(root, 'token') } },
      }),
    );
    composed = await composeServices(
      'test',
      [
        ['monitor', createMonitorModule],
        ['fleet', createFleetModule],
      ],
      () => undefined,
      s.env,
    );
    const st = await composed.ctx.call('fleet:status', {});
    expect(st.metrics.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    url = st.metrics.url!;
  });

  afterAll(async () => {
    await composed?.dispose();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves every line in a form a Prometheus text-format parser reads', async () => {
    const res = await fetch(url, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const text = await res.text();
    const families = parsePrometheusTextFormat(text);
    const parsed = families.reduce((n, f) => n + f.metrics.length, 0);
    // every sample line became a parsed sample: nothing was skipped or merged
    expect(parsed).toBe(sampleLines(text).length);
    const names = new Set(families.map((f) => f.name));
    // each family appears once (grouped), with its TYPE line
    expect(names.size).toBe(families.length);
    expect(text.split('\n').filter((l) => l.startsWith('# TYPE ')).length).toBe(families.length);
    // the parser is lenient about values, so check them: floats only, no timestamps
    for (const f of families) {
      expect(['COUNTER', 'GAUGE', 'UNTYPED'], f.name).toContain(f.type);
      expect(f.help.length, f.name).toBeGreaterThan(0);
      for (const m of f.metrics) {
        expect(m.value, f.name).toMatch(/^(NaN|[+-]Inf|-?\d+(\.\d+)?(e[+-]?\d+)?)$/);
        expect((m as { timestamp_ms?: string }).timestamp_ms, f.name).toBeUndefined();
      }
    }
    // and the grammar of every sample line: name{label="escaped",…} value
    for (const line of sampleLines(text)) {
      expect(line).toMatch(
        /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"(,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")*\})? \S+$/,
      );
    }
    for (const n of [
      'node_cpu_seconds_total',
      'node_memory_MemAvailable_bytes',
      'node_memory_MemTotal_bytes',
      'node_load1',
      'node_network_receive_bytes_total',
      'node_boot_time_seconds',
      'node_uname_info',
      'ainl_build_info',
      'ainl_monitor_up',
      'ainl_component_up',
      'ainl_monitor_value',
    ]) {
      expect(names, n).toContain(n);
    }
    const cpu = families.find((f) => f.name === 'node_cpu_seconds_total')!;
    expect(cpu.type).toBe('COUNTER');
    const modes = new Set(cpu.metrics.map((m) => m.labels?.mode));
    expect([...modes].sort()).toEqual([
      'idle',
      'iowait',
      'irq',
      'nice',
      'softirq',
      'steal',
      'system',
      'user',
    ]);
    const mem = families.find((f) => f.name === 'node_memory_MemAvailable_bytes')!;
    expect(Number(mem.metrics[0]?.value)).toBeGreaterThan(1024 * 1024);
    const monitorUp = families.find((f) => f.name === 'ainl_component_up')!;
    expect(monitorUp.metrics.find((m) => m.labels?.component === 'monitor')?.value).toBe('1');
    // components that do not run in this host report 0 instead of failing the scrape
    expect(monitorUp.metrics.find((m) => m.labels?.component === 'healing')?.value).toBe('0');
    // filesystems follow node_exporter's labels
    const fs = families.find((f) => f.name === 'node_filesystem_avail_bytes');
    if (fs)
      expect(Object.keys(fs.metrics[0]?.labels ?? {}).sort()).toEqual(['device', 'fstype', 'mountpoint']);
  });

  it('answers 401 without the bearer token, 404 elsewhere, 405 for POST', async () => {
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
    expect(
      (await fetch(url.replace('/metrics', '/nope'), { headers: { Authorization: `Bearer ${TOKEN}` } }))
        .status,
    ).toBe(404);
    expect((await fetch(url, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(
      405,
    );
  });

  it('counts scrapes and reports them in fleet:status', async () => {
    const before = await composed.ctx.call('fleet:status', {});
    await fetch(url, { headers: { Authorization: `Bearer ${TOKEN}` } });
    const after = await composed.ctx.call('fleet:status', {});
    expect(after.metrics.scrapes).toBe(before.metrics.scrapes + 1);
    expect(after.metrics.lastScrapeMs).toBeGreaterThan(0);
  });

  it('renders the same exposition through fleet:metrics', async () => {
    const r = await composed.ctx.call('fleet:metrics', {});
    expect(() => parsePrometheusTextFormat(r.text)).not.toThrow();
    expect(r.text).toContain('# TYPE node_cpu_seconds_total counter');
  });
});

describe('fleet metrics over TLS', () => {
  it('serves HTTPS with a certificate and key from files', async () => {
    const s = setup({});
    const cert = join(s.root, 'cert.pem');
    const key = join(s.root, 'key.pem');
    const r = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
      ],
      {
        encoding: 'utf8',
      },
    );
    expect(r.status, r.stderr).toBe(0);
    writeFileSync(
      join(s.root, 'config', 'ai-native-linux', 'config.json'),
      JSON.stringify({ fleet: { metrics: { enabled: true, port: 0, tlsCertFile: cert, tlsKeyFile: key } } }),
    );
    const composed = await composeServices('test', [['fleet', createFleetModule]], () => undefined, s.env);
    try {
      const st = await composed.ctx.call('fleet:status', {});
      expect(st.metrics.tls).toBe(true);
      expect(st.metrics.url).toMatch(/^https:/);
      const body = await new Promise<string>((resolve, reject) => {
        const req = httpsRequest(st.metrics.url!, { rejectUnauthorized: false }, (res) => {
          let t = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (t += c));
          res.on('end', () => resolve(t));
        });
        req.on('error', reject);
        req.end();
      });
      const families = parsePrometheusTextFormat(body);
      expect(families.find((f) => f.name === 'node_load1')).toBeTruthy();
      // the monitor does not run here: the endpoint still answers, and says so
      expect(
        families
          .find((f) => f.name === 'ainl_component_up')
          ?.metrics.find((m) => m.labels?.component === 'monitor')?.value,
      ).toBe('0');
    } finally {
      await composed.dispose();
      rmSync(s.root, { recursive: true, force: true });
    }
  });

  it('reports a clear problem when only the certificate is given, and keeps running', async () => {
    const s = setup({ metrics: { enabled: true, port: 0, tlsCertFile: '/nonexistent/cert.pem' } });
    const composed = await composeServices('test', [['fleet', createFleetModule]], () => undefined, s.env);
    try {
      const st = await composed.ctx.call('fleet:status', {});
      expect(st.metrics.url).toBeNull();
      expect(st.metrics.error).toMatch(/tlsCertFile and tlsKeyFile go together/);
    } finally {
      await composed.dispose();
      rmSync(s.root, { recursive: true, force: true });
    }
  });
});
