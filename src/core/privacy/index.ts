// The privacy gate's core: detect identifiers, replace them with consistent stand-ins before a
// text leaves for the server, put the originals back into the streamed answer.

export { detect, type DetectOptions } from './detect';
export { Pseudonymizer, type Pseudonymized, type PseudonymizerOptions, type Replacement } from './pseudonymize';
export { Restorer } from './restore';
export { shiftDate } from './date-shift';
export { PHI_TYPES, PrivacyError, type PhiType, type Span } from './types';
