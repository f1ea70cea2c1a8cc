/** Whether a path is a regular file this process may execute (a directory with x bits is not). */
import { accessSync, constants, statSync } from 'node:fs';

export function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
