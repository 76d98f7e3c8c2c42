// The sidebar chat inside a real extension host, against the simulator: the view resolves,
// a question round-trips, Stop closes the HTTP request, conversations are saved per workspace.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { answerFor, startSim, type Sim } from '../sim';
import { activate, closeAll, setUserSettings, startCommand, testApi, waitFor } from './helpers';

interface AskResult {
  conversationId: string;
  saved: boolean;
  answer?: string;
  finish?: string;
  error?: string;
}

const state = async () => (await testApi()).chatState();
const chats = (sim: Sim) => sim.requests.filter((r) => r.path.endsWith('/chat/completions'));

suite('sidebar chat against the simulator', () => {
  let sim: Sim;
  let restore: () => Promise<void>;

  suiteSetup(async () => {
    sim = await startSim({ tokensPerSecond: 0 });
    restore = await setUserSettings({ 'server.baseUrl': sim.baseUrl });
    await activate();
    await closeAll(); // start clean: no paper viewer or image panel left by earlier suites
  });

  suiteTeardown(async () => {
    await restore?.();
    await sim?.stop();
  });

  setup(() => {
    sim.setFault(undefined);
    sim.setOptions({ tokensPerSecond: 0 });
  });

  test('MedGemma: Focus Chat opens the view and its page talks to the host', async () => {
    await vscode.commands.executeCommand('medgemma.focusChat');
    await waitFor('the chat view to resolve and its script to send its first request', async () => (await state()).viewResolved, 30_000);
  });

  test('an image sent to the open chat (Send to Chat) is taken by its page', async () => {
    const image = { name: 'cxr.png', dataUrl: `data:image/png;base64,${Buffer.from('\x89PNG\r\n\x1a\n').toString('base64')}` };
    assert.strictEqual(await vscode.commands.executeCommand('medgemma.chat.attachImage', image), true);
    await waitFor('the page to take the image', async () => (await state()).attachmentsWaiting === 0, 10_000);
    assert.ok((await state()).viewResolved);
  });

  test('a question round-trips: sent to the simulator with the system prompt, answered, saved', async () => {
    await vscode.commands.executeCommand('medgemma.newChat');
    const before = chats(sim).length;
    const r = await vscode.commands.executeCommand<AskResult>('medgemma.chat.ask', 'What is the HbA1c target for this patient?');
    assert.ok(r, 'medgemma.chat.ask returned nothing');
    assert.strictEqual(r.error, undefined);
    assert.strictEqual(r.saved, true);
    assert.strictEqual(r.finish, 'stop');
    assert.strictEqual(chats(sim).length, before + 1, 'not exactly one chat request');
    const body = chats(sim).at(-1)!.body;
    const sent: string = body.messages[0].content;
    assert.ok(sent.endsWith('What is the HbA1c target for this patient?'), 'the question is not the end of the user turn');
    // The simulator's answer to exactly that text, streamed back whole.
    assert.strictEqual(r.answer, answerFor(sent));
    assert.strictEqual(body.stream, true);
    // Gemma: the system prompt folded into the (only) user turn.
    assert.deepStrictEqual(body.messages.map((m: { role: string }) => m.role), ['user']);
    assert.match(JSON.stringify(body.messages[0].content), /You are MedGemma/);

    // A follow-up carries the history, alternating.
    const r2 = await vscode.commands.executeCommand<AskResult>('medgemma.chat.ask', 'And the blood pressure target?');
    assert.strictEqual(r2.conversationId, r.conversationId);
    assert.deepStrictEqual(chats(sim).at(-1)!.body.messages.map((m: { role: string }) => m.role), ['user', 'assistant', 'user']);
    const s = await state();
    assert.strictEqual(s.currentId, r.conversationId);
    assert.strictEqual(s.current?.turns, 4);
  });

  test('Stop closes the HTTP request and keeps the partial answer', async () => {
    // Three tokens, then silence: the answer is mid-stream when we stop it.
    sim.setFault({ kind: 'stall-mid-stream', afterChunks: 3, ms: 60_000, count: 1 });
    const ask = startCommand('medgemma.chat.ask', 'Tell me about metformin dosing in renal impairment');
    const req = await waitFor('the answer to start streaming', () => chats(sim).find((r) => !r.done && r.contentChunks >= 3), 20_000);
    const closed = sim.waitForClose(req.index, 10_000);
    const stopped = await vscode.commands.executeCommand<number>('medgemma.stopChat');
    assert.strictEqual(stopped, 1, 'medgemma.stopChat found no running answer');
    await closed;
    assert.ok(req.closedEarly, 'the simulator did not see the connection close');
    const r = (await ask.done) as AskResult;
    assert.strictEqual(r.finish, 'cancelled');
    assert.strictEqual(r.saved, true);
    assert.match(r.answer ?? '', /^Received:/, 'the partial answer was not kept');
    assert.strictEqual((await state()).answering, 0);
  });

  test('an unreachable server gives an actionable error and saves nothing', async () => {
    const before = await state();
    await sim.stop();
    try {
      const r = await vscode.commands.executeCommand<AskResult>('medgemma.chat.ask', 'Is anyone there?');
      assert.strictEqual(r.saved, false);
      assert.match(r.error ?? '', /reach|connect/i);
      assert.match(r.error ?? '', /medgemma\.server\.baseUrl|Start the server|vllm serve/i);
      const after = await state();
      assert.strictEqual(after.current?.turns, before.current?.turns, 'a failed question was saved');
    } finally {
      await sim.restart();
    }
  });

  test('history: conversations are listed, kept across New Chat, and deleted', async () => {
    const first = (await state()).currentId;
    assert.ok(first);
    await vscode.commands.executeCommand('medgemma.newChat');
    assert.strictEqual((await state()).currentId, undefined);
    const r = await vscode.commands.executeCommand<AskResult>('medgemma.chat.ask', 'A second conversation');
    const s = await state();
    const ids = s.conversations.map((c) => c.id);
    assert.ok(ids.includes(first) && ids.includes(r.conversationId), `history: ${JSON.stringify(s.conversations)}`);
    assert.strictEqual(s.conversations[0].id, r.conversationId, 'newest first');
    assert.strictEqual(s.conversations[0].title, 'A second conversation');
  });
});
