import type { ServiceFactory } from '../core/module';
import { OverviewCache } from './overview';

export const createSystemModule: ServiceFactory = () => {
  const cache = new OverviewCache();
  void cache.get().catch(() => undefined); // warm the cache off the request path
  return {
    name: 'system',
    handlers: {
      'system:overview': (req) => cache.get(req.refresh ?? false),
    },
    dispose: () => undefined,
  };
};
