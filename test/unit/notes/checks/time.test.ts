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
