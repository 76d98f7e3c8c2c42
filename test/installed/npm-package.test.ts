// The `medgemma` CLI as an npm user gets it: `npm pack` (prepack builds the production bundles),
// `npm install -g` of the tarball into an empty prefix outside the repository, offline (the
// package has no dependencies: dist/cli.js bundles them), then the installed command against
// the simulator. Run by test/e2e/run-installed.mjs in Node, not in VS Code.
import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fixture, requireFixture } from '../fixtures';
import { startSim, type Sim } from '../sim';
import { makeZoteroLibrary } from '../zotero-library';

const ROOT = path.resolve(__dirname, '..', '..');
/** Exactly what runs, plus what npm always adds. Sources, tests and fixtures must stay out. */
const EXPECTED = ['CHANGELOG.md', 'LICENSE', 'README.md', 'dist/cli.js', 'dist/pdf-worker.js', 'dist/zotero-worker.js', 'package.json'];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    // A PATH with node only: the installed bin must not lean on the repository's tools.
    const child = spawn(cmd, args, { env: { PATH: path.dirname(process.execPath), HOME: os.tmpdir(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('the medgemma CLI from its npm tarball', function () {
  this.timeout(120_000);
  let tmp: string;
  let bin: string;
  let sim: Sim;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-npm-'));
    const out = execFileSync('npm', ['pack', '--silent', '--pack-destination', tmp], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    const tarball = path.join(tmp, out.trim().split('\n').pop()!);
    assert.ok(fs.existsSync(tarball), `npm pack wrote no ${tarball}`);
    const listed = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' });
    fs.writeFileSync(path.join(tmp, 'contents.txt'), listed);
    const prefix = path.join(tmp, 'prefix');
    execFileSync('npm', ['install', '-g', tarball, '--prefix', prefix, '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: tmp, stdio: ['ignore', 'inherit', 'inherit'] });
    bin = path.join(prefix, 'bin', 'medgemma');
    sim = await startSim({ tokensPerSecond: 0 });
  });

  after(async () => {
    await sim?.stop();
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('the tarball holds only the CLI bundle, its PDF and Zotero workers and the texts', () => {
    const files = fs.readFileSync(path.join(tmp, 'contents.txt'), 'utf8').trim().split('\n').map((f) => f.replace(/^package\//, '')).sort();
    assert.deepStrictEqual(files, EXPECTED);
  });

  it('the installed package declares no run-time dependencies and has no node_modules', () => {
    const pkgDir = path.join(tmp, 'prefix', 'lib', 'node_modules', 'medgemma-vscode');
    const manifest = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
    assert.deepStrictEqual(manifest.dependencies ?? {}, {});
    assert.ok(!fs.existsSync(path.join(pkgDir, 'node_modules')));
  });

  it('medgemma --help prints the usage (exit 0)', async () => {
    const r = await run(bin, ['--help']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Usage: medgemma <command>/);
    for (const c of ['summarize', 'doctor', 'image render', 'papers index']) assert.ok(r.stdout.includes(`medgemma ${c}`), c);
  });

  it('medgemma doctor reports the simulator (exit 0)', async () => {
    const r = await run(bin, ['doctor'], { MEDGEMMA_BASE_URL: sim.baseUrl });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Reachable: yes/);
    assert.match(r.stdout, /medgemma \(used\): weights google\/medgemma-4b-it, context 32768, images: yes/);
    assert.match(r.stdout, /1-token answer: \d+ ms/);
  });

  it('medgemma papers index reads a PDF through the packaged worker', async function () {
    const pdf = fixture('pdfs', 'tully2010-heart-failure-programmes.pdf');
    requireFixture(this, pdf);
    const r = await run(bin, ['papers', 'index', pdf, '--index', path.join(tmp, 'index')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^indexed .* 6 pages, \d+ passages/);
  });

  it('medgemma papers index --zotero reads a Zotero library through the packaged Zotero worker', async function () {
    const pdf = fixture('pdfs', 'tully2010-heart-failure-programmes.pdf');
    requireFixture(this, pdf);
    const dataDir = await makeZoteroLibrary(path.join(tmp, 'Zotero'), [{ key: 'TULLY001', title: 'Structured heart failure programmes', creators: [['Mark', 'Tully']], date: '2010', pdfs: [{ key: 'ATTTULLY', from: pdf }] }]);
    const r = await run(bin, ['papers', 'index', '--zotero', '--zotero-dir', dataDir, '--index', path.join(tmp, 'zotero-index')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^indexed .*atttully\.pdf — Tully 2010, 6 pages/m);
  });

  it('medgemma image render decodes a JPEG 2000 DICOM with the bundled codec', async function () {
    const dcm = fixture('dicom', 'pydicom-JPEG2000.dcm');
    requireFixture(this, dcm);
    const out = path.join(tmp, 'j2k.png');
    const r = await run(bin, ['image', 'render', dcm, '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const png = fs.readFileSync(out);
    assert.deepStrictEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [896, 896]);
  });
});
