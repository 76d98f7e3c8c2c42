// What the privacy gate finds: spans of a note that are HIPAA Safe Harbor identifiers, labelled
// as in test/fixtures/notes/README.md (the gold files use the same offsets and labels).

export const PHI_TYPES = [
  'NAME', 'ADDRESS', 'CITY', 'ZIP', 'DATE', 'AGE', 'PHONE', 'FAX', 'EMAIL', 'SSN', 'MRN',
  'HEALTH_PLAN', 'ACCOUNT', 'LICENSE', 'VEHICLE', 'DEVICE', 'URL', 'IP', 'OTHER_ID',
] as const;

export type PhiType = (typeof PHI_TYPES)[number];

/** `text.slice(start, end) === this.text`: UTF-16 offsets, end exclusive, never across a line end. */
export interface Span {
  start: number;
  end: number;
  type: PhiType;
  text: string;
}

/** A span as found, before overlaps are settled: the higher priority wins, then the longer. */
export interface Candidate {
  start: number;
  end: number;
  type: PhiType;
  priority: number;
}

/** Thrown for a misuse of the API (a restorer used after end()); never carries note text. */
export class PrivacyError extends Error {
  override readonly name = 'PrivacyError';
}
