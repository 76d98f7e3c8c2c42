// MedGemma's models in VS Code's own model picker (languageModelChatProviders, VS Code >= 1.104):
// another extension's view of them through the public API — vscode.lm.selectChatModels finds the
// server's models with their real context length and image input, sendRequest streams from the
// simulator, countTokens asks the server (with identifiers replaced), a cancel stops the server's
// stream, a server that is down is our sentence — and an untrusted workspace lists none.
import * as assert from 'assert';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { fixture } from '../fixtures';
import { startSim, type Sim } from '../sim';
import { activate, setUserSettings, testApi, waitFor } from './helpers';

/** VS Code 1.104+: the provider API is stable. */
const hasProviderApi = () => {
  const [major, minor] = vscode.version.split('.').map(Number);
  return major > 1 || minor >= 104;
};

const mode = process.env.MEDGEMMA_HOST_MODE || 'trusted';

async function medgemmaModels(): Promise<vscode.LanguageModelChat[]> {
  return vscode.lm.selectChatModels({ vendor: 'medgemma' });
}

if (mode === 'untrusted') {
  suite('MedGemma models in VS Code\'s chat (untrusted workspace)', () => {
    test('no model is listed', async () => {
      const sim = await startSim();
      const restore = await setUserSettings({ 'server.baseUrl': sim.baseUrl });
      try {
        const api = await testApi();
        if (!hasProviderApi()) return assert.strictEqual(api.chatModels, undefined);
        assert.deepStrictEqual(await api.chatModels!.models(), []);
        assert.deepStrictEqual(await medgemmaModels(), []);
        assert.strictEqual(sim.requests.length, 0);
      } finally {
        await restore();
        await sim.stop();
      }
    });
  });
} else {
  suite('MedGemma models in VS Code\'s chat', () => {
    let sim: Sim;
    let restore: () => Promise<void>;

    suiteSetup(async () => {
      sim = await startSim({
        maxModelLen: 16384,
        tokensPerSecond: 0,
        models: [
          { id: 'medgemma-4b', root: 'google/medgemma-4b-it' },
          { id: 'medgemma-27b-text', root: 'google/medgemma-27b-text-it', maxModelLen: 32768 },
          { id: 'notes-lora', root: '/adapters/notes-lora', parent: 'medgemma-4b' },
        ],
      });
      restore = await setUserSettings({ 'server.baseUrl': sim.baseUrl });
      await activate();
    });
    suiteTeardown(async () => {
      await restore?.();
      await sim?.stop();
    });

    if (!hasProviderApi()) {
      test('a VS Code without the provider API (before 1.104): nothing offered, the rest works', async () => {
        const api = await testApi();
        assert.strictEqual(api.chatModels, undefined);
        assert.strictEqual(typeof api.participant, 'function');
      });
      return;
    }

    /** What sendRequest gave: the streamed text, or the error it ended with. */
    async function ask(m: vscode.LanguageModelChat, content: string | unknown[], options: vscode.LanguageModelChatRequestOptions = {}, token = new vscode.CancellationTokenSource().token): Promise<{ text: string; error?: string }> {
      let text = '';
      try {
        const response = await m.sendRequest([vscode.LanguageModelChatMessage.User(content as string)], options, token);
        for await (const t of response.text) text += t;
        return { text };
      } catch (e) {
        return { text, error: (e as Error).message };
      }
    }
    const byName = async (name: string) => (await medgemmaModels()).find((m) => m.name === name)!;
    const chatBodies = (from: number) => sim.requests.slice(from).filter((q) => q.path === '/v1/chat/completions').map((q) => q.body);

    test('selectChatModels finds each of the server\'s models with its real context length; the picker entry says what takes images', async () => {
      const models = await waitFor('our models', async () => ((await medgemmaModels()).length === 3 ? medgemmaModels() : undefined));
      const seen = models.map((m) => [m.vendor, m.id, m.name, m.maxInputTokens]).sort();
      assert.deepStrictEqual(seen, [
        ['medgemma', 'medgemma-27b-text', 'medgemma-27b-text', 32768 - 8192],
        ['medgemma', 'medgemma-4b', 'medgemma-4b', 16384 - 4096],
        ['medgemma', 'notes-lora', 'notes-lora', 16384 - 4096],
      ].sort());
      const entries = await (await testApi()).chatModels!.models();
      const entry = (id: string) => entries.find((e) => e.id === id)!;
      assert.deepStrictEqual(entry('medgemma-4b').capabilities, { imageInput: true, toolCalling: false });
      assert.deepStrictEqual(entry('medgemma-27b-text').capabilities, { imageInput: false, toolCalling: false });
      assert.strictEqual(entry('notes-lora').version, 'LoRA adapter on medgemma-4b');
      assert.strictEqual(entry('medgemma-4b').family, 'google/medgemma-4b-it');
      assert.strictEqual(entry('medgemma-4b').maxOutputTokens, 4096);
      assert.match(entry('medgemma-27b-text').tooltip!, /^medgemma-27b-text on http:\/\/127\.0\.0\.1:\d+: 32,768 tokens of context, text only\./);
    });

    test('sendRequest streams the answer from the simulator, to the model picked, with the caller\'s temperature and answer length', async () => {
      const m = await byName('medgemma-27b-text');
      const before = sim.requests.length;
      const r = await ask(m, 'What is the first-line treatment of community-acquired pneumonia?', { modelOptions: { temperature: 0.7, max_tokens: 300 } });
      assert.strictEqual(r.error, undefined);
      assert.strictEqual(r.text, 'Received: What is the first-line treatment of community-acquired pneumonia?');
      const [body] = chatBodies(before);
      assert.strictEqual(body.model, 'medgemma-27b-text');
      assert.strictEqual(body.stream, true);
      assert.strictEqual(body.temperature, 0.7);
      assert.strictEqual(body.max_tokens, 300);
    });

    test('an image goes to a model that takes images; a text-only model refuses it with our sentence, sending nothing', async () => {
      const png = new Uint8Array(fs.readFileSync(fixture('images', 'nih-cxr14-00000001_000.png')));
      // VS Code 1.104's LanguageModelDataPart (not in the 1.100 typings this project builds with).
      const DataPart = (vscode as unknown as { LanguageModelDataPart: { image(data: Uint8Array, mime: string): unknown } }).LanguageModelDataPart;
      const parts = [new vscode.LanguageModelTextPart('Describe this chest X-ray.'), DataPart.image(png, 'image/png')];
      let before = sim.requests.length;
      const r = await ask(await byName('medgemma-4b'), parts);
      assert.strictEqual(r.error, undefined);
      assert.strictEqual(r.text, 'Received: Describe this chest X-ray. (+1 image)');
      const content = chatBodies(before)[0].messages[0].content as Array<{ type: string; image_url?: { url: string } }>;
      assert.strictEqual(content.find((c) => c.type === 'image_url')!.image_url!.url, `data:image/png;base64,${Buffer.from(png).toString('base64')}`);
      before = sim.requests.length;
      const refused = await ask(await byName('medgemma-27b-text'), parts);
      assert.match(refused.error ?? '', /^The model "medgemma-27b-text" does not take images\. Serve an image model/);
      assert.strictEqual(chatBodies(before).length, 0);
    });

    test('countTokens is the server\'s count (/tokenize), of text with its identifiers replaced when the privacy mode says so', async () => {
      const m = await byName('medgemma-4b');
      const text = 'Patient: Eleanor Vandersloot, MRN 00728814, was seen on 03/04/2024 with a productive cough.';
      let before = sim.requests.length;
      const n = await m.countTokens(text);
      const asWritten = sim.requests.slice(before).filter((q) => q.path === '/tokenize');
      assert.strictEqual(asWritten.length, 1, 'the loopback server counts it (privacy auto: as written)');
      assert.ok(n > 10 && n < 80, `${n}`);
      assert.match(JSON.stringify(asWritten[0].body), /Eleanor Vandersloot/);
      const undo = await setUserSettings({ 'server.baseUrl': sim.baseUrl, 'privacy.mode': 'pseudonymize' });
      try {
        before = sim.requests.length;
        await m.countTokens(`${text} Again.`);
        const counted = JSON.stringify(sim.requests.slice(before).filter((q) => q.path === '/tokenize').map((q) => q.body));
        assert.match(counted, /productive cough/);
        for (const id of ['Eleanor', 'Vandersloot', '00728814', '03/04/2024']) assert.ok(!counted.includes(id), `${id} sent for a count: ${counted}`);
        // And a request: the server gets stand-ins, the caller reads the real names back.
        before = sim.requests.length;
        const r = await ask(await byName('medgemma-4b'), text);
        assert.strictEqual(r.error, undefined);
        const sent = JSON.stringify(chatBodies(before));
        assert.ok(!sent.includes('Vandersloot') && sent.includes('productive'), sent);
        assert.match(r.text, /^Received: Patient: Eleanor Vandersloot, MRN 00728814/);
      } finally {
        await undo();
      }
    });

    test('a cancel closes the stream at the server and keeps what came; a server that is down is our sentence', async () => {
      sim.setOptions({ tokensPerSecond: 10 });
      try {
        const cancel = new vscode.CancellationTokenSource();
        const closed = sim.waitForClose(undefined, 15_000);
        const m = await byName('medgemma-4b');
        const before = sim.requests.length;
        const answer = ask(m, 'Explain the CURB-65 score and how each of its five criteria changes the management of pneumonia in the emergency department.', {}, cancel.token);
        // This request, not an earlier test's: under load it can reach the server after 600 ms, and a
        // cancel before it is sent leaves nothing for the server to see closed.
        await waitFor('the request at the server', () => (chatBodies(before).length > 0 ? true : undefined));
        await new Promise((r) => setTimeout(r, 600));
        cancel.cancel();
        await closed;
        const r = await answer;
        assert.ok(r.text.length < 'Received: Explain the CURB-65 score and how each of its five criteria changes the'.length, r.text);
      } finally {
        sim.setOptions({ tokensPerSecond: 0 });
      }
      // A server that goes down after listing its model: the model stays in the picker, and a request says why it failed.
      const other = await startSim({ models: [{ id: 'ward-model', root: 'google/medgemma-4b-it' }] });
      const undo = await setUserSettings({ 'server.baseUrl': other.baseUrl });
      try {
        const m = await waitFor('the other server\'s model', async () => (await medgemmaModels()).find((x) => x.id === 'ward-model'));
        await other.stop();
        const r = await ask(m, 'Hello');
        assert.strictEqual(r.text, '');
        assert.match(r.error ?? '', new RegExp(`${new URL(other.baseUrl).host.replace(/\./g, '\\.')}`), JSON.stringify(r));
        assert.match(r.error ?? '', /Check Server|start|running|reach/i, JSON.stringify(r));
      } finally {
        await undo();
        await other.stop().catch(() => undefined);
      }
    });
  });
}
