import * as assert from 'node:assert/strict';
import { convertedNumbers, quantitiesIn, sameAmount, units } from '../../../../src/core/notes/checks/units';
import { line, verdict } from './lines';

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

  it('reads a temperature written with a degree sign, "degree(s)" or a bare C or F only in a body range', () => {
    const texts = (t: string) => quantitiesIn(t).map((q) => q.text);
    assert.deepEqual(texts('T 101 degrees F, then 38 ° C, then 100.4 degree  F'), ['101 °F', '38 °C', '100.4 °F']);
    // A bare letter is a temperature from 30 to 45 (C) or 86 to 113 (F), the bounds included.
    assert.deepEqual(texts('30 C; 45 C; 86 F; 113 F'), ['30 °C', '45 °C', '86 °F', '113 °F']);
    assert.deepEqual(texts('store at 4 C; 29 C; 46 C; 85 F; 114 F'), []);
    assert.deepEqual(texts('fridge 4 °C, hot tub 120 degrees F'), ['4 °C', '120 °F'], 'the degree sign or word makes it a temperature at any value');
  });

  it('does not read a word that only ends like a unit as one (100 ft is not 100 °F)', () => {
    assert.deepEqual(quantitiesIn('Walked 100 ft with a walker'), []);
    assert.deepEqual(quantitiesIn('Lifted 20 lbs, 3 days, 2 weeks').map((q) => q.text), ['20 lb', '3 days', '2 weeks']);
  });

  it('takes L for litres only where a volume is meant, not a side before a body word', () => {
    const texts = (t: string) => quantitiesIn(t).map((q) => q.text);
    assert.deepEqual(texts('1 L arm swelling'), []);
    assert.deepEqual(texts('2 L nasal cannula; 1 L LR bolus; fluid balance 1 L, arm elevated'), ['2 L', '1 L', '1 L']);
    assert.deepEqual(texts('Total intake 3 L'), ['3 L'], 'at the end of the text');
  });

  it('reads thousands separators and decimal commas, and rates without the sentence\'s full stop', () => {
    assert.deepEqual(quantitiesIn('Heparin 1,000 units then 1,5 mg').map((q) => q.value), [1.5]);
    assert.deepEqual(quantitiesIn('Vancomycin 1,250 mg IV').map((q) => q.text), ['1250 mg']);
    assert.deepEqual(quantitiesIn('Norepinephrine 0.05 mcg/kg/min.').map((q) => q.text), ['0.05 mcg/kg/min']);
    assert.deepEqual(quantitiesIn('eGFR 45 mL/min/1.73m2.').map((q) => q.per), ['/min/1.73m2']);
  });

  it('reads only the first 4,000 characters of a text', () => {
    assert.deepEqual(quantitiesIn(`${'x '.repeat(1998)}5 mg`).map((q) => q.text), ['5 mg']);
    assert.deepEqual(quantitiesIn(`${'x '.repeat(2000)}5 mg`), []);
  });

  it('sameAmount: the same dimension and rate, exact in one unit, a writer\'s rounding across units', () => {
    const one = (t: string) => quantitiesIn(t)[0];
    assert.equal(sameAmount(one('5 mg'), one('5 mg')), true);
    assert.equal(sameAmount(one('5 mg'), one('5.01 mg')), false, 'in the same unit the numbers must be equal');
    assert.equal(sameAmount(one('5 mg/day'), one('5 mg/h')), false, 'another rate');
    assert.equal(sameAmount(one('5 mg/day'), one('5 mg')), false, 'a rate is not an amount');
    assert.equal(sameAmount(one('3 days'), one('3 mg')), false, 'another dimension');
    assert.equal(sameAmount(one('72 hours'), one('3 days')), true);
    assert.equal(sameAmount(one('1000 mg'), one('1 g')), true);
    assert.equal(sameAmount(one('1005 mg'), one('1 g')), true, '0.5 % either way');
    assert.equal(sameAmount(one('1006 mg'), one('1 g')), false);
    // Half a unit of the last digit written: 5.4 kg stands for 5.35-5.45 kg, and 12 lb is 5.44 kg.
    assert.equal(sameAmount(one('5.4 kg'), one('12 lb')), true);
    assert.equal(sameAmount(one('12 lb'), one('5.4 kg')), true, 'whichever side is rounded');
    assert.equal(sameAmount(one('5.3 kg'), one('12 lb')), false, '5.3 kg is at most 5.35');
    assert.equal(sameAmount(one('5 kg'), one('12 lb')), false, 'no decimals: no half-digit slack beyond 0.5 %');
  });

  it('sameAmount: temperatures convert by formula, within 0.15 degrees C', () => {
    const one = (t: string) => quantitiesIn(t)[0];
    assert.equal(sameAmount(one('38.9 °C'), one('102 °F')), true); // 102 °F = 38.89 °C
    assert.equal(sameAmount(one('102 °F'), one('38.9 °C')), true);
    assert.equal(sameAmount(one('37 °C'), one('98.6 °F')), true);
    assert.equal(sameAmount(one('37.2 °C'), one('98.6 °F')), false, '0.2 degrees apart');
    assert.equal(sameAmount(one('38.6 °C'), one('101.3 °F')), true, '101.3 °F is 38.5 °C: 0.1 apart');
    assert.equal(sameAmount(one('38.7 °C'), one('101.3 °F')), false, '0.2 apart');
  });

  it('convertedNumbers: the statement\'s numbers an equal quantity in the cited lines accounts for', () => {
    assert.deepEqual([...convertedNumbers('Temperature 36.8 °C and 2 L', [line('T 98.2 °F'), line('O2 2 L NC')])], ['36.8', '2']);
    assert.deepEqual([...convertedNumbers('Temperature 37.5 °C', [line('T 98.2 °F')])], []);
    assert.deepEqual([...convertedNumbers('Gained 5.4 kg over 3 days', [line('a 12 lb weight gain over 72 hours')])], ['5.4', '3']);
    assert.deepEqual([...convertedNumbers('Gained 5.4 kg', [line('weight gain'), line('Wt up 12 lb')])], ['5.4'], 'any cited line');
    assert.deepEqual([...convertedNumbers('Levothyroxine 75 mg', [line('levothyroxine 75 mcg')])], [], 'a wrong unit accounts for nothing');
  });

  it('names a changed rate and a unit added to a bare number, and leaves other differences to the number check', () => {
    assert.equal(verdict(units, 'Heparin 18 units/kg/h, insulin 10 units/h', 'heparin 18 units/kg/h', 'insulin 10 units/min'), 'ok', 'units are not a unit of mass, length, volume, time or temperature');
    assert.equal(verdict(units, 'Furosemide 10 mg/h', 'furosemide drip 10 mg/min'), 'the note says 10 mg/min, not 10 mg/h');
    assert.equal(verdict(units, 'Weight 165 kg', 'Weight 165, down from 170 lb'), 'the note gives mass in lb, not kg');
    assert.equal(verdict(units, 'Weight 165 kg', 'Weight 165, down from 170 lb; goal 70 kg'), 'ok', 'the note uses kg too');
    assert.equal(verdict(units, 'Weight 165 kg', 'Weight 170 lb'), 'ok', 'the number is not in the note: the number check says so');
    assert.equal(verdict(units, 'Weight 16.5 kg', 'Weight 165, down from 170 lb'), 'ok', '165 is not 16.5');
    assert.equal(verdict(units, 'Weight 165 kg', 'Weight 1650, down from 170 lb'), 'ok', '1650 is not 165');
    // The same numbers under other units: 3 and 5 swapped between dose and days is the number check's.
    assert.equal(verdict(units, 'Prednisone 3 mg for 5 days', 'prednisone 5 mg daily x 3 days'), 'ok');
    assert.equal(verdict(units, 'No quantities here', 'Wt 159 lb'), 'ok');
  });
});
