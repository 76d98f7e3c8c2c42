// MedGemma's MCP server offered to VS Code's agent mode (VS Code >= 1.101; feature-detected,
// nothing happens on older versions): dist/mcp.js run by the extension host's own Node, set up
// from the user's MedGemma settings. The API key goes in the process's environment when VS Code
// starts it, never on its command line. An untrusted workspace is offered nothing.

import * as vscode from 'vscode';
import { VERSION } from '../../cli/version';
import { readServerConfig, setting } from '../config';
import type { Services } from '../services';

/** The parts of VS Code 1.101's MCP API used here (our @types/vscode is the 1.100 floor's). */
interface StdioDefinition {
  label: string;
  command: string;
  args: string[];
  env: Record<string, string | number | null>;
  version?: string;
}
interface McpApi {
  registerMcpServerDefinitionProvider(
    id: string,
    provider: {
      onDidChangeMcpServerDefinitions?: vscode.Event<void>;
      provideMcpServerDefinitions(token: vscode.CancellationToken): vscode.ProviderResult<StdioDefinition[]>;
      resolveMcpServerDefinition?(server: StdioDefinition, token: vscode.CancellationToken): vscode.ProviderResult<StdioDefinition>;
    },
  ): vscode.Disposable;
}
type StdioDefinitionClass = new (label: string, command: string, args?: string[], env?: Record<string, string | number | null>, version?: string) => StdioDefinition;

export const MCP_PROVIDER_ID = 'medgemma.mcp';

/** The environment `medgemma mcp` reads its settings from (src/cli/options.ts), from the user's settings. */
export function mcpEnvironment(papersDir: string): Record<string, string | null> {
  const { config } = readServerConfig();
  return {
    // The extension host may be Electron: run it as Node.
    ELECTRON_RUN_AS_NODE: '1',
    MEDGEMMA_BASE_URL: config.baseUrl,
    MEDGEMMA_MODEL: config.model || null,
    // "warn" cannot ask on a protocol stream: pseudonymize then, never send as written unasked.
    MEDGEMMA_PRIVACY: config.privacy === 'warn' ? 'pseudonymize' : (config.privacy ?? 'auto'),
    MEDGEMMA_CONTEXT_LENGTH: config.contextLength ? String(config.contextLength) : null,
    MEDGEMMA_TOKEN_COMMAND: config.tokenCommand ?? null,
    MEDGEMMA_PAPERS_DIR: papersDir,
    // Search by meaning for ask_papers, as the editor's papers questions have it.
    MEDGEMMA_EMBEDDING_MODEL: config.embeddings?.model ?? null,
    MEDGEMMA_EMBEDDING_URL: config.embeddings?.baseUrl ?? null,
    // Only the key VS Code's own storage holds, added when the server starts (resolve).
    MEDGEMMA_API_KEY: null,
  };
}

/** Returns the provider's definitions (without the key) for the test API; undefined when this VS Code has no MCP API. */
export function register(ctx: vscode.ExtensionContext, services: Services, papersDir: string): (() => Promise<StdioDefinition[]>) | undefined {
  const api = vscode.lm as unknown as Partial<McpApi>;
  const Definition = (vscode as unknown as { McpStdioServerDefinition?: StdioDefinitionClass }).McpStdioServerDefinition;
  if (typeof api.registerMcpServerDefinitionProvider !== 'function' || !Definition) return undefined;

  const changed = new vscode.EventEmitter<void>();
  const definitions = (): StdioDefinition[] => {
    if (!vscode.workspace.isTrusted) return [];
    try {
      const script = vscode.Uri.joinPath(ctx.extensionUri, 'dist', 'mcp.js').fsPath;
      const args = setting<boolean>('papers.rerank', false) ? [script, '--rerank'] : [script];
      return [new Definition('MedGemma', process.execPath, args, mcpEnvironment(papersDir), VERSION)];
    } catch (e) {
      services.log.warn(`MCP server not offered: ${(e as Error).message}`); // a bad server address; Check Server says more
      return [];
    }
  };
  const resolve = async (server: StdioDefinition): Promise<StdioDefinition> => {
    const key = await services.apiKey();
    if (key) server.env = { ...server.env, MEDGEMMA_API_KEY: key };
    return server;
  };
  let registration: vscode.Disposable;
  try {
    registration = api.registerMcpServerDefinitionProvider(MCP_PROVIDER_ID, {
      onDidChangeMcpServerDefinitions: changed.event,
      provideMcpServerDefinitions: definitions,
      resolveMcpServerDefinition: resolve,
    });
  } catch (e) {
    // VS Code 1.100 has the function behind an API proposal, and throws: the rest of the extension goes on.
    services.log.info(`MCP server not offered to agent mode (this VS Code: ${(e as Error).message})`);
    changed.dispose();
    return undefined;
  }
  ctx.subscriptions.push(
    changed,
    registration,
    // A new address, model, privacy mode or key: VS Code restarts the server with the new settings.
    services.onDidChangeServer(() => changed.fire()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => changed.fire()),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('medgemma.papers.rerank') && changed.fire()),
  );
  // For the host tests: what VS Code would start, the key's value left out (exports are readable by any extension).
  return async () =>
    Promise.all(
      definitions().map(async (d) => {
        const r = await resolve(d);
        return { label: r.label, command: r.command, args: r.args, env: { ...r.env, MEDGEMMA_API_KEY: r.env.MEDGEMMA_API_KEY ? '(set)' : null }, version: r.version };
      }),
    );
}
