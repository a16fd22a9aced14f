#!/usr/bin/env bash
# Runs every check and test of the workspace, then prints one summary line of test counts.
set -uo pipefail
cd "$(dirname "$0")/.."
export NX_DAEMON=false NX_TUI=false

status=0
npx --no-install nx sync:check || status=1
npx --no-install nx run-many -t typecheck lint --parallel=2 --output-style=static || status=1
rm -rf ./*/*/test-results
npx --no-install nx run-many -t test --parallel=2 --output-style=static || status=1

# Load and latency tests, alone on the machine, one package at a time.
for dir in $(git ls-files '*.load.test.ts' | cut -d/ -f1-2 | sort -u); do
  echo "load tests: $dir"
  (cd "$dir" && RIVULET_TEST_PHASE=load npx --no-install vitest run) || status=1
done

# Sum the per-package Vitest JSON reports (written by vitest.shared.ts).
node --input-type=module -e '
import { readFileSync, readdirSync, existsSync } from "node:fs";
let passed = 0, failed = 0, skipped = 0;
for (const group of ["libs", "apps", "plugins", "tools"]) {
  if (!existsSync(group)) continue;
  for (const name of readdirSync(group)) {
    for (const phase of ["vitest.json", "vitest-load.json"]) {
      const file = `${group}/${name}/test-results/${phase}`;
      if (!existsSync(file)) continue;
      const report = JSON.parse(readFileSync(file, "utf8"));
      passed += report.numPassedTests; failed += report.numFailedTests;
      skipped += report.numPendingTests + (report.numTodoTests ?? 0);
    }
  }
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (passed === 0) process.exitCode = 1;
' || status=1
exit $status
