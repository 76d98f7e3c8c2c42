// A test tier's counts: {passed, failed, skipped, failures[]}, the closing line
// "<tier>: N passed, N failed, N skipped" that scripts/test.mjs reads, and the exit code.

/** A failed count for a run that could not report its own. */
export const failedRun = (why, partial) => ({
  passed: partial?.passed ?? 0,
  failed: (partial?.failed ?? 0) + 1,
  skipped: partial?.skipped ?? 0,
  failures: [why],
});

/** Adds one suite's counts to a total, its failures prefixed with the suite's name. */
export function addResults(total, name, r) {
  total.passed += r.passed;
  total.failed += r.failed;
  total.skipped += r.skipped;
  total.failures.push(...r.failures.map((f) => `[${name}] ${f}`));
}

/** Prints the failures and the closing count line; 0 only when something passed and nothing failed. */
export function report(tier, total) {
  if (total.failures.length) console.log(`\nFailures:\n${total.failures.map((f) => `  - ${f}`).join('\n')}`);
  console.log(`${tier}: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  return total.failed === 0 && total.passed > 0 ? 0 : 1;
}

/** Runs a tier's main(): its exit code, or a failure line and exit 1 when it threw. */
export function exitWith(tier, main) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(`${tier}: ${e.message || e}`);
      console.log(`${tier}: 0 passed, 1 failed, 0 skipped`);
      process.exit(1);
    },
  );
}
