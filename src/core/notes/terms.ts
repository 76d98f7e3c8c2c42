// Word-level normalization for the citation checks: tokens, crude stemming, stop-words, clinical
// abbreviations and a few lay synonyms. Deliberately simple and fast; the aim is to catch a
// statement that cites the wrong line, not to understand language.

export type TokenKind = 'word' | 'num' | 'punct';

export interface Token {
  /** Lower-cased text; for words not yet stemmed. */
  norm: string;
  kind: TokenKind;
}

// Slash abbreviations first (w/o, r/o, s/p ...), then words (letters then letters/digits:
// T2DM, SpO2), numbers, and the punctuation that bounds clauses and lists.
const TOKEN = /\b(?:w\/o|w\/|r\/o|s\/p|b\/l|c\/o|n\/v|f\/u|h\/o|d\/c)(?![a-z])|[a-z][a-z0-9]*(?:['’][a-z]+)?|\d+(?:[.,]\d+)*|[.;:,!?()[\]/]/gi;

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(TOKEN)) {
    const t = m[0].toLowerCase();
    const kind: TokenKind = /^\d/.test(t) ? 'num' : /^[a-z]/.test(t) ? 'word' : 'punct';
    out.push({ norm: kind === 'word' ? t.replace(/['’]s$/, '') : t, kind });
  }
  return out;
}

/** Crude suffix stripping; stems are only compared with each other (plus prefix tolerance). */
export function stem(word: string): string {
  let w = word.toLowerCase();
  if (w.length <= 3 || w.includes('/')) return w;
  if (/ies$/.test(w) && w.length > 4) w = w.slice(0, -3) + 'y';
  else if (/ied$/.test(w) && w.length > 4) w = w.slice(0, -3) + 'y';
  else if (/sses$/.test(w)) w = w.slice(0, -2);
  else if (/(?:ss|us|is)$/.test(w)) {
    /* keep: mass, sepsis, status */
  } else if (/(?:[sxz]|ch|sh)es$/.test(w)) w = w.slice(0, -2);
  else if (/s$/.test(w)) w = w.slice(0, -1);
  if (/ing$/.test(w) && w.length > 5) w = w.slice(0, -3);
  else if (/ed$/.test(w) && w.length > 4) w = w.slice(0, -2);
  else if (/ly$/.test(w) && w.length > 5) w = w.slice(0, -2);
  if (/e$/.test(w) && w.length > 4) w = w.slice(0, -1);
  return w;
}

const STOP = new Set(
  (
    'a an the and or but nor of to in on at for with by from as is are was were be been being am has have had having ' +
    'this that these those it its he she his her him they their them you your we our us i my me which who whom whose ' +
    'what when where while there here than then so such also into onto over under about after before during since until ' +
    'per via due both each all any some other more most less very will would can could may might should must shall do ' +
    'does did done if because now currently today yesterday tonight same further again only just still yet ' +
    // Filler of clinical and summary prose: says nothing checkable.
    'patient patients pt pts mr mrs ms dr md noted note notes report reports reported state states stated documented ' +
    'include includes including well overall summary section part line lines ' +
    'get gets got getting go goes going went make made take took taken come came put through like call called ' +
    'enough doctor doctors team ' +
    // Template vocabulary (status labels, headings): the checks are about the clinical facts.
    'status active resolved chronic start started stop stopped change changed continue continued hold held ' +
    'plan plans planned problem problems medication medications subjective objective assessment ' +
    // Units, routes and frequencies: shared by almost every line, so they prove nothing.
    'mg mcg g kg ml l mmol meq unit units h min mmhg cm mm bpm dl ul ng pg iu mol x ' +
    'daily bid tid qid qhs qd prn po iv sc sq im q every hour hours'
  ).split(/\s+/),
);

// One-letter words that stand for something ("K 3.1": potassium).
const ONE_LETTER_TERMS = new Set(['k']);

export function isContentWord(norm: string): boolean {
  return (norm.length >= 2 || ONE_LETTER_TERMS.has(norm)) && /^[a-z]/.test(norm) && !STOP.has(norm);
}

// Abbreviation -> expansion, and a few lay words for the patient-friendly template. Used in
// both directions: a line saying "PE" supports a statement saying "pulmonary embolism" and back.
const EXPANSIONS: Record<string, string> = {
  htn: 'hypertension', hld: 'hyperlipidemia', dm: 'diabetes', t2dm: 'diabetes', t1dm: 'diabetes', dm2: 'diabetes',
  cad: 'coronary artery disease', mi: 'myocardial infarction', nstemi: 'myocardial infarction',
  stemi: 'myocardial infarction', acs: 'acute coronary syndrome', chf: 'heart failure', hf: 'heart failure',
  hfref: 'heart failure reduced ejection fraction', hfpef: 'heart failure preserved ejection fraction',
  ef: 'ejection fraction', lvef: 'ejection fraction', afib: 'atrial fibrillation', pe: 'pulmonary embolism',
  dvt: 'deep vein thrombosis', vte: 'venous thromboembolism', copd: 'chronic obstructive pulmonary disease',
  ards: 'acute respiratory distress syndrome', aki: 'acute kidney injury', ckd: 'chronic kidney disease',
  esrd: 'end stage renal disease', uti: 'urinary tract infection', cap: 'community acquired pneumonia',
  vap: 'ventilator associated pneumonia', pna: 'pneumonia', cxr: 'chest radiograph xray', cta: 'angiogram angiography',
  tte: 'echocardiogram echo', echo: 'echocardiogram', ecg: 'electrocardiogram ekg', ekg: 'electrocardiogram ecg',
  bp: 'blood pressure', hr: 'heart rate', rr: 'respiratory rate', sob: 'shortness breath dyspnea',
  doe: 'dyspnea exertion', cp: 'chest pain', gerd: 'gastroesophageal reflux', ppi: 'proton pump inhibitor',
  asa: 'aspirin', ntg: 'nitroglycerin', ufh: 'unfractionated heparin', lmwh: 'heparin enoxaparin',
  abx: 'antibiotics', crrt: 'continuous renal replacement therapy dialysis', cvvhdf: 'renal replacement dialysis',
  hd: 'hemodialysis', ett: 'endotracheal tube', rll: 'right lower lobe', rml: 'right middle lobe',
  rul: 'right upper lobe', lll: 'left lower lobe', lul: 'left upper lobe', le: 'lower extremity leg',
  ue: 'upper extremity arm', bilat: 'bilateral', 'b/l': 'bilateral', hx: 'history', 'h/o': 'history',
  dx: 'diagnosis', tx: 'treatment', sx: 'symptoms', fx: 'fracture', 'w/o': 'without', 's/p': 'status post',
  'c/o': 'complains', 'r/o': 'rule out', 'n/v': 'nausea vomiting', 'f/u': 'follow', 'd/c': 'discontinued stopped',
  ne: 'norepinephrine', norepi: 'norepinephrine', lhc: 'heart catheterization', cath: 'catheterization',
  cabg: 'coronary artery bypass graft', pci: 'percutaneous coronary intervention', cva: 'stroke',
  tia: 'transient ischemic attack', osa: 'obstructive sleep apnea', etoh: 'alcohol', ed: 'emergency department',
  icu: 'intensive care unit', micu: 'intensive care unit', bcx: 'blood cultures', ucx: 'urine culture',
  ua: 'urinalysis', wbc: 'white blood cell', hgb: 'hemoglobin', hb: 'hemoglobin', plt: 'platelets',
  cr: 'creatinine', k: 'potassium', na: 'sodium', a1c: 'hemoglobin', trop: 'troponin', tni: 'troponin',
  tnt: 'troponin', bnp: 'natriuretic peptide', vanc: 'vancomycin', cipro: 'ciprofloxacin', ctx: 'ceftriaxone',
  nmb: 'neuromuscular blockade paralysis', trach: 'tracheostomy', sbt: 'spontaneous breathing trial',
  mv: 'mechanical ventilation ventilator', gi: 'gastrointestinal', fhx: 'family history', fh: 'family history',
  mrsa: 'methicillin resistant staphylococcus aureus', yo: 'year old',
  uacr: 'urine albumin creatinine ratio', acr: 'albumin creatinine ratio', wt: 'weight', temp: 'temperature',
  po: 'mouth oral', fna: 'fine needle aspiration biopsy', orif: 'open reduction internal fixation',
  // Lay words.
  hypertension: 'high blood pressure', hyperlipidemia: 'high cholesterol', infarction: 'heart attack',
  dyspnea: 'shortness breath breathing', diaphoresis: 'sweating sweaty', emesis: 'vomiting',
  febrile: 'fever', syncope: 'fainting', edema: 'swelling swollen fluid', hypoxemia: 'low oxygen',
  hypoxia: 'low oxygen', renal: 'kidney', kidney: 'renal', pulmonary: 'lung', lung: 'pulmonary',
  cardiac: 'heart', heart: 'cardiac', embolism: 'clot', thrombosis: 'clot', thrombus: 'clot', glucose: 'sugar',
  anticoagulation: 'blood thinner', heparin: 'blood thinner', enoxaparin: 'blood thinner',
  apixaban: 'blood thinner', warfarin: 'blood thinner', intubated: 'breathing tube', ventilator: 'breathing machine',
  cardiology: 'heart', am: 'morning', pm: 'evening', sarcoid: 'sarcoidosis',
};

const key = (k: string) => (k.includes('/') ? k : stem(k));
const DIRECT = new Map<string, string[]>();
for (const [k, v] of Object.entries(EXPANSIONS)) DIRECT.set(key(k), v.split(' ').filter(isContentWord).map(stem));
// Two levels, so "NSTEMI" reaches "heart attack" through "myocardial infarction".
const EXPANDED = new Map<string, string[]>();
for (const [k, words] of DIRECT) {
  EXPANDED.set(k, [...new Set([...words, ...words.flatMap((w) => DIRECT.get(w) ?? [])])].filter((w) => w !== k));
}

/** Stems an abbreviation or word stands for (empty when none is known). */
export function expansions(term: string): readonly string[] {
  return EXPANDED.get(term) ?? [];
}

// Endings that make a word name a condition of its own, by class: "pancreatitis" is not
// "pancreatic", "carcinoid" not "carcinoma". An adjective's ending is read as its noun's, so
// "stenotic" is "stenosis" and "anemic" "anemia". `strong`: the ending keeps the word apart even
// from a word without such an ending ("hepatic" / "hepatitis"; "-osis" and "-emia" do not).
interface Ending {
  kind: string;
  strong: boolean;
  /** The noun's ending, for an adjective's. */
  noun?: string;
}
const inflammation = { kind: 'inflammation', strong: true };
const tumour = { kind: 'tumour', strong: true };
const bleeding = { kind: 'bleeding', strong: true };
const condition = { kind: 'condition', strong: false };
const blood = { kind: 'blood', strong: false };
const ENDINGS: Record<string, Ending> = {
  itis: inflammation, itides: inflammation, itic: { ...inflammation, noun: 'itis' },
  oma: tumour, omata: tumour, omatous: { ...tumour, noun: 'oma' },
  oid: { kind: 'resembling', strong: true }, oids: { kind: 'resembling', strong: true },
  rrhage: bleeding, rrhag: bleeding, rrhagic: { ...bleeding, noun: 'rrhag' },
  osis: condition, oses: condition, otic: { ...condition, noun: 'osis' },
  emia: blood, emic: { ...blood, noun: 'emia' },
};
const ENDING = new RegExp(`(?:${Object.keys(ENDINGS).join('|')})$`);

/** A term's condition ending, and the term with an adjective's ending read as its noun's. */
function readEnding(term: string): { ending?: Ending; noun: string } {
  const m = ENDING.exec(term);
  if (!m) return { noun: term };
  const ending = ENDINGS[m[0]];
  return { ending, noun: ending.noun ? term.slice(0, m.index) + ending.noun : term };
}

/** Two endings that name different conditions ("hepatic" / "hepatitis"). */
function differentConditions(a?: Ending, b?: Ending): boolean {
  if (a && b) return a.kind !== b.kind;
  return !!(a?.strong || b?.strong);
}

/** Equal stems, or one a near-prefix of the other (pneumococcal / pneumococcus, diabetes / diabetic). */
export function sameTerm(a: string, b: string): boolean {
  if (a === b) return true;
  const ea = readEnding(a);
  const eb = readEnding(b);
  if (ea.noun === eb.noun) return true;
  const shorter = Math.min(a.length, b.length);
  if (shorter < 4 || differentConditions(ea.ending, eb.ending)) return false;
  let cp = 0;
  while (cp < shorter && a.charCodeAt(cp) === b.charCodeAt(cp)) cp++;
  if (cp === shorter && Math.max(a.length, b.length) - shorter <= 4) return true;
  return cp >= 6 && cp >= 0.75 * shorter;
}

/**
 * A set of stems that answers "is this term (or a near form) in here?" quickly: exact lookup,
 * then only the stems that share the first four letters.
 */
export class TermSet {
  private readonly exact = new Set<string>();
  private readonly byPrefix = new Map<string, string[]>();

  add(term: string): void {
    if (this.exact.has(term)) return;
    this.exact.add(term);
    if (term.length >= 4) {
      const key = term.slice(0, 4);
      const bucket = this.byPrefix.get(key);
      if (bucket) bucket.push(term);
      else this.byPrefix.set(key, [term]);
    }
  }

  /** Add a stem and everything it expands to. */
  addExpanded(term: string): void {
    this.add(term);
    for (const e of expansions(term)) this.add(e);
  }

  has(term: string): boolean {
    if (this.exact.has(term)) return true;
    if (term.length < 4) return false;
    return (this.byPrefix.get(term.slice(0, 4)) ?? []).some((t) => sameTerm(term, t));
  }

  /** The term, or all of its expansion, is here (so "PE" matches "pulmonary embolism"). */
  covers(term: string): boolean {
    if (this.has(term)) return true;
    const ex = expansions(term);
    return ex.length > 0 && ex.every((e) => this.has(e));
  }

  get size(): number {
    return this.exact.size;
  }
}

const NUMBER = /(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+/g;
const NUMBER_WORDS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11,
  twelve: 12, once: 1, twice: 2, single: 1, double: 2, triple: 3,
};

/** Numbers written in the text, canonical ("1,000" -> "1000", "0.60" -> "0.6", "02" -> "2"). */
export function numbersIn(text: string): string[] {
  return [...text.matchAll(NUMBER)].map((m) => String(Number(m[0].replace(/,/g, ''))));
}

/**
 * Numbers a line supports: its own, small numbers spelled out ("two"), and fractions as
 * percentages (FiO2 0.60 supports "60%").
 */
export function lineNumbers(text: string): Set<string> {
  const out = new Set(numbersIn(text));
  for (const n of [...out]) {
    const v = Number(n);
    if (v > 0 && v < 1) out.add(String(Math.round(v * 10000) / 100));
  }
  for (const m of text.toLowerCase().matchAll(/[a-z]+/g)) {
    const v = NUMBER_WORDS[m[0]];
    if (v !== undefined) out.add(String(v));
  }
  return out;
}
