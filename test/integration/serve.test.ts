import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { startServe, type ServeProcess } from '../helpers/serve';

let s: ServeProcess;

beforeAll(async () => {
  s = await startServe();
});
afterAll(async () => {
  await s?.stop();
});

function connect(opts: { token?: string; origin?: string; host?: string } = {}): Promise<WebSocket> {
  const token = opts.token ?? s.token;
  const headers: Record<string, string> = {};
  if (opts.host) headers.Host = opts.host;
  const ws = new WebSocket(`ws://127.0.0.1:${s.port}/api?token=${encodeURIComponent(token)}`, {
    headers,
    ...(opts.origin !== undefined ? { origin: opts.origin } : {}),
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

let nextId = 1;
function call(ws: WebSocket, channel: string, payload: unknown): Promise<Record<string, unknown>> {
  const id = nextId++;
  return rawCall(ws, JSON.stringify({ id, channel, payload }), id);
}
function rawCall(ws: WebSocket, text: string, id: number | null): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMsg = (data: WebSocket.RawData): void => {
      const msg = JSON.parse(data.toString()) as Record<string, unknown>;
      if ('event' in msg || msg.id !== id) return;
      ws.off('message', onMsg);
      resolve(msg);
    };
    ws.on('message', onMsg);
    ws.send(text);
  });
}

describe('serve mode over WebSocket (real server, real background host)', () => {
  it("answers system:overview with this machine's data for the right token and Origin", async () => {
    const ws = await connect({ origin: `http://127.0.0.1:${s.port}` });
    const r = await call(ws, 'system:overview', {});
    expect(r.ok).toBe(true);
    const value = r.value as { kernel: string; hostname: string; cpu: { cores: number } };
    expect(value.kernel).toBe(execFileSync('uname', ['-r']).toString().trim());
    expect(value.cpu.cores).toBeGreaterThan(0);
    const st = await call(ws, 'app:status', {});
    expect(st).toMatchObject({ ok: true, value: { transport: 'websocket' } });
    const hosts = (st.value as { hosts: Array<{ name: string; state: string }> }).hosts;
    expect(hosts.find((h) => h.name === 'background')?.state).toBe('running');
    ws.close();
  });

  it('refuses a bad token, a foreign Origin and a foreign Host before upgrading', async () => {
    await expect(connect({ token: 'wrong' })).rejects.toThrow(/401/);
    await expect(connect({ token: '' })).rejects.toThrow(/401/);
    await expect(connect({ origin: 'http://evil.example' })).rejects.toThrow(/403/);
    await expect(connect({ origin: `http://127.0.0.1:${s.port + 1}` })).rejects.toThrow(/403/);
    await expect(connect({ host: `attacker.example:${s.port}` })).rejects.toThrow(/421/);
  });

  it('answers invalid payloads, unknown channels and malformed messages with problem codes', async () => {
    const ws = await connect();
    expect(await call(ws, 'system:overview', { refresh: 'soon' })).toMatchObject({
      ok: false,
      problem: 'invalid-input',
    });
    expect(await call(ws, 'system:overview', { extra: 1 })).toMatchObject({
      ok: false,
      problem: 'invalid-input',
    });
    expect(await call(ws, 'system:shutdown', {})).toMatchObject({ ok: false, problem: 'not-found' });
    expect(await rawCall(ws, '{not json', null)).toMatchObject({
      id: null,
      ok: false,
      problem: 'invalid-input',
    });
    expect(await rawCall(ws, JSON.stringify({ channel: 'system:overview' }), null)).toMatchObject({
      problem: 'invalid-input',
    });
    // still serving after all that
    expect(await call(ws, 'system:overview', {})).toMatchObject({ ok: true });
    ws.close();
  });

  it('closes the connection on an oversized message instead of buffering it', async () => {
    const ws = await connect();
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    ws.send('x'.repeat(2 * 1024 * 1024));
    expect(await closed).toBe(1009);
  });

  it('serves the renderer with a strict CSP and refuses path traversal', async () => {
    const res = await fetch(`http://127.0.0.1:${s.port}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(await res.text()).toMatch(/<div id="app">/);
    const trav = await fetch(`http://127.0.0.1:${s.port}/..%2f..%2fpackage.json`);
    expect([403, 404]).toContain(trav.status);
    expect((await fetch(`http://127.0.0.1:${s.port}/nope.js`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${s.port}/`, { method: 'POST' })).status).toBe(405);
  });

  it('embeds a fresh overview in the page only for a caller with the token; hashed assets are cached', async () => {
    const ws = await connect();
    expect(await call(ws, 'system:overview', {})).toMatchObject({ ok: true }); // the host is up
    ws.close();
    const snapshot = /<script type="application\/json" id="ainl-initial">([^<]*)<\/script>/;
    // the server waits at most 250 ms for the backend: a busy machine may miss it once
    let page = '';
    let m: RegExpExecArray | null = null;
    for (let attempt = 0; attempt < 3 && !m; attempt++) {
      const res = await fetch(`http://127.0.0.1:${s.port}/?token=${encodeURIComponent(s.token)}`);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
      page = await res.text();
      m = snapshot.exec(page);
    }
    expect(m).not.toBeNull();
    const snap = JSON.parse(m?.[1] ?? '') as { at: number; overview: { kernel: string } };
    expect(snap.overview.kernel).toBe(execFileSync('uname', ['-r']).toString().trim());
    expect(Math.abs(Date.now() - snap.at)).toBeLessThan(10_000);
    // the block sits before </body>, after the page's own markup
    expect(page.indexOf('id="ainl-initial"')).toBeGreaterThan(page.indexOf('<div id="app">'));
    // no token, a wrong token: the same page without machine data
    for (const q of ['', '?token=wrong']) {
      const other = await fetch(`http://127.0.0.1:${s.port}/${q}`);
      expect(other.status).toBe(200);
      expect(await other.text()).not.toContain('ainl-initial');
    }
    const asset = /src="\.\/(assets\/[^"]+\.js)"/.exec(page)?.[1] ?? '';
    expect(asset).not.toBe('');
    const js = await fetch(`http://127.0.0.1:${s.port}/${asset}`);
    expect(js.headers.get('cache-control')).toMatch(/immutable/);
    expect((await fetch(`http://127.0.0.1:${s.port}/favicon.svg`)).headers.get('cache-control')).toBe(
      'no-cache',
    );
  });

  it('reads and writes the user config through config:get/config:set, refusing bad values', async () => {
    const ws = await connect();
    const before = await call(ws, 'config:get', {});
    expect(before).toMatchObject({ ok: true, value: { problems: [], config: { ui: { theme: 'system' } } } });
    const set = await call(ws, 'config:set', { patch: { ui: { theme: 'dark' } } });
    expect(set).toMatchObject({ ok: true, value: { config: { ui: { theme: 'dark' } } } });
    const file = (set.value as { userFile: string }).userFile;
    expect(file.startsWith(s.home)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ ui: { theme: 'dark' } });
    const bad = await call(ws, 'config:set', { patch: { ui: { theme: 'neon' } } });
    expect(bad).toMatchObject({ ok: false, problem: 'invalid-input' });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ ui: { theme: 'dark' } });
    // the background host was restarted with the new config and still serves
    expect(await call(ws, 'system:overview', {})).toMatchObject({ ok: true });
    ws.close();
  });

  it('reports a bad config field as a visible problem and keeps serving', async () => {
    const s2 = await startServe({ AINL_SERVE__PORT: '"not a port"' });
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${s2.port}/api?token=${s2.token}`);
      await new Promise((r) => ws.once('open', r));
      const id = 99;
      const r = await rawCall(ws, JSON.stringify({ id, channel: 'app:status', payload: {} }), id);
      const problems = (r.value as { configProblems: Array<{ path: string }> }).configProblems;
      expect(problems.map((p) => p.path)).toContain('serve.port');
      ws.close();
    } finally {
      await s2.stop();
    }
  });
});
