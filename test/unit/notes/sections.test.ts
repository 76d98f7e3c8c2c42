// How a clinical note is laid out (sections.ts): where a new dated note starts (long notes are
// cut there) and what a section heading looks like (a heading is not a statement to check).
import * as assert from 'node:assert/strict';
import { SEPARATOR, isNoteHeader, isSectionHeading } from '../../../src/core/notes/sections';

const pad = (s: string, n: number) => s + 'x'.repeat(n - s.length);

describe('notes/sections: note headers', () => {
  it('reads a hospital day, POD or ICU day, with or without "#", up to 60 characters and no table bar', () => {
    for (const t of ['Day 3', 'HOSPITAL DAY 12', 'HD #4', 'hd#4', 'POD 2 - afebrile', 'ICU day 7', '  Day 3  ']) assert.equal(isNoteHeader(t), true, t);
    for (const t of ['Day three', 'Daytime 3', 'Day', '| Day 3 | stable |', 'Today 3 doses']) assert.equal(isNoteHeader(t), false, t);
    assert.equal(isNoteHeader(pad('Day 3 ', 60)), true, '60 characters');
    assert.equal(isNoteHeader(pad('Day 3 ', 61)), false, '61 characters and no date: prose');
    assert.equal(isNoteHeader('Day 12 '), true);
    assert.equal(isNoteHeader('Day 3|'), false);
  });

  it('reads a line starting with a date, up to 60 characters', () => {
    for (const t of ['02/14/2024 Progress note', '2/4 events', '02/14/24', '2024-02-14 08:00', '12/31']) assert.equal(isNoteHeader(t), true, t);
    for (const t of ['024/14/2024 x', '02/144 x', '2024-2-14 x', '2024-02-1 x', '202-02-14 x', 'ab/cd/2024 x', '02/14x']) assert.equal(isNoteHeader(t), false, t);
    assert.equal(isNoteHeader(pad('02/14/2024 ', 60)), true);
    assert.equal(isNoteHeader(pad('02/14/2024 ', 61)), false);
    // A year of one digit is no year, but "02/14" before it is still a date.
    assert.equal(isNoteHeader('02/14/2 x'), true);
  });

  it('reads a date anywhere with a note word, up to 100 characters', () => {
    for (const w of ['note', 'progress', 'admission', 'discharge', 'consult', 'consultation', 'H&P', 'report', 'summary']) {
      assert.equal(isNoteHeader(`MICU ${w} - 02/25/2024 13:40`), true, w);
    }
    assert.equal(isNoteHeader('MICU PROGRESS NOTE - 2024-02-25'), true);
    assert.equal(isNoteHeader('Seen 02/25/2024, labs reviewed'), false, 'a date without a note word');
    assert.equal(isNoteHeader('MICU notes were reviewed, no date'), false, 'a note word without a date');
    assert.equal(isNoteHeader('Consultant visit 02/25/2024'), false, '"consultant" is not "consult"');
    assert.equal(isNoteHeader(pad('Progress note 02/25/2024 ', 100)), true, '100 characters');
    assert.equal(isNoteHeader(pad('Progress note 02/25/2024 ', 101)), false, '101 characters');
    assert.equal(isNoteHeader(''), false);
    assert.equal(isNoteHeader('   '), false);
  });
});

describe('notes/sections: section headings', () => {
  it('reads markdown headings of one to six #, and "-- Events --"', () => {
    for (const t of ['# Plan', '###### Plan', '  ## Assessment', '--Events--', '-- Events of the day --', '----- Labs -----']) assert.equal(isSectionHeading(t), true, t);
    for (const t of ['####### seven', '#Plan', '# ', '-Events-', '-- Events', 'Events --', '--  --']) assert.equal(isSectionHeading(t), false, t);
  });

  it('reads ALL-CAPS lines with at least three letters and at most two digits, not list items', () => {
    for (const t of ['LABORATORY DATA', 'CBC', 'HD 2 NOTE', 'A/P', 'PMH (2)', 'CT CHEST 12']) assert.equal(isSectionHeading(t), t !== 'A/P', t);
    for (const t of ['CT', 'LABS 123', 'Labs', '- MEDS', '* MEDS', '• MEDS', '1 MEDS', 'IV FLUIDS, 3 L and more']) assert.equal(isSectionHeading(t), false, t);
    assert.equal(isSectionHeading('ABC'), true, 'exactly three letters');
    assert.equal(isSectionHeading('AB 1'), false, 'two letters');
    assert.equal(isSectionHeading('ABC 12'), true, 'two digits');
    assert.equal(isSectionHeading('ABC 123'), false, 'three digits');
  });

  it('reads a capitalized label ending in a colon, of up to eight words and 50 characters', () => {
    for (const t of ['Assessment & Plan:', 'Medications on admission:', 'A:', 'Plan for the next days of care:']) assert.equal(isSectionHeading(t), true, t);
    for (const t of ['assessment:', 'Plan: continue', 'Dr. Smith:', 'Time 10:30:', 'One two three four five six seven eight nine:']) assert.equal(isSectionHeading(t), false, t);
    assert.equal(isSectionHeading(`A${'b'.repeat(48)}:`), true, '50 characters');
    assert.equal(isSectionHeading(`A${'b'.repeat(49)}:`), false, '51 characters');
    assert.equal(isSectionHeading('One two three four five six seven eight:'), true, 'eight words');
  });

  it('refuses empty lines and lines over 60 characters', () => {
    assert.equal(isSectionHeading(''), false);
    assert.equal(isSectionHeading('   '), false);
    assert.equal(isSectionHeading(`# ${'a'.repeat(58)}`), true, '60 characters');
    assert.equal(isSectionHeading(`# ${'a'.repeat(59)}`), false, '61 characters');
    assert.equal(isSectionHeading(`  # ${'a'.repeat(58)}  `), true, 'measured without the spaces around');
  });

  it('SEPARATOR is a rule of five or more of one character', () => {
    for (const t of ['=====', '-----', '_____', '*****', '~~~~~', '#####', '  ==========  ']) assert.equal(SEPARATOR.test(t), true, t);
    for (const t of ['====', '==-==', '===== x', 'x=====']) assert.equal(SEPARATOR.test(t), false, t);
  });
});
