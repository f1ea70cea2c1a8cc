/**
 * UI bench: `npm run --silent bench -- ui [--json] [--runs N]` (after `npm run build`).
 *
 *  popup_first_render_ms  Chromium (Debian's /usr/bin/chromium, headless) against the real `serve`
 *                         backend: navigation start → the overview card shows data (the kernel
 *                         release is in the DOM), measured in the page by a MutationObserver on
 *                         performance.now(); median of N cold page loads (new browser context each,
 *                         so no HTTP cache) after one warm-up load that starts the background host.
 *  renderer_js_gzip_kb    gzip -9 size of every JavaScript file the renderer build ships
 *                         (out/renderer/assets/*.js), in kB (1000 bytes).
 * Extra fields: the initial chunk alone (what the popup loads), p90/min/max, runs.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { cpus, loadavg } from 'node:os';
import { chromium } from '@playwright/test';
import { repoRoot, startServe } from '../helpers/serve';

const ASSETS = join(repoRoot, 'out', 'renderer', 'assets');

/** Records performance.now() (ms since navigation start) when the overview card shows the kernel. */
const FIRST_RENDER_PROBE = `
(() => {
  const check = () => {
    const k = document.querySelector('[data-testid="kernel"]');
    if (k && k.textContent && k.textContent.trim()) { window.__firstRender = performance.now(); const n = performance.getEntriesByType('navigation')[0]; window.__dcl = n ? n.domContentLoadedEventEnd : -1; return true; }
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
  // --cold: a new browser context (a new renderer process) per load; by default one page is
  // reloaded, as the Electron popup window is created once and kept (hidden) between tray clicks
  const cold = argv.includes('--cold');
  const shared = cold ? null : await browser.newContext({ viewport: { width: 400, height: 600 } });
  try {
    for (let i = 0; i <= runs; i++) {
      const ctx = shared ?? (await browser.newContext({ viewport: { width: 400, height: 600 } }));
      const page = await ctx.newPage();
      // a string, not a function: tsx would wrap a function with helpers the page does not have
      await page.addInitScript({ content: FIRST_RENDER_PROBE });
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
      const dcl = (await page.evaluate(() => (window as unknown as { __dcl?: number }).__dcl)) ?? -1;
      if (i > 0) {
        times.push(t);
        dcls.push(dcl);
      } // run 0 warms up the backend (background host start, system:overview cache)
      process.stderr.write(
        `run ${i}${i === 0 ? ' (warm-up)' : ''}: ${t.toFixed(1)} ms (scripts done at ${dcl.toFixed(1)} ms)\n`,
      );
      if (shared) await page.close();
      else await ctx.close();
    }
  } finally {
    await shared?.close();
    await browser.close();
    await serve.stop();
  }
  const sorted = [...times].sort((a, b) => a - b);
  const result = {
    popup_first_render_ms: Math.round(quantile(sorted, 0.5) * 10) / 10,
    renderer_js_gzip_kb: gzipKb(js),
    popup_first_render_p90_ms: Math.round(quantile(sorted, 0.9) * 10) / 10,
    popup_first_render_min_ms: Math.round((sorted[0] ?? NaN) * 10) / 10,
    popup_first_render_max_ms: Math.round((sorted[sorted.length - 1] ?? NaN) * 10) / 10,
    initial_js_gzip_kb: gzipKb(entry),
    dom_content_loaded_ms:
      Math.round(
        quantile(
          [...dcls].sort((a, b) => a - b),
          0.5,
        ) * 10,
      ) / 10,
    runs: times.length,
    renderer_process: cold ? 'new per load' : 'kept (as the Electron popup window)',
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
