/** Hash routes: #/popup (tray popup), #/terminal, #/dashboard, #/questlog, #/services, #/settings. */
export const PAGES = ['popup', 'terminal', 'dashboard', 'questlog', 'services', 'settings'] as const;
export type Page = (typeof PAGES)[number];

function parse(hash: string): { page: Page; params: URLSearchParams } {
  const body = hash.replace(/^#\/?/, '');
  const q = body.indexOf('?');
  const path = q >= 0 ? body.slice(0, q) : body;
  const name = path.split('/')[0] ?? '';
  const page = (PAGES as readonly string[]).includes(name) ? (name as Page) : 'popup';
  return { page, params: new URLSearchParams(q >= 0 ? body.slice(q + 1) : '') };
}

class Router {
  #route = $state(parse(location.hash));
  page = $derived(this.#route.page);
  /** the query after the page name, e.g. #/terminal?cmd=df%20-h */
  params = $derived(this.#route.params);

  constructor() {
    addEventListener('hashchange', () => (this.#route = parse(location.hash)));
  }

  go(page: Page, params?: Record<string, string>): void {
    const q = params ? `?${new URLSearchParams(params).toString()}` : '';
    location.hash = `/${page}${q}`;
  }
}

export const router = new Router();
