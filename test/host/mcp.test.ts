// MedGemma's MCP server as VS Code's agent mode gets it (VS Code >= 1.101): the definition the
// extension offers (dist/mcp.js on the extension host's Node, set up from the user's settings,
// the key given when it starts, never shown), and that definition started for real and driven
// by the MCP SDK's client against the simulator. An untrusted workspace is offered nothing.
import * as assert from 'assert';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import * as fs from 'fs';
import * as vscode from 'vscode';
import { startSim, type Sim } from '../sim';
import { activate, setUserSettings, testApi } from './helpers';

/** VS Code 1.101+: 1.100 has the function behind an API proposal (it throws for us). */
const hasMcpApi = () => {
  const [major, minor] = vscode.version.split('.').map(Number);
  return major > 1 || minor >= 101;
};

const mode = process.env.MEDGEMMA_HOST_MODE || 'trusted';

if (mode === 'untrusted') {
  suite('MCP server for agent mode (untrusted workspace)', () => {
    test('nothing is offered', async () => {
      await activate();
      // Before 1.101 there is no provider at all; after, it offers nothing here.
      assert.deepStrictEqual(await (await testApi()).mcpDefinitions?.(), hasMcpApi() ? [] : undefined);
    });
  });
} else {
  suite('MCP server for agent mode', () => {
    let sim: Sim;
    let restore: () => Promise<void>;

    suiteSetup(async () => {
      sim = await startSim({ apiKey: 'sk-host-test' });
      restore = await setUserSettings({ 'server.baseUrl': sim.baseUrl, 'privacy.mode': 'warn', 'server.contextLength': 16384 });
      await activate();
    });
    suiteTeardown(async () => {
      await vscode.commands.executeCommand('medgemma.clearApiKey');
      await restore?.();
      await sim?.stop();
    });

    // One VS Code or the other: the tests of the other are not registered (no skips to read past).
    if (!hasMcpApi()) {
      test('a VS Code without the MCP API (before 1.101): no provider, and the rest of the extension works', async () => {
        const api = await testApi();
        assert.strictEqual(api.mcpDefinitions, undefined);
        assert.strictEqual(typeof api.chatState, 'function', 'activation went on after the MCP registration');
      });
      return;
    }

    test('the definition: dist/mcp.js on the extension host\'s Node, the user\'s settings in its environment, the key only once set', async () => {
      await vscode.commands.executeCommand('medgemma.clearApiKey');
      const api = await testApi();
      let [d] = (await api.mcpDefinitions!())!;
      assert.strictEqual(d.label, 'MedGemma');
      assert.strictEqual(d.command, process.execPath);
      assert.ok(d.args.length === 1 && d.args[0].endsWith('/dist/mcp.js') && fs.existsSync(d.args[0]), d.args.join(' '));
      assert.strictEqual(d.env.MEDGEMMA_BASE_URL, sim.baseUrl);
      assert.strictEqual(d.env.MEDGEMMA_PRIVACY, 'pseudonymize', 'warn cannot ask on a protocol stream: pseudonymize, never as written');
      assert.strictEqual(d.env.MEDGEMMA_CONTEXT_LENGTH, '16384');
      assert.strictEqual(d.env.MEDGEMMA_API_KEY, null, 'no key stored: none given (and none inherited)');
      assert.ok(!d.args.some((a) => a.includes('sk-')), 'a key on the command line');

      // The key as the user types it into Set API Key's input box.
      const win = vscode.window as unknown as { showInputBox: typeof vscode.window.showInputBox; showInformationMessage: unknown };
      const real = { box: win.showInputBox, info: win.showInformationMessage };
      win.showInputBox = async () => 'sk-host-test';
      win.showInformationMessage = async () => undefined;
      try {
        await vscode.commands.executeCommand('medgemma.setApiKey');
      } finally {
        Object.assign(win, { showInputBox: real.box, showInformationMessage: real.info });
      }
      [d] = (await api.mcpDefinitions!())!;
      assert.strictEqual(d.env.MEDGEMMA_API_KEY, '(set)');

      assert.strictEqual(d.env.MEDGEMMA_EMBEDDING_MODEL, null, 'no search by meaning unless set');

      // A settings change is seen by the next definition (VS Code is told to restart it).
      const undo = await setUserSettings({ 'privacy.mode': 'off', 'papers.embeddingModel': 'bge-m3', 'papers.embeddingUrl': 'http://127.0.0.1:8081/v1', 'papers.rerank': true });
      try {
        [d] = (await api.mcpDefinitions!())!;
        assert.strictEqual(d.env.MEDGEMMA_PRIVACY, 'off');
        assert.strictEqual(d.env.MEDGEMMA_EMBEDDING_MODEL, 'bge-m3');
        assert.strictEqual(d.env.MEDGEMMA_EMBEDDING_URL, 'http://127.0.0.1:8081/v1');
        assert.deepStrictEqual(d.args.slice(1), ['--rerank'], 'the scoring step as the setting says');
      } finally {
        await undo();
      }
    });

    test('started as VS Code starts it, the SDK client lists the tools and a summary comes back from the simulator with the key', async () => {
      const [d] = (await (await testApi()).mcpDefinitions!())!;
      const env: Record<string, string> = { PATH: process.env.PATH ?? '' };
      for (const [k, v] of Object.entries(d.env)) if (v !== null) env[k] = String(v);
      env.MEDGEMMA_API_KEY = 'sk-host-test'; // the value resolve gives (the test API shows "(set)")
      const client = new Client({ name: 'host-test', version: '1.0.0' });
      await client.connect(new StdioClientTransport({ command: d.command, args: d.args, env, stderr: 'pipe' }));
      try {
        const { tools } = await client.listTools();
        assert.deepStrictEqual(tools.map((t) => t.name).sort(), ['ask_papers', 'deidentify', 'describe_image', 'search_papers', 'server_status', 'summarize_note']);
        const before = sim.requests.length;
        const r = (await client.callTool({ name: 'summarize_note', arguments: { text: 'Cough for three days.\nNo fever.\nLungs clear.\n' } })) as { isError?: boolean; content: { text: string }[] };
        assert.strictEqual(r.isError, undefined, r.content[0]?.text);
        assert.match(r.content[0].text, /\[L\d/);
        const chat = sim.requests.slice(before).find((q) => q.path.endsWith('/chat/completions'));
        assert.strictEqual(chat?.headers.authorization, 'Bearer sk-host-test');
      } finally {
        await client.close();
      }
    });
  });
}
