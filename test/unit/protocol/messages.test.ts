// The chat and annotator messages a webview may send (src/protocol/chat.ts, image.ts), at their
// limits: what a well-formed request looks like, and each field one step past what it allows.
// A webview renders model output, so these shapes are the host's defence against it.
import * as assert from 'node:assert/strict';
import { attachmentSchema, chatProtocol } from '../../../src/protocol/chat';
import { editedAnnotation, imageProtocol } from '../../../src/protocol/image';
import { SchemaError } from '../../../src/protocol/schema';

const refused = (fn: () => unknown, re: RegExp) => assert.throws(fn, (e: unknown) => e instanceof SchemaError && re.test(e.message));

describe('protocol: chat messages', () => {
  const send = chatProtocol.requests['chat/send'].schema;
  const selection = { kind: 'selection', id: 'a-1', name: 'note.txt', text: 'BP 140/90', uri: 'file:///n.txt', lines: [3, 4] };

  it('attachments: a selection, a file and a pasted image', () => {
    assert.deepEqual(attachmentSchema.parse(selection), selection);
    assert.deepEqual(attachmentSchema.parse({ kind: 'file', id: 'f', name: 'n.txt', text: '' }), { kind: 'file', id: 'f', name: 'n.txt', text: '' });
    const image = { kind: 'image', id: 'i', name: 'x.png', dataUrl: 'data:image/png;base64,iVBORw0KGgo=' };
    assert.deepEqual(attachmentSchema.parse(image), image);
  });

  it('attachments at their limits', () => {
    refused(() => attachmentSchema.parse({ ...selection, id: '' }), /^id is shorter than 1 characters$/);
    refused(() => attachmentSchema.parse({ ...selection, id: 'x'.repeat(65) }), /^id is longer than 64/);
    assert.ok(attachmentSchema.parse({ ...selection, id: 'x'.repeat(64) }));
    refused(() => attachmentSchema.parse({ ...selection, id: 'a b' }), /^id has the wrong format$/);
    refused(() => attachmentSchema.parse({ ...selection, name: 'n'.repeat(301) }), /^name is longer than 300/);
    refused(() => attachmentSchema.parse({ ...selection, text: 't'.repeat(1_000_001) }), /^text is longer than 1000000/);
    refused(() => attachmentSchema.parse({ ...selection, uri: 'u'.repeat(2001) }), /^uri is longer than 2000/);
    refused(() => attachmentSchema.parse({ ...selection, lines: [0, 4] }), /^lines\[0\] must be >= 1$/);
    refused(() => attachmentSchema.parse({ ...selection, lines: [1, 2, 3] }), /^lines has more than 2 items$/);
    refused(() => attachmentSchema.parse({ ...selection, lines: [1.5, 2] }), /^lines\[0\] must be an integer$/);
    refused(() => attachmentSchema.parse({ kind: 'image', id: 'i', name: 'x', dataUrl: 'https://example.org/x.png' }), /^dataUrl has the wrong format$/);
    refused(() => attachmentSchema.parse({ kind: 'image', id: 'i', name: 'x', dataUrl: 'data:image/svg+xml;base64,PHN2Zz4=' }), /^dataUrl has the wrong format$/);
    refused(() => attachmentSchema.parse({ kind: 'script', id: 'i', name: 'x' }), /^kind must be one of selection, file, image$/);
  });

  it('chat/send: a question with attachments; at most 20 of them; replaceFrom is an id', () => {
    const q = { text: 'What changed?', attachments: [selection], replaceFrom: 't-9', conversationId: 'c1' };
    assert.deepEqual(send.parse(q), q);
    assert.ok(send.parse({ text: 'q', attachments: Array(20).fill(selection) }));
    refused(() => send.parse({ text: 'q', attachments: Array(21).fill(selection) }), /^attachments has more than 20 items$/);
    refused(() => send.parse({ text: 'q', attachments: [], replaceFrom: '../x' }), /^replaceFrom has the wrong format$/);
    refused(() => send.parse({ text: 'q', attachments: [{ ...selection, extra: 1 }] }), /^attachments\[0\]\.extra is not expected$/);
  });

  it('the other requests: ids, models, links, actions', () => {
    const R = chatProtocol.requests;
    assert.equal(R['chat/init'].schema.parse({}), undefined);
    refused(() => R['history/open'].schema.parse({ id: 'a/b' }), /^id has the wrong format$/);
    refused(() => R['models/select'].schema.parse({ id: 'm'.repeat(301) }), /^id is longer than 300/);
    refused(() => R['attach/taken'].schema.parse({ ids: Array(101).fill('a') }), /^ids has more than 100 items$/);
    refused(() => R['action/openLink'].schema.parse({ href: 'h'.repeat(4001) }), /^href is longer than 4000/);
    refused(() => R['action/openLink'].schema.parse({ href: 'https://x', text: 't'.repeat(501) }), /^text is longer than 500/);
    assert.deepEqual(R['action/run'].schema.parse({ action: 'checkServer' }), { action: 'checkServer' });
    refused(() => R['action/run'].schema.parse({ action: 'workbench.action.terminal.new' }), /^action must be one of /);
  });
});

describe('protocol: annotator messages', () => {
  const R = imageProtocol.requests;
  const ann = { id: 'a', frame: 0, shape: { type: 'rect', x: 1, y: 2, w: 3, h: 4 }, label: 'nodule', text: '', created: '2026-01-01T00:00:00Z', modified: '2026-01-01T00:00:00Z' };

  it('every shape, and the fields of an edited annotation at their limits', () => {
    for (const shape of [
      { type: 'rect', x: 0, y: 0, w: 1, h: 1 },
      { type: 'ellipse', cx: 1, cy: 1, rx: 1, ry: 1 },
      { type: 'polygon', points: [[0, 0], [1, 1]], closed: true },
      { type: 'arrow', x1: 0, y1: 0, x2: 1, y2: 1 },
      { type: 'point', x: 1, y: 1 },
    ]) {
      assert.deepEqual(editedAnnotation.parse({ ...ann, shape }).shape, shape);
    }
    refused(() => editedAnnotation.parse({ ...ann, shape: { type: 'rect', x: Infinity, y: 0, w: 1, h: 1 } }), /^shape\.x must be a finite number/);
    refused(() => editedAnnotation.parse({ ...ann, shape: { type: 'polygon', points: [[0, 0, 0]], closed: true } }), /^shape\.points\[0\] has more than 2 items$/);
    const many = Array.from({ length: 100_001 }, (_, i) => [i, i]);
    refused(() => editedAnnotation.parse({ ...ann, shape: { type: 'polygon', points: many, closed: false } }), /^shape\.points has more than 100000 items$/);
    assert.ok(editedAnnotation.parse({ ...ann, shape: { type: 'polygon', points: many.slice(1), closed: false } }));
    refused(() => editedAnnotation.parse({ ...ann, frame: -1 }), /^frame must be >= 0$/);
    refused(() => editedAnnotation.parse({ ...ann, frame: 0.5 }), /^frame must be an integer$/);
    refused(() => editedAnnotation.parse({ ...ann, id: 'i'.repeat(101) }), /^id is longer than 100/);
    refused(() => editedAnnotation.parse({ ...ann, label: 'l'.repeat(1001) }), /^label is longer than 1000/);
    refused(() => editedAnnotation.parse({ ...ann, text: 't'.repeat(100_001) }), /^text is longer than 100000/);
    refused(() => editedAnnotation.parse({ ...ann, created: 'c'.repeat(41) }), /^created is longer than 40/);
    refused(() => editedAnnotation.parse({ ...ann, modified: 'm'.repeat(41) }), /^modified is longer than 40/);
    assert.ok(editedAnnotation.parse({ ...ann, label: 'l'.repeat(1000), created: 'c'.repeat(40) }));
  });

  it('image/ask: a prompt of 1 to 8,000 characters, a system text up to 4,000, a window of width >= 1', () => {
    const ask = R['image/ask'].schema;
    const q = { frame: 0, ctThreeWindows: false, system: 's', prompt: 'Describe.', window: { center: 40, width: 1 } };
    assert.deepEqual(ask.parse(q), q);
    refused(() => ask.parse({ ...q, prompt: '' }), /^prompt is shorter than 1/);
    refused(() => ask.parse({ ...q, prompt: 'p'.repeat(8001) }), /^prompt is longer than 8000/);
    refused(() => ask.parse({ ...q, system: 's'.repeat(4001) }), /^system is longer than 4000/);
    refused(() => ask.parse({ ...q, window: { center: 40, width: 0 } }), /^window\.width must be >= 1$/);
    refused(() => ask.parse({ ...q, annotationId: 'a'.repeat(101) }), /^annotationId is longer than 100/);
    refused(() => ask.parse({ ...q, answers: [] }), /^answers is not expected$/);
    refused(() => ask.parse({ ...q, frame: 1.5 }), /^frame must be an integer$/);
    refused(() => ask.parse({ ...q, frame: -1 }), /^frame must be >= 0$/);
  });

  it('the other requests: frame index, view, update size, links', () => {
    refused(() => R['image/frame'].schema.parse({ index: -1 }), /^index must be >= 0$/);
    refused(() => R['image/frame'].schema.parse({ index: 0.5 }), /^index must be an integer$/);
    refused(() => R['image/view'].schema.parse({ frame: -1, ctThreeWindows: true }), /^frame must be >= 0$/);
    refused(() => R['image/view'].schema.parse({ frame: 1.5, ctThreeWindows: true }), /^frame must be an integer$/);
    refused(() => R['image/openLink'].schema.parse({ href: 'https://example.org', text: 't'.repeat(501) }), /^text is longer than 500/);
    assert.ok(R['image/openLink'].schema.parse({ href: 'https://example.org', text: 't'.repeat(500) }));
    assert.deepEqual(R['image/view'].schema.parse({ frame: 2, ctThreeWindows: true }), { frame: 2, ctThreeWindows: true });
    refused(() => R['image/attachToChat'].schema.parse({ frame: 0 }), /^ctThreeWindows must be true or false/);
    refused(() => R['image/update'].schema.parse({ annotations: Array(10_001).fill(ann) }), /^annotations has more than 10000 items$/);
    refused(() => R['image/openLink'].schema.parse({ href: 'h'.repeat(4001) }), /^href is longer than 4000/);
    refused(() => R['image/open'].schema.parse({ path: '/etc/passwd' }), /^path is not expected$/);
  });
});
