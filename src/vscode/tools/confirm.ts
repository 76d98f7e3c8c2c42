// What an agent tool says before it sends anything (VS Code shows it with Continue / Cancel):
// what goes, to which server, and what the privacy mode does to it; and the one sentence a
// failed tool gives the model and the user.

import * as vscode from 'vscode';
import { ToolInputError } from '../../core/agent-tools/tool-input';
import { isImageError } from '../../core/images/errors';
import { isPdfError } from '../../core/papers/pdf-errors';
import { resolveMode } from '../../core/privacy/mode';
import { forEditor, isMedGemmaError } from '../../core/server/errors';
import { originOf } from '../../core/server/http';
import type { Job } from '../../core/server/types';
import type { Services } from '../services';

/** What a tool sends: to the text or the vision server, and in words. */
export interface Sends {
  job: Job;
  what: string;
  /** The question is also embedded to search by meaning (the embedding server may be another). */
  embedded?: boolean;
}

const PRIVACY_WORDS = {
  off: 'It goes as written (privacy mode off, or a server on this machine).',
  pseudonymize: 'Names, dates, record numbers and other identifiers are replaced by stand-ins before it leaves; the answer reads the real ones.',
  warn: 'If it holds identifiers, you are asked first whether to send them as written or replaced by stand-ins.',
} as const;

export function confirmation(services: Services, sends: Sends): vscode.LanguageModelToolConfirmationMessages {
  let where: string;
  let privacy: string;
  try {
    const client = services.client();
    const ep = client.endpoint(sends.job);
    where = `MedGemma at ${originOf(ep.baseUrl)}${ep.configuredModel ? ` (model ${ep.configuredModel})` : ''}`;
    privacy = PRIVACY_WORDS[resolveMode(client.config.privacy, ep.baseUrl)];
    const embedding = sends.embedded ? client.embeddingModel : undefined;
    if (embedding && embedding.server !== originOf(ep.baseUrl)) {
      privacy = `The question also goes to ${embedding.server} (model ${embedding.model}) to find passages by meaning. ${privacy}`;
    }
  } catch (e) {
    // A bad server address: say so here; the tool, if run, fails with the same sentence.
    where = 'the MedGemma server in your settings';
    privacy = toolErrorSentence(e);
  }
  // Plain text: the agent wrote part of it (a path), and none of it may become a link or markup.
  const message = new vscode.MarkdownString();
  message.appendText(`${capitalize(sends.what)} will be sent to ${where}. ${privacy}`);
  return { title: `Send to ${where}?`, message };
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** What happened and what to do, in the editor's words, for any failure of a tool. */
export function toolErrorSentence(e: unknown): string {
  if (e instanceof ToolInputError) return /[.!?]$/.test(e.message) ? capitalize(e.message) : `${capitalize(e.message)}.`;
  if (isMedGemmaError(e) || isImageError(e) || isPdfError(e)) return forEditor(e.message);
  return `The MedGemma tool failed unexpectedly (${(e as Error)?.message ?? e}). Show the log with "MedGemma: Show Log" and report it.`;
}
