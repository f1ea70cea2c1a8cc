import type { ITheme } from '@xterm/xterm';

/** Whether the app is dark now: an explicit `data-theme` on <html> wins, else the system setting. */
export function isDark(): boolean {
  const forced = document.documentElement.dataset.theme;
  if (forced === 'dark') return true;
  if (forced === 'light') return false;
  return matchMedia('(prefers-color-scheme: dark)').matches;
}

const css = (name: string, fallback: string): string =>
  getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;

const DARK_ANSI = {
  black: '#1f252d',
  red: '#f85149',
  green: '#3fb950',
  yellow: '#d29922',
  blue: '#58a6ff',
  magenta: '#bc8cff',
  cyan: '#39c5cf',
  white: '#c9d1d9',
  brightBlack: '#6e7681',
  brightRed: '#ff7b72',
  brightGreen: '#56d364',
  brightYellow: '#e3b341',
  brightBlue: '#79c0ff',
  brightMagenta: '#d2a8ff',
  brightCyan: '#56d4dd',
  brightWhite: '#f0f6fc',
};
const LIGHT_ANSI = {
  black: '#24292f',
  red: '#cf222e',
  green: '#116329',
  yellow: '#7d4e00',
  blue: '#0550ae',
  magenta: '#8250df',
  cyan: '#1b7c83',
  white: '#6e7781',
  brightBlack: '#57606a',
  brightRed: '#a40e26',
  brightGreen: '#1a7f37',
  brightYellow: '#633c01',
  brightBlue: '#0969da',
  brightMagenta: '#a475f9',
  brightCyan: '#3192aa',
  brightWhite: '#8c959f',
};

/** An xterm theme built from the app's colour tokens, so the terminal matches the window. */
export function terminalTheme(dark = isDark()): ITheme {
  return {
    background: css('--surface', dark ? '#171b21' : '#ffffff'),
    foreground: css('--text', dark ? '#e6e9ee' : '#16191f'),
    cursor: css('--accent', dark ? '#4c8dff' : '#1f6feb'),
    cursorAccent: css('--surface', dark ? '#171b21' : '#ffffff'),
    selectionBackground: dark ? 'rgba(76, 141, 255, 0.35)' : 'rgba(31, 111, 235, 0.22)',
    scrollbarSliderBackground: dark ? 'rgba(154, 164, 178, 0.25)' : 'rgba(91, 100, 114, 0.25)',
    scrollbarSliderHoverBackground: dark ? 'rgba(154, 164, 178, 0.4)' : 'rgba(91, 100, 114, 0.4)',
    ...(dark ? DARK_ANSI : LIGHT_ANSI),
  };
}

/** Calls `cb` whenever the effective theme may have changed; returns the disposer. */
export function onThemeChange(cb: () => void): () => void {
  const mq = matchMedia('(prefers-color-scheme: dark)');
  mq.addEventListener('change', cb);
  const mo = new MutationObserver(cb);
  mo.observe(document.documentElement, {
    attributes: true,
    attributeFilter: ['data-theme', 'class', 'style'],
  });
  return () => {
    mq.removeEventListener('change', cb);
    mo.disconnect();
  };
}
