// Capitalized words that are not names: they start sentences, head sections, name roles,
// places in a hospital, months and drugs. A word here never becomes a NAME, so "Patient:
// Seen by Neurology" or "Son Pieter" keep only the name.

import { DRUG_NAMES } from '../notes/checks/drug-names';
import { MONTH_NAMES, WEEKDAY_NAMES } from './dates';

/** One capitalized word of a name: Okonkwo-Bell, O'Neil, McAllister, DeLaCruz, Inés, Hyun-woo. */
export const NAME_WORD = "(?:\\p{Lu}['’])?\\p{Lu}\\p{Ll}+(?:\\p{Lu}\\p{Ll}+){0,2}(?:['’-]\\p{Lu}?\\p{Ll}+)*";

const WORDS = (
  // Titles, pronouns, articles and the words that start clinical sentences.
  'dr mr mrs ms miss mx prof rev sr fr sir dame lady lord nurse doctor the a an and or but of to in on at for with by from as per via ' +
  'he she they his her their him them it its we our i my you your this that these those there here who whom which what when where why how ' +
  'patient pt pts client child caller name names no yes not none nil all any each both some other another new old ' +
  'is was are were be been being has have had do does did will would can could may might should must shall ' +
  'seen called discussed spoke talked reviewed advised agreed plan assessment impression history exam examination findings ' +
  'labs allergies allergy medications medication meds diagnosis diagnoses procedure procedures indication indications technique ' +
  'discharge discharged admission admitted admit follow followup return returned transfer transferred home disposition course ' +
  'signed electronically dictated documented report reports note notes addendum dear yours sincerely regards thank thanks re cc attn ' +
  'subjective objective chief complaint hpi ros pmh psh fh sh social family past present presents presenting medical surgical ' +
  // Roles and relations (they point at a name; they are not one).
  'attending resident fellow intern surgeon assistant anesthesia anesthesiologist pcp primary care consultant consult consultation ' +
  'wife husband spouse partner son daughter mother father mom dad brother sister grandmother grandfather grandson granddaughter ' +
  'aunt uncle niece nephew cousin neighbor neighbour friend roommate caregiver guardian proxy pastor team service unit ward ' +
  'physician provider pharmacist therapist worker interpreter chaplain contact emergency practitioner midwife paramedic technician ' +
  'coordinator manager specialist registrar counselor counsellor officer ' +
  // Places and services in a hospital, and specialties.
  'hospital clinic center centre department room bed floor icu micu sicu ed er or pacu triage telemetry ' +
  'neurology cardiology pulmonology radiology oncology nephrology psychiatry pediatrics paediatrics obstetrics gynecology surgery ' +
  'orthopedics orthopaedics urology dermatology endocrinology gastroenterology hematology rheumatology physical occupational speech ' +
  'therapy nursing pharmacy health care medicine internal general critical intensive acute chronic ' +
  'north south east west street road avenue lane drive court suite apt ' +
  // Clinical words that get capitalized at a line's start.
  'normal abnormal negative positive stable unchanged improved worsening mild moderate severe acute left right bilateral ' +
  'blood pressure heart rate oxygen temp temperature pain fever cough vitals weight height daily tonight today yesterday tomorrow ' +
  'morning evening night afternoon am pm hours days weeks months years year week day month time date age sex male female ' +
  'gait skin lungs abdomen extremities neuro psych heent cv resp gi gu msk lymph breast ' +
  'disease syndrome sign score scale stage type grade class test criteria rule protocol ' +
  'soft tender nontender clear warm dry intact alert oriented regular distended benign unremarkable comfortable awake ' +
  'several many few most every palliative hospice chaplaincy respiratory renal cardiac nutrition wound speech dietitian ' +
  'later then also however next after before when while since although because given overall currently initially ' +
  'subsequently finally again still meanwhile otherwise unfortunately fortunately please note ' +
  'christmas easter thanksgiving hanukkah ramadan diwali medicare medicaid'
).split(/\s+/);

const STOP = new Set<string>([...WORDS, ...MONTH_NAMES, ...WEEKDAY_NAMES, ...MONTH_NAMES.map((m) => m.slice(0, 3)), 'sept', 'tues', 'thurs']);

/** False for a word that is never (part of) a name here: a stop word, a month, a drug. */
export function canBeName(word: string): boolean {
  const w = word.toLowerCase().replace(/['’]s$/, '');
  return w.length >= 2 && !STOP.has(w) && !DRUG_NAMES.has(w);
}

// After a surname these make an eponym: "Parkinson disease", "Murphy's sign", "Hoehn and Yahr stage".
export const EPONYM_AFTER = /^(?:['’]s)?[ \t]{1,2}(?:and[ \t]\p{Lu}\p{Ll}+[ \t])?(?:disease|sign|syndrome|score|scale|test|maneuver|manoeuvre|criteria|classification|stage|reflex|procedure|operation|law|rule|equation|formula|point|triangle|fracture|phenomenon|node|ratio|index|tube|catheter|technique|position|method|type|palsy|ulcer|lesion|tumou?r|protocol|needle|bag)\b/iu;
