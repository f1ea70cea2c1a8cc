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
//   out/preload/index.js     sandboxed preload (CommonJS)
//   out/renderer/            the Svelte renderer
const alias = { '@shared': resolve(__dirname, 'src/shared') };

export default defineConfig({
  main: {
    resolve: { alias },
    build: {
      externalizeDeps: true,
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          cli: resolve(__dirname, 'src/cli/ainl.ts'),
          questlog: resolve(__dirname, 'src/cli/questlog.ts'),
          ai: resolve(__dirname, 'src/cli/ai.ts'),
          background: resolve(__dirname, 'src/hosts/background.ts'),
          ptyHost: resolve(__dirname, 'src/hosts/ptyHost.ts'),
          rootHelper: resolve(__dirname, 'helpers/rootHelper.ts'),
        },
      },
    },
  },
  preload: {
    resolve: { alias },
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    resolve: { alias },
    plugins: [svelte()],
    build: {
      rollupOptions: {
        input: { index: resolve(__dirname, 'src/renderer/index.html') },
      },
    },
  },
});
