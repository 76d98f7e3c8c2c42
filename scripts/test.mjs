// `npm test`: every tier in order, stopping at the first that fails.
//   typecheck -> unit + simulator (mocha) -> build -> VS Code extension host -> UI in Chromium
// `npm test -- --fast` stops after the unit tier (no real VS Code).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const fast = process.argv.includes('--fast');
const tiers = [
  ['typecheck', 'npx', ['tsc', '-p', '.']],
  ['unit + simulator', 'npx', ['mocha', '--config', 'test/.mocharc.json']],
  ['build', 'node', ['esbuild.mjs']],
];
if (!fast && existsSync('test/e2e/run-host.mjs')) {
  tiers.push(['install real VS Code (first run only)', 'node', ['test/e2e/ensure.mjs']]);
  tiers.push(['VS Code extension host', 'node', ['test/e2e/run-host.mjs']]);
  if (existsSync('test/e2e/run-ui.mjs')) tiers.push(['UI in Chromium', 'node', ['test/e2e/run-ui.mjs']]);
}

const started = Date.now();
for (const [name, cmd, args] of tiers) {
  const t0 = Date.now();
  console.log(`\n=== ${name} ===`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (r.status !== 0) {
    console.error(`\n=== ${name} FAILED (exit ${r.status ?? r.signal}) after ${secs} s ===`);
    process.exit(r.status || 1);
  }
  console.log(`=== ${name}: ok in ${secs} s ===`);
}
console.log(`\nAll tiers passed in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
