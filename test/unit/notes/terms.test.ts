// Word-level normalization behind the citation checks (core/notes/terms.ts): how a line is cut
// into tokens, how words are stemmed, which words count as content, when two stems are taken
// for the same term, and how a TermSet finds a near form of a stored stem.
import * as assert from 'node:assert/strict';
import { checkSummary } from '../../../src/core/notes/citations';
import { numberNote } from '../../../src/core/notes/numbering';
import { TermSet, isContentWord, sameTerm, stem, tokenize } from '../../../src/core/notes/terms';

const supported = (note: string, summary: string) => checkSummary(summary, numberNote(note)).map((s) => s.supported);

describe('notes/terms: tokenize', () => {
  it('tells words, numbers and punctuation apart, keeping digits inside a word', () => {
    assert.deepEqual(tokenize('SpO2 92, T2DM.'), [
      { norm: 'spo2', kind: 'word' },
      { norm: '92', kind: 'num' },
      { norm: ',', kind: 'punct' },
      { norm: 't2dm', kind: 'word' },
      { norm: '.', kind: 'punct' },
    ]);
  });

  it('drops a possessive "s" from the end of a word, with either apostrophe', () => {
    assert.deepEqual(tokenize("Patient's wife"), [
      { norm: 'patient', kind: 'word' },
      { norm: 'wife', kind: 'word' },
    ]);
    assert.deepEqual(tokenize('Crohn’s disease'), [
      { norm: 'crohn', kind: 'word' },
      { norm: 'disease', kind: 'word' },
    ]);
  });

  it('keeps an apostrophe followed by "s" inside a name', () => {
    assert.deepEqual(tokenize("Seen by Dr O'Sullivan"), [
      { norm: 'seen', kind: 'word' },
      { norm: 'by', kind: 'word' },
      { norm: 'dr', kind: 'word' },
      { norm: "o'sullivan", kind: 'word' },
    ]);
  });
});

describe('notes/terms: stem', () => {
  it('leaves words of three letters or fewer as they are, but not four-letter ones', () => {
    assert.equal(stem('gas'), 'gas');
    assert.equal(stem('pts'), 'pts');
    assert.equal(stem('legs'), 'leg');
  });

  it('leaves anything with a slash as it is', () => {
    assert.equal(stem('s/p'), 's/p');
    assert.equal(stem('nausea/vomiting'), 'nausea/vomiting');
  });

  it('turns a final -ies or -ied into -y, except in four-letter words', () => {
    assert.equal(stem('studies'), 'study');
    assert.equal(stem('worried'), 'worry');
    assert.equal(stem('ties'), 'tie');
    assert.equal(stem('died'), 'died');
  });

  it('does not touch -ies or -ied in the middle of a word', () => {
    assert.equal(stem('diesel'), 'diesel');
    assert.equal(stem('friedreich'), 'friedreich');
  });

  it('strips plural -es and -s, but keeps -ss, -us and -is endings', () => {
    assert.equal(stem('masses'), 'mass');
    assert.equal(stem('boxes'), 'box');
    assert.equal(stem('sepsis'), 'sepsis');
    assert.equal(stem('diseases'), 'diseas');
    assert.equal(stem('disease'), 'diseas');
  });

  it('does not strip plural endings found in the middle of a word', () => {
    assert.equal(stem('chest'), 'chest');
    assert.equal(stem('assessment'), 'assessment');
  });

  it('strips -ing only from words longer than five letters', () => {
    assert.equal(stem('bleeding'), 'bleed');
    assert.equal(stem('eating'), 'eat');
    assert.equal(stem('sting'), 'sting');
    assert.equal(stem('lingual'), 'lingual');
  });

  it('strips -ed only from words longer than four letters', () => {
    assert.equal(stem('treated'), 'treat');
    assert.equal(stem('fused'), 'fus');
    assert.equal(stem('bled'), 'bled');
    assert.equal(stem('redness'), 'redness');
  });

  it('strips -ly only from words longer than five letters', () => {
    assert.equal(stem('rapidly'), 'rapid');
    assert.equal(stem('weekly'), 'week');
    assert.equal(stem('belly'), 'belly');
    assert.equal(stem('lymphoma'), 'lymphoma');
  });
});

describe('notes/terms: isContentWord', () => {
  it('needs at least two characters', () => {
    assert.equal(isContentWord('hb'), true);
    assert.equal(isContentWord('b'), false);
  });

  it('needs a leading letter', () => {
    assert.equal(isContentWord('12'), false);
    assert.equal(isContentWord('2nd'), false);
  });

  it('leaves out filler words', () => {
    assert.equal(isContentWord('fever'), true);
    assert.equal(isContentWord('the'), false);
    assert.equal(isContentWord('patient'), false);
  });
});

describe('notes/terms: sameTerm', () => {
  it('equal terms match, however short', () => {
    assert.equal(sameTerm('mi', 'mi'), true);
    assert.equal(sameTerm('fever', 'fever'), true);
  });

  it('a term under four letters matches nothing else', () => {
    assert.equal(sameTerm('mi', 'ms'), false);
    assert.equal(sameTerm('ed', 'edema'), false);
  });

  it('a term of four letters or more matches a longer one it starts, up to four extra letters', () => {
    assert.equal(sameTerm('pain', 'painful'), true);
    assert.equal(sameTerm('fever', 'feverish'), true);
    assert.equal(sameTerm('feverish', 'fever'), true);
    assert.equal(sameTerm('edema', 'edematous'), true);
    assert.equal(sameTerm('tooth', 'toothbrush'), false);
    assert.equal(sameTerm('pain', 'painkiller'), false);
  });

  it('different words of close length do not match', () => {
    assert.equal(sameTerm('fever', 'cough'), false);
    assert.equal(sameTerm('ileus', 'ileum'), false);
  });

  it('otherwise needs a shared start of six letters and at least three quarters of the shorter term', () => {
    assert.equal(sameTerm('diabetic', 'diabetes'), true);
    assert.equal(sameTerm('hypertension', 'hyperthyroid'), false);
  });
});

describe('notes/terms: TermSet', () => {
  it('finds a stored stem of four letters or more through a longer near form', () => {
    const set = new TermSet();
    set.add('pain');
    set.add('fever');
    assert.equal(set.has('painful'), true);
    assert.equal(set.has('feverish'), true);
    assert.equal(set.has('cough'), false);
  });

  it('a four-letter query finds a longer stored stem', () => {
    const set = new TermSet();
    set.add('painful');
    assert.equal(set.has('pain'), true);
    assert.equal(set.has('pai'), false);
  });

  it('short stems are found only exactly', () => {
    const set = new TermSet();
    set.add('mi');
    assert.equal(set.has('mi'), true);
    assert.equal(set.has('ms'), false);
    assert.equal(set.size, 1);
  });
});

describe('notes/terms: known wrong matches', () => {
  // Was a bug: the near-prefix rule of sameTerm (six shared letters, three quarters of the
  // shorter stem) took a different diagnosis for the cited one.
  it('a line about one diagnosis does not ground a different diagnosis sharing its start', () => {
    assert.deepEqual(supported('CT abdomen: pancreatic head mass, 3 cm.', 'CT showed pancreatitis [L1].'), [false]);
    assert.deepEqual(supported('CT abdomen: hepatic steatosis.', 'CT showed hepatitis [L1].'), [false]);
    assert.deepEqual(supported('Colonoscopy: internal hemorrhoids.', 'Colonoscopy showed hemorrhage [L1].'), [false]);
    assert.deepEqual(supported('Bronchoscopy biopsy: carcinoid tumor.', 'Biopsy showed carcinoma [L1].'), [false]);
    assert.deepEqual(supported('CXR: right lower lobe pneumonia.', 'CXR showed pneumonitis [L1].'), [false]);
  });

  it('near forms with the same kind of ending still ground each other; a condition and the plain word do not', () => {
    for (const [a, b] of [['anemia', 'anemic'], ['stenosis', 'stenotic'], ['necrosis', 'necrotic'], ['hemorrhage', 'hemorrhagic'], ['arthritis', 'arthritic'], ['granuloma', 'granulomatous'], ['ischemia', 'ischemic'], ['pneumococcal', 'pneumococcus'], ['diabetes', 'diabetic']]) {
      assert.equal(sameTerm(stem(a), stem(b)), true, `${a} / ${b}`);
    }
    for (const [a, b] of [['gastric', 'gastritis'], ['thyroid', 'thyroiditis'], ['stoma', 'stomach'], ['carcinoma', 'carcinomatosis']]) {
      assert.equal(sameTerm(stem(a), stem(b)), false, `${a} / ${b}`);
    }
    assert.deepEqual(supported('Chest CT: pulmonary sarcoid.', 'CT showed sarcoidosis [L1].'), [true], 'sarcoid is an abbreviation of sarcoidosis');
    assert.deepEqual(supported('Hgb 8.1, anemic.', 'Anemia, Hgb 8.1 [L1].'), [true]);
  });

  // Was a bug: isContentWord dropped one-letter words before "K" could expand to potassium.
  it('"K" in a lab line grounds a statement about potassium', () => {
    assert.deepEqual(supported('Labs: K 3.1', 'Potassium was 3.1 [L1].'), [true]);
  });
});
