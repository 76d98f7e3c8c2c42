import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { answerFor, hasNegation, isHeading, noteBullets, parseNoteLines, removeNegation, startSim, type Sim } from './index';
import { chat, NOTES_DIR, numberLines, readEvents, streamedText, userMessage } from './test-helpers';
import { requireFixture } from '../fixtures';

/** `### Heading` -> bullets under it. */
function sections(answer: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  let current = '';
  for (const line of answer.split('\n')) {
    if (line.startsWith('### ')) out[(current = line.slice(4))] = [];
    else if (line.startsWith('- ')) out[current].push(line);
  }
  return out;
}

describe('sim: grounded answers', () => {
  it('cites each content line, groups negatives and family history, skips headings', () => {
    const prompt = [
      'Summarize the note. Cite lines.',
      '',
      'L40: HISTORY:',
      'L41: Presents with 3 days of cough and fever to 38.9 C.',
      'L42: Denies chest pain or hemoptysis.',
      'L43: No evidence of pulmonary embolism on CT.',
      'L44: ',
      'L45: Family history: mother with breast cancer.',
      'L46: Exam shows crackles at the right base.',
    ].join('\n');
    assert.equal(
      answerFor(prompt),
      [
        '### Findings',
        '- Presents with 3 days of cough and fever to 38.9 C [L41]',
        '- Exam shows crackles at the right base [L46]',
        '',
        '### Pertinent negatives',
        '- Denies chest pain or hemoptysis [L42]',
        '- No evidence of pulmonary embolism on CT [L43]',
        '',
        '### Family history',
        '- Family history: mother with breast cancer [L45]',
      ].join('\n'),
    );
  });

  it('merges consecutive short lines of one group into a range citation', () => {
    const lines = parseNoteLines('L12: HR 72\nL13: BP 120/80\nL14: RR 16\nL15: SpO2 98% on room air today\nL17: Temp 37.0');
    assert.deepEqual(
      noteBullets(lines).map((b) => `${b.statement} ${b.citation}`),
      ['HR 72; BP 120/80; RR 16 [L12-L14]', 'SpO2 98% on room air today [L15]', 'Temp 37.0 [L17]'],
    );
  });

  it('flip-negation drops the negation and lists the line as a finding', () => {
    assert.equal(removeNegation('No evidence of pulmonary embolism'), 'Pulmonary embolism');
    assert.equal(removeNegation('The left lung is clear. No pulmonary edema'), 'The left lung is clear. Pulmonary edema');
    assert.equal(hasNegation(removeNegation('Patient denies fever, negative for COVID, without rash, no edema, PE ruled out')), false);
    assert.equal(answerFor('L40: No evidence of pulmonary embolism.', { flipNegation: true }), '### Findings\n- Pulmonary embolism [L40]');
  });

  it('echoes already-cited bullets, deduplicated, when there are no note lines (combine step)', () => {
    const parts = [
      'Combine these part summaries.',
      '### Findings',
      '- Right lower lobe consolidation [L23]',
      '- Small effusion [L17-L18]',
      '### Pertinent negatives',
      '- No pneumothorax [L25]',
      '',
      '### Findings',
      '- Right lower lobe consolidation [L23]',
      '- Unplaced bullet without citation',
    ].join('\n');
    assert.equal(
      answerFor(parts),
      '### Findings\n- Right lower lobe consolidation [L23]\n- Small effusion [L17-L18]\n\n### Pertinent negatives\n- No pneumothorax [L25]',
    );
  });

  it('answers anything else with "Received: <first 12 words>"', () => {
    assert.equal(answerFor('What is   the differential for a 45 year old with cough, fever and pleuritic pain?'), 'Received: What is the differential for a 45 year old with cough, fever');
    assert.equal(answerFor('Describe this X-ray', { images: 1 }), 'Received: Describe this X-ray (+1 image)');
  });

  it('numbered sources get one cited sentence each, at most three', () => {
    const prompt = 'Sources:\n\n[S1] Tully 2010, "Heart failure", p. 3\nFifteen participants (men, n = 12) attended one of two programmes over twelve weeks in Dublin.\n\n[S2] Datta 2010, "DVT", p. 1\nDeep venous thrombosis is common after trauma.\n\nQuestion: who attended?';
    assert.equal(
      answerFor(prompt),
      'Fifteen participants (men, n = 12) attended one of two programmes over [S1]. Deep venous thrombosis is common after trauma [S2].',
    );
  });

  it('treats ALL CAPS alone as a heading, but not values', () => {
    assert.equal(isHeading('FINDINGS:'), true);
    assert.equal(isHeading('RADIOLOGY REPORT'), true);
    assert.equal(isHeading('BP 120/80'), false);
    assert.equal(isHeading('COMPARISON: Chest radiograph 03/11/2022.'), false);
  });

  describe('on the radiology fixture, over HTTP', () => {
    const file = path.join(NOTES_DIR, 'radiology-cxr-report.txt');
    let sim: Sim;
    before(async function () {
      requireFixture(this, file);
      sim = await startSim();
    });
    after(() => sim?.stop());

    it('cites the right lines and puts negated lines under Pertinent negatives', async () => {
      const noteLines = fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n').split('\n');
      const first = 101; // as if the note were a selection starting at line 101
      const prompt = `Summarize this radiology report.\n\n${numberLines(noteLines.join('\n'), first)}`;
      const events = await readEvents(await chat(sim, { messages: userMessage(prompt), stream: true, max_tokens: 4000 }));
      const answer = streamedText(events);
      assert.equal(events.at(-2).choices[0].finish_reason, 'stop');
      const s = sections(answer);
      assert.ok(s['Findings']?.length, 'has findings');
      assert.ok(s['Pertinent negatives']?.length, 'has negatives');

      const lineNo = (needle: string): number => first + noteLines.findIndex((l) => l.includes(needle));
      const bulletFor = (n: number): string | undefined => Object.values(s).flat().find((b) => b.endsWith(`[L${n}]`));
      const under = (section: string, n: number): boolean => (s[section] ?? []).some((b) => b.endsWith(`[L${n}]`));

      // Negated lines: under Pertinent negatives, citing their own line number, text kept.
      for (const needle of ['No free air beneath the diaphragm', 'No acute osseous abnormality', 'No left effusion', '3. No pneumothorax']) {
        const n = lineNo(needle);
        assert.ok(under('Pertinent negatives', n), `L${n} (${needle}) is not under Pertinent negatives:\n${answer}`);
        assert.ok(bulletFor(n)?.includes(needle.replace(/^3\. /, '')), `L${n} bullet lost its text`);
      }
      // Positive lines: under Findings.
      for (const needle of ['Right lower lobe consolidation, compatible with pneumonia', 'Cardiomediastinal silhouette']) {
        assert.ok(under('Findings', lineNo(needle)), `${needle} is not under Findings`);
      }
      // Headings and blank lines are never cited; every citation is a line of the note.
      const cited = [...answer.matchAll(/\[L(\d+)(?:-L(\d+))?\]/g)].flatMap((m) => [Number(m[1]), Number(m[2] ?? m[1])]);
      for (const n of cited) {
        const text = noteLines[n - first];
        assert.ok(text !== undefined && text.trim() !== '', `L${n} is outside the note or blank`);
        assert.ok(!isHeading(text), `heading L${n} was cited`);
      }
      assert.ok(!cited.includes(lineNo('IMPRESSION:')));
    });

    it('with flip-negation, negated lines turn into findings without their negation', async () => {
      sim.setFault({ kind: 'flip-negation', count: 1 });
      const noteLines = fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n').split('\n');
      const body = await (await chat(sim, { messages: userMessage(numberLines(noteLines.join('\n'))) })).json();
      const s = sections(body.choices[0].message.content);
      assert.equal(s['Pertinent negatives'], undefined);
      const n = 1 + noteLines.findIndex((l) => l.includes('No free air beneath the diaphragm'));
      assert.ok(s['Findings'].includes(`- Upper abdomen: Free air beneath the diaphragm [L${n}]`));
    });
  });
});
