// `npm test`: every tier in order, stopping at the first that fails, then one closing line
// "N passed, N failed, N skipped" summed over the tiers (each tier prints its own).
//   typecheck -> lint -> unit + simulator (mocha) -> build -> fuzz (short seeded pass) ->
//   VS Code extension host -> UI in Chromium -> package (VSIX) -> installed VSIX and npm package
// Packaging rebuilds dist/ in production mode, so it comes after the tiers that test the
// development build.
// `npm test -- --fast` stops after the unit tier (no real VS Code).
import { spawn } from 'node:child_process';

const fast = process.argv.includes('--fast');
const tiers = [
  ['typecheck', 'npx', ['tsc', '-p', '.']],
  ['lint', 'npx', ['eslint', '.']],
  ['unit + simulator', 'npx', ['mocha', '--config', 'test/.mocharc.json']],
  ['build', 'node', ['esbuild.mjs']],
];
if (!fast) {
  // The same 160 mutated files every run (seed 1); longer passes by hand: docs/fuzzing.md.
  tiers.push(['fuzz (short seeded pass)', 'npx', ['tsx', 'test/fuzz/run.ts', '--seed', '1', '--cases', '160']]);
  tiers.push(['install real VS Code (first run only)', 'node', ['test/e2e/ensure.mjs']]);
  tiers.push(['VS Code extension host', 'node', ['test/e2e/run-host.mjs']]);
  tiers.push(['UI in Chromium', 'node', ['test/e2e/run-ui.mjs']]);
  tiers.push(['package VSIX (production build)', 'npm', ['run', 'package']]);
  tiers.push(['installed VSIX and npm package', 'node', ['test/e2e/run-installed.mjs']]);
}

const total = { passed: 0, failed: 0, skipped: 0 };
// A tier's own total: a line "[word: ]N passed, N failed[, N skipped]". Host/UI/installed
// runners print per-run lines and then "host: ..." / "ui: ..." / "installed: ..." totals; count
// only the tier's last line.
const COUNT = /^(?:\w+: )?(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$/;

function run(cmd, args) {
  return new Promise((resolve) => {
    let last;
    let buffer = '';
    const child = spawn(cmd, args, { stdio: ['inherit', 'pipe', 'inherit'] });
    child.stdout.on('data', (d) => {
      process.stdout.write(d);
      buffer += d;
      const lines = buffer.split('\n');
      buffer = lines.pop();
      for (const l of lines) {
        // eslint-disable-next-line no-control-regex -- strips the terminal's colour codes (ESC [ ... m)
        const m = COUNT.exec(l.replace(/\x1b\[[0-9;]*m/g, ''));
        if (m) last = m;
      }
    });
    child.on('close', (code, signal) => resolve({ code, signal, last }));
  });
}

const started = Date.now();
for (const [name, cmd, args] of tiers) {
  const t0 = Date.now();
  console.log(`\n=== ${name} ===`);
  const r = await run(cmd, args);
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.last) {
    total.passed += Number(r.last[1]);
    total.failed += Number(r.last[2]);
    total.skipped += Number(r.last[3] ?? 0);
  }
  if (r.code !== 0) {
    console.error(`\n=== ${name} FAILED (exit ${r.code ?? r.signal}) after ${secs} s ===`);
    console.log(`${total.passed} passed, ${Math.max(1, total.failed)} failed, ${total.skipped} skipped`);
    process.exit(r.code || 1);
  }
  console.log(`=== ${name}: ok in ${secs} s ===`);
}
console.log(`\nAll tiers passed in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
