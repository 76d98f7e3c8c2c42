// The gate alone: which texts it touches, what it keeps, when it asks.
import * as assert from 'node:assert/strict';
import { auditLine } from '../../../src/core/privacy/audit';
import { gate, PrivacyScope, type WarnChoice } from '../../../src/core/privacy/gate';
import { isLoopback, resolveMode } from '../../../src/core/privacy/mode';
import type { ChatMessage } from '../../../src/core/server/types';

const base = { feature: 'chat' as const, origin: 'http://10.0.0.5:8000' };

describe('privacy/mode', () => {
  it('auto: off for this machine, pseudonymize for any other', () => {
    for (const u of ['http://localhost:8000/v1', 'http://127.0.0.1:8000/v1', 'http://127.8.9.10/v1', 'http://[::1]:8000/v1', 'http://app.localhost/v1']) assert.equal(resolveMode('auto', u), 'off', u);
    for (const u of ['http://10.0.0.5:8000/v1', 'https://gpu.example.org/v1', 'http://localhost.example.org/v1', 'http://128.0.0.1/v1', 'http://0.0.0.0:8000/v1', 'not a url']) assert.equal(resolveMode(undefined, u), 'pseudonymize', u);
    assert.equal(isLoopback('http://127.0.0.1.nip.io/v1'), false);
    // A Vertex endpoint's path on loopback is a proxy to Google: the text leaves this machine.
    assert.equal(resolveMode('auto', 'http://127.0.0.1:8080/v1beta1/projects/p/locations/us-central1/endpoints/123'), 'pseudonymize');
    assert.equal(resolveMode('auto', 'http://localhost:8080/v1/projects/p/locations/r/endpoints/9/'), 'pseudonymize');
  });
  it('an explicit mode wins over the address', () => {
    assert.equal(resolveMode('off', 'https://gpu.example.org/v1'), 'off');
    assert.equal(resolveMode('warn', 'http://localhost:8000/v1'), 'warn');
    assert.equal(resolveMode('pseudonymize', 'http://localhost:8000/v1'), 'pseudonymize');
  });
});

describe('privacy/gate', () => {
  const messages = (): ChatMessage[] => [
    { role: 'system', content: 'You are MedGemma. Dr. Smith wrote these instructions.' },
    { role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } }, { type: 'text', text: 'Patient: Eleanor Vandersloot\nSeen 03/04/2024 by Dr. Hobart.' }] },
    { role: 'assistant', content: 'Vandersloot was seen.' },
    { role: 'user', content: 'Did Hobart call the daughter?' },
  ];

  it('off: the messages go as they are and nothing is looked for', async () => {
    const m = messages();
    const g = await gate(m, { ...base, mode: 'off', scope: new PrivacyScope() });
    assert.equal(g.messages, m);
    assert.equal(g.counts, undefined);
    assert.equal(g.action, 'as-is');
  });

  it('pseudonymize: every patient text, never the system text or an image; lines and the input kept', async () => {
    const m = messages();
    const copy = structuredClone(m);
    const g = await gate(m, { ...base, mode: 'pseudonymize', scope: new PrivacyScope('conversation', { seed: 3 }) });
    assert.deepEqual(m, copy, 'the caller\'s messages are not changed');
    assert.equal(g.action, 'pseudonymized');
    assert.equal(g.messages[0].content, copy[0].content);
    const user = g.messages[1].content as Exclude<ChatMessage['content'], string>;
    assert.deepEqual(user[0], copy[1].content[0]);
    const text = (user[1] as { text: string }).text;
    assert.equal(text.split('\n').length, 2);
    const all = JSON.stringify(g.messages.slice(1));
    for (const real of ['Eleanor', 'Vandersloot', 'Hobart', '03/04/2024']) assert.ok(!all.includes(real), `${real} sent: ${all}`);
    // Found once with a cue, the bare mentions in other turns are replaced too, by the same stand-in.
    const hobart = /by Dr\. (\p{Lu}\p{Ll}+)\./u.exec(text)![1];
    assert.equal(g.messages[3].content, `Did ${hobart} call the daughter?`);
    assert.deepEqual(g.counts, { NAME: 4, DATE: 1 });
    assert.equal(g.restorer!.restore(`${hobart} saw her.`), 'Hobart saw her.');
  });

  it('a text without identifiers goes as it is, even in warn mode, without asking', async () => {
    let asked = 0;
    const m: ChatMessage[] = [{ role: 'user', content: 'What is the first-line treatment of community-acquired pneumonia?' }];
    const g = await gate(m, { ...base, mode: 'warn', scope: new PrivacyScope(), confirm: async () => (asked++, 'cancel') });
    assert.equal(asked, 0);
    assert.equal(g.action, 'as-is');
    assert.deepEqual(g.counts, {});
  });

  it('warn in a conversation: asks again only when a turn brings a new identifier', async () => {
    const answers: WarnChoice[] = ['as-is', 'pseudonymize'];
    let asked = 0;
    const confirm = async () => (asked++, answers.shift()!);
    const scope = new PrivacyScope('conversation');
    const t1: ChatMessage[] = [{ role: 'user', content: 'Dr. Hobart saw her.' }];
    assert.equal((await gate(t1, { ...base, mode: 'warn', scope, confirm })).action, 'as-is');
    assert.equal((await gate([...t1, { role: 'user', content: 'Anything else?' }], { ...base, mode: 'warn', scope, confirm })).action, 'as-is');
    assert.equal(asked, 1);
    const g = await gate([...t1, { role: 'user', content: 'Her son Tobias Wren called.' }], { ...base, mode: 'warn', scope, confirm });
    assert.equal(asked, 2);
    assert.equal(g.action, 'pseudonymized');
  });

  it('warn: requests of one scope that arrive together ask one question', async () => {
    let asked = 0;
    let release!: (c: WarnChoice) => void;
    const scope = new PrivacyScope();
    const confirm = () => (asked++, new Promise<WarnChoice>((r) => (release = r)));
    const m: ChatMessage[] = [{ role: 'user', content: 'Dr. Hobart saw her.' }];
    const all = Promise.all([1, 2, 3].map(() => gate(m, { ...base, mode: 'warn', scope, confirm })));
    await new Promise((r) => setImmediate(r));
    release('pseudonymize');
    const results = await all;
    assert.equal(asked, 1);
    assert.deepEqual(results.map((r) => r.action), ['pseudonymized', 'pseudonymized', 'pseudonymized']);
    assert.equal(new Set(results.map((r) => JSON.stringify(r.messages))).size, 1, 'one stand-in for all three');
  });

  it('an audit line is one JSON line with the fields in order and no text', () => {
    const line = auditLine({ bytes: 10, time: '2026-12-05T00:00:00.000Z', feature: 'summary', server: 'http://10.0.0.5:8000', model: 'medgemma', mode: 'pseudonymize', action: 'pseudonymized', identifiers: { NAME: 2 } });
    assert.equal(line, '{"time":"2026-12-05T00:00:00.000Z","feature":"summary","server":"http://10.0.0.5:8000","model":"medgemma","mode":"pseudonymize","action":"pseudonymized","identifiers":{"NAME":2},"bytes":10}\n');
  });
});

describe('privacy/gate: dates in the answer', () => {
  const base2 = { feature: 'papers' as const, origin: 'http://10.0.0.5:8000', mode: 'pseudonymize' as const };
  it('moves back a date the model reformats, unless the model also read real dates', async () => {
    const scope = new PrivacyScope('document', { seed: 1, dateShiftDays: 100 });
    const note: ChatMessage = { role: 'user', content: 'Admitted 10/15/2024.' };
    const g = await gate([{ role: 'system', content: 'Summarize.' }, note], { ...base2, scope });
    assert.equal(g.restorer!.restore('Admitted January 23, 2025.'), 'Admitted October 15, 2024.');
    const withPaper = await gate([{ role: 'system', content: 'Sources: [S1] enrolled from March 2020 to 06/30/2021.' }, note], { ...base2, scope });
    assert.equal(withPaper.restorer!.restore('Enrolled from March 2020 (S1); admitted 01/23/2025.'), 'Enrolled from March 2020 (S1); admitted 10/15/2024.');
  });
});
