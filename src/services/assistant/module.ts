/** The assistant as a background-host service: assistant:* channels over AssistantService. */
import type { ServiceFactory } from '../core/module';
import { AssistantService } from './service';

export const createAssistantModule: ServiceFactory = (ctx) => {
  const service = new AssistantService({
    config: ctx.config.assistant,
    dataDir: ctx.paths.dataDir,
    events: ctx.events,
    onLlmChunk: (id, text, done) => ctx.emit('assistant:llmChunk', { id, text, done }),
    log: ctx.log,
  });
  // load the grammar and knowledge base off the request path
  void service.init().catch((err: unknown) => ctx.log.warn('assistant: init failed', { error: err instanceof Error ? err.message : String(err) }));
  return {
    name: 'assistant',
    handlers: {
      'assistant:suggest': (req, call) => service.suggest(req, call.signal),
      'assistant:explain': (req) => service.explain(req.command),
      'assistant:check': (req) => service.check(req.command),
      'assistant:feedback': (req) => service.feedback(req),
      'assistant:history': (req) => service.historyList(req.limit ?? 50, req.search),
    },
    dispose: () => service.close(),
  };
};
