/**
 * Pty host entry: node-pty terminal sessions in their own process, so a flood of terminal output
 * never starves the background host (monitoring, Quest Log). Runs as an Electron utilityProcess
 * and, under plain Node (serve mode, tests), as a forked child. The backend routes every
 * `terminal:*` channel here (Backend option `routes: { terminal: ptySupervisor }`).
 */
import type { ServiceFactory } from '../services/core/module';
import { createTerminalModule } from '../services/terminal/module';
import { runHost } from './runtime';

const ptyHostServices: Array<[string, ServiceFactory]> = [['terminal', createTerminalModule]];

void runHost('pty', ptyHostServices).catch((err: unknown) => {
  process.stderr.write(`pty host failed: ${String(err)}\n`);
  process.exit(1);
});
