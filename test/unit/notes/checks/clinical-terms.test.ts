import * as assert from 'node:assert/strict';
import { clinicalTerms } from '../../../../src/core/notes/checks/clinical-terms';
import { verdict } from './lines';

describe('notes/checks/clinical-terms', () => {
  it('flags a finding, organ or procedure the cited lines do not have', () => {
    assert.equal(verdict(clinicalTerms, 'A 6 mm thyroid nodule', 'TSH 06/11/2024: 4.8 mIU/L (ref 0.4-4.5). Free T4 1.1 ng/dL.'), 'the cited lines do not mention thyroid, nodule');
    assert.equal(verdict(clinicalTerms, 'Chest X-ray showed mild cardiomegaly', 'CXR: no acute cardiopulmonary process'), 'the cited lines do not mention cardiomegaly');
    assert.equal(verdict(clinicalTerms, 'Adenocarcinoma in the sigmoid polyp', 'B. Colon, sigmoid, polypectomy:', '- TUBULAR ADENOMA.'), 'the cited lines do not mention adenocarcinoma');
  });

  it('accepts abbreviations, synonyms and paraphrase words', () => {
    assert.equal(verdict(clinicalTerms, 'Hypertension and shortness of breath', 'HTN; SOB on exertion'), 'ok');
    assert.equal(verdict(clinicalTerms, 'Dyspnea on exertion', 'DOE for 10 days'), 'ok');
    assert.equal(verdict(clinicalTerms, 'Troponin rose steadily overnight', 'troponin 38 -> 71 -> 164'), 'ok');
    assert.equal(verdict(clinicalTerms, 'Sigmoid polyp removed', 'Colon, sigmoid, polypectomy'), 'ok', 'polyp is in polypectomy');
  });
});
