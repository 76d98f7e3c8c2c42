// `medgemma deid` as a user runs it: a real process, a file or stdin, plain or --json.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../../cli-process';

const ROOT = path.resolve(__dirname, '../../..');
const SAMPLE = path.join(ROOT, 'test/fixtures/notes/deid-sample.txt');

/** The bundled `medgemma` as its own process (cli-process.ts), with `stdin` on its standard input. */
const cli = (args: string[], stdin?: string) => runCli(args, { stdin, timeoutMs: 20_000 });

describe('medgemma deid', function () {
  this.timeout(30000);
  const note = fs.readFileSync(SAMPLE, 'utf8');

  it('prints the pseudonymized note, same line count, no identifier left', async () => {
    const r = await cli(['deid', SAMPLE]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.split('\n').length, note.split('\n').length);
    for (const id of ['Vandersloot', '519-22-4078', '(717) 555-0148', '10/27/2024']) assert.ok(!r.stdout.includes(id), id);
    assert.match(r.stdout, /Parkinson disease/);
  });

  it('--json from stdin gives UTF-16 offsets into the input and each replacement', async () => {
    const r = await cli(['deid', '-', '--json'], note);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { text: string; spans: { start: number; end: number; type: string; text: string; replacement: string }[] };
    assert.ok(out.spans.length >= 55);
    let rebuilt = '';
    let last = 0;
    for (const s of out.spans) {
      assert.equal(note.slice(s.start, s.end), s.text);
      rebuilt += note.slice(last, s.start) + s.replacement;
      last = s.end;
    }
    assert.equal(rebuilt + note.slice(last), out.text);
    // The IP after the emoji line: offsets count the emoji as two code units.
    const ip = out.spans.find((s) => s.type === 'IP')!;
    assert.equal(note.slice(ip.start, ip.end), '203.0.113.58');
  });

  it('exits 2 with one error line for a missing file, an empty input or no file', async () => {
    for (const [args, stdin] of [[['deid', '/no/such/note.txt'], ''], [['deid', '-'], '  \n'], [['deid'], '']] as const) {
      const r = await cli([...args], stdin);
      assert.equal(r.code, 2);
      assert.equal(r.stderr.split('\n').filter((l) => l.startsWith('error: ')).length, 1, r.stderr);
      assert.equal(r.stdout, '');
    }
  });
});
