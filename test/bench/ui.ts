/**
 * UI bench: `npm run --silent bench -- ui [--json] [--runs N]` (after `npm run build`).
 *
 *  popup_first_render_ms  Chromium (Debian's /usr/bin/chromium, headless) against the real `serve`
 *                         backend: navigation start → the overview card shows data (the kernel
 *                         release is in the DOM), measured in the page by a MutationObserver on
 *                         performance.now(); median of N page loads after one warm-up load that
 *                         starts the background host. Each load is a new tab; the browser context
 *                         (its HTTP cache) is kept between loads by default, as a popup
 *                         window or a browser is; --cold makes a new context per load; --reload
 *                         navigates one tab again for each load, so its renderer process is kept
 *                         as the Electron popup window's is.
 *  renderer_js_gzip_kb    gzip -9 size of every JavaScript file the renderer build ships
 *                         (out/renderer/assets/*.js), in kB (1000 bytes).
 * Extra fields: the initial chunk alone (what the popup loads), p90/min/max, runs, and medians of
 * where a load spends its time: document_created_ms (the renderer has the document: before it,
 * browser and network), html_done_ms (the last byte of the page), main_script_ms (the renderer's
 * main script runs, mark "ainl:main"), ws_open_ms (its WebSocket is open, mark "ainl:ws-open";
 * may come after the first render), dom_content_loaded_ms; runs_with_snapshot counts the loads
 * whose card rendered from the overview serve embedded in the page (mark "ainl:snapshot"; serve
 * leaves it out when the backend takes over 250 ms, and the card then asks over the socket).
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { cpus, loadavg } from 'node:os';
import { chromium, type Page } from '@playwright/test';
import { repoRoot, startServe } from '../helpers/serve';

const ASSETS = join(repoRoot, 'out', 'renderer', 'assets');

/**
 * Records performance.now() (ms since navigation start) when the overview card shows the kernel,
 * and when this document was created (Playwright runs init scripts at document creation).
 */
const FIRST_RENDER_PROBE = `
(() => {
  window.__document = performance.now();
  const check = () => {
    const k = document.querySelector('[data-testid="kernel"]');
    if (k && k.textContent && k.textContent.trim()) { window.__firstRender = performance.now(); return true; }
    return false;
  };
  const obs = new MutationObserver(() => { if (window.__firstRender === undefined && check()) obs.disconnect(); });
  obs.observe(document, { childList: true, subtree: true, characterData: true });
  const frame = () => { if (window.__firstRender === undefined && !check()) requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
})();
`;

function gzipKb(files: string[]): number {
  const bytes = files.reduce((n, f) => n + gzipSync(readFileSync(join(ASSETS, f)), { level: 9 }).length, 0);
  return Math.round(bytes / 100) / 10;
}

function quantile(sorted: number[], q: number): number {
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[i] ?? NaN;
}

export async function main(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const runsArg = argv.indexOf('--runs');
  const runs = runsArg >= 0 ? Number(argv[runsArg + 1]) : 7;
  if (!Number.isInteger(runs) || runs < 1 || runs > 100) {
    process.stderr.write('bench ui: --runs must be an integer from 1 to 100\n');
    process.exit(2);
  }
  if (!existsSync(ASSETS)) throw new Error(`${ASSETS} is missing: run "npm run build" first`);
  const js = readdirSync(ASSETS).filter((f) => f.endsWith('.js'));
  const html = readFileSync(join(repoRoot, 'out', 'renderer', 'index.html'), 'utf8');
  const entry = js.filter((f) => html.includes(f));

  const serve = await startServe();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  const times: number[] = [];
  const dcls: number[] = [];
  const phases: Record<'document' | 'html' | 'main' | 'ws', number[]> = {
    document: [],
    html: [],
    main: [],
    ws: [],
  };
  let withSnapshot = 0;
  // --cold: a new browser context (empty caches) per load; by default the context is kept and each
  // load is a new tab in it; --reload: one tab navigated again per load (renderer process kept, as
  // the Electron popup window is created once and kept between clicks)
  const cold = argv.includes('--cold');
  const reload = !cold && argv.includes('--reload');
  const shared = cold ? null : await browser.newContext({ viewport: { width: 400, height: 600 } });
  let kept: Page | null = null;
  try {
    for (let i = 0; i <= runs; i++) {
      const ctx = shared ?? (await browser.newContext({ viewport: { width: 400, height: 600 } }));
      const page: Page = kept ?? (await ctx.newPage());
      // a string, not a function: tsx would wrap a function with helpers the page does not have;
      // an init script runs again in every document of the page, so it is added once
      if (page !== kept) await page.addInitScript({ content: FIRST_RENDER_PROBE });
      if (reload) kept = page;
      await page.goto(serve.url);
      let t: number;
      try {
        t = (await page
          .waitForFunction(() => (window as unknown as { __firstRender?: number }).__firstRender, undefined, {
            timeout: 30_000,
          })
          .then((h) => h.jsonValue())) as number;
      } catch (err) {
        const text = await page.evaluate(() => document.body.innerText).catch(() => '');
        throw new Error(
          `the popup never showed data: ${(err as Error).message}\npage text: ${text.slice(0, 500)}`,
          { cause: err },
        );
      }
      // the socket may open after the first render (the card does not need it when the page
      // came with its snapshot): give it a moment
      await page
        .waitForFunction(() => performance.getEntriesByName('ainl:ws-open').length > 0, undefined, {
          timeout: 5000,
        })
        .catch(() => undefined);
      // no named functions inside: tsx would wrap them with a helper the page does not have
      const phase = await page.evaluate(() => {
        const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
        return {
          document: (window as unknown as { __document?: number }).__document ?? NaN,
          html: nav ? nav.responseEnd : NaN,
          main: performance.getEntriesByName('ainl:main')[0]?.startTime ?? NaN,
          ws: performance.getEntriesByName('ainl:ws-open')[0]?.startTime ?? NaN,
          snapshot: performance.getEntriesByName('ainl:snapshot').length > 0,
          // read after the socket opened: the card may render before DOMContentLoaded has ended
          dcl: nav && nav.domContentLoadedEventEnd > 0 ? nav.domContentLoadedEventEnd : NaN,
        };
      });
      const dcl = phase.dcl;
      if (i > 0) {
        times.push(t);
        dcls.push(dcl);
        for (const k of Object.keys(phases) as Array<keyof typeof phases>) phases[k].push(phase[k]);
        if (phase.snapshot) withSnapshot++;
      } // run 0 warms up the backend (background host start, system:overview cache)
      process.stderr.write(
        `run ${i}${i === 0 ? ' (warm-up)' : ''}: ${t.toFixed(1)} ms (document ${phase.document.toFixed(0)}, ` +
          `html ${phase.html.toFixed(0)}, main script ${phase.main.toFixed(0)}, scripts done ${dcl.toFixed(0)}, ` +
          `WebSocket open ${phase.ws.toFixed(0)} ms${phase.snapshot ? '' : ', no snapshot in the page'})\n`,
      );
      if (reload) continue;
      if (shared) await page.close();
      else await ctx.close();
    }
  } finally {
    await shared?.close();
    await browser.close();
    await serve.stop();
  }
  const sorted = [...times].sort((a, b) => a - b);
  const median = (xs: number[]): number =>
    Math.round(
      quantile(
        xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b),
        0.5,
      ) * 10,
    ) / 10;
  const result = {
    popup_first_render_ms: Math.round(quantile(sorted, 0.5) * 10) / 10,
    renderer_js_gzip_kb: gzipKb(js),
    popup_first_render_p90_ms: Math.round(quantile(sorted, 0.9) * 10) / 10,
    popup_first_render_min_ms: Math.round((sorted[0] ?? NaN) * 10) / 10,
    popup_first_render_max_ms: Math.round((sorted[sorted.length - 1] ?? NaN) * 10) / 10,
    initial_js_gzip_kb: gzipKb(entry),
    dom_content_loaded_ms: median(dcls),
    document_created_ms: median(phases.document),
    html_done_ms: median(phases.html),
    main_script_ms: median(phases.main),
    ws_open_ms: median(phases.ws),
    runs: times.length,
    /** loads whose card rendered from the overview embedded by serve (the others asked over the socket) */
    runs_with_snapshot: withSnapshot,
    browser_context: cold
      ? 'new per load'
      : reload
        ? 'kept, one tab navigated again'
        : 'kept, new tab per load',
    /** context: first render is CPU-bound in the browser; a busy machine inflates it */
    host_load_1m: Math.round((loadavg()[0] ?? 0) * 100) / 100,
    host_cpus: cpus().length,
    targets: { popup_first_render_ms: 300, renderer_js_gzip_kb: 400 },
  };
  if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else {
    process.stderr.write(
      `popup first render: median ${result.popup_first_render_ms} ms (p90 ${result.popup_first_render_p90_ms}, ${result.runs} runs; target ≤ 300)\n` +
        `renderer JS: ${result.renderer_js_gzip_kb} kB gzip in total, ${result.initial_js_gzip_kb} kB initial (target ≤ 400)\n`,
    );
  }
}
