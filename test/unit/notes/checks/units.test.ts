import * as assert from 'node:assert/strict';
import { quantitiesIn, units } from '../../../../src/core/notes/checks/units';
import { verdict } from './lines';

describe('notes/checks/units', () => {
  it('reads value and unit pairs, ranges and rates, not dosing codes or citations', () => {
    assert.deepEqual(quantitiesIn('Nitroglycerin 10 mcg/min; 6-8 weeks; 38.9 °C; q6h; L12; 2 L NC').map((q) => q.text), ['10 mcg/min', '6 weeks', '8 weeks', '38.9 °C', '2 L']);
    assert.deepEqual(quantitiesIn('QTc 441 ms').map((q) => q.text), ['441 ms']);
    assert.deepEqual(quantitiesIn('aiming for -2 L/day. Then 1.73 m2').map((q) => q.text), ['2 L/day']);
  });

  it('flags a unit swapped for another of the same kind', () => {
    assert.equal(verdict(units, 'Levothyroxine 75 mg daily', 'Increase levothyroxine to 75 mcg PO daily.'), 'the note says 75 mcg, not 75 mg');
    assert.equal(verdict(units, 'Polyp 0.6 x 0.5 x 0.3 mm', 'a single tan polypoid fragment measuring 0.6 x 0.5 x 0.3 cm'), 'the note says 0.3 cm, not 0.3 mm');
    assert.equal(verdict(units, 'Temperature 36.8 °F', 'T 36.8 °C, HR 92'), 'the note says 36.8 °C, not 36.8 °F');
    assert.equal(verdict(units, 'Chest tightness for 2 days', 'exertional tightness x 2 wk'), 'the note says 2 weeks, not 2 days');
    assert.equal(verdict(units, 'Weight 160 kg', 'Wt 72.5 kg (160 lb)'), 'the note says 160 lb, not 160 kg');
    assert.equal(verdict(units, 'Norepinephrine 0.38 mg/kg/min', 'norepinephrine up to 0.38 mcg/kg/min'), 'the note says 0.38 mcg/kg/min, not 0.38 mg/kg/min');
  });

  it('accepts equal amounts in other units, with a writer\'s rounding', () => {
    assert.equal(verdict(units, 'Acetaminophen 1000 mg every 8 hours', 'Acetaminophen 1 g PO q8h'), 'ok');
    assert.equal(verdict(units, 'Levothyroxine 0.05 mg', 'levothyroxine 50 mcg PO daily'), 'ok');
    assert.equal(verdict(units, 'Temperature 36.8 °C', 'T 98.2 °F'), 'ok');
    assert.equal(verdict(units, 'Gained 5.4 kg', 'a 12 lb weight gain'), 'ok');
    assert.equal(verdict(units, '3 L in the first 1.5 hours', '30 mL/kg LR (3 L) in the first 90 minutes'), 'ok');
  });

  it('leaves a different number to the number check', () => {
    assert.equal(verdict(units, 'Atorvastatin 80 mg', 'Atorvastatin 40 mg nightly'), 'ok');
  });
});
