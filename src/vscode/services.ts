// What every feature's register() receives: built once in extension.ts, no globals.

import * as vscode from 'vscode';
import type { AuditSink } from '../core/privacy/audit';
import type { Confirm } from '../core/privacy/gate';
import { apiKeyCredentials } from '../core/server/credentials';
import { errorLogLine } from '../core/server/error-log';
import { ACTION_LABELS, forEditor, isMedGemmaError, isServerFault, MedGemmaError, notificationActions } from '../core/server/errors';
import { MedGemmaClient } from '../core/server/service';
import { affectsServer, readServerConfig } from './config';
import { runErrorAction } from './error-actions';
import { PendingExamples } from './dataset/pending';

/** Whose key: the main server's, or a separate vision server's (a key goes to its own origin only). */
export type KeyOwner = 'main' | 'vision';
const SECRET_KEYS: Record<KeyOwner, string> = { main: 'medgemma.apiKey', vision: 'medgemma.vision.apiKey' };

export class Services implements vscode.Disposable {
  private current?: MedGemmaClient;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when the server, model or key changed: views refresh, caches go. */
  readonly onDidChangeServer = this.changed.event;
  private readonly reach = new vscode.EventEmitter<boolean>();
  /** Fires when requests start failing to reach the server, or reach it again. */
  readonly onDidChangeReachability = this.reach.event;
  private reachable?: boolean;
  /** The privacy gate's dialog and audit log (privacy/register.ts), given to every client. */
  privacyHooks?: { confirm: Confirm; audit: AuditSink };
  /** Training examples waiting for a clinician's correction in an editable copy. */
  readonly pendingExamples = new PendingExamples();
  private readonly subs: vscode.Disposable[] = [this.changed, this.reach];

  constructor(
    readonly context: vscode.ExtensionContext,
    readonly log: vscode.LogOutputChannel,
  ) {
    this.subs.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (affectsServer(e)) this.reset('settings changed');
      }),
      context.secrets.onDidChange((e) => {
        if (Object.values(SECRET_KEYS).includes(e.key)) this.reset('API key changed');
      }),
    );
  }

  /** The client for the configured server (throws a readable error on a bad URL). */
  client(): MedGemmaClient {
    if (!this.current) {
      const { config, note } = readServerConfig();
      if (note) this.log.info(note);
      const key = (owner: KeyOwner) => apiKeyCredentials(() => this.context.secrets.get(SECRET_KEYS[owner]));
      const client = new MedGemmaClient(config, key('main'), fetch, key('vision'));
      client.confirmPrivacy = this.privacyHooks?.confirm;
      client.audit = this.privacyHooks?.audit;
      client.onOutcome = (o) => {
        const ok = o.ok || !isServerFault(o.kind ?? '');
        if (ok === this.reachable) return;
        this.reachable = ok;
        if (!ok) client.refresh(); // re-probe instead of trusting the cached model list
        this.reach.fire(ok);
      };
      this.current = client;
    }
    return this.current;
  }

  /** The client, or undefined after telling the user why there is none (e.g. a bad server URL). */
  async clientOrShowError(what: string): Promise<MedGemmaClient | undefined> {
    try {
      return this.client();
    } catch (e) {
      await this.showError(e, what);
      return undefined;
    }
  }

  reset(why: string): void {
    this.log.info(`Server connection reset: ${why}`);
    this.current = undefined;
    this.changed.fire();
  }

  /** The stored key (handed to the MCP server we start, in its environment only). */
  apiKey(owner: KeyOwner = 'main'): Thenable<string | undefined> {
    return this.context.secrets.get(SECRET_KEYS[owner]);
  }

  setApiKey(key: string | undefined, owner: KeyOwner = 'main'): Thenable<void> {
    const id = SECRET_KEYS[owner];
    return key ? this.context.secrets.store(id, key) : this.context.secrets.delete(id);
  }

  /**
   * Untrusted workspaces send nothing. Returns false (after telling the user why and what
   * to do) when the workspace is not trusted.
   */
  async requireTrust(): Promise<boolean> {
    if (vscode.workspace.isTrusted) return true;
    const manage = 'Manage Workspace Trust';
    const pick = await vscode.window.showWarningMessage(
      'MedGemma sends nothing from an untrusted workspace. Trust this workspace to summarize or chat.',
      manage,
    );
    if (pick === manage) await vscode.commands.executeCommand('workbench.trust.manage');
    return false;
  }

  /** One place that shows an error to the user and logs it without content. */
  async showError(e: unknown, what: string): Promise<void> {
    const err = isMedGemmaError(e) ? e : new MedGemmaError('server-error', `${what} failed unexpectedly: ${(e as Error)?.message ?? e}.`);
    if (err.kind === 'declined') {
      // The user's own choice at the privacy question: confirm it, it is not a failure.
      this.log.info(`${what}: nothing sent (declined at the privacy question)`);
      void vscode.window.showInformationMessage(forEditor(err.message));
      return;
    }
    // Kind and status only: the server's words may quote the note (error-log.ts).
    this.log.error(errorLogLine(what, e));
    const actions = notificationActions(err.kind);
    const pick = await vscode.window.showErrorMessage(forEditor(err.message), ...actions.map((a) => ACTION_LABELS[a]));
    const action = actions.find((a) => ACTION_LABELS[a] === pick);
    if (action) await runErrorAction(action);
  }

  dispose(): void {
    for (const s of this.subs) s.dispose();
  }
}
