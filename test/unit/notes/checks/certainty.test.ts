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

  it('reads a hedge as covering the words after it up to the end of its sentence', () => {
    assert.equal(verdict(certainty, 'Pleural effusion', 'Possible pneumonia. Pleural effusion present.'), 'ok');
    // Weak words and numbers take no place in the scope: "left lobe of the liver" is still in it.
    assert.equal(verdict(certainty, 'Left liver lobe mass', 'Suspicious for a 2 cm mass in the left lobe of the liver'), 'the note says "suspicious for"');
    // ... nor do sizes such as "1x2cm".
    assert.equal(verdict(certainty, 'Thyroid nodules', 'Concerning for 1x2cm and 3x4cm nodules in the left lobe and right lobe of the thyroid'), 'the note says "concerning for"');
  });

  it('reads at most six words after a hedge', () => {
    const l = 'Probable viral pharyngitis given sick contacts, started ibuprofen and fluids';
    assert.equal(verdict(certainty, 'Viral pharyngitis', l), 'the note says "probable"');
    // "fluids" is the seventh word: the treatment is not what the note is unsure of.
    assert.equal(verdict(certainty, 'Ibuprofen and fluids given', l), 'ok');
  });

  it('reads "X is likely" as a hedge on the few words just before it', () => {
    const long = 'CRRT is the likely next step if he stays oliguric despite a furosemide challenge and fluid restriction';
    assert.equal(verdict(certainty, 'CRRT will be started', long), 'the note says "likely"');
    const l = 'Small left pleural effusion and basilar opacity, likely atelectasis';
    assert.equal(verdict(certainty, 'Basilar atelectasis', l), 'the note says "likely"');
    // The effusion is further back than the last four words: it is certain.
    assert.equal(verdict(certainty, 'Small left pleural effusion', l), 'ok');
  });

  it('counts a one-letter or number-led word before the hedge for nothing', () => {
    // Vitamin D is given; only the deficiency is uncertain. The "D" alone does not make a second shared word.
    assert.equal(verdict(certainty, 'Vitamin D given', 'Vitamin D deficiency is likely'), 'ok');
    assert.equal(verdict(certainty, 'Vitamin D deficiency', 'Vitamin D deficiency is likely'), 'the note says "likely"');
    // The second episode is certain; its cause is not.
    assert.equal(verdict(certainty, '2nd episode this year', '2nd episode of pancreatitis, likely gallstone'), 'ok');
    assert.equal(verdict(certainty, 'Gallstone pancreatitis', '2nd episode of pancreatitis, likely gallstone'), 'the note says "likely"');
  });

  it('matches an abbreviation the note hedges only through its whole expansion', () => {
    assert.equal(verdict(certainty, 'Obstructive sleep apnea', 'suspected OSA and heavy beer intake'), 'the note says "suspected"');
    // "sleep" alone is not OSA.
    assert.equal(verdict(certainty, 'Sleep study scheduled', 'suspected OSA and heavy beer intake'), 'ok');
  });
});
