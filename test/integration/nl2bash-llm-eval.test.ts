/**
 * CONTRACT TEST (a local HTTP server speaking the OpenAI chat-completions API, not a real model):
 * `npm run eval -- nl2bash --llm URL --model NAME` scores what a user with that model configured
 * gets — the model's commands first, the offline engine's after — and falls back per request.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { main } from '../eval/nl2bash';
import { runMain } from '../helpers/runMain';

const rows = [
  { nl: 'list the files here with their sizes', cmd: 'ls -l' },
  { nl: 'count the lines of notes.txt', cmd: 'wc -l notes.txt' },
  { nl: 'show the disks and their free space', cmd: 'df -h' },
];
let dir: string;
let file: string;
let server: Server;
let url: string;
const seen: Array<{ model?: string; authorization?: string }> = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ainl-llm-eval-'));
  file = join(dir, 'rows.jsonl');
  writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const j = JSON.parse(body) as { model?: string; messages?: Array<{ content: string }> };
      seen.push({ model: j.model, authorization: req.headers.authorization });
      const asked = j.messages?.map((m) => m.content).join('\n') ?? '';
      const row = rows.find((r) => asked.includes(r.nl));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ choices: [{ message: { content: row ? row.cmd : 'no idea' } }] }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
});

describe('nl2bash eval with an LLM endpoint', () => {
  it("scores the model's commands first and names the model", async () => {
    const { out, code } = await runMain(main, [
      '--data',
      file,
      '--json',
      '--llm',
      url,
      '--model',
      'test-model',
    ]);
    expect(code).toBeUndefined();
    const r = JSON.parse(out) as Record<string, unknown>;
    expect(r).toMatchObject({ count: 3, nlc2cmd_top1: 1, nlc2cmd_top5: 1, exact_top1: 1 });
    expect(r.llm).toBe('test-model');
    expect(r.llm_failed).toBe(0);
    expect(seen.map((s) => s.model)).toEqual(['test-model', 'test-model', 'test-model']);
  });

  it('falls back to the offline engine per request when the endpoint is dead', async () => {
    const offline = JSON.parse((await runMain(main, ['--data', file, '--json'])).out) as Record<
      string,
      number
    >;
    const dead = await new Promise<string>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const port = (s.address() as AddressInfo).port;
        s.close(() => resolve(`http://127.0.0.1:${port}/v1`));
      });
    });
    const { out, err } = await runMain(main, ['--data', file, '--json', '--llm', dead, '--model', 'm']);
    const r = JSON.parse(out) as Record<string, number>;
    expect(r.llm_failed).toBe(3);
    expect(r.nlc2cmd_top1).toBe(offline.nlc2cmd_top1);
    expect(r.nlc2cmd_top5).toBe(offline.nlc2cmd_top5);
    expect(err).toContain('LLM');
  });

  it('refuses a malformed endpoint or a missing model with exit code 2', async () => {
    for (const argv of [
      ['--llm', 'not-a-url', '--model', 'm'],
      ['--llm', url],
      ['--llm', url, '--model', 'm', '--llm-timeout', 'soon'],
    ]) {
      const { out, err, code } = await runMain(main, ['--data', file, '--json', ...argv]);
      expect(code).toBe(2);
      expect(out).toBe('');
      expect(err.trim().split('\n')).toHaveLength(1);
    }
  });
});
