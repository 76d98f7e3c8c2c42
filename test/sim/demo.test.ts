import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { requireFixture } from '../fixtures';
import { DEMO_LIMITS, demoAnswer, questionOf } from './demo';
import { hasNegation, parseNoteLines, splitPieces, startSim, type Sim } from './index';
import { chat, NOTES_DIR, numberLines, readEvents, streamedText } from './test-helpers';

const DISCHARGE = path.join(NOTES_DIR, 'discharge-heart-failure.txt');
const SAMPLE = path.join(__dirname, '..', '..', 'samples', 'sample-clinic-note.txt');
const PROGRESS = path.join(NOTES_DIR, 'progress-soap-diabetes.txt');

/** `### Heading` -> bullets under it, each as { statement, line }. */
function bullets(answer: string): Record<string, { statement: string; line: number }[]> {
  const out: Record<string, { statement: string; line: number }[]> = {};
  let current = '';
  for (const row of answer.split('\n')) {
    if (row.startsWith('### ')) out[(current = row.slice(4))] = [];
    const m = /^- (.*) \[L(\d+)\]$/.exec(row);
    if (m) out[current].push({ statement: m[1], line: Number(m[2]) });
    else if (row.startsWith('- ')) assert.fail(`a bullet without one line citation: ${row}`);
  }
  return out;
}

describe('sim: demo answers (npm start -- --sim)', () => {
  for (const [name, file] of [
    ['the discharge summary fixture', DISCHARGE],
    ['the walkthrough sample note', SAMPLE],
    ['the progress note of the UI tests', PROGRESS],
  ] as const) {
    it(`summarize ${name} briefly: short cited statements, no headings, negatives that are negative`, function () {
      requireFixture(this, file);
      const note = fs.readFileSync(file, 'utf8');
      const prompt = numberLines(note);
      const answer = demoAnswer(prompt);
      const lines = parseNoteLines(prompt);
      const groups = bullets(answer);
      assert.ok(groups.Findings?.length, answer);
      for (const [section, list] of Object.entries(groups)) {
        const limit = DEMO_LIMITS[({ Findings: 'findings', 'Pertinent negatives': 'negatives', 'Family history': 'family' } as const)[section as 'Findings']];
        assert.ok(list.length <= limit, `${section}: ${list.length} bullets`);
        for (const b of list) {
          const source = lines.find((l) => l.n === b.line)!.text;
          // Each statement is words of its cited line (a sentence or clause of it), never a heading.
          assert.ok(source.toLowerCase().includes(b.statement.toLowerCase()), `${b.statement} not in L${b.line}: ${source}`);
          assert.ok(b.statement.split(/\s+/).length >= 2, `a heading or fragment: ${b.statement}`);
          assert.doesNotMatch(b.statement, /^(Principal|Secondary|Patient|MRN|Date of visit|Visit type|Provider)\b/);
          const open = (t: string) => (t.match(/[([]/g) ?? []).length - (t.match(/[)\]]/g) ?? []).length;
          assert.equal(open(b.statement), 0, `cut inside brackets: ${b.statement}`);
          if (section === 'Pertinent negatives') assert.ok(hasNegation(b.statement), b.statement);
        }
      }
      // Far below the default summary limit (2048 tokens): the demo finishes.
      assert.ok(splitPieces(answer).length < 600, `${splitPieces(answer).length} tokens`);
    });
  }

  it('finds the question under the system text and attached files', () => {
    const text = 'You are MedGemma, an assistant.\n\n--- file a.txt ---\nsecret line\n--- end of a.txt ---\n\nWhat dose?';
    assert.equal(questionOf(text), 'What dose?');
    assert.equal(questionOf('Just asking'), 'Just asking');
  });

  describe('over HTTP', () => {
    let sim: Sim;
    before(async () => {
      sim = await startSim({ demo: true });
    });
    after(() => sim.stop());

    it('answers a chat question without echoing the system prompt, and says it is simulated', async () => {
      const res = await chat(sim, {
        stream: true,
        messages: [
          { role: 'system', content: 'You are MedGemma, an assistant for clinicians.' },
          { role: 'user', content: 'What is the usual dose of doxycycline?' },
        ],
      });
      const events = await readEvents(res);
      const text = streamedText(events);
      assert.doesNotMatch(text, /You are MedGemma|Received:/);
      assert.match(text, /Simulated answer/);
      assert.match(text, /“What is the usual dose of doxycycline\?”/);
      assert.equal(events.filter((e) => typeof e === 'object').at(-1).choices[0].finish_reason, 'stop');
    });

    it('tests without demo keep the exhaustive answers', async () => {
      sim.setOptions({ demo: false });
      const res = await chat(sim, { messages: [{ role: 'user', content: 'hello there' }] });
      assert.equal((await res.json()).choices[0].message.content, 'Received: hello there');
      sim.setOptions({ demo: true });
    });
  });
});
