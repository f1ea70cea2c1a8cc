// Draws the app and tray icons as SVG and renders them to PNG in Debian's Chromium:
//   resources/icons/app.svg, app.png (512), icon-256.png
//   resources/icons/tray-<ok|warning|critical|healing>-<light|dark>.svg/.png (22 px and @2x 44 px)
// "light"/"dark" name the panel the icon sits on (dark glyph on light panels and vice versa).
// Run: node scripts/make-icons.mjs   (needs /usr/bin/chromium; the PNGs are committed)
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';

const out = join(import.meta.dirname, '..', 'resources', 'icons');
mkdirSync(out, { recursive: true });

const pulse = 'M4.5 13.5 H8 L10 7 L13 17 L15 11 L16.5 13.5 H19.5';
const app = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#3b82f6"/><stop offset="1" stop-color="#1d4ed8"/></linearGradient></defs>
  <rect x="1" y="1" width="22" height="22" rx="5" fill="url(#g)"/>
  <path d="${pulse}" fill="none" stroke="#fff" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round"/>
</svg>`;

const badge = {
  ok: '',
  warning: '<circle cx="18.5" cy="5.5" r="4" fill="#f59e0b" stroke="BG" stroke-width="1.2"/>',
  critical: '<circle cx="18.5" cy="5.5" r="4" fill="#ef4444" stroke="BG" stroke-width="1.2"/>',
  healing:
    '<circle cx="18.5" cy="5.5" r="4" fill="#3b82f6" stroke="BG" stroke-width="1.2"/><path d="M16.8 5.5 a1.7 1.7 0 1 0 0.6 -1.3" fill="none" stroke="#fff" stroke-width="1" stroke-linecap="round"/>',
};
const glyph = { light: '#2e3436', dark: '#f2f2f2' };
const panel = { light: '#f6f6f6', dark: '#242424' };

function tray(state, variant) {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">
  <rect x="2" y="3" width="20" height="18" rx="4" fill="none" stroke="${glyph[variant]}" stroke-width="1.6"/>
  <path d="${pulse}" fill="none" stroke="${glyph[variant]}" stroke-width="1.7" stroke-linecap="round" stroke-linejoin="round"/>
  ${badge[state].replaceAll('BG', panel[variant])}
</svg>`;
}

const jobs = [['app', app, [512, 256]]];
for (const state of Object.keys(badge)) {
  for (const variant of ['light', 'dark'])
    jobs.push([`tray-${state}-${variant}`, tray(state, variant), [22, 44]]);
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
const page = await browser.newPage();
for (const [name, svg, sizes] of jobs) {
  writeFileSync(join(out, `${name}.svg`), svg + '\n');
  for (const size of sizes) {
    await page.setViewportSize({ width: size, height: size });
    await page.setContent(
      `<html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`,
    );
    const suffix = name === 'app' ? (size === 512 ? '' : `-${size}`) : size === 44 ? '@2x' : '';
    const file = name === 'app' && size === 256 ? 'icon-256' : `${name}${suffix}`;
    await page.screenshot({ path: join(out, `${file}.png`), omitBackground: true });
  }
}
await browser.close();
console.log(`wrote ${jobs.length} icons to ${out}`);
