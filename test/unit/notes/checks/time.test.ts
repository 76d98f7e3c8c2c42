import * as assert from 'node:assert/strict';
import { datesIn, time, timesIn } from '../../../../src/core/notes/checks/time';
import { verdict } from './lines';

describe('notes/checks/time', () => {
  it('reads dates and clock times, not doses or blood pressures', () => {
    assert.deepEqual([...datesIn('on 09/12/2024, then September 20th; 24/26 mg; BP 168/94')], ['9/12', '9/20']);
    assert.deepEqual([...timesIn('at 08:15 and 2:30 pm')], [8 * 60 + 15, 14 * 60 + 30]);
  });

  it('flags a date or time the cited lines do not give', () => {
    assert.equal(verdict(time, 'Spironolactone started on 09/11', '- Spironolactone 12.5 mg daily started 09/12'), 'the cited lines do not give the date 9/11');
    assert.equal(verdict(time, 'Intubated at 23:35', 'was intubated at 22:35 (ketamine 150 mg)'), 'the cited lines do not give the time 23:35');
    assert.equal(verdict(time, 'Heparin started on Sept 12', 'started 09/12'), 'ok');
  });

  it('flags before for after, and history for current', () => {
    assert.equal(verdict(time, 'Heparin started before the troponin resulted', 'heparin started at 08:15 after the delta troponin resulted'), 'the note says after, not before');
    assert.equal(verdict(time, 'Current smoker', '- Former tobacco use (35 pack-years, quit 9 yr ago)'), 'the note gives it as past history');
    assert.equal(verdict(time, 'History of septic shock', 'admitted with septic shock; proning planned today'), 'the note gives it as current');
    assert.equal(verdict(time, 'Former smoker', '- Former tobacco use (quit 9 yr ago)'), 'ok');
  });
});

describe('notes/checks/time: dates and clock times read exactly', () => {
  // About 4,500 characters of filler: the rule reads a bounded prefix of untrusted model text.
  const filler = 'Stable overnight, no events. '.repeat(160);

  it('reads dates and times only in the first 4,000 characters', () => {
    assert.deepEqual([...datesIn(`Seen 9/12. ${filler}`)], ['9/12']);
    assert.deepEqual([...datesIn(`${filler} Seen 9/12.`)], []);
    assert.deepEqual([...timesIn(`Seen at 08:15. ${filler}`)], [8 * 60 + 15]);
    assert.deepEqual([...timesIn(`${filler} Seen at 08:15.`)], []);
  });

  it('takes months 1 to 12 and days 1 to 31, inclusive', () => {
    assert.deepEqual([...datesIn('seen 1/15, 12/25, 3/1 and 3/31')], ['1/15', '12/25', '3/1', '3/31']);
  });

  it('does not read a month or day out of range as a date', () => {
    // One at a time, so each bound is checked on its own.
    assert.deepEqual([...datesIn('score 0/5')], [], 'month 0');
    assert.deepEqual([...datesIn('score 13/5')], [], 'month 13');
    assert.deepEqual([...datesIn('score 3/0')], [], 'day 0');
    assert.deepEqual([...datesIn('score 3/32')], [], 'day 32');
  });

  it('does not read a combination dose as a date, with or without a space before the unit', () => {
    assert.deepEqual([...datesIn('amlodipine/benazepril 5/10 mg daily')], []);
    assert.deepEqual([...datesIn('amlodipine/benazepril 5/10mg daily')], []);
    assert.deepEqual([...datesIn('amlodipine/benazepril 5/10 started, 20 mg daily')], ['5/10'], 'a unit later in the line does not matter');
  });

  it('reads abbreviated month names, "May" and "Sept" included', () => {
    assert.deepEqual([...datesIn('Sep. 12, Jan. 3rd, May 5')], ['9/12', '1/3', '5/5']);
    // "Sept" was not read at all before (only "Sep" and "Sep." were), so a wrong day passed.
    assert.deepEqual([...datesIn('Sept 14 and Sept. 15')], ['9/14', '9/15']);
    assert.equal(verdict(time, 'Heparin started on Sept 11', 'started 09/12'), 'the cited lines do not give the date 9/11');
  });

  it('reads 12 am as midnight, 12 pm as noon, and a 24-hour time as written', () => {
    assert.deepEqual([...timesIn('at 12:30 pm')], [12 * 60 + 30]);
    assert.deepEqual([...timesIn('at 12:05 am')], [5]);
    assert.deepEqual([...timesIn('at 12:30')], [12 * 60 + 30]);
    assert.deepEqual([...timesIn('at 8:15 am')], [8 * 60 + 15]);
    assert.deepEqual([...timesIn('at 8:15 AM')], [8 * 60 + 15]);
    assert.deepEqual([...timesIn('at 11:30 p.m.')], [23 * 60 + 30]);
  });

  it('writes a missing time with two-digit hours and minutes', () => {
    assert.equal(verdict(time, 'Ceftriaxone given at 07:05', 'ceftriaxone 1 g IV given at 07:50'), 'the cited lines do not give the time 07:05');
  });
});

describe('notes/checks/time: several cited lines', () => {
  it('accepts a date or time that any one of the cited lines gives', () => {
    assert.equal(verdict(time, 'Spironolactone started 09/12', '- Spironolactone 12.5 mg daily started 09/12', 'K 4.1 on 09/14'), 'ok');
    assert.equal(verdict(time, 'Intubated at 22:35', 'was intubated at 22:35', 'extubated at 09:10'), 'ok');
  });

  it('flags "before" when one cited line says after and none says before', () => {
    assert.equal(
      verdict(time, 'Heparin started before the troponin resulted', 'heparin started at 08:15 after the delta troponin resulted', 'troponin 45 then 112 ng/L'),
      'the note says after, not before',
    );
  });
});

describe('notes/checks/time: order words', () => {
  it('flags "after" where the note says before', () => {
    assert.equal(verdict(time, 'Antibiotics given after blood cultures were drawn', 'antibiotics given before blood cultures drawn'), 'the note says before, not after');
  });

  it('accepts the same order word, and a note that gives both', () => {
    assert.equal(verdict(time, 'Antibiotics given before blood cultures', 'antibiotics given before blood cultures drawn'), 'ok');
    assert.equal(verdict(time, 'Heparin started after a negative CT head', 'CT head done before heparin; heparin started after the CT was negative'), 'ok');
    assert.equal(verdict(time, 'CT head done before heparin', 'CT head done before heparin; heparin started after the CT was negative'), 'ok');
  });

  it('does not judge a statement that itself says both before and after', () => {
    assert.equal(verdict(time, 'Cultures drawn before and lactate checked after antibiotics', 'antibiotics given before blood cultures drawn'), 'ok');
  });
});

describe('notes/checks/time: "the same day"', () => {
  const statement = 'Extubated and transferred to the floor the same day';

  it('flags it when the cited lines give two dates', () => {
    assert.equal(verdict(time, statement, 'Extubated 3/4', 'Transferred to the floor 3/5'), 'the note gives different days');
  });

  it('flags it when the note says the next day', () => {
    assert.equal(verdict(time, statement, 'Extubated 3/4; transferred to the floor the next morning'), 'the note gives different days');
  });

  it('accepts it when the note gives one date and no next day', () => {
    assert.equal(verdict(time, statement, 'Extubated 3/4 and transferred to the floor'), 'ok');
    assert.equal(verdict(time, statement, 'Extubated 3/4, then transferred to the floor; stable'), 'ok');
  });

  it('accepts it when the note itself says the same day', () => {
    assert.equal(verdict(time, statement, 'Extubated 3/4 and transferred to the floor the same day', 'Seen by PT 3/5'), 'ok');
  });
});

describe('notes/checks/time: order and history words', () => {
  it('reads "am"/"pm" written right after the time', () => {
    assert.deepEqual([...timesIn('at 8:15pm')], [20 * 60 + 15]);
  });

  it('reads each word for "before" and "after"', () => {
    // Each note line has a ", ": a phrase list that matched anywhere would show there.
    const after = 'heparin started after the CT head, per neurology';
    for (const w of ['prior to', 'preceding', 'earlier than']) {
      assert.equal(verdict(time, `Heparin started ${w} the CT head`, after), 'the note says after, not before', w);
    }
    assert.equal(verdict(time, 'CT head preceded heparin', after), 'the note says after, not before');
    assert.equal(verdict(time, 'Heparin given pre CT', after), 'the note says after, not before');
    const before = 'heparin started before the CT head, per neurology';
    for (const w of ['following', 'subsequent to', 'later than']) {
      assert.equal(verdict(time, `Heparin started ${w} the CT head`, before), 'the note says before, not after', w);
    }
    assert.equal(verdict(time, 'CT head followed by heparin', before), 'the note says before, not after');
    assert.equal(verdict(time, 'CT head; heparin subsequently started', before), 'the note says before, not after');
    assert.equal(verdict(time, 'Heparin started post CT head', before), 'the note says before, not after');
    assert.equal(verdict(time, 'Status post CT head, heparin started', before), 'the note says before, not after');
    assert.equal(verdict(time, 'Heparin started s/p CT head', before), 'the note says before, not after');
  });

  it('reads each word for "the next day" in the note', () => {
    const statement = 'Extubated and transferred to the floor the same day';
    for (const w of ['the next day', 'the following day', 'the day after', 'the next morning', 'the following morning', 'overnight', 'in AM', 'in the morning', 'tomorrow']) {
      assert.equal(verdict(time, statement, `Extubated 3/4; transfer to the floor ${w}`), 'the note gives different days', w);
    }
  });

  it('does not judge order or history when the statement has no such word', () => {
    assert.equal(verdict(time, 'Heparin started', 'heparin started after the troponin resulted'), 'ok');
    assert.equal(verdict(time, 'Heparin started', 'heparin started before the troponin resulted'), 'ok');
    assert.equal(verdict(time, 'Atrial fibrillation', 'history of atrial fibrillation'), 'ok');
    assert.equal(verdict(time, 'Atrial fibrillation', 'atrial fibrillation, currently rate controlled'), 'ok');
  });

  it('accepts past or current when the note gives both', () => {
    assert.equal(verdict(time, 'Currently smoking', 'smoked in the past, quit, now smoking again, currently 5 cigarettes a day'), 'ok');
    assert.equal(verdict(time, 'History of atrial fibrillation', 'history of atrial fibrillation, currently in sinus rhythm'), 'ok');
  });
});
