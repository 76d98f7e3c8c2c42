import * as assert from 'node:assert/strict';
import { numberNote } from '../../../src/core/notes/numbering';
import { buildCombineMessages, buildSummaryMessages, COMBINE_SYSTEM, SUMMARY_SYSTEM } from '../../../src/core/notes/prompts';
import { findTemplate } from '../../../src/core/notes/templates';

describe('notes/prompts', () => {
  const note = numberNote('HPI\nDenies chest pain.\n\nMother had breast cancer.', [2, 4]);
  const soap = findTemplate('soap')!;

  it('states the grounding rules in the system message', () => {
    for (const rule of [
      /markdown bullet .* ends with the citations .* \[L12\] .* \[L12-L15\] .* \[L3\]\[L9-L10\]/,
      /Use only facts written in the note/,
      /Cite the exact lines/,
      /no evidence of PE.*denies chest pain.*negative for.*pertinent negatives.*never as active problems or diagnoses/,
      /Family history .* never as the patient's own problem/,
      /suspected, possible.*"rule out".*keep their uncertainty/,
      /Never invent or alter doses, dates, times, values/,
      /unclear or contradictory.*say so/,
    ]) {
      assert.match(SUMMARY_SYSTEM, rule);
    }
  });

  it('sends system + one user message with the template and the numbered note', () => {
    const msgs = buildSummaryMessages(soap, note);
    assert.deepEqual(msgs.map((m) => m.role), ['system', 'user']);
    const user = String(msgs[1].content);
    assert.ok(user.includes(soap.instructions));
    assert.ok(user.includes('The note, lines 2-4:\n\nL2: Denies chest pain.\nL4: Mother had breast cancer.\n'));
    assert.ok(user.indexOf(soap.instructions) < user.indexOf('L2:'), 'instructions before the note, reminder after');
  });

  it('tells a map step which part of the note it sees', () => {
    const user = String(buildSummaryMessages(soap, note, { index: 3, count: 7 })[1].content);
    assert.match(user, /part 3 of 7 of a longer note: lines 2-4/);
  });

  it('asks the combine step to keep citations and add nothing', () => {
    const msgs = buildCombineMessages(soap, [
      { start: 1, end: 40, text: '- NSTEMI [L12]' },
      { start: 41, end: 90, text: '- LHC planned [L60]' },
    ]);
    assert.equal(msgs[0].content, COMBINE_SYSTEM);
    assert.match(COMBINE_SYSTEM, /Do not add any statement/);
    assert.match(COMBINE_SYSTEM, /Keep the citations exactly as written/);
    assert.ok(String(msgs[1].content).includes('### Lines 1-40\n- NSTEMI [L12]\n\n### Lines 41-90\n- LHC planned [L60]'));
    assert.ok(String(msgs[1].content).includes(soap.instructions));
  });
});

describe('notes/prompts: the user messages, word for word', () => {
  const template = { id: 'brief', label: 'Brief Clinical Summary', instructions: 'Problems first.' } as Parameters<typeof buildSummaryMessages>[0];
  const note = numberNote('one\ntwo\nthree', [2, 3]);

  it('a whole note or selection', () => {
    const [system, user] = buildSummaryMessages(template, note);
    assert.equal(system.content, SUMMARY_SYSTEM);
    assert.equal(
      user.content,
      [
        'Summary to write: Brief Clinical Summary',
        'Problems first.',
        '',
        'The note, lines 2-3:',
        '',
        note.block,
        '',
        'Now write the brief clinical summary. Every bullet ends with its [L<n>] citations.',
      ].join('\n'),
    );
  });

  it('one part of a longer note', () => {
    const [, user] = buildSummaryMessages(template, note, { index: 2, count: 5 });
    assert.equal(
      user.content,
      [
        'Summary to write: Brief Clinical Summary',
        'Problems first.',
        '',
        'This is part 2 of 5 of a longer note: lines 2-3. Summarize only this part; the part summaries will be combined later. Keep every fact the summary above needs, each as its own short bullet with its citations, under the headings the summary uses.',
        '',
        note.block,
        '',
        'Now write the brief clinical summary. Every bullet ends with its [L<n>] citations.',
      ].join('\n'),
    );
  });

  it('the combine step: part summaries trimmed, under their line ranges, in order', () => {
    const [system, user] = buildCombineMessages(template, [
      { start: 1, end: 40, text: '\n- Fever [L3]\n\n' },
      { start: 41, end: 90, text: '- Cough [L50]' },
    ]);
    assert.equal(system.content, COMBINE_SYSTEM);
    assert.equal(
      user.content,
      [
        'Summary to write: Brief Clinical Summary',
        'Problems first.',
        '',
        'Partial summaries, in note order (2):',
        '',
        '### Lines 1-40\n- Fever [L3]\n\n### Lines 41-90\n- Cough [L50]',
        '',
        'Now write one brief clinical summary from these bullets. Keep their citations unchanged.',
      ].join('\n'),
    );
  });
});
