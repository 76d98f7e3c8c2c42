// A finding, diagnosis, procedure, organ or plan in the statement that the cited lines do not
// have ("a 6 mm thyroid nodule" cited to a line about the kidneys). Unlike the overlap check,
// one missing clinical word is enough; words a paraphrase adds ("found", "rose", "man") are
// not clinical and are let through. Abbreviations and lay synonyms come from terms.ts.

import { isContentWord, stem, tokenize } from '../terms';
import { perLine } from './text';
import type { CitedLine, Rule, RuleInput } from './types';

// Clinical head words a model can invent. Kept to words that, if absent from the cited lines,
// change what the statement claims. Suffix patterns below catch most of the rest.
const VOCABULARY = (
  // Findings and diagnoses.
  'nodule mass lesion tumor cancer carcinoma adenocarcinoma adenoma polyp cyst abscess effusion consolidation ' +
  'atelectasis pneumothorax pneumonia edema embolism thrombus thrombosis clot fracture stenosis occlusion aneurysm ' +
  'dissection infarct infarction ischemia hemorrhage bleed bleeding ulcer perforation obstruction calculus stone ' +
  'hernia fistula infection sepsis shock fever anemia neuropathy retinopathy nephropathy dementia delirium seizure ' +
  'stroke murmur gallop rub crackles wheeze wheezing rales rhonchi cough hemoptysis dysuria hematuria melena ' +
  'hematochezia syncope palpitations orthopnea vomiting nausea diarrhea constipation rash jaundice ascites ' +
  'hypotension hypertension tachycardia bradycardia arrhythmia fibrillation flutter regurgitation dysfunction ' +
  'cardiomyopathy failure injury malignancy metastasis metastases dysplasia necrosis granuloma colitis lymphadenopathy ' +
  'splenomegaly hepatomegaly cardiomegaly cirrhosis steatosis diabetes hypoglycemia hyperglycemia hypokalemia ' +
  'hyperkalemia hyponatremia hypomagnesemia acidosis alkalosis obesity gerd asthma copd apnea dyspnea pain ' +
  // Organs, sites and specimens.
  'thyroid liver kidney lung heart colon rectum sigmoid ascending descending transverse cecum stomach esophagus ' +
  'pancreas spleen gallbladder bladder prostate breast ovary uterus brain spine pleura pericardium mediastinum ' +
  'aorta carotid femoral jaw arm leg knee hip shoulder ankle wrist foot hand lobe margin node lymph ' +
  // Procedures, tests and plans.
  'biopsy colonoscopy endoscopy bronchoscopy catheterization angiography angiogram echocardiogram echo ultrasound ' +
  'mri ct cta radiograph xray x-ray pet scan ecg ekg eeg stress transfusion intubation extubation tracheostomy ' +
  'dialysis crrt surgery resection excision polypectomy cholecystectomy appendectomy arthroscopy ablation stent pci ' +
  'cabg icd pacemaker defibrillator injection infusion referral consult consultation admission discharge ' +
  'vaccine vaccination mammogram ophthalmology podiatry orthopedics cardiology nephrology oncology electrophysiology ' +
  'rehabilitation counseling genetic immunohistochemistry methylation mutation culture cultures'
).split(/\s+/);
const VOCAB = new Set(VOCABULARY.map((w) => stem(w)));
// Medical word endings: -itis, -oma, -ectomy, -scopy, -emia, -osis, -pathy, ...
const CLINICAL_SUFFIX = /(?:itis|omas?|ectomy|otomy|ostomy|scopy|graphy|gram|emia|osis|pathy|algia|plasty|megaly|penia|cytosis|uria|rrhea)$/;

// Words that end like a clinical term but are not findings.
const NOT_CLINICAL = new Set(['diagnosis', 'prognosis', 'program', 'diagram', 'telegram', 'kilogram', 'microgram', 'milligram', 'gram']);

function isClinical(word: string, st: string): boolean {
  if (NOT_CLINICAL.has(word)) return false;
  return VOCAB.has(st) || CLINICAL_SUFFIX.test(word);
}

// Stems of a line's words, for the prefix test below.
const lineStems = perLine((l: CitedLine) => tokenize(`${l.text}\n${l.context}`).filter((t) => t.kind === 'word').map((t) => stem(t.norm)));

/** "polyp" is in "polypectomy", "nodul" in "nodular": a cited word that starts with the term. */
function inCompound(st: string, cited: readonly CitedLine[]): boolean {
  return st.length >= 5 && cited.some((l) => lineStems(l).some((w) => w.length > st.length && w.startsWith(st)));
}

/** Clinical words of a statement that its cited lines do not cover (original spelling). */
export function missingClinicalTerms({ text, cited }: RuleInput): string[] {
  const missing: string[] = [];
  const seen = new Set<string>();
  for (const t of tokenize(text.slice(0, 2000))) {
    if (t.kind !== 'word' || !isContentWord(t.norm)) continue;
    const st = stem(t.norm);
    if (seen.has(st)) continue;
    seen.add(st);
    if (!isClinical(t.norm, st)) continue;
    if (cited.some((l) => l.covers(st)) || inCompound(st, cited)) continue;
    missing.push(t.norm);
  }
  return missing;
}

export const clinicalTerms: Rule = {
  kind: 'clinical-term',
  check(input: RuleInput) {
    const missing = missingClinicalTerms(input);
    return missing.length > 0 ? `the cited lines do not mention ${missing.slice(0, 3).join(', ')}` : undefined;
  },
};
