// The privacy gate's core: detect identifiers, replace them with consistent stand-ins before a
// text leaves for the server, put the originals back into the streamed answer.

export { detect, type DetectOptions } from './detect';
export { Pseudonymizer, type Pseudonymized, type PseudonymizerOptions, type Replacement } from './pseudonymize';
export { Restorer } from './restore';
export { shiftDate } from './date-shift';
export { PHI_TYPES, PrivacyError, type PhiType, type Span } from './types';
export { gate, PrivacyScope, countByType, type Confirm, type Counts, type Feature, type Gated, type WarnChoice, type WarnRequest } from './gate';
export { isLoopback, isPrivacySetting, PRIVACY_MODES, resolveMode, staysOnMachine, type PrivacyMode, type PrivacySetting } from './mode';
export { auditFile, auditLine, type AuditEntry, type AuditSink } from './audit';
export { describeCounts, totalOf } from './describe';
