// Curated drug names for the medication rule, grouped by class so a swap within a class
// ("enalapril" for "ramipril") gets a precise reason. Source: written for this project from
// common generic (USAN/INN) names, widely used US brand names and ward abbreviations; no list
// was copied. No maintained npm package of drug names fit (checked the npm registry index,
// 2026-12); an RxNorm-derived package would be the upgrade. Each entry: generic|brand|abbreviation...

const CLASSES: Record<string, string> = {
  'ACE inhibitor': 'lisinopril|zestril|prinivil enalapril|vasotec ramipril|altace captopril benazepril|lotensin quinapril|accupril perindopril fosinopril trandolapril',
  ARB: 'losartan|cozaar valsartan|diovan irbesartan|avapro candesartan|atacand olmesartan|benicar telmisartan|micardis',
  ARNI: 'sacubitril/valsartan|entresto|sacubitril-valsartan',
  'beta blocker': 'metoprolol|lopressor|toprol carvedilol|coreg atenolol|tenormin bisoprolol propranolol|inderal labetalol nebivolol|bystolic esmolol',
  'calcium channel blocker': 'amlodipine|norvasc nifedipine|procardia diltiazem|cardizem verapamil felodipine',
  'loop diuretic': 'furosemide|lasix torsemide|demadex bumetanide|bumex',
  'thiazide diuretic': 'hydrochlorothiazide|hctz chlorthalidone metolazone',
  MRA: 'spironolactone|aldactone eplerenone|inspra finerenone|kerendia',
  'SGLT2 inhibitor': 'empagliflozin|jardiance dapagliflozin|farxiga canagliflozin|invokana ertugliflozin',
  biguanide: 'metformin|glucophage',
  sulfonylurea: 'glipizide|glucotrol glyburide|glimepiride|amaryl',
  'GLP-1 receptor agonist': 'semaglutide|ozempic|wegovy|rybelsus liraglutide|victoza dulaglutide|trulicity tirzepatide|mounjaro exenatide',
  'DPP-4 inhibitor': 'sitagliptin|januvia linagliptin|tradjenta saxagliptin',
  insulin: 'insulin lispro|lispro|humalog aspart|novolog glargine|lantus|basaglar detemir|levemir degludec|tresiba',
  statin: 'atorvastatin|lipitor simvastatin|zocor rosuvastatin|crestor pravastatin|pravachol lovastatin pitavastatin',
  antiplatelet: 'aspirin|asa|ecotrin clopidogrel|plavix ticagrelor|brilinta prasugrel|effient',
  anticoagulant: 'heparin|ufh enoxaparin|lovenox|lmwh apixaban|eliquis rivaroxaban|xarelto dabigatran|pradaxa edoxaban warfarin|coumadin fondaparinux argatroban bivalirudin',
  nitrate: 'nitroglycerin|ntg|nitro isosorbide mononitrate|imdur isosorbide dinitrate',
  antiarrhythmic: 'amiodarone|cordarone sotalol flecainide dofetilide digoxin|lanoxin',
  PPI: 'omeprazole|prilosec pantoprazole|protonix esomeprazole|nexium lansoprazole',
  'H2 blocker': 'famotidine|pepcid',
  NSAID: 'ibuprofen|advil|motrin naproxen|aleve ketorolac|toradol celecoxib|celebrex diclofenac meloxicam indomethacin',
  analgesic: 'acetaminophen|tylenol|paracetamol|apap',
  opioid: 'morphine oxycodone|percocet hydromorphone|dilaudid fentanyl hydrocodone|norco tramadol methadone',
  cephalosporin: 'ceftriaxone|rocephin cefepime|maxipime cefazolin|ancef cephalexin|keflex ceftazidime cefuroxime',
  penicillin: 'amoxicillin amoxicillin-clavulanate|augmentin piperacillin-tazobactam|zosyn|pip-tazo ampicillin ampicillin-sulbactam|unasyn penicillin nafcillin',
  carbapenem: 'meropenem|merrem ertapenem imipenem',
  macrolide: 'azithromycin|zithromax|z-pak clarithromycin erythromycin',
  fluoroquinolone: 'ciprofloxacin|cipro levofloxacin|levaquin moxifloxacin',
  glycopeptide: 'vancomycin|vanc',
  'other antibiotic': 'doxycycline metronidazole|flagyl linezolid|zyvox daptomycin trimethoprim-sulfamethoxazole|bactrim|tmp-smx nitrofurantoin|macrobid clindamycin gentamicin tobramycin',
  antifungal: 'fluconazole micafungin voriconazole',
  antiviral: 'oseltamivir|tamiflu acyclovir valacyclovir remdesivir',
  vasopressor: 'norepinephrine|levophed|norepi vasopressin epinephrine phenylephrine dopamine dobutamine milrinone',
  corticosteroid: 'hydrocortisone prednisone methylprednisolone|solu-medrol dexamethasone|decadron prednisolone fludrocortisone',
  sedative: 'propofol|diprivan midazolam|versed lorazepam|ativan dexmedetomidine|precedex ketamine diazepam',
  'neuromuscular blocker': 'cisatracurium|nimbex rocuronium vecuronium succinylcholine',
  thyroid: 'levothyroxine|synthroid liothyronine methimazole propylthiouracil',
  iron: 'ferric carboxymaltose|injectafer ferrous sulfate iron sucrose|venofer',
  'inhaled therapy': 'albuterol|ventolin ipratropium|atrovent tiotropium|spiriva fluticasone budesonide',
  antiemetic: 'ondansetron|zofran metoclopramide|reglan prochlorperazine',
  'local anesthetic': 'lidocaine|xylocaine bupivacaine|marcaine ropivacaine',
  vitamin: 'thiamine folic acid|folate cyanocobalamin',
  electrolyte: 'potassium chloride|kcl magnesium sulfate',
  antidepressant: 'sertraline|zoloft citalopram escitalopram|lexapro fluoxetine|prozac',
  anticonvulsant: 'levetiracetam|keppra gabapentin|neurontin pregabalin',
  antipsychotic: 'haloperidol|haldol quetiapine|seroquel olanzapine',
};

export interface Drug {
  /** The name given first: generic. */
  canonical: string;
  drugClass: string;
}

/** Every name (lower case) to its drug. Multi-word names keep their spaces. */
export const DRUG_NAMES: ReadonlyMap<string, Drug> = (() => {
  const m = new Map<string, Drug>();
  for (const [drugClass, list] of Object.entries(CLASSES)) {
    // Entries are space-separated, except the few multi-word names written with a space above:
    // those are re-joined where the next word is not a new drug (ferric carboxymaltose).
    for (const entry of list.match(/(?:insulin |ferric |ferrous |iron |isosorbide |folic |potassium |magnesium )?[^\s|]+(?:\|[^\s]+)*/g) ?? []) {
      const names = entry.split('|');
      for (const n of names) m.set(n, { canonical: names[0], drugClass });
    }
  }
  return m;
})();
