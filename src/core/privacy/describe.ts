// Counts of identifiers in words, for the warn question and the preview: "6 names, 5 dates, 1 MRN".

import type { Counts } from './gate';
import { PHI_TYPES, type PhiType } from './types';

const WORDS: Record<PhiType, [string, string]> = {
  NAME: ['name', 'names'],
  ADDRESS: ['address or facility', 'addresses or facilities'],
  CITY: ['city', 'cities'],
  ZIP: ['ZIP code', 'ZIP codes'],
  DATE: ['date', 'dates'],
  AGE: ['age over 89', 'ages over 89'],
  PHONE: ['phone number', 'phone numbers'],
  FAX: ['fax number', 'fax numbers'],
  EMAIL: ['email address', 'email addresses'],
  SSN: ['social security number', 'social security numbers'],
  MRN: ['MRN', 'MRNs'],
  HEALTH_PLAN: ['health plan number', 'health plan numbers'],
  ACCOUNT: ['account number', 'account numbers'],
  LICENSE: ['licence number', 'licence numbers'],
  VEHICLE: ['vehicle identifier', 'vehicle identifiers'],
  DEVICE: ['device identifier', 'device identifiers'],
  URL: ['web address', 'web addresses'],
  IP: ['IP address', 'IP addresses'],
  OTHER_ID: ['other identifier', 'other identifiers'],
};

export function totalOf(counts: Counts): number {
  return Object.values(counts).reduce((n, c) => n + (c ?? 0), 0);
}

/** "6 names, 5 dates and 1 MRN", most frequent first; "no identifiers" for none. */
export function describeCounts(counts: Counts): string {
  const parts = PHI_TYPES.filter((t) => (counts[t] ?? 0) > 0)
    .sort((a, b) => counts[b]! - counts[a]!)
    .map((t) => `${counts[t]} ${WORDS[t][counts[t] === 1 ? 0 : 1]}`);
  if (!parts.length) return 'no identifiers';
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}
