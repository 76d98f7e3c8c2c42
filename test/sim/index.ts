// The vLLM protocol simulator: `const sim = await startSim(); ... await sim.stop();`
// See README.md in this folder.

export { startSim, type SimHooks } from './server';
export type { ContextWording, EmbeddingFault, Fault, FaultKind, RecordedRequest, Sim, SimModel, SimOptions, SimProfile, SimVertex } from './types';
export { FAULT_KINDS, MID_STREAM_FAULTS, DEFAULT_AFTER_CHUNKS, DEFAULT_STALL_MS } from './faults';
export { PROFILES, DEFAULT_MODELS, DEFAULT_MAX_MODEL_LEN, LLAMACPP_N_CTX_TRAIN } from './profiles';
export { CONTEXT_LENGTH_PATTERN, contextLengthMessage } from './errors';
export { ALTERNATION_MESSAGE } from './template';
export { vertexBasePath } from './vertex';
export { DEFAULT_EMBEDDING_DIMS, embedText, embeddingWords } from './embeddings';
export { EMBEDDING_FAULTS, HUGE_EMBEDDING_DIMS, MAX_EMBEDDING_INPUTS } from './embeddings-route';
export { NOT_FOUND_MESSAGE, UNAUTHENTICATED_MESSAGE, googleStatus } from './google-errors';
export {
  BOS_TOKENS,
  GENERATION_PROMPT_TOKENS,
  IMAGE_TOKENS,
  TURN_TOKENS,
  countChatTokens,
  countPromptTokens,
  countTextTokens,
  splitPieces,
} from './tokens';
export {
  SECTION_TITLES,
  answerFor,
  hasNegation,
  isFamilyHistory,
  isHeading,
  noteBullets,
  parseNoteLines,
  removeNegation,
  type Bullet,
  type Section,
} from './answers';
