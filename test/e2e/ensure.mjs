#!/usr/bin/env node
// Installs the real-VS-Code test tools (code-server, playwright-core) into test/e2e/node_modules
// on first use. Fast when already installed: a marker records the lockfile it was installed from.
//
//   node test/e2e/ensure.mjs          install if needed, then check the system tools
//   node test/e2e/ensure.mjs --force  reinstall
//
// System packages (installed by .ci/run; by hand on a desktop):
//   apt-get install -y chromium ripgrep libkrb5-dev build-essential python3
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { arch } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const E2E = dirname(fileURLToPath(import.meta.url));
const ROOT = join(E2E, '..', '..');
const TMP = join(ROOT, '.tmp');
const LOCK = join(E2E, 'package-lock.json');
const MARKER = join(E2E, 'node_modules', '.medgemma-e2e-installed');
const CODE_SERVER = join(E2E, 'node_modules', '.bin', 'code-server');

/** Where a program is on PATH, or undefined. */
export function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

export function chromiumPath() {
  return process.env.CHROMIUM_PATH || which('chromium') || which('chromium-browser');
}

function lockHash() {
  return existsSync(LOCK) ? createHash('sha256').update(readFileSync(LOCK)).digest('hex') : 'no-lockfile';
}

export function isInstalled() {
  return existsSync(CODE_SERVER) && existsSync(MARKER) && readFileSync(MARKER, 'utf8').trim() === lockHash();
}

// code-server's nested @vscode/ripgrep downloads rg from GitHub in its postinstall, which this
// network cannot reach. It first looks in $TMPDIR/vscode-ripgrep-cache-<its version>/ for the
// archive, so put Debian's rg there under the name it asks for.
function seedRipgrepCache() {
  const rg = which('rg');
  if (!rg) throw new Error('ripgrep is missing: apt-get install -y ripgrep (code-server\'s install needs it offline)');
  // code-server 4.100.3 installs @vscode/ripgrep 1.15.11 (inside lib/vscode, not in our lockfile),
  // which fetches ripgrep v13.0.0-10 builds.
  const pkgVersion = '1.15.11';
  const target = arch() === 'arm64' ? 'aarch64-unknown-linux-musl' : 'x86_64-unknown-linux-musl';
  const cache = join(TMP, `vscode-ripgrep-cache-${pkgVersion}`);
  const archive = join(cache, `ripgrep-v13.0.0-10-${target}.tar.gz`);
  if (existsSync(archive)) return;
  const stage = join(cache, 'stage');
  mkdirSync(stage, { recursive: true });
  copyFileSync(rg, join(stage, 'rg'));
  const r = spawnSync('tar', ['czf', archive, '-C', stage, 'rg'], { stdio: 'inherit' });
  rmSync(stage, { recursive: true, force: true });
  if (r.status !== 0) throw new Error('could not pack rg for the ripgrep cache');
}

export function ensure({ force = false, quiet = false } = {}) {
  const log = quiet ? () => {} : (m) => console.log(`[e2e] ${m}`);
  if (!force && isInstalled()) {
    log('code-server and playwright-core already installed');
  } else {
    const t0 = Date.now();
    mkdirSync(TMP, { recursive: true });
    seedRipgrepCache();
    const ci = existsSync(LOCK);
    log(`installing code-server and playwright-core (npm ${ci ? 'ci' : 'install'}; compiles native modules, ~2-4 min)`);
    const r = spawnSync('npm', [ci ? 'ci' : 'install', '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd: E2E,
      stdio: 'inherit',
      env: {
        ...process.env,
        TMPDIR: TMP,
        npm_config_unsafe_perm: 'true', // as root, code-server's postinstall needs it
        npm_config_yes: 'true', // an .npmrc here sets yes=false
      },
    });
    if (r.status !== 0) throw new Error(`npm ${ci ? 'ci' : 'install'} in test/e2e failed (exit ${r.status}); see above. System packages needed: chromium ripgrep libkrb5-dev build-essential python3`);
    if (!existsSync(CODE_SERVER)) throw new Error(`install finished but ${CODE_SERVER} is missing`);
    writeFileSync(MARKER, lockHash() + '\n');
    log(`installed in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  if (!chromiumPath()) throw new Error('Chromium is missing: apt-get install -y chromium (or set CHROMIUM_PATH)');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    ensure({ force: process.argv.includes('--force') });
  } catch (e) {
    console.error(`[e2e] ${e.message}`);
    process.exit(1);
  }
}
