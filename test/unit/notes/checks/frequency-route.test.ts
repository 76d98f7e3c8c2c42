import * as assert from 'node:assert/strict';
import { frequencyRoute } from '../../../../src/core/notes/checks/frequency-route';
import { verdict } from './lines';

describe('notes/checks/frequency-route', () => {
  it('treats BID, twice daily and q12h alike, and PO as by mouth', () => {
    assert.equal(verdict(frequencyRoute, 'Apixaban 5 mg twice daily by mouth', '- Apixaban 5 mg PO BID'), 'ok');
    assert.equal(verdict(frequencyRoute, 'Heparin every 8 hours subcutaneously', 'heparin 7,500 units SC q8h'), 'ok');
    assert.equal(verdict(frequencyRoute, 'Atorvastatin 40 mg daily', 'Atorvastatin 40 mg PO nightly'), 'ok', 'nightly is once a day');
  });

  it('flags another frequency or route', () => {
    assert.equal(verdict(frequencyRoute, 'Amlodipine 10 mg twice daily', '- Amlodipine 10 mg PO daily'), 'frequency: the note says daily');
    assert.equal(verdict(frequencyRoute, 'Acetaminophen 1 g IV every 8 hours', 'Acetaminophen 1 g PO q8h for pain'), 'route: the note says by mouth');
  });

  it("compares each drug with its own part of the line", () => {
    const l = 'atrial fibrillation on apixaban 5 mg PO BID (last dose 08:00), hypertension on enalapril 10 mg PO daily';
    assert.equal(verdict(frequencyRoute, 'Enalapril 10 mg twice daily', l), 'frequency: the note says daily');
    assert.equal(verdict(frequencyRoute, 'Apixaban 5 mg once daily', l), 'frequency: the note says twice daily');
    assert.equal(verdict(frequencyRoute, 'Torsemide 40 mg by mouth daily', 'furosemide 80 mg IV BID. Transitioned to oral torsemide 40 mg daily.'), 'ok', 'a route before the name');
    assert.equal(verdict(frequencyRoute, 'Furosemide 80 mg by mouth twice daily', 'Started on furosemide 80 mg IV BID. Transitioned to oral torsemide 40 mg daily.'), 'route: the note says IV');
  });

  it('does not read "PR interval" or "I\'m" as routes', () => {
    assert.equal(verdict(frequencyRoute, 'PR 168 ms', 'PR 168 ms, QRS 94 ms, metoprolol 25 mg PO'), 'ok');
  });
});
