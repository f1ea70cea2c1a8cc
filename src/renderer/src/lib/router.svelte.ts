/** Hash routes: #/popup (tray popup), #/terminal, #/dashboard, #/questlog, #/services, #/settings. */
export const PAGES = ['popup', 'terminal', 'dashboard', 'questlog', 'services', 'settings'] as const;
export type Page = (typeof PAGES)[number];

function parse(hash: string): Page {
  const name = hash.replace(/^#\/?/, '').split(/[?/]/)[0] ?? '';
  return (PAGES as readonly string[]).includes(name) ? (name as Page) : 'popup';
}

class Router {
  page = $state<Page>(parse(location.hash));

  constructor() {
    addEventListener('hashchange', () => (this.page = parse(location.hash)));
  }

  go(page: Page): void {
    location.hash = `/${page}`;
  }
}

export const router = new Router();
