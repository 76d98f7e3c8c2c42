// The privacy gate on the one road, end to end: the real client against the vLLM simulator.
// What the server receives holds none of the sample note's identifiers; what the user reads
// holds the real ones; one audit line per request, with counts and never text.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { summarizeNote } from '../../../src/core/notes/summarize';
import { findTemplate } from '../../../src/core/notes/templates';
import type { AuditEntry } from '../../../src/core/privacy/audit';
import { PrivacyScope, type WarnRequest } from '../../../src/core/privacy/gate';
import type { PrivacySetting } from '../../../src/core/privacy/mode';
import { makeConfig } from '../../../src/core/server/config';
import { noCredentials } from '../../../src/core/server/credentials';
import type { MedGemmaError } from '../../../src/core/server/errors';
import { MedGemmaClient } from '../../../src/core/server/service';
import type { ChatMessage } from '../../../src/core/server/types';
import { startSim, type Sim } from '../../sim';
import { fixtureNote, NOTES } from '../notes/fixtures';

interface Gold {
  start: number;
  end: number;
  type: string;
  text: string;
}

/** Every text part of every message the server received, on any route: answers and token counts (/tokenize) alike. */
function sentText(sim: Sim): string {
  return sim.requests
    .filter((q) => Array.isArray(q.body?.messages))
    .flatMap((q) => (q.body.messages as ChatMessage[]).map((m) => (typeof m.content === 'string' ? m.content : m.content.map((p) => (p.type === 'text' ? p.text : '')).join('\n'))))
    .join('\n');
}

/** Gold identifiers found in `sent`; a short one ("92") with the words before it on its line ("Age: 92"). */
function leaked(note: string, gold: Gold[], sent: string): string[] {
  return gold
    .map((g) => {
      if (g.text.length >= 5) return g.text;
      const lineStart = note.lastIndexOf('\n', g.start) + 1;
      return note.slice(Math.max(lineStart, g.start - 8), g.end);
    })
    .filter((needle) => sent.includes(needle));
}

describe('privacy gate against the simulator', function () {
  this.timeout(60_000);
  let sim: Sim;
  let audit: AuditEntry[];
  const template = findTemplate('brief')!;

  function client(privacy: PrivacySetting, confirm?: (w: WarnRequest) => Promise<'pseudonymize' | 'as-is' | 'cancel'>): MedGemmaClient {
    const c = new MedGemmaClient(makeConfig({ baseUrl: sim.baseUrl, privacy }), noCredentials);
    c.audit = async (e) => void audit.push(e);
    c.confirmPrivacy = confirm;
    return c;
  }

  beforeEach(async () => {
    sim = await startSim({ maxModelLen: 8192 });
    audit = [];
  });
  afterEach(async () => {
    await sim.stop();
  });

  it('pseudonymize: the server receives none of the gold identifiers; the summary has the real ones', async function () {
    const note = fixtureNote(this, 'deid-sample.txt');
    const gold = JSON.parse(fs.readFileSync(path.join(NOTES, 'deid-sample.gold.json'), 'utf8')) as Gold[];
    let streamed = '';
    // A fixed shift: with a random one, a shifted date can equal another date of the note
    // (09/28 + 30 days = 10/28), which is no leak but would read as one here.
    const privacy = new PrivacyScope('document', { seed: 11, dateShiftDays: 400 });
    const r = await summarizeNote(client('pseudonymize'), { text: note, template, maxTokens: 2048, temperature: 0, privacy }, { onDelta: (t) => (streamed += t) });
    const sent = sentText(sim);
    assert.ok(sent.includes('Parkinson disease'), 'the clinical text was sent');
    assert.deepEqual(leaked(note, gold, sent), []);
    // The count was of the very text the request sent: the same stand-ins, one version of the
    // note at the server (a throwaway scope would shift its dates by another random offset).
    const userTurn = (path: string): string => JSON.stringify(sim.requests.filter((q) => q.path === path).at(-1)?.body.messages.at(-1));
    assert.equal(userTurn('/tokenize'), userTurn('/v1/chat/completions'));
    // The sent note keeps its line count: every [Ln] the model cites points at the same line.
    assert.equal(streamed, r.summary, 'the stream and the result are restored alike');
    assert.ok(r.summary.includes('Vandersloot'), 'the summary names the patient by her real name');
    assert.ok(r.statements.length > 10);
    const bad = r.statements.filter((s) => !s.supported);
    assert.ok(bad.length <= r.statements.length * 0.1, `restored statements fail their checks:\n${bad.map((s) => `${s.text}: ${s.reason}`).join('\n')}`);
    assert.equal(audit.length, 1);
    const [entry] = audit;
    assert.equal(entry.feature, 'summary');
    assert.equal(entry.mode, 'pseudonymize');
    assert.equal(entry.action, 'pseudonymized');
    assert.ok((entry.identifiers?.NAME ?? 0) >= 5 && (entry.identifiers?.DATE ?? 0) >= 5, JSON.stringify(entry.identifiers));
    assert.ok(entry.bytes > note.length * 0.9);
    assert.equal(entry.server, new URL(sim.baseUrl).origin);
    const line = JSON.stringify(entry);
    for (const g of gold.filter((x) => x.text.length >= 5)) assert.ok(!line.includes(g.text), `the audit line holds "${g.text}"`);
  });

  it('auto: a loopback server gets the text as written, and the audit line says so', async function () {
    const note = fixtureNote(this, 'deid-sample.txt');
    await summarizeNote(client('auto'), { text: note, template, maxTokens: 2048, temperature: 0 });
    assert.ok(sentText(sim).includes('Eleanor Marguerite Vandersloot'));
    assert.deepEqual(audit.map((e) => [e.mode, e.action, e.identifiers]), [['off', 'as-is', null]]);
  });

  it('warn: asks once for a summary in parts and its model check, with counts only', async function () {
    const note = fixtureNote(this, 'deid-sample.txt');
    await sim.stop();
    sim = await startSim({ maxModelLen: 1700 });
    const asked: WarnRequest[] = [];
    const r = await summarizeNote(
      client('warn', async (w) => (asked.push(w), 'pseudonymize')),
      { text: note, template, maxTokens: 300, temperature: 0, verify: 'rules+model' },
    );
    assert.ok(r.parts > 1, `the note went in ${r.parts} part(s): ${r.interrupted ?? ''}`);
    assert.equal(asked.length, 1, 'one question for the whole summary');
    assert.equal(asked[0].feature, 'summary');
    assert.ok((asked[0].counts.NAME ?? 0) > 0 && asked[0].total >= 10);
    assert.ok(!JSON.stringify(asked).includes('Vandersloot'));
    assert.ok(!sentText(sim).includes('Vandersloot'));
    assert.ok(audit.length > 2 && audit.every((e) => e.mode === 'warn' && (e.action === 'pseudonymized' || e.identifiers && Object.keys(e.identifiers).length === 0)), JSON.stringify(audit));
    assert.ok(audit.some((e) => e.feature === 'citation-check'));
  });

  it('warn: "as is" sends the text unchanged; cancel sends nothing and says so in the log', async function () {
    const text = 'Patient: Eleanor Vandersloot, MRN 00728814. Cough for 3 days.';
    const msgs: ChatMessage[] = [{ role: 'user', content: text }];
    const r1 = await client('warn', async () => 'as-is').chat({ messages: msgs, maxTokens: 50, temperature: 0 });
    assert.equal(r1.finishReason, 'stop');
    assert.ok(sentText(sim).includes('Eleanor Vandersloot'));
    const before = sim.requests.length;
    await assert.rejects(client('warn', async () => 'cancel').chat({ messages: msgs, maxTokens: 50, temperature: 0, feature: 'chat' }), (e: MedGemmaError) => {
      assert.equal(e.kind, 'declined');
      assert.match(e.message, /^Nothing was sent to http:\/\/127\.0\.0\.1:\d+: you chose not to send/);
      return true;
    });
    assert.equal(sim.requests.filter((q) => q.path === '/v1/chat/completions').length, sim.requests.slice(0, before).filter((q) => q.path === '/v1/chat/completions').length);
    assert.deepEqual(audit.map((e) => e.action), ['as-is', 'not-sent']);
    assert.equal(audit[1].bytes, 0);
  });

  it('warn without anyone to ask refuses with a sentence and sends nothing', async function () {
    const c = client('warn');
    await assert.rejects(c.chat({ messages: [{ role: 'user', content: 'Seen by Dr. Hobart on 03/04/2024.' }], maxTokens: 50, temperature: 0 }), (e: MedGemmaError) => e.kind === 'privacy' && /nothing here can ask\. Nothing was sent/.test(e.message));
    assert.equal(sim.requests.filter((q) => q.path === '/v1/chat/completions').length, 0);
  });

  it('a chat keeps one stand-in per name across turns, and restores the answer', async function () {
    const scope = new PrivacyScope('conversation', { seed: 7 });
    const c = client('pseudonymize');
    const turn1: ChatMessage[] = [{ role: 'user', content: 'Dr. Amelia Hartwell saw the patient.' }];
    const r1 = await c.chat({ messages: turn1, maxTokens: 200, temperature: 0, privacy: scope });
    // The second turn names her bare: the scope still knows her.
    const turn2: ChatMessage[] = [...turn1, { role: 'assistant', content: r1.text }, { role: 'user', content: 'What did Hartwell find?' }];
    await c.chat({ messages: turn2, maxTokens: 200, temperature: 0, privacy: scope });
    const bodies = sim.requests.filter((q) => q.path === '/v1/chat/completions').map((q) => JSON.stringify(q.body.messages));
    assert.equal(bodies.length, 2);
    for (const b of bodies) assert.ok(!b.includes('Hartwell') && !b.includes('Amelia'), b);
    const standIn = /Dr\. (\p{Lu}\p{Ll}+ \p{Lu}\p{Ll}+)/u.exec(bodies[0])![1];
    assert.ok(bodies[1].includes(standIn), `turn 2 does not reuse "${standIn}": ${bodies[1]}`);
    assert.ok(bodies[1].includes(`What did ${standIn.split(' ')[1]} find?`), bodies[1]);
  });

  it('a token count sends no identifier either: /tokenize gets the pseudonymized text unless the mode sends it as written', async function () {
    const msgs: ChatMessage[] = [{ role: 'user', content: 'Patient: Eleanor Vandersloot, MRN 00728814, seen 03/04/2024 for cough.' }];
    const tokenized = () => sim.requests.filter((q) => q.path === '/tokenize').map((q) => JSON.stringify(q.body));
    for (const mode of ['pseudonymize', 'warn'] as const) {
      const asked: WarnRequest[] = [];
      const n = await client(mode, async (w) => (asked.push(w), 'as-is')).countTokens(msgs);
      assert.equal(n.exact, true, 'counted by the server');
      assert.equal(asked.length, 0, 'a count asks nobody');
    }
    const bodies = tokenized();
    assert.equal(bodies.length, 2);
    for (const b of bodies) {
      assert.ok(b.includes('for cough'), b);
      for (const id of ['Eleanor', 'Vandersloot', '00728814', '03/04/2024']) assert.ok(!b.includes(id), `${id} sent for a count: ${b}`);
    }
    await client('off').countTokens(msgs);
    assert.ok(tokenized()[2].includes('Eleanor Vandersloot, MRN 00728814'), 'off: counted as written');
    assert.equal(audit.length, 0, 'a count is not a request the audit log lists');
  });

  it('a failure mid-answer keeps the restored partial text', async function () {
    sim.setFault({ kind: 'disconnect-mid-stream', afterChunks: 8 });
    const c = client('pseudonymize');
    let streamed = '';
    const err = await c.chat({ messages: [{ role: 'user', content: 'Patient: Eleanor Vandersloot, seen 03/04/2024.' }], maxTokens: 200, temperature: 0 }, { onDelta: (t) => (streamed += t) }).then(
      () => assert.fail('no error'),
      (e) => e,
    );
    assert.match(err.partial, /^Received: Patient: Eleanor/);
    assert.equal(err.partial, streamed);
    assert.ok(!sentText(sim).includes('Eleanor'));
  });
});
