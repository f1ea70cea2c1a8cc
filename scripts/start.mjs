// `npm start`: the desktop app through electron-vite. Electron fetches its binary on first use; where
// that cannot happen (an offline build machine) this says so in one line and points to serve mode.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(import.meta.dirname, '..', 'node_modules', 'electron');
const binary = () => {
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const full = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(full) ? full : null;
};

if (!existsSync(dir)) {
  console.error(
    'npm start: Electron is not installed; run "npm ci" first, or use "npm run serve" for the browser UI.',
  );
  process.exit(1);
}
if (!binary()) {
  // one quiet try at the download Electron would do itself
  spawnSync(process.execPath, [join(dir, 'install.js')], { stdio: 'ignore', timeout: 120_000 });
}
if (!binary()) {
  console.error(
    'npm start: the Electron binary could not be downloaded on this machine; run the same UI in a browser with "npm run serve".',
  );
  process.exit(1);
}
const r = spawnSync('npx', ['electron-vite', 'preview'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
