import * as assert from 'node:assert/strict';
import { certainty } from '../../../../src/core/notes/checks/certainty';
import { verdict } from './lines';

describe('notes/checks/certainty', () => {
  it('flags a hedge the statement drops', () => {
    assert.equal(verdict(certainty, 'Ultrasound diagnostic of thyroid malignancy', '1.4 cm solid nodule, suspicious for malignancy.'), 'the note says "suspicious for"');
    assert.equal(verdict(certainty, 'Papillary carcinoma of the right nodule', 'Possible papillary carcinoma given family history.'), 'the note says "possible"');
    assert.equal(verdict(certainty, 'CRRT will be started', 'CRRT is the likely next step if he stays oliguric'), 'the note says "likely"');
    assert.equal(verdict(certainty, 'Known obstructive sleep apnea', 'suspected but undiagnosed OSA and heavy beer intake'), 'the note says "suspected"');
  });

  it('accepts a statement that keeps the uncertainty, or is about something else on the line', () => {
    assert.equal(verdict(certainty, 'Nodule suspicious for malignancy', '1.4 cm solid nodule, suspicious for malignancy.'), 'ok');
    assert.equal(verdict(certainty, 'Papillary carcinoma possible; FNA ordered', 'Possible papillary carcinoma given family history.'), 'ok');
    assert.equal(verdict(certainty, 'Finerenone may be considered', 'If UACR remains > 30 mg/g, consider finerenone'), 'ok');
    assert.equal(verdict(certainty, 'Colonoscopy found a 3.5 cm ascending colon mass', 'Colonoscopy: 3.5 cm mass in the ascending colon. Rule out malignancy.'), 'ok');
  });
});
