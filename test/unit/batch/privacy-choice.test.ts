// The privacy mode `warn` in a batch (core/batch/privacy-choice.ts): the one answer given for
// the whole batch reaches every note's scope, so the gate asks nobody, and still pseudonymizes
// each note with its own stand-ins (or sends it as written).
import * as assert from 'node:assert/strict';
import { withPrivacyChoice } from '../../../src/core/batch/privacy-choice';
import { gate, PrivacyScope, type Gated } from '../../../src/core/privacy/gate';
import type { ChatRequest, ChatService } from '../../../src/core/server/types';

const NOTE = 'Patient: John Abernathy\nMRN: 00728814\nSeen on 10/15/2024 for chest pain.';

/** A service that runs the gate in `warn` mode as the client does, with a confirm that counts its questions. */
function gated(): ChatService & { asked: number; sent: Gated[] } {
  const s = {
    asked: 0,
    sent: [] as Gated[],
    countTokens: async () => ({ tokens: 10, exact: true }),
    contextLength: async () => 8192,
    async chat(req: ChatRequest) {
      const g = await gate(req.messages, {
        mode: 'warn',
        scope: req.privacy ?? new PrivacyScope(),
        feature: 'summary',
        origin: 'http://gpu:8000',
        confirm: async () => {
          s.asked += 1;
          return 'cancel';
        },
      });
      s.sent.push(g);
      return { text: 'ok', finishReason: 'stop' as const, model: 'm', promptTokens: 1, maxTokens: 1 };
    },
  };
  return s;
}

const request = (privacy?: PrivacyScope): ChatRequest => ({ messages: [{ role: 'user', content: NOTE }], maxTokens: 100, temperature: 0, privacy });

describe('batch/privacy-choice', () => {
  it('pseudonymize: every note and every request of a note goes pseudonymized, nobody is asked', async () => {
    const inner = gated();
    const chat = withPrivacyChoice(inner, 'pseudonymize');
    const noteA = new PrivacyScope();
    await chat.chat(request(noteA));
    await chat.chat(request(noteA)); // the same note's next part or check
    await chat.chat(request(new PrivacyScope()));
    await chat.chat(request()); // a request without a scope gets one
    assert.equal(inner.asked, 0);
    assert.deepEqual(inner.sent.map((g) => g.action), ['pseudonymized', 'pseudonymized', 'pseudonymized', 'pseudonymized']);
    const texts = inner.sent.map((g) => String(g.messages[0].content));
    for (const t of texts) assert.ok(!t.includes('Abernathy') && !t.includes('00728814'), t);
    assert.equal(texts[0], texts[1], 'one note keeps its stand-ins across its requests');
  });

  it('as written: the notes go as they are, nobody is asked', async () => {
    const inner = gated();
    const chat = withPrivacyChoice(inner, 'as-is');
    await chat.chat(request(new PrivacyScope()));
    await chat.chat(request(new PrivacyScope()));
    assert.equal(inner.asked, 0);
    assert.deepEqual(inner.sent.map((g) => g.action), ['as-is', 'as-is']);
    assert.equal(inner.sent[0].messages[0].content, NOTE);
  });

  it('without it, warn mode asks for each note (what the batch must not do)', async () => {
    const inner = gated();
    await inner.chat(request(new PrivacyScope()));
    await inner.chat(request(new PrivacyScope()));
    assert.equal(inner.asked, 2);
  });
});
