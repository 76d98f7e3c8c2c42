// The privacy mode `warn` asks before a note's identifiers are sent, once per note. A batch of
// a thousand notes cannot ask a thousand times: the editor asks once for the whole batch, and
// this wrapper gives that answer to every note's privacy scope before its first request, so
// the gate (privacy/gate.ts) finds the choice made and asks nothing. Each note keeps its own
// scope, hence its own stand-ins; the gate still pseudonymizes (or not) and audits each request.

import { PrivacyScope } from '../privacy/gate';
import type { ChatRequest, ChatService, StreamOptions } from '../server/types';

export type BatchPrivacyChoice = 'pseudonymize' | 'as-is';

export function withPrivacyChoice(chat: ChatService, choice: BatchPrivacyChoice): ChatService {
  const decided = new WeakSet<PrivacyScope>();
  return {
    countTokens: (messages, job, signal, privacy) => chat.countTokens(messages, job, signal, privacy),
    contextLength: (job) => chat.contextLength(job),
    async chat(req: ChatRequest, opts?: StreamOptions) {
      const scope = req.privacy ?? new PrivacyScope();
      if (!decided.has(scope)) {
        decided.add(scope);
        // No identifiers yet: a document scope keeps this choice for all of its requests.
        await scope.choose([], async () => choice);
      }
      return chat.chat({ ...req, privacy: scope }, opts);
    },
  };
}
