/** Runs the `ainl` CLI from source (under tsx) as a user would, collecting its exit code and output. */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const AINL = resolve(import.meta.dirname, '../../src/cli/ainl.ts');

export function runAinl(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((res) => {
    const child = spawn(process.execPath, ['--import', 'tsx', AINL, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => res({ code, stdout, stderr }));
  });
}
