// Chat and image examples: the messages as sent, each image stored once in the dataset as the
// very bytes the model saw, one set of stand-ins across the whole conversation and the answer.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildPrompt, SYSTEM_PROMPT } from '../../../src/core/chat/prompt';
import type { ChatTurn } from '../../../src/core/chat/types';
import { buildConversationExample } from '../../../src/core/dataset/conversation-example';
import { imagesOf, parseExample } from '../../../src/core/dataset/example';
import { DatasetError, DatasetStore, sha256 } from '../../../src/core/dataset/store';

const PNG = fs.readFileSync(path.resolve(__dirname, '../../fixtures/images/skimage-retina.jpg'));
const dataUrl = `data:image/jpeg;base64,${PNG.toString('base64')}`;

describe('dataset: chat and image examples', () => {
  let dir: string;
  let store: DatasetStore;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-conv-'));
    store = new DatasetStore(dir);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const base = () => ({ kind: 'chat' as const, reviewer: 'dr-a', saveImage: (b: Uint8Array, e: 'png' | 'jpg') => store.saveImage(b, e) });

  it('a conversation as the chat sends it: system text in the first turn, earlier turns, the image as a dataset file', async () => {
    const turns: ChatTurn[] = [
      { id: 'u1', role: 'user', text: 'Is this chest film normal?', attachments: [{ kind: 'image', id: 'i1', name: 'cxr.png', dataUrl }], at: 1 },
      { id: 'a1', role: 'assistant', text: 'No acute findings.', at: 2 },
      { id: 'u2', role: 'user', text: 'And the heart size?', at: 3 },
    ];
    const { messages } = buildPrompt(turns, { contextLength: Number.MAX_SAFE_INTEGER, answerTokens: 0 });
    const e = await buildConversationExample({ ...base(), messages, chosen: 'The heart size is normal.', draft: 'The heart is enlarged.', model: 'medgemma-4b-it', pseudonymize: false });
    assert.deepEqual(e.messages.map((m) => m.role), ['user', 'assistant', 'user']);
    const first = e.messages[0].content;
    assert.equal(first.filter((p) => p.type === 'image').length, 1);
    const file = imagesOf(e)[0];
    assert.equal(file, `images/${sha256(PNG)}.jpg`);
    assert.deepEqual(fs.readFileSync(path.join(dir, file)), PNG);
    assert.ok(first.some((p) => p.type === 'text' && p.text.startsWith(SYSTEM_PROMPT)), 'the system text is not folded into the first turn');
    assert.deepEqual([e.review.action, e.chosen, e.rejected, e.kind, e.deidentified], ['edited', 'The heart size is normal.', 'The heart is enlarged.', 'chat', 'as-written']);
    assert.deepEqual(parseExample(JSON.parse(JSON.stringify(e))), e);
    await store.add(e);
  });

  it('pseudonymized: a name in an earlier turn and in the answer gets one stand-in; none of the originals is kept', async () => {
    const messages = [
      { role: 'user' as const, content: 'Patient: Eleanor Marguerite Vandersloot, MRN 00728814, seen 10/27/2024 in clinic.' },
      { role: 'assistant' as const, content: 'Noted.' },
      { role: 'user' as const, content: 'Summarize Vandersloot in one line.' },
    ];
    const e = await buildConversationExample({ ...base(), messages, chosen: 'Ms. Vandersloot, MRN 00728814, seen 10/27/2024.', draft: 'Ms. Vandersloot was seen.', pseudonymize: true });
    const json = JSON.stringify(e);
    for (const id of ['Vandersloot', 'Eleanor', '00728814', '10/27/2024']) assert.ok(!json.includes(id), `${id} kept`);
    const standIn = /Patient: \S+ \S+ (\S+),/.exec((e.messages[0].content[0] as { text: string }).text)![1];
    assert.ok((e.messages[2].content[0] as { text: string }).text.includes(standIn), 'the later turn has another stand-in');
    assert.ok(e.chosen.includes(standIn) && e.rejected!.includes(standIn), 'the answer has another stand-in');
  });

  it('refuses an empty answer, a conversation ending with an answer, and an image that is not PNG or JPEG', async () => {
    await assert.rejects(buildConversationExample({ ...base(), messages: [{ role: 'user', content: 'q' }], chosen: ' ', pseudonymize: false }), (e: unknown) => e instanceof DatasetError && /answer is empty/.test(e.message));
    await assert.rejects(buildConversationExample({ ...base(), messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }], chosen: 'x', pseudonymize: false }), /does not end with a question/);
    const gif = [{ role: 'user' as const, content: [{ type: 'image_url' as const, image_url: { url: 'data:image/gif;base64,R0lGODlh' } }, { type: 'text' as const, text: 'q' }] }];
    await assert.rejects(buildConversationExample({ ...base(), messages: gif, chosen: 'x', pseudonymize: false }), /not a PNG or JPEG/);
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('the same answer as the draft is accepted, with no rejected answer; a source image is hashed', async () => {
    const e = await buildConversationExample({ ...base(), kind: 'image', messages: [{ role: 'user', content: 'q' }], chosen: ' Same  answer ', draft: 'Same answer', pseudonymize: false, source: { file: 'cxr.dcm', bytes: PNG } });
    assert.deepEqual([e.review.action, e.rejected, e.kind, e.source], ['accepted', undefined, 'image', { file: 'cxr.dcm', sha256: sha256(PNG) }]);
  });
});
