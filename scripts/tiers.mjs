// The tiers of `npm test` and how they are run: in order, each one's output passed through,
// stopping at the first that fails, with one closing line "N passed, N failed, N skipped"
// summed over the tiers (scripts/test.mjs runs them; test/unit/scripts tests this file).
import { spawn } from 'node:child_process';

/**
 * typecheck -> lint -> unit + simulator (mocha) -> build; without `fast` also fuzz (short seeded
 * pass) -> VS Code extension host -> UI in Chromium -> package (VSIX) -> installed VSIX and npm
 * package. Packaging rebuilds dist/ in production mode, so it comes after the tiers that test
 * the development build.
 * @returns {Array<[string, string, string[]]>} [name, command, args]
 */
export function tiersFor(fast) {
  const tiers = [
    ['typecheck', 'npx', ['tsc', '-p', '.']],
    ['lint', 'npx', ['eslint', '.']],
    ['unit + simulator', 'npx', ['mocha', '--config', 'test/.mocharc.json']],
    ['build', 'node', ['esbuild.mjs']],
  ];
  if (fast) return tiers;
  return [
    ...tiers,
    // The same 160 mutated files every run (seed 1); longer passes by hand: docs/fuzzing.md.
    ['fuzz (short seeded pass)', 'npx', ['tsx', 'test/fuzz/run.ts', '--seed', '1', '--cases', '160']],
    ['install real VS Code (first run only)', 'node', ['test/e2e/ensure.mjs']],
    ['VS Code extension host', 'node', ['test/e2e/run-host.mjs']],
    ['UI in Chromium', 'node', ['test/e2e/run-ui.mjs']],
    ['package VSIX (production build)', 'npm', ['run', 'package']],
    ['installed VSIX and npm package', 'node', ['test/e2e/run-installed.mjs']],
  ];
}

// A tier's own total: a line "[word: ]N passed, N failed[, N skipped]". Host/UI/installed
// runners print per-run lines and then "host: ..." / "ui: ..." / "installed: ..." totals; count
// only the tier's last such line.
const COUNT = /^(?:\w+: )?(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$/;

/** The last count line in a tier's output, colour codes ignored; undefined when none. */
export function lastCount(lines) {
  let last;
  for (const l of lines) {
    // eslint-disable-next-line no-control-regex -- strips the terminal's colour codes (ESC [ ... m)
    const m = COUNT.exec(l.replace(/\x1b\[[0-9;]*m/g, ''));
    if (m) last = { passed: Number(m[1]), failed: Number(m[2]), skipped: Number(m[3] ?? 0) };
  }
  return last;
}

function run(cmd, args, out) {
  return new Promise((resolve) => {
    let last;
    let buffer = '';
    const child = spawn(cmd, args, { stdio: ['inherit', 'pipe', 'inherit'] });
    child.stdout.on('data', (d) => {
      out.write(d);
      buffer += d;
      const lines = buffer.split('\n');
      buffer = lines.pop();
      last = lastCount(lines) ?? last;
    });
    child.on('close', (code, signal) => resolve({ code, signal, last: lastCount([buffer]) ?? last }));
  });
}

/**
 * Runs the tiers in order; stops at the first that fails. A failed tier counts at least one
 * failure even when it printed no count (a typecheck error).
 * @returns {Promise<{ code: number, total: { passed: number, failed: number, skipped: number }, ran: string[] }>}
 */
export async function runTiers(tiers, out = process.stdout) {
  const total = { passed: 0, failed: 0, skipped: 0 };
  const ran = [];
  const started = Date.now();
  for (const [name, cmd, args] of tiers) {
    const t0 = Date.now();
    ran.push(name);
    out.write(`\n=== ${name} ===\n`);
    const r = await run(cmd, args, out);
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    if (r.last) {
      total.passed += r.last.passed;
      total.failed += r.last.failed;
      total.skipped += r.last.skipped;
    }
    if (r.code !== 0) {
      out.write(`\n=== ${name} FAILED (exit ${r.code ?? r.signal}) after ${secs} s ===\n`);
      total.failed = Math.max(1, total.failed);
      out.write(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped\n`);
      return { code: r.code || 1, total, ran };
    }
    out.write(`=== ${name}: ok in ${secs} s ===\n`);
  }
  out.write(`\nAll tiers passed in ${((Date.now() - started) / 1000).toFixed(0)} s.\n`);
  out.write(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped\n`);
  return { code: 0, total, ran };
}
