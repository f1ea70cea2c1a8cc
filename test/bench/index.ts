/**
 * `npm run --silent bench -- <suite> [--json] [...]`: runs test/bench/<suite>.ts.
 * Each suite exports `main(argv)` and prints exactly one JSON object on stdout with --json
 * (progress and human output go to stderr).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

async function dispatch(kind: 'bench' | 'eval', dir: string): Promise<void> {
  const [name, ...rest] = process.argv.slice(2);
  const suites = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts' && !f.endsWith('.test.ts') && !f.startsWith('_'))
    .map((f) => f.slice(0, -3));
  if (!name || name === '--help' || name === '-h') {
    process.stderr.write(`usage: npm run --silent ${kind} -- <${suites.join('|')}> [--json] [options]\n`);
    process.exit(name ? 0 : 2);
  }
  const file = join(dir, `${name}.ts`);
  if (!suites.includes(name) || !existsSync(file)) {
    process.stderr.write(`${kind}: unknown suite "${name}"; one of: ${suites.join(', ')}\n`);
    process.exit(2);
  }
  const mod = (await import(pathToFileURL(file).href)) as { main: (argv: string[]) => Promise<void> };
  await mod.main(rest);
}

export { dispatch };

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  dispatch('bench', import.meta.dirname).catch((err: unknown) => {
    process.stderr.write(
      `bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
    );
    process.exit(1);
  });
}
