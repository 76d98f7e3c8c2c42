// The models of the user's MedGemma server in VS Code's model picker (languageModelChatProviders,
// VS Code >= 1.104; feature-detected, nothing happens on older versions). Each request goes the
// one road (core/server/service.ts): the privacy gate, the budget, streaming, our errors.
// An untrusted workspace lists no model and sends nothing.

import * as vscode from 'vscode';
import type { ModelInfo } from '../../core/server/discovery';
import { forEditor, isMedGemmaError } from '../../core/server/errors';
import { originOf } from '../../core/server/http';
import { PrivacyScope } from '../../core/privacy/gate';
import { estimateTokens } from '../../core/server/budget';
import type { ChatMessage } from '../../core/server/types';
import type { Services } from '../services';
import { type RequestMessage, toChatMessages, UnsendablePart } from './messages';

export const VENDOR = 'medgemma';

/** VS Code 1.104's LanguageModelChatInformation (our @types/vscode is the 1.100 floor's). */
export interface ModelEntry {
  readonly id: string;
  readonly name: string;
  readonly family: string;
  readonly version: string;
  readonly tooltip?: string;
  readonly detail?: string;
  readonly maxInputTokens: number;
  readonly maxOutputTokens: number;
  readonly capabilities: { readonly imageInput?: boolean; readonly toolCalling?: boolean | number };
}
interface ResponseOptions {
  readonly modelOptions?: { readonly [name: string]: unknown };
}
interface Provider {
  readonly onDidChangeLanguageModelChatInformation?: vscode.Event<void>;
  provideLanguageModelChatInformation(options: { readonly silent: boolean }, token: vscode.CancellationToken): vscode.ProviderResult<ModelEntry[]>;
  provideLanguageModelChatResponse(model: ModelEntry, messages: readonly RequestMessage[], options: ResponseOptions, progress: vscode.Progress<unknown>, token: vscode.CancellationToken): Thenable<void>;
  provideTokenCount(model: ModelEntry, text: string | RequestMessage, token: vscode.CancellationToken): Thenable<number>;
}
interface ProviderApi {
  registerLanguageModelChatProvider(vendor: string, provider: Provider): vscode.Disposable;
}

/** The longest answer a request asks for unless the caller says (a quarter of the context, at most 8k). */
export function outputTokens(contextLength: number): number {
  return Math.max(256, Math.min(8192, Math.floor(contextLength / 4)));
}

/** What the picker shows for one of the server's models: the real context length, images where it takes them. */
export function modelEntry(m: ModelInfo, contextLength: number, origin: string): ModelEntry {
  const maxOutputTokens = outputTokens(contextLength);
  const name = m.label ?? m.id.split('/').pop() ?? m.id;
  return {
    // A Vertex AI endpoint's one model has no id: requests leave it out.
    id: m.id || 'endpoint',
    name,
    family: m.root ?? (m.id || 'medgemma'),
    version: m.parent ? `LoRA adapter on ${m.parent}` : (m.root ?? m.id),
    detail: new URL(origin).host,
    tooltip: `${m.id || name} on ${origin}: ${contextLength.toLocaleString('en-US')} tokens of context${m.vision === false ? ', text only' : ''}. Requests go through MedGemma's privacy mode.`,
    maxInputTokens: contextLength - maxOutputTokens,
    maxOutputTokens,
    capabilities: { imageInput: m.vision !== false, toolCalling: false },
  };
}

/** A number the caller put in modelOptions, when it is one. */
function numberOption(options: ResponseOptions, ...names: string[]): number | undefined {
  for (const n of names) {
    const v = options.modelOptions?.[n];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return undefined;
}

/** Our sentence as the error VS Code shows in the chat (the partial answer stays where it streamed). */
function asError(e: unknown): Error {
  if (e instanceof UnsendablePart) return new Error(e.message);
  if (isMedGemmaError(e)) return new Error(forEditor(e.message));
  return new Error(`MedGemma failed unexpectedly: ${(e as Error)?.message ?? e}.`);
}

function untrusted(): Error {
  return new Error('MedGemma sends nothing from an untrusted workspace. Trust this workspace (Manage Workspace Trust) to use the MedGemma models.');
}

/** Counts are asked for often and for the same texts: the last few are kept. */
const COUNT_CACHE = 256;

export interface ModelProviderApi {
  /** The models as VS Code is given them; undefined when this VS Code has no provider API. */
  models(): Promise<ModelEntry[]>;
}

export function register(ctx: vscode.ExtensionContext, services: Services): ModelProviderApi | undefined {
  const api = vscode.lm as unknown as Partial<ProviderApi>;
  const TextPart = vscode.LanguageModelTextPart;
  if (typeof api.registerLanguageModelChatProvider !== 'function' || !TextPart) return undefined;

  const changed = new vscode.EventEmitter<void>();
  /** The server's models by the id VS Code knows them by. */
  let known = new Map<string, ModelInfo>();
  /** What the server listed last (kept while it is down). */
  let listed: ModelEntry[] = [];
  const counts = new Map<string, number>();

  const models = async (): Promise<ModelEntry[]> => {
    if (!vscode.workspace.isTrusted) return [];
    try {
      const client = services.client();
      const origin = originOf(client.endpoint('text').baseUrl);
      const list = await client.endpoint('text').discovery.models();
      const entries: ModelEntry[] = [];
      const next = new Map<string, ModelInfo>();
      for (const m of list) {
        const entry = modelEntry(m, await client.endpoint('text').discovery.contextLength(m), origin);
        entries.push(entry);
        next.set(entry.id, m);
      }
      known = next;
      listed = entries;
      return entries;
    } catch (e) {
      // Down for now: the models it listed stay, so a request says what is wrong (our sentence)
      // instead of the model vanishing from the picker. Another server starts with none.
      services.log.info(`MedGemma models not listed in VS Code's chat: ${isMedGemmaError(e) ? e.kind : (e as Error).name}`);
      return listed;
    }
  };

  const provider: Provider = {
    onDidChangeLanguageModelChatInformation: changed.event,
    provideLanguageModelChatInformation: () => models(),

    async provideLanguageModelChatResponse(model, messages, options, progress, token) {
      if (!vscode.workspace.isTrusted) throw untrusted();
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        const client = services.client();
        const info = known.get(model.id);
        const r = await client.chat(
          {
            messages: toChatMessages(messages),
            maxTokens: Math.max(1, Math.floor(numberOption(options, 'max_tokens', 'maxTokens') ?? model.maxOutputTokens)),
            temperature: numberOption(options, 'temperature') ?? vscode.workspace.getConfiguration('medgemma').get<number>('chat.temperature', 0.2),
            model: info ? info.id || undefined : model.id,
            feature: 'chat',
            // One request is one conversation: a name keeps its stand-in in every turn of it.
            privacy: new PrivacyScope('conversation'),
          },
          { signal: abort.signal, onDelta: (t) => progress.report(new TextPart(t)) },
        );
        if (r.finishReason === 'length') services.log.info(`VS Code chat: the answer was cut at ${r.maxTokens} tokens`);
      } catch (e) {
        if (token.isCancellationRequested) return;
        services.log.error(`VS Code chat request failed: ${isMedGemmaError(e) ? e.kind : (e as Error)?.name}`);
        throw asError(e);
      } finally {
        sub.dispose();
      }
    },

    async provideTokenCount(model, text, token) {
      const messages: ChatMessage[] = typeof text === 'string' ? [{ role: 'user', content: text }] : toChatMessages([text]);
      const key = `${model.id}\u0000${JSON.stringify(messages)}`;
      const hit = counts.get(key);
      if (hit !== undefined) return hit;
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      try {
        // The privacy mode holds for counts too: identifiers are replaced before the server counts.
        // A server that cannot count (or is down) gets our high estimate: the request says the rest.
        const n = await services
          .client()
          .countTokens(messages, 'text', abort.signal)
          .then((c) => c.tokens, () => estimateTokens(messages));
        counts.set(key, n);
        if (counts.size > COUNT_CACHE) counts.delete(counts.keys().next().value!);
        return n;
      } finally {
        sub.dispose();
      }
    },
  };

  let registration: vscode.Disposable;
  try {
    registration = api.registerLanguageModelChatProvider(VENDOR, provider);
  } catch (e) {
    services.log.info(`MedGemma models not offered to VS Code's chat (this VS Code: ${(e as Error).message})`);
    changed.dispose();
    return undefined;
  }
  ctx.subscriptions.push(
    changed,
    registration,
    // Another server, model or key: the picker asks for the list again.
    services.onDidChangeServer(() => {
      counts.clear();
      listed = [];
      known.clear();
      changed.fire();
    }),
    // The server came back: its models may be listed now.
    services.onDidChangeReachability((reachable) => reachable && changed.fire()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => changed.fire()),
  );
  return { models };
}
