#!/usr/bin/env bash
# `npm test`: lint, typecheck, build, unit + integration (vitest), e2e (Playwright in Debian's
# Chromium). Every step runs even if an earlier one failed; the last line is "N passed, N failed, N skipped".
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p reports
rm -f reports/vitest.json reports/playwright.json reports/steps.txt
export CI="${CI:-}"

step() {
  local name="$1"
  shift
  printf '\n\033[1m--- %s\033[0m\n' "$name"
  local t0=$SECONDS
  if "$@"; then
    echo "pass $name $((SECONDS - t0))s" >> reports/steps.txt
  else
    echo "fail $name $((SECONDS - t0))s" >> reports/steps.txt
  fi
}

step lint npm run --silent lint
step typecheck npm run --silent typecheck
step build npm run --silent build
step "unit+integration" npx vitest run --reporter=default --reporter=json --outputFile.json=reports/vitest.json
step e2e env CI=1 npx playwright test
node scripts/summarize.mjs
