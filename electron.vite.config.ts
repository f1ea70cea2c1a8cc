import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// One build produces every runnable piece:
//   out/main/index.js        Electron main (the desktop app)
//   out/main/cli.js          `ainl` (plain Node: serve mode, headless daemon, status)
//   out/main/questlog.js     `questlog` CLI      out/main/ai.js   `ai` CLI
//   out/main/background.js   background host (utilityProcess under Electron, forked child under Node)
//   out/main/ptyHost.js      pty host
//   out/main/rootHelper.js   the root helper (D-Bus system service, run by systemd)
//   out/preload/index.cjs    sandboxed preload (CommonJS)
//   out/renderer/            the Svelte renderer
const root = import.meta.dirname;
const alias = { '@shared': resolve(root, 'src/shared') };

const mainEntries = Object.fromEntries(
  Object.entries({
    index: 'src/main/index.ts',
    cli: 'src/cli/ainl.ts',
    questlog: 'src/cli/questlog.ts',
    ai: 'src/cli/ai.ts',
    background: 'src/hosts/background.ts',
    ptyHost: 'src/hosts/ptyHost.ts',
    rootHelper: 'helpers/rootHelper.ts',
  })
    // an entry whose source is not there yet is skipped rather than failing the whole build
    .filter(([, file]) => existsSync(resolve(root, file)))
    .map(([name, file]) => [name, resolve(root, file)]),
);

export default defineConfig({
  main: {
    resolve: { alias },
    build: {
      externalizeDeps: true,
      rollupOptions: {
        input: mainEntries,
      },
    },
  },
  preload: {
    resolve: { alias },
    build: {
      rollupOptions: {
        input: { index: resolve(root, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    resolve: { alias },
    plugins: [svelte({ configFile: resolve(root, 'svelte.config.mjs') })],
    build: {
      minify: true,
      rollupOptions: {
        input: { index: resolve(root, 'src/renderer/index.html') },
      },
    },
  },
});
