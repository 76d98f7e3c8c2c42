// VS Code's chat messages as what the model provider sends (src/vscode/model-provider/messages.ts):
// parts told apart by shape, the caller's system text gated like user text, tool traffic from a
// conversation begun with another model kept as bounded text, an oversized image refused.
import * as assert from 'node:assert/strict';
import { MAX_IMAGE_BYTES, toChatMessages, UnsendablePart } from '../../../src/vscode/model-provider/messages';

const text = (value: string) => ({ value });
const data = (bytes: Uint8Array, mimeType: string) => ({ data: bytes, mimeType });

describe('model provider: VS Code chat messages as ours', () => {
  it('roles: 1 user, 2 assistant, and the caller\'s system text (3) as user text', () => {
    const out = toChatMessages([
      { role: 3, content: [text('You are a careful assistant. The note: Patient Jane Roe.')] },
      { role: 1, content: [text('Summarize.')] },
      { role: 2, content: [text('Jane Roe has a cough.')] },
    ]);
    assert.deepEqual(out, [
      { role: 'user', content: 'You are a careful assistant. The note: Patient Jane Roe.' },
      { role: 'user', content: 'Summarize.' },
      { role: 'assistant', content: 'Jane Roe has a cough.' },
    ]);
  });

  it('text parts of one message join by line; an image makes it a list of parts with a data URL', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    const out = toChatMessages([{ role: 1, content: [text('Look:'), data(png, 'IMAGE/PNG'), text('What is it?')] }]);
    assert.deepEqual(out, [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Look:' },
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw==' } },
          { type: 'text', text: 'What is it?' },
        ],
      },
    ]);
    assert.deepEqual(toChatMessages([{ role: 1, content: [text('a'), text('b')] }]), [{ role: 'user', content: 'a\nb' }]);
  });

  it('text and JSON data parts are read as UTF-8 text; other data (cache hints, audio) carries nothing', () => {
    const out = toChatMessages([
      { role: 1, content: [data(new TextEncoder().encode('Ärztlicher Befund'), 'text/plain'), data(new TextEncoder().encode('{"a":1}'), 'application/json'), data(new Uint8Array([1, 2]), 'cache_control'), data(new Uint8Array([1]), 'audio/wav')] },
    ]);
    assert.deepEqual(out, [{ role: 'user', content: 'Ärztlicher Befund\n{"a":1}' }]);
  });

  it('a message with nothing to send is dropped; unknown shapes, empty text and non-objects are skipped', () => {
    assert.deepEqual(toChatMessages([{ role: 1, content: [null, 42, 'str', {}, text(''), { data: 'not bytes', mimeType: 'image/png' }] }, { role: 1, content: [text('kept')] }]), [{ role: 'user', content: 'kept' }]);
  });

  it('tool calls and results become bounded text', () => {
    const big = 'x'.repeat(50_000);
    const out = toChatMessages([
      { role: 2, content: [{ callId: 'c1', name: 'search', input: { q: 'pneumonia' } }] },
      { role: 1, content: [{ callId: 'c1', content: [text('result one'), data(new TextEncoder().encode('as json'), 'application/json'), { other: 1 }] }] },
      { role: 1, content: [{ callId: 'c2', content: [text(big)] }] },
      { role: 1, content: [{ callId: 'c3', content: 'not a list' }] },
    ]);
    assert.equal(out[0].content, '[Called the tool search with {"q":"pneumonia"}]');
    assert.equal(out[1].content, '[Tool result]\nresult one\nas json');
    const cut = out[2].content as string;
    assert.equal(cut.length, '[Tool result]\n'.length + 20_000 + '… (cut at 20000 characters)'.length);
    assert.ok(cut.endsWith('… (cut at 20000 characters)'));
    assert.equal(out[3].content, '[Tool result]\n');
  });

  it('an image over the limit is refused with a sentence that says what to do', () => {
    const huge = new Uint8Array(MAX_IMAGE_BYTES + 1);
    assert.throws(() => toChatMessages([{ role: 1, content: [data(huge, 'image/jpeg')] }]), (e: Error) => {
      assert.ok(e instanceof UnsendablePart);
      assert.equal(e.message, 'An attached image is 20.0 MB, more than the 20 MB MedGemma is sent. Attach a smaller image (or a region of it).');
      return true;
    });
    assert.equal(toChatMessages([{ role: 1, content: [data(new Uint8Array(MAX_IMAGE_BYTES), 'image/jpeg')] }]).length, 1);
  });
});
