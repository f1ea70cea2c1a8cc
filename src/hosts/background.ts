/**
 * Background host entry: Quest Log, Kernel Monitor, assistant and system services.
 * Runs as an Electron utilityProcess, as a Node child forked by `ainl serve`, and headless
 * (`ainl daemon`) under a systemd user unit.
 */
import { runHost } from './runtime';
import { backgroundServices } from './backgroundServices';

void runHost('background', backgroundServices).catch((err: unknown) => {
  process.stderr.write(`background host failed: ${String(err)}\n`);
  process.exit(1);
});
