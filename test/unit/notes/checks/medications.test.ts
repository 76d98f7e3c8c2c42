import * as assert from 'node:assert/strict';
import { DRUG_NAMES } from '../../../../src/core/notes/checks/drug-names';
import { drugsIn, medications } from '../../../../src/core/notes/checks/medications';
import { verdict } from './lines';

describe('notes/checks/medications', () => {
  it('knows generic, brand and ward names of one drug', () => {
    assert.equal(DRUG_NAMES.get('entresto')?.canonical, 'sacubitril/valsartan');
    assert.equal(DRUG_NAMES.get('asa')?.canonical, 'aspirin');
    assert.equal(DRUG_NAMES.get('ferric carboxymaltose')?.drugClass, 'iron');
    assert.deepEqual(drugsIn('Started Lasix, then sacubitril/valsartan; held ASA').map((d) => d.canonical), ['furosemide', 'sacubitril/valsartan', 'aspirin']);
  });

  it('flags another drug of the same class by name', () => {
    assert.equal(verdict(medications, 'Takes enalapril 5 mg daily', '- Ramipril 5 mg PO daily for hypertension'), 'the note names ramipril, not enalapril');
    assert.equal(verdict(medications, 'Started eplerenone', '- Spironolactone 12.5 mg PO daily'), 'the note names spironolactone, not eplerenone');
  });

  it('flags a drug the cited lines do not name', () => {
    assert.equal(verdict(medications, 'Hematoma block with bupivacaine, then metoprolol', 'Hematoma block with lidocaine 1% 10 mL'), 'the note names lidocaine, not bupivacaine');
    assert.equal(verdict(medications, 'On warfarin', 'Amlodipine 10 mg daily'), 'the cited lines do not name warfarin');
  });

  it('accepts brand for generic and abbreviation for name', () => {
    assert.equal(verdict(medications, 'Entresto 24/26 mg twice daily', 'sacubitril/valsartan 24/26 mg BID'), 'ok');
    assert.equal(verdict(medications, 'Aspirin 81 mg daily', 'ASA 81 mg daily'), 'ok');
    assert.equal(verdict(medications, 'No drug here', 'Amlodipine'), 'ok');
  });

  it('reads a drug name of two words, however it is spaced', () => {
    assert.deepEqual(drugsIn('Ferric carboxymaltose 750 mg IV').map((d) => d.canonical), ['ferric carboxymaltose']);
    // Column-aligned medication lists put more than one space between words.
    assert.deepEqual(drugsIn('Isosorbide  mononitrate 30 mg daily').map((d) => d.canonical), ['isosorbide mononitrate']);
    assert.equal(verdict(medications, 'On isosorbide mononitrate', 'Isosorbide  mononitrate 30 mg daily'), 'ok');
  });
});
