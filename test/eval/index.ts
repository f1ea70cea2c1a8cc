/**
 * `npm run --silent eval -- <name> [--json] [...]`: runs test/eval/<name>.ts (same convention as bench).
 */
import { dispatch } from '../bench/index';

dispatch('eval', import.meta.dirname).catch((err: unknown) => {
  process.stderr.write(`eval failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
