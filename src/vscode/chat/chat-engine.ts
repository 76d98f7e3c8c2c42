// One question -> one answer, whoever asks (the view or the medgemma.chat.ask command):
// trust check, conversation bookkeeping, budget, the one road to the server, saving.
// On failure the question is not lost: with no answer text it is not saved (the view puts it
// back in the input); with a partial answer both are saved, the answer marked as interrupted.

import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { ChatHistory, KeyValueStore } from '../../core/chat/history';
import type { AskResult } from '../../core/papers/ask';
import { paperPageHref } from '../../core/papers/page-href';
import { PrivacyScope } from '../../core/privacy/gate';
import { renderAnswerBody } from '../../core/papers/render';
import { buildPrompt, type Budget } from '../../core/chat/prompt';
import { titleFrom, type Attachment, type ChatTurn, type Conversation } from '../../core/chat/types';
import { forEditor, isMedGemmaError, suggestedActions } from '../../core/server/errors';
import type { Job } from '../../core/server/types';
import type { BudgetInfo, ErrorAction, SendResult } from '../../protocol/chat';
import { setting } from '../config';
import { RunningJobs } from '../running-jobs';
import type { Services } from '../services';

export interface Draft {
  conversationId?: string;
  text: string;
  attachments: Attachment[];
  replaceFrom?: string;
}

const CURRENT = 'medgemma.chat.current';
const MODEL = 'medgemma.chat.model';

/** "/papers <question>": answered from the attached papers, with page citations. */
export type PapersAsk = (question: string, opts: { signal: AbortSignal; onDelta: (t: string) => void }) => Promise<AskResult>;
const PAPERS_PREFIX = /^\/papers\s+([\s\S]+)$/;

export const newId = (): string => randomUUID().replace(/-/g, '').slice(0, 20);

export class ChatEngine implements vscode.Disposable {
  private readonly running = new RunningJobs('medgemma.chatAnswering');
  /** One privacy scope per conversation (this session): a name keeps its stand-in every turn, and the server's prefix cache still matches. */
  private readonly scopes = new Map<string, PrivacyScope>();
  private readonly changed = new vscode.EventEmitter<Conversation | undefined>();
  /** A conversation changed outside the view's own request (a command asked, new chat). */
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly services: Services,
    readonly history: ChatHistory,
    private readonly state: KeyValueStore,
    /** Answers "/papers <question>" from the attached papers (set when the papers feature is on). */
    private readonly papers?: PapersAsk,
  ) {}

  get currentId(): string | undefined {
    return this.state.get<string>(CURRENT);
  }

  setCurrent(id: string | undefined): Promise<void> | Thenable<void> {
    return this.state.update(CURRENT, id);
  }

  current(): Conversation | undefined {
    const id = this.currentId;
    return id ? this.history.get(id) : undefined;
  }

  get selectedModel(): string | undefined {
    return this.state.get<string>(MODEL) || undefined;
  }

  selectModel(id: string | undefined): Promise<void> | Thenable<void> {
    return this.state.update(MODEL, id || undefined);
  }

  get answering(): number {
    return this.running.size;
  }

  /** Stops every running answer; returns how many. */
  stopAll(): number {
    return this.running.stopAll();
  }

  newChat(): void {
    void this.setCurrent(undefined);
    this.changed.fire(undefined);
  }

  /** The turns a draft would send: history (cut at replaceFrom) + the new question. */
  private turnsFor(d: Draft): { conversation: Conversation; turns: ChatTurn[]; question: ChatTurn } {
    const now = Date.now();
    const existing = d.conversationId ? this.history.get(d.conversationId) : undefined;
    const conversation: Conversation = existing
      ? { ...existing, turns: [...existing.turns] }
      : { id: d.conversationId ?? newId(), title: titleFrom(d.text), created: now, updated: now, turns: [] };
    if (d.replaceFrom) {
      const i = conversation.turns.findIndex((t) => t.id === d.replaceFrom);
      if (i >= 0) conversation.turns.splice(i);
    }
    const question: ChatTurn = { id: newId(), role: 'user', text: d.text, attachments: d.attachments.length ? d.attachments : undefined, at: now };
    return { conversation, turns: [...conversation.turns, question], question };
  }

  private async budgetFor(job: Job, signal?: AbortSignal): Promise<{ budget: Budget; model: string }> {
    const client = this.services.client();
    const ep = client.endpoint(job);
    const model = await ep.discovery.resolve(this.selectedModel ?? ep.configuredModel, signal);
    const contextLength = await ep.discovery.contextLength(model);
    const want = setting<number>('chat.maxTokens', 1024);
    return { model: model.id, budget: { contextLength, answerTokens: Math.max(16, Math.min(want, Math.floor(contextLength / 4))) } };
  }

  /** Token budget of a draft, for the view (no request to the model; never in untrusted workspaces). */
  async budget(d: Draft): Promise<BudgetInfo> {
    const { turns } = this.turnsFor(d);
    const job: Job = d.attachments.some((a) => a.kind === 'image') ? 'vision' : 'text';
    if (!vscode.workspace.isTrusted) {
      const p = buildPrompt(turns, { contextLength: Number.MAX_SAFE_INTEGER, answerTokens: 0 });
      return { used: p.tokens, answer: 0, cuts: [], fits: true };
    }
    try {
      const { budget } = await this.budgetFor(job);
      const p = buildPrompt(turns, budget);
      return { used: p.tokens, answer: budget.answerTokens, contextLength: budget.contextLength, cuts: p.cuts, fits: p.fits };
    } catch {
      const p = buildPrompt(turns, { contextLength: Number.MAX_SAFE_INTEGER, answerTokens: 0 });
      return { used: p.tokens, answer: 0, cuts: [], fits: true };
    }
  }

  async send(d: Draft, opts: { signal?: AbortSignal; onDelta?: (t: string) => void; notify?: boolean } = {}): Promise<SendResult> {
    const { conversation, turns, question } = this.turnsFor(d);
    const fail = (kind: string, message: string, actions: ErrorAction[] = suggestedActions(kind)): SendResult => ({
      conversation,
      saved: false,
      error: { kind, message: forEditor(message), actions },
      cuts: [],
    });
    if (!vscode.workspace.isTrusted) {
      void this.services.requireTrust();
      return fail('untrusted', 'MedGemma sends nothing from an untrusted workspace. Trust this workspace to chat; your question is kept.', ['manageTrust']);
    }
    const controller = new AbortController();
    const abort = () => controller.abort();
    opts.signal?.addEventListener('abort', abort, { once: true });
    if (opts.signal?.aborted) controller.abort();
    this.running.add(controller);
    const t0 = Date.now();
    let partial = '';
    const images = d.attachments.filter((a) => a.kind === 'image').length;
    const job: Job = images ? 'vision' : 'text';
    try {
      const papersQuestion = this.papers && PAPERS_PREFIX.exec(d.text.trim())?.[1];
      if (papersQuestion) {
        const r = await this.papers!(papersQuestion, { signal: controller.signal, onDelta: (t) => ((partial += t), opts.onDelta?.(t)) });
        this.services.log.info(`Chat /papers: ${r.sources.length} source(s), covered=${r.covered}, finish=${r.finishReason ?? 'none'}, ${Date.now() - t0} ms`);
        if (r.finishReason === 'cancelled' && !r.answer) return { conversation, saved: false, cuts: [] };
        conversation.turns.push(question, { id: newId(), role: 'assistant', text: renderAnswerBody(r, paperPageHref, { citedOnly: true, mode: 'chat' }), papersAnswer: true, model: r.model, finish: r.finishReason ?? 'stop', at: Date.now() });
        conversation.updated = Date.now();
        await this.persist(conversation, opts.notify);
        return { conversation, saved: true, cuts: [] };
      }
      const { budget, model } = await this.budgetFor(job, controller.signal);
      const prompt = buildPrompt(turns, budget);
      if (!prompt.fits) {
        return fail('context-overflow', `The question does not fit in the model's context: ${prompt.cuts.join('; ')}. Attach less (a selection instead of the whole file) or start a new chat.`);
      }
      const result = await this.services.client().chat(
        { messages: prompt.messages, maxTokens: budget.answerTokens, temperature: setting<number>('chat.temperature', 0.2), model, job, feature: 'chat', privacy: this.privacyScope(conversation.id) },
        {
          signal: controller.signal,
          onDelta: (t) => {
            partial += t;
            opts.onDelta?.(t);
          },
        },
      );
      this.services.log.info(
        `Chat: ${turns.length} turn(s), ~${prompt.tokens} prompt tokens, ${d.attachments.length} attachment(s) [${d.attachments.map((a) => a.kind).join(',')}], ${prompt.cuts.length} cut(s), finish=${result.finishReason}, ${Date.now() - t0} ms, model ${result.model}`,
      );
      if (result.finishReason === 'cancelled' && !result.text) return { conversation, saved: false, cuts: prompt.cuts };
      conversation.turns.push(question, { id: newId(), role: 'assistant', text: result.text, model: result.model, finish: result.finishReason, at: Date.now() });
      conversation.updated = Date.now();
      await this.persist(conversation, opts.notify);
      return { conversation, saved: true, cuts: prompt.cuts };
    } catch (e) {
      const kind = isMedGemmaError(e) ? e.kind : 'server-error';
      let message = isMedGemmaError(e) ? e.message : `The chat failed unexpectedly: ${(e as Error)?.message ?? e}. Try again; if it persists, see MedGemma: Show Log.`;
      if (kind === 'not-image-capable') message += await this.visionModelHint();
      this.services.log.error(`Chat: failed (${kind}${isMedGemmaError(e) && e.detail.status ? ` HTTP ${e.detail.status}` : ''}) after ${Date.now() - t0} ms`);
      const text = (isMedGemmaError(e) && e.partial) || partial;
      if (controller.signal.aborted && !text) return { conversation, saved: false, cuts: [] };
      if (text) {
        conversation.turns.push(question, { id: newId(), role: 'assistant', text, finish: controller.signal.aborted ? 'cancelled' : 'error', error: controller.signal.aborted ? undefined : forEditor(message), at: Date.now() });
        conversation.updated = Date.now();
        await this.persist(conversation, opts.notify);
      }
      // (Server-state failures re-probe the server in Services' client outcome hook.)
      if (controller.signal.aborted) return { conversation, saved: !!text, cuts: [] };
      return { ...fail(kind, message), saved: !!text };
    } finally {
      opts.signal?.removeEventListener('abort', abort);
      this.running.delete(controller);
    }
  }

  /** " This server also serves …": the quickest fix when the picked model takes no images. */
  private async visionModelHint(): Promise<string> {
    try {
      const models = await this.services.client().endpoint('text').discovery.models();
      const vision = models.filter((m) => m.vision === true).map((m) => `"${m.id}"`);
      if (!vision.length) return '';
      const list = vision.length > 1 ? `${vision.slice(0, -1).join(', ')} and ${vision[vision.length - 1]}` : vision[0];
      return ` This server also serves ${list}, which ${vision.length > 1 ? 'take images: pick one' : 'takes images: pick it'} in the model picker above.`;
    } catch {
      return '';
    }
  }

  private privacyScope(conversation: string): PrivacyScope {
    let scope = this.scopes.get(conversation);
    if (!scope) this.scopes.set(conversation, (scope = new PrivacyScope('conversation')));
    return scope;
  }

  private async persist(c: Conversation, notify = false): Promise<void> {
    await this.history.save(c);
    await this.setCurrent(c.id);
    if (notify) this.changed.fire(c);
  }


  dispose(): void {
    this.stopAll();
    this.changed.dispose();
  }
}
