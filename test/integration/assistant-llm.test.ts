/**
 * CONTRACT TEST of the optional LLM provider against a local HTTP server that speaks the
 * OpenAI-compatible chat-completions API (the shape Ollama and llama.cpp serve): streaming (SSE),
 * plain JSON, timeout, HTTP errors and a dead endpoint, each falling back to the offline engine.
 * Every LLM command goes through the same safety checker.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/shared/config/schema';
import { askLlm, parseCommands } from '../../src/services/assistant/llm';
import { AssistantService } from '../../src/services/assistant/service';

type Mode = 'stream' | 'json' | 'slow' | 'error' | 'dangerous' | 'empty';
let mode: Mode = 'stream';
let lastBody: { model?: string; stream?: boolean; messages?: Array<{ role: string; content: string }> } = {};
let lastAuth: string | undefined;
let server: Server;
let base: string;

function handler(req: IncomingMessage, res: ServerResponse): void {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      res.writeHead(404).end();
      return;
    }
    lastBody = JSON.parse(body) as typeof lastBody;
    lastAuth = req.headers.authorization;
    const answer =
      mode === 'dangerous'
        ? 'rm -rf /\nls -la'
        : mode === 'empty'
          ? 'Sorry, I cannot help with that.'
          : '```bash\ndu -ah ~ | sort -rh | head -n 10\n```\nfind ~ -type f -size +1G';
    if (mode === 'error') {
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"model not loaded"}');
      return;
    }
    if (mode === 'json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ message: { role: 'assistant', content: answer } }] }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const pieces = answer.match(/.{1,7}/gs) ?? [];
    let i = 0;
    const tick = (): void => {
      if (i < pieces.length) {
        res.write(`data: ${JSON.stringify({ choices: [{ delta: { content: pieces[i++] } }] })}\n\n`);
        setTimeout(tick, mode === 'slow' ? 400 : 2);
      } else {
        res.write('data: [DONE]\n\n');
        res.end();
      }
    };
    tick();
  });
}

beforeAll(async () => {
  server = createServer(handler);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

function service(
  over: Partial<ReturnType<typeof defaultConfig>['assistant']['llm']>,
  chunks?: string[],
): AssistantService {
  const cfg = defaultConfig().assistant;
  return new AssistantService({
    config: { ...cfg, llm: { ...cfg.llm, enabled: true, baseUrl: base, model: 'test-model', ...over } },
    dataDir: null,
    onLlmChunk: (_id, text) => chunks?.push(text),
  });
}

describe('LLM provider (contract test against a local OpenAI-compatible server)', () => {
  it('streams, parses commands and sends model, context and the API key', async () => {
    mode = 'stream';
    const chunks: string[] = [];
    const r = await askLlm(
      { baseUrl: base, model: 'm1', apiKey: 'sekret', timeoutMs: 5000, temperature: 0.2, maxTokens: 100 },
      'biggest files',
      { distro: 'Debian 12', shell: 'bash' },
      (t) => chunks.push(t),
    );
    expect(r.commands).toEqual(['du -ah ~ | sort -rh | head -n 10', 'find ~ -type f -size +1G']);
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.join('')).toBe(r.text);
    expect(lastBody).toMatchObject({ model: 'm1', stream: true });
    expect(lastBody.messages?.[0]?.content).toMatch(/Debian 12/);
    expect(lastBody.messages?.[1]).toEqual({ role: 'user', content: 'biggest files' });
    expect(lastAuth).toBe('Bearer sekret');
  });

  it('puts checked LLM candidates first and streams them to listeners', async () => {
    mode = 'stream';
    const chunks: string[] = [];
    const s = service({}, chunks);
    const r = await s.suggest({ request: 'show the biggest files in my home' });
    expect(r.notices).toEqual([]);
    expect(r.llm).toBe('used');
    expect(r.candidates[0]).toMatchObject({
      source: 'llm',
      command: 'du -ah ~ | sort -rh | head -n 10',
      risk: 'safe',
    });
    expect(r.candidates.some((c) => c.source === 'offline')).toBe(true);
    expect(chunks.join('')).toContain('du -ah');
    s.close();
  });

  it('accepts a non-streaming JSON answer', async () => {
    mode = 'json';
    const s = service({});
    const r = await s.suggest({ request: 'show the biggest files in my home' });
    expect(r.llm).toBe('used');
    expect(r.candidates[0]?.source).toBe('llm');
    s.close();
  });

  it('runs LLM output through the safety checker (blocked commands are withheld)', async () => {
    mode = 'dangerous';
    const s = service({});
    const r = await s.suggest({ request: 'clean up my disk' });
    expect(r.candidates.map((c) => c.command)).not.toContain('rm -rf /');
    expect(r.notices.join(' ')).toMatch(/withheld as blocked/);
    expect(r.candidates[0]).toMatchObject({ command: 'ls -la', source: 'llm', risk: 'safe' });
    s.close();
  });

  it('falls back to offline candidates on timeout', async () => {
    mode = 'slow';
    const s = service({ timeoutMs: 300 });
    const t0 = Date.now();
    const r = await s.suggest({ request: 'find files over 1 GB in my home' });
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r.llm).toBe('failed');
    expect(r.notices.join(' ')).toMatch(/did not answer within 300 ms/);
    expect(r.candidates[0]).toMatchObject({ source: 'offline', command: 'find ~ -type f -size +1G' });
    s.close();
  });

  it('falls back on HTTP errors and on an answer without commands', async () => {
    mode = 'error';
    const s = service({});
    const r = await s.suggest({ request: 'find files over 1 GB in my home' });
    expect(r.llm).toBe('failed');
    expect(r.notices.join(' ')).toMatch(/HTTP 500/);
    expect(r.candidates.length).toBeGreaterThan(0);
    mode = 'empty';
    const r2 = await s.suggest({ request: 'find files over 1 GB in my home' });
    expect(r2.llm).toBe('failed');
    expect(r2.notices.join(' ')).toMatch(/no command/);
    s.close();
  });

  it('falls back when the endpoint is dead', async () => {
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const port = (dead.address() as AddressInfo).port;
    await new Promise<void>((r) => dead.close(() => r()));
    const s = service({ baseUrl: `http://127.0.0.1:${port}/v1` });
    const r = await s.suggest({ request: 'find files over 1 GB in my home' });
    expect(r.llm).toBe('failed');
    expect(r.notices.join(' ')).toMatch(/unreachable/);
    expect(r.candidates[0]?.source).toBe('offline');
    s.close();
  });

  it('cleans model output into command lines', () => {
    expect(parseCommands('Here are some options:\n1. `ls -la`\n2. $ ls -lh\n- ls -1\n# comment')).toEqual([
      'ls -la',
      'ls -lh',
      'ls -1',
    ]);
  });
});
