// A real VS Code for tests and `npm start`: code-server (VS Code's workbench and Node extension
// host) on 127.0.0.1, with every directory isolated under .tmp/, plus Debian's Chromium driven by
// playwright-core. See docs/testing-in-vscode.md for why this and not test-electron.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NODE24_BIN, chromiumPath } from './ensure.mjs';

export const E2E_DIR = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(E2E_DIR, '..', '..');
export const TMP = join(ROOT, '.tmp');

/**
 * The VS Code versions the tests run on: the oldest we support (package.json engines.vscode)
 * and the newest. The host tier runs on both, the UI tier on the newest.
 */
export const VSCODE = {
  floor: { label: 'VS Code 1.100 (code-server 4.100.3, Node 20)', node: process.execPath, entry: join(E2E_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js') },
  latest: {
    label: 'VS Code 1.139 (code-server 4.139.1, Node 24)',
    node: join(NODE24_BIN, 'node'),
    entry: join(E2E_DIR, 'latest', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    // A built workbench this new ignores extensionDevelopmentPath/extensionTestsPath in its URL
    // unless the server runs with VS Code's smoke-test option, which also hides notification
    // toasts. So only the host tier (extensionTestsPath) uses it; the UI tier links the
    // extension in as if installed (linkExtension).
    payloadArgs: ['--vscode-option', 'enable-smoke-test-driver'],
  },
};

/** The versions named by a `--vscode floor,latest` option (default: `fallback`). */
export function vscodeVersions(value, fallback) {
  const names = (value || fallback).split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) if (!VSCODE[n]) throw new Error(`unknown VS Code version "${n}": use ${Object.keys(VSCODE).join(', ')}`);
  return names;
}

/** The installed version (see VSCODE) or throws how to install it. */
function vscodeVersion(vscode) {
  const version = VSCODE[vscode];
  if (!version) throw new Error(`unknown VS Code version ${vscode}`);
  if (!existsSync(version.entry) || !existsSync(version.node)) throw new Error(`${version.label} is not installed: run node test/e2e/ensure.mjs`);
  return version;
}

/** The code-server version of a VS Code version, for the runners' reports. */
export function codeServerVersion(vscode = 'floor') {
  try {
    return JSON.parse(readFileSync(join(VSCODE[vscode].entry, '..', '..', '..', 'package.json'), 'utf8')).version;
  } catch {
    return 'not installed';
  }
}

/** Installs a .vsix into extensionsDir as a user does (`--install-extension`); throws with its output. */
export function installExtension(vsix, extensionsDir, vscode = 'floor') {
  const version = vscodeVersion(vscode);
  const r = spawnSync(version.node, [version.entry, '--install-extension', vsix, '--extensions-dir', extensionsDir, '--user-data-dir', join(extensionsDir, '..', 'install-data')], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  if (r.status !== 0) throw new Error(`code-server --install-extension ${vsix} failed (${r.status ?? r.signal}):\n${out}`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Cleanup on every exit path: normal exit, an exception, Ctrl-C, SIGTERM.

const cleanups = new Set();
let handlersInstalled = false;

/** Registers fn (sync; also called from process 'exit') and returns a function that unregisters it. */
function atExit(fn) {
  if (!handlersInstalled) {
    handlersInstalled = true;
    process.on('exit', () => runCleanups());
    for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
      process.once(sig, () => {
        runCleanups();
        process.exit(code);
      });
    }
  }
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

function runCleanups() {
  for (const fn of [...cleanups].reverse()) {
    cleanups.delete(fn);
    try {
      fn();
    } catch {
      /* best effort */
    }
  }
}

// ---------------------------------------------------------------------------------------------

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * A fresh directory for one run's state. Under .tmp/ when its path is short: VS Code and
 * code-server put Unix sockets in there and a socket path must stay under ~108 bytes.
 */
function stateDir(name, keep) {
  let dir = join(TMP, name);
  if (dir.length > 48) {
    dir = join('/tmp', `mg-${name}-${Buffer.from(ROOT).toString('base64url').slice(-12)}`);
    console.warn(`[e2e] repo path is long; code-server state goes to ${dir} (socket paths must stay short)`);
  }
  if (!keep) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Writes settings into a settings.json; with merge, over what is there. A file that is not plain
 * JSON (a user's file with comments) is left alone, with a warning.
 */
function writeSettings(file, values, merge) {
  mkdirSync(dirname(file), { recursive: true });
  let old = {};
  if (merge && existsSync(file)) {
    try {
      old = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      if (Object.keys(values).length) console.warn(`[e2e] ${file} is not plain JSON; left as it is (wanted: ${JSON.stringify(values)})`);
      return;
    }
  }
  writeFileSync(file, JSON.stringify({ ...old, ...values }, null, 2));
}

/** Settings that keep a test workbench quiet and deterministic. */
export const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  // The test workspaces live inside this repository's .tmp/: keep git from offering its repo.
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  // With workspace trust on, stay untrusted without a modal (the untrusted-workspace run).
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'always',
  // The newest VS Code opens its own AI chat in a secondary side bar: not what is tested here.
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

/** Every process below pid (walks /proc; Linux). */
function descendants(pid) {
  const children = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(d));
    } catch {
      /* gone */
    }
  }
  const out = [];
  const stack = [pid];
  while (stack.length) {
    for (const c of children.get(stack.pop()) || []) {
      out.push(c);
      stack.push(c);
    }
  }
  return out;
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM (or SIGKILL) the process group of pid and every descendant (some detach their own group). */
function killTree(pid, signal) {
  const pids = descendants(pid);
  try {
    process.kill(-pid, signal);
  } catch {
    /* group gone */
  }
  for (const p of [pid, ...pids]) {
    try {
      process.kill(p, signal);
    } catch {
      /* gone */
    }
  }
  return pids;
}

/**
 * Starts code-server.
 * @param {object} o
 * @param {string} o.name         short id for the state dir (.tmp/<name>/)
 * @param {string} o.workspace    folder to open
 * @param {boolean} [o.trust]     true: workspace trust ON (folders start untrusted); default off
 * @param {object} [o.userSettings] user (global) settings.json content, merged over QUIET_SETTINGS
 * @param {object} [o.machineSettings] the remote machine's settings (data/Machine/settings.json),
 *                                which win over user settings for machine-scoped keys
 * @param {object} [o.env]        extra environment for the server and its extension host
 * @param {number} [o.port]       default: a free port
 * @param {boolean} [o.keep]      keep the state of an earlier run (settings, secrets); default: fresh
 * @param {'floor'|'latest'} [o.vscode] which VS Code (see VSCODE); default floor
 * @param {string} [o.linkExtension] an extension folder to load as if installed (see linkExtension)
 * @param {boolean} [o.payload]   the workbench URL will carry extensionDevelopmentPath/extensionTestsPath
 * @param {string} [o.extensionsDir] installed extensions; default: <state dir>/ext
 */
export async function startCodeServer({ name = 'cs', workspace, trust = false, userSettings = {}, env = {}, port, keep = false, machineSettings, vscode = 'floor', linkExtension: extension, payload = false, extensionsDir } = {}) {
  const version = vscodeVersion(vscode);
  const dir = stateDir(name, keep);
  const dirs = { data: join(dir, 'data'), ext: extensionsDir ?? join(dir, 'ext'), xdg: join(dir, 'xdg'), tmp: join(dir, 't') };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  if (extension) linkExtension(extension, dirs.ext);
  const settingsFile = join(dirs.data, 'User', 'settings.json');
  writeSettings(settingsFile, keep && existsSync(settingsFile) ? userSettings : { ...QUIET_SETTINGS, ...userSettings }, keep);
  if (machineSettings) writeSettings(join(dirs.data, 'Machine', 'settings.json'), machineSettings, keep);
  const config = join(dir, 'config.yaml');
  writeFileSync(config, '');
  port ||= await freePort();
  const authority = `127.0.0.1:${port}`;
  const logFile = join(dir, 'server.log');
  const args = [
    version.entry,
    '--config', config,
    '--bind-addr', authority,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    ...(trust ? [] : ['--disable-workspace-trust']),
    '--extensions-dir', dirs.ext,
    '--user-data-dir', dirs.data,
    ...(payload ? version.payloadArgs ?? [] : []),
  ];
  if (workspace) args.push(workspace);
  const childEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VSCODE_')));
  Object.assign(childEnv, { XDG_CONFIG_HOME: dirs.xdg, XDG_DATA_HOME: dirs.xdg, XDG_RUNTIME_DIR: dirs.tmp, TMPDIR: dirs.tmp }, env);
  const out = openSync(logFile, keep ? 'a' : 'w');
  const t0 = Date.now();
  const child = spawn(version.node, args, { env: childEnv, stdio: ['ignore', out, out], detached: true });
  const pid = child.pid;
  let exited = null;
  child.on('exit', (code, sig) => (exited = sig || code));
  const unregister = atExit(() => {
    if (alive(pid)) killTree(pid, 'SIGKILL');
  });

  let stopped = false;
  async function stop() {
    if (stopped) return;
    stopped = true;
    const tree = killTree(pid, 'SIGTERM');
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && [pid, ...tree].some(alive)) await sleep(100);
    for (const p of [pid, ...tree]) if (alive(p)) killTree(p, 'SIGKILL');
    unregister();
  }

  const baseUrl = `http://${authority}`;
  for (;;) {
    if (exited !== null) throw new Error(`code-server exited (${exited}) before it was ready:\n${tail(logFile)}`);
    try {
      const r = await fetch(`${baseUrl}/healthz`);
      if (r.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() - t0 > 60000) {
      await stop();
      throw new Error(`code-server not ready after 60 s:\n${tail(logFile)}`);
    }
    await sleep(100);
  }
  const readyMs = Date.now() - t0;

  const remote = (p) => `vscode-remote://${authority}${p}`;
  /**
   * The workbench URL; devPath / testsPath load the extension under development and its tests.
   * welcome: let the startup editor open (workbench.startupEditor); tests skip it.
   */
  function workbenchUrl({ folder = workspace, devPath, testsPath, welcome = false } = {}) {
    const payload = welcome ? [] : [['skipWelcome', 'true']];
    if (devPath) payload.push(['extensionDevelopmentPath', remote(devPath)]);
    if (testsPath) payload.push(['extensionTestsPath', remote(testsPath)]);
    const q = [];
    if (folder) q.push(`folder=${encodeURIComponent(folder)}`);
    q.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
    return `${baseUrl}/?${q.join('&')}`;
  }

  return { pid, port, authority, baseUrl, dir, dirs, logFile, readyMs, workspace, remote, workbenchUrl, stop, settingsFile, version };
}

/**
 * Makes VS Code load the extension in `folder` like an installed one: a link to it in the
 * extensions folder, which VS Code scans when its list of installed extensions does not exist
 * yet (a fresh profile). The newest workbench shows no notification toasts in extension
 * development mode (see VSCODE.latest), so the UI tier loads the extension this way there.
 */
export function linkExtension(folder, extensionsDir) {
  const { publisher, name, version } = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
  // In a kept profile (npm start): drop links to older versions, and the list, so VS Code
  // scans the folder again and finds this one (other installed extensions are found too).
  for (const e of readdirSync(extensionsDir)) if (e.startsWith(`${publisher}.${name}-`)) rmSync(join(extensionsDir, e), { recursive: true, force: true });
  rmSync(join(extensionsDir, 'extensions.json'), { force: true });
  symlinkSync(folder, join(extensionsDir, `${publisher}.${name}-${version}`), 'dir');
}

export function tail(file, lines = 30) {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium with a fresh profile; close() also removes the profile. */
export async function launchChromium({ headless = true, viewport = { width: 1400, height: 900 } } = {}) {
  const { chromium } = await import('playwright-core');
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('Chromium is missing: apt-get install -y chromium');
  mkdirSync(TMP, { recursive: true });
  const profile = mkdtempSync(join(TMP, 'chrome-'));
  const removeProfile = () => rmSync(profile, { recursive: true, force: true });
  const unregister = atExit(removeProfile);
  const context = await chromium.launchPersistentContext(profile, { executablePath, headless, viewport, args: CHROMIUM_ARGS });
  const page = context.pages()[0] || (await context.newPage());
  let closed = false;
  async function close() {
    if (closed) return;
    closed = true;
    await context.close().catch(() => {});
    removeProfile();
    unregister();
  }
  return { context, page, close };
}

/** A new empty folder under .tmp/ for a workspace. */
export function freshDir(name) {
  const dir = join(TMP, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}
