/** The assistant as a background-host service: assistant:* channels over AssistantService. */
import type { ServiceFactory } from '../core/module';
import { AssistantService } from './service';

/** How long after start the assistant loads its engine in the background. */
export const WARM_UP_DELAY_MS = 3000;

export const createAssistantModule: ServiceFactory = (ctx) => {
  // recent failed commands, fed from the Quest Log (below); the context analyser reads them
  const failures: Array<{ command: string; exitCode: number }> = [];
  const service = new AssistantService({
    config: ctx.config.assistant,
    dataDir: ctx.paths.dataDir,
    events: ctx.events,
    failures: { recentFailures: (n) => failures.slice(-n) },
    onLlmChunk: (id, text, done) => ctx.emit('assistant:llmChunk', { id, text, done }),
    log: ctx.log,
  });
  // load the grammar and knowledge base off the request path, once the host's start-up calls
  // (the first page's overview, the monitor's first samples) are answered; a suggestion asked
  // for earlier loads it at once
  const warmUp = setTimeout(() => {
    void service
      .init()
      .catch((err: unknown) =>
        ctx.log.warn('assistant: init failed', { error: err instanceof Error ? err.message : String(err) }),
      );
  }, WARM_UP_DELAY_MS);
  warmUp.unref();

  // Exit codes "from the Quest Log": when it stores new shell commands, attach their exit codes
  // to the suggestions they came from (history success rates re-rank later candidates).
  let since = Date.now();
  let busy = false;
  const unsubscribe = ctx.subscribe('questlog:appended', (p) => {
    if (p.commands <= 0 || busy) return;
    busy = true;
    ctx
      .call('questlog:search', { since, limit: 200, order: 'oldest', countLimit: 0 })
      .then((res) => {
        for (const c of res.items) {
          since = Math.max(since, c.ts + 1);
          service.recordExit(c.command, c.exit, c.ts);
          if (c.exit !== 0) {
            failures.push({ command: c.command, exitCode: c.exit });
            if (failures.length > 20) failures.shift();
          }
        }
      })
      .catch(() => undefined) // the Quest Log may be absent (e.g. in the CLI); history still works
      .finally(() => {
        busy = false;
      });
  });

  return {
    name: 'assistant',
    handlers: {
      'assistant:suggest': (req, call) => service.suggest(req, call.signal),
      'assistant:explain': (req) => service.explain(req.command),
      'assistant:check': (req) => service.check(req.command),
      'assistant:feedback': (req) => service.feedback(req),
      'assistant:history': (req) => service.historyList(req.limit ?? 50, req.search),
    },
    dispose: () => {
      clearTimeout(warmUp);
      unsubscribe();
      service.close();
    },
  };
};
