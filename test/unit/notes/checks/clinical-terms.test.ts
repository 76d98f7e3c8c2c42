import * as assert from 'node:assert/strict';
import { clinicalTerms, missingClinicalTerms } from '../../../../src/core/notes/checks/clinical-terms';
import { MAX_RULE_TEXT } from '../../../../src/core/notes/checks/types';
import { line, verdict } from './lines';

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

  it('lets through words that only end like a clinical term', () => {
    // "-osis" and "-gram" endings, but no finding.
    assert.equal(verdict(clinicalTerms, 'Diagnosis confirmed by biopsy', 'Biopsy: confirmed'), 'ok');
    assert.equal(verdict(clinicalTerms, 'Weight 80 kilogram', 'Weight 80 kg'), 'ok');
    assert.equal(verdict(clinicalTerms, 'Prognosis discussed with family', 'Family meeting held'), 'ok');
  });

  it('finds a term inside a longer cited word only when the term is long enough', () => {
    // A cyst is not in "cystoscopy": four letters are too short to trust as a prefix.
    assert.equal(verdict(clinicalTerms, 'Bladder cyst', 'Cystoscopy: bladder normal'), 'the cited lines do not mention cyst');
  });

  it('names each missing term once, and at most three', () => {
    assert.equal(verdict(clinicalTerms, 'Thyroid nodule and a second nodule', 'TSH 4.8 mIU/L'), 'the cited lines do not mention thyroid, nodule');
    assert.equal(
      verdict(clinicalTerms, 'Thyroid nodule, liver cyst, renal mass and lung consolidation', 'TSH 4.8 mIU/L'),
      'the cited lines do not mention thyroid, nodule, liver',
    );
    assert.deepEqual(
      missingClinicalTerms({ text: 'Thyroid nodule, liver cyst and lung consolidation', cited: [line('TSH 4.8 mIU/L')] }),
      ['thyroid', 'nodule', 'liver', 'cyst', 'lung', 'consolidation'],
    );
  });

  it('reads a statement only up to MAX_RULE_TEXT characters', () => {
    const long = `Sigmoid polyp removed.${' '.repeat(MAX_RULE_TEXT)}Adenocarcinoma`;
    assert.equal(verdict(clinicalTerms, long, 'Colon, sigmoid, polypectomy'), 'ok');
    assert.equal(verdict(clinicalTerms, 'Sigmoid polyp removed. Adenocarcinoma', 'Colon, sigmoid, polypectomy'), 'the cited lines do not mention adenocarcinoma');
  });
});
