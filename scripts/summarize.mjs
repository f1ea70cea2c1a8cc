// Sums the step results and the vitest/Playwright JSON reports into one closing line.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

for (const line of existsSync('reports/steps.txt')
  ? readFileSync('reports/steps.txt', 'utf8').trim().split('\n')
  : []) {
  const [status, name, secs] = line.split(' ');
  console.log(`${status === 'pass' ? 'ok  ' : 'FAIL'} ${name} (${secs})`);
  // the test runners' own results are counted below; a step failure without a report still counts
  if (status === 'fail') failures.push(`step ${name}`);
}

if (existsSync('reports/vitest.json')) {
  const v = JSON.parse(readFileSync('reports/vitest.json', 'utf8'));
  passed += v.numPassedTests ?? 0;
  failed += v.numFailedTests ?? 0;
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
  for (const f of v.testResults ?? []) {
    for (const a of f.assertionResults ?? [])
      if (a.status === 'failed') failures.push(`${f.name}: ${a.fullName}`);
    if (f.status === 'failed' && !(f.assertionResults ?? []).some((a) => a.status === 'failed')) {
      failed += 1;
      failures.push(`${f.name}: ${f.message ?? 'file failed to run'}`);
    }
  }
} else failures.push('vitest produced no report');

if (existsSync('reports/playwright.json')) {
  const p = JSON.parse(readFileSync('reports/playwright.json', 'utf8'));
  const s = p.stats ?? {};
  passed += s.expected ?? 0;
  failed += (s.unexpected ?? 0) + (s.flaky ?? 0);
  skipped += s.skipped ?? 0;
  const walk = (suite) => {
    for (const spec of suite.specs ?? []) if (!spec.ok) failures.push(`e2e: ${spec.title}`);
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of p.suites ?? []) walk(suite);
  for (const e of p.errors ?? []) failures.push(`e2e: ${e.message?.split('\n')[0]}`);
} else failures.push('playwright produced no report');

const stepFailures = failures.filter((f) => f.startsWith('step ') || f.endsWith('no report'));
failed += stepFailures.filter(
  (f) => f.startsWith('step lint') || f.startsWith('step typecheck') || f.startsWith('step build'),
).length;
failed += stepFailures.filter((f) => f.endsWith('no report')).length;

if (failures.length) {
  console.log('\nFailures:');
  for (const f of failures.slice(0, 50)) console.log(`  - ${f}`);
}
console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || failures.length > 0 ? 1 : 0);
