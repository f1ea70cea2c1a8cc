/**
 * Runs an eval or bench suite's `main(argv)` in this process and captures what it writes to
 * stdout and stderr, and the exit code it sets (process.exitCode), restoring all three after.
 */
export async function runMain(
  main: (argv: string[]) => Promise<void>,
  argv: string[],
): Promise<{ out: string; err: string; code: number | undefined }> {
  let out = '';
  let err = '';
  const w = {
    out: process.stdout.write.bind(process.stdout),
    err: process.stderr.write.bind(process.stderr),
  };
  process.stdout.write = ((s: string) => ((out += s), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => ((err += s), true)) as typeof process.stderr.write;
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await main(argv);
  } finally {
    process.stdout.write = w.out;
    process.stderr.write = w.err;
  }
  const code = process.exitCode as number | undefined;
  process.exitCode = before;
  return { out, err, code };
}
