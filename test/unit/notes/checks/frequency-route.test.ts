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

describe('notes/checks/frequency-route: naming the frequency the note gives', () => {
  it('names each common schedule in words', () => {
    assert.equal(verdict(frequencyRoute, 'Metoprolol tartrate 25 mg daily', 'metoprolol tartrate 25 mg PO TID'), 'frequency: the note says three times daily');
    assert.equal(verdict(frequencyRoute, 'Metoclopramide 10 mg daily', 'metoclopramide 10 mg IV QID'), 'frequency: the note says four times daily');
    assert.equal(verdict(frequencyRoute, 'Oxycodone 5 mg daily', 'oxycodone 5 mg PO q4h prn pain'), 'frequency: the note says every 4 hours');
    assert.equal(verdict(frequencyRoute, 'Albuterol nebs daily', 'albuterol nebs q2h'), 'frequency: the note says every 2 hours');
    assert.equal(verdict(frequencyRoute, 'Neuro checks every 2 hours', 'neuro checks hourly'), 'frequency: the note says hourly');
  });

  it('names weekly and monthly doses', () => {
    assert.equal(verdict(frequencyRoute, 'Alendronate 70 mg daily', 'alendronate 70 mg PO weekly'), 'frequency: the note says weekly');
    assert.equal(verdict(frequencyRoute, 'Ibandronate 150 mg daily', 'ibandronate 150 mg PO once a month'), 'frequency: the note says monthly');
    for (const w of ['once weekly', 'once a week', 'every week']) {
      assert.equal(verdict(frequencyRoute, 'Methotrexate 15 mg daily', `methotrexate 15 mg PO ${w}`), 'frequency: the note says weekly', w);
    }
    assert.equal(verdict(frequencyRoute, 'Cyanocobalamin 1000 mcg daily', 'cyanocobalamin 1000 mcg IM monthly'), 'frequency: the note says monthly');
  });

  it('names a dosing interval longer than a day in hours, not as weekly', () => {
    // Bug fixed: any interval from q25h to q99h used to be reported as "weekly".
    assert.equal(verdict(frequencyRoute, 'Vancomycin 1 g IV daily', 'vancomycin 1 g IV q48h'), 'frequency: the note says every 48 hours');
    assert.equal(verdict(frequencyRoute, 'Vancomycin 1 g IV daily', 'vancomycin 1 g IV every 36 hours'), 'frequency: the note says every 36 hours');
  });

  it('gives any other count per day as a number', () => {
    assert.equal(verdict(frequencyRoute, 'Oxycodone 5 mg every 4 hours', 'oxycodone 5 mg PO every 3 hours'), 'frequency: the note says 8 times a day');
  });
});

describe('notes/checks/frequency-route: "every N hours" in any spelling', () => {
  const said = 'Oxycodone 5 mg every 4 hours';
  const q3h = 'frequency: the note says 8 times a day';

  it('reads q3h, q 3h, q3 h and every 3 hours alike', () => {
    assert.equal(verdict(frequencyRoute, said, 'oxycodone 5 mg PO q3h'), q3h);
    assert.equal(verdict(frequencyRoute, said, 'oxycodone 5 mg PO q 3h'), q3h);
    assert.equal(verdict(frequencyRoute, said, 'oxycodone 5 mg PO q3 h'), q3h);
    assert.equal(verdict(frequencyRoute, said, 'oxycodone 5 mg PO every 3 hours'), q3h);
    assert.equal(verdict(frequencyRoute, 'Oxycodone 5 mg every 3 hours', 'oxycodone 5 mg PO q3h'), 'ok');
  });

  it('reads "every 1 hour" (singular) as hourly', () => {
    assert.equal(verdict(frequencyRoute, 'Glucose checks every 4 hours', 'glucose checks every 1 hour on the insulin drip'), 'frequency: the note says hourly');
  });

  it('ignores a zero-hour interval, a typo rather than a schedule', () => {
    assert.equal(verdict(frequencyRoute, 'Morphine 2 mg IV q0h', 'morphine 2 mg IV q4h'), 'ok');
  });

  it('reads a schedule or route split by extra spaces', () => {
    assert.equal(verdict(frequencyRoute, 'Apixaban 5 mg twice  daily', '- Apixaban 5 mg PO BID'), 'ok');
    assert.equal(verdict(frequencyRoute, 'Apixaban 5 mg PO BID', '- Apixaban 5 mg by  mouth twice daily'), 'ok');
  });

  it('reads only the first 4,000 characters of a cited line', () => {
    // About 4,500 characters of filler: the rule reads a bounded prefix.
    const filler = 'Home medications reviewed with the patient. '.repeat(100);
    assert.equal(verdict(frequencyRoute, 'Amlodipine 10 mg twice daily', `${filler} amlodipine 10 mg daily`), 'ok');
    assert.equal(verdict(frequencyRoute, 'Amlodipine 10 mg twice daily', `amlodipine 10 mg daily. ${filler}`), 'frequency: the note says daily');
  });
});

describe('notes/checks/frequency-route: routes', () => {
  it('reads each way of writing a route', () => {
    const routes: [string, string][] = [
      ['IV', 'IV'], ['intravenous', 'IV'], ['intravenously', 'IV'], ['IV push', 'IV'], ['IVPB', 'IV'],
      ['PO', 'by mouth'], ['oral', 'by mouth'], ['orally', 'by mouth'], ['by mouth', 'by mouth'],
      ['SC', 'subcutaneous'], ['SQ', 'subcutaneous'], ['subq', 'subcutaneous'], ['subcutaneous', 'subcutaneous'], ['subcutaneously', 'subcutaneous'],
      ['IM', 'IM'], ['intramuscular', 'IM'], ['intramuscularly', 'IM'], ['SL', 'sublingual'], ['sublingual', 'sublingual'],
      ['per tube', 'per tube'], ['via tube', 'per tube'], ['NG', 'per tube'], ['OG', 'per tube'],
      ['per rectum', 'rectal'], ['PR', 'rectal'], ['rectal', 'rectal'], ['topical', 'topical'], ['topically', 'topical'], ['transdermal', 'topical'],
      ['inhaled', 'inhaled'], ['nebulized', 'inhaled'],
    ];
    for (const [written, route] of routes) {
      const said = route === 'IV' ? 'Ondansetron 4 mg by mouth' : 'Ondansetron 4 mg IV';
      assert.equal(verdict(frequencyRoute, said, `ondansetron 4 mg ${written}`), `route: the note says ${route}`, written);
    }
  });

  it('reads a route followed by the dose', () => {
    assert.equal(verdict(frequencyRoute, 'Furosemide 40 mg by mouth', 'furosemide IV 40 mg BID'), 'route: the note says IV');
  });

  it('accepts a statement giving two routes or schedules when the note gives one of them', () => {
    assert.equal(verdict(frequencyRoute, 'Ondansetron 4 mg IV or by mouth as needed', 'ondansetron 4 mg PO q8h prn nausea'), 'ok');
    assert.equal(verdict(frequencyRoute, 'Metoprolol 25 mg twice daily, once daily on dialysis days', 'metoprolol tartrate 25 mg PO BID'), 'ok');
  });

  it('flags a route written out in lower case', () => {
    assert.equal(verdict(frequencyRoute, 'Ondansetron 4 mg intravenously', 'ondansetron 4 mg by mouth'), 'route: the note says by mouth');
  });

  it('reads IM, SL, NG, OG and PR as routes in capitals', () => {
    assert.equal(verdict(frequencyRoute, 'Ceftriaxone 1 g IV', 'ceftriaxone 1 g IM'), 'route: the note says IM');
    assert.equal(verdict(frequencyRoute, 'Nitroglycerin 0.4 mg by mouth', 'nitroglycerin 0.4 mg SL x1'), 'route: the note says sublingual');
    assert.equal(verdict(frequencyRoute, 'Metoprolol 25 mg by mouth', 'metoprolol 25 mg NG'), 'route: the note says per tube');
    assert.equal(verdict(frequencyRoute, 'Metoprolol 25 mg by mouth', 'metoprolol 25 mg OG'), 'route: the note says per tube');
    assert.equal(verdict(frequencyRoute, 'Acetaminophen 650 mg by mouth every 6 hours', 'acetaminophen 650 mg PR q6h prn fever'), 'route: the note says rectal');
  });

  it('does not read those letters in lower case as routes ("im", "sl" for slightly, "ng" in ng/mL)', () => {
    const said = 'Tolerating oral intake';
    assert.equal(verdict(frequencyRoute, said, 'pt states "im hungry"'), 'ok');
    assert.equal(verdict(frequencyRoute, said, 'abdomen sl distended, nontender'), 'ok');
    assert.equal(verdict(frequencyRoute, said, 'troponin 12 ng/L'), 'ok');
    assert.equal(verdict(frequencyRoute, said, 'ECG: pr and qrs intervals normal'), 'ok');
    assert.equal(verdict(frequencyRoute, 'Digoxin 0.125 mg by mouth daily', 'digoxin 0.125 mg daily (level 1.1 ng/mL)'), 'ok');
  });

  it('does not read the ECG "PR" (a number, interval, segment or depression after it) as rectal', () => {
    const said = 'Tolerating oral intake';
    assert.equal(verdict(frequencyRoute, said, 'ECG: sinus rhythm, PR 210 ms, QRS 94 ms'), 'ok');
    assert.equal(verdict(frequencyRoute, said, 'ECG: sinus rhythm, PR   210 ms, QRS 94 ms'), 'ok', 'aligned machine read-out');
    assert.equal(verdict(frequencyRoute, said, 'ECG: PR interval prolonged'), 'ok');
    assert.equal(verdict(frequencyRoute, said, 'ECG: diffuse PR depression'), 'ok');
    assert.equal(verdict(frequencyRoute, said, 'ECG: PR segment depression'), 'ok');
  });
});

describe('notes/checks/frequency-route: which part of a line belongs to the drug', () => {
  it('does not give a drug the route written before the previous drug', () => {
    assert.equal(verdict(frequencyRoute, 'Warfarin 5 mg daily by mouth', 'Transitioned from IV heparin to warfarin 5 mg daily'), 'ok');
  });

  it('takes a route written just before the name, not one far back in the line', () => {
    assert.equal(verdict(frequencyRoute, 'Torsemide 40 mg IV daily', 'Transitioned to oral torsemide 40 mg daily'), 'route: the note says by mouth');
    assert.equal(verdict(frequencyRoute, 'Furosemide 40 mg by mouth daily', 'IV fluids given overnight and now on furosemide 40 mg daily'), 'ok');
  });

  it('stops the words before the name at the end of the previous sentence', () => {
    assert.equal(verdict(frequencyRoute, 'Torsemide 40 mg IV daily', 'Furosemide 80 mg IV BID. Oral torsemide 40 mg daily.'), 'route: the note says by mouth');
  });

  it('ends a drug\'s part at the end of its own sentence, not an earlier one', () => {
    assert.equal(verdict(frequencyRoute, 'Apixaban 5 mg once daily', 'Hx AF. On apixaban 5 mg PO BID'), 'frequency: the note says twice daily');
  });

  it('compares all cited lines when the statement names no drug, or one they do not name', () => {
    assert.equal(verdict(frequencyRoute, 'Neuro checks every 2 hours', 'neuro checks q1h'), 'frequency: the note says hourly');
    assert.equal(verdict(frequencyRoute, 'Metoprolol 25 mg twice daily', 'home beta blocker 25 mg daily'), 'frequency: the note says daily');
  });
});
