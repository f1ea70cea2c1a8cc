/**
 * Commands typed in an AI terminal reach the Quest Log: the terminal loads the Quest Log's own
 * shell hooks (resources/shell/questlog.{bash,zsh}), the hook writes a spool record, and the Quest
 * Log's ingester turns it into a row. Skipped, with the reason, where those files are absent.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Emit } from '../../src/services/core/dispatcher';
import { TerminalService } from '../../src/services/terminal/service';

const hookDir = resolve('resources/shell');
const spoolModule = resolve('src/services/questlog/spool.ts');
const storeModule = resolve('src/services/questlog/store.ts');
const haveHooks = existsSync(join(hookDir, 'questlog.bash')) && existsSync(join(hookDir, 'questlog.zsh'));
const haveZsh = ['/usr/bin/zsh', '/bin/zsh'].some((p) => existsSync(p));

const root = mkdtempSync(join(tmpdir(), 'ainl-term-ql-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function waitFor(cond: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.skipIf(!haveHooks)(
  'terminal → Quest Log hook (skipped: resources/shell/questlog.{bash,zsh} not present)',
  () => {
    for (const shell of ['bash', 'zsh'] as const) {
      it.skipIf(shell === 'zsh' && !haveZsh)(
        `${shell}: a command run in the terminal is spooled and ingested`,
        async () => {
          const home = join(root, `home-${shell}`);
          const data = join(root, `data-${shell}`);
          mkdirSync(home, { recursive: true });
          writeFileSync(join(home, shell === 'bash' ? '.bashrc' : '.zshrc'), '');
          const out: string[] = [];
          const emit: Emit = (event, payload) => {
            if (event === 'terminal:data') out.push((payload as { data: string }).data);
          };
          const svc = new TerminalService({
            emit,
            runtimeDir: join(root, 'run'),
            hookDir,
            env: {
              PATH: process.env.PATH ?? '/usr/bin:/bin',
              HOME: home,
              LANG: 'C.UTF-8',
              XDG_DATA_HOME: data,
              QL_QUIET: '1',
            },
          });
          try {
            const r = svc.create({ cols: 100, rows: 30, shell, cwd: root });
            expect(r.questlogHook).toBe(true);
            svc.get(r.id).write(`echo ql-marker-${shell}-$((5*5))\r`);
            await waitFor(() => out.join('').includes(`ql-marker-${shell}-25`), 'the command output');
            const spoolDir = join(data, 'ai-native-linux', 'spool');
            const spooled = (): boolean =>
              existsSync(spoolDir) &&
              readdirSync(spoolDir).some((f) =>
                readFileSync(join(spoolDir, f), 'latin1').includes(`echo ql-marker-${shell}-$((5*5))`),
              );
            await waitFor(spooled, 'the spool record');
            if (existsSync(spoolModule) && existsSync(storeModule)) {
              const { ingestSpools } = (await import(pathToFileURL(spoolModule).href)) as {
                ingestSpools: (s: unknown, dir: string, o?: unknown) => { commands: number };
              };
              const { QuestlogStore } = (await import(pathToFileURL(storeModule).href)) as {
                QuestlogStore: new (f: string) => {
                  newerThan(a: number, b: number): { commands: unknown[] };
                  close(): void;
                };
              };
              const store = new QuestlogStore(join(data, 'questlog.db'));
              try {
                const res = ingestSpools(store, spoolDir, { isAlive: () => true });
                expect(res.commands).toBeGreaterThanOrEqual(1);
                const rows = store.newerThan(0, 0).commands;
                expect(JSON.stringify(rows)).toContain(`ql-marker-${shell}`);
              } finally {
                store.close();
              }
            }
          } finally {
            await svc.dispose(500);
          }
        },
      );
    }
  },
);
