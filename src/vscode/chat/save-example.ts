// A chat answer as a training example: the conversation up to the answer, as the chat sends
// it (system text, earlier turns, attachments, pasted images), and the answer the clinician
// approves, as it is or corrected in an editable copy (the model's kept as the draft).

import * as vscode from 'vscode';
import { buildPrompt } from '../../core/chat/prompt';
import { saveAnswerExample } from '../dataset/answer-example';
import { datasetFor } from '../dataset/folder';
import type { Services } from '../services';
import type { ChatEngine } from './chat-engine';

/** Returns the example id, or undefined when nothing was saved (the user was told why, or cancelled). */
export async function saveChatExample(services: Services, engine: ChatEngine, conversationId: unknown, turnId: unknown, choice?: unknown): Promise<string | undefined> {
  const conversation = typeof conversationId === 'string' ? engine.history.get(conversationId) : undefined;
  const at = conversation?.turns.findIndex((t) => t.id === turnId && t.role === 'assistant') ?? -1;
  if (!conversation || at < 1) {
    void vscode.window.showWarningMessage('That answer is no longer in the chat history, so it cannot be saved as an example.');
    return undefined;
  }
  const answer = conversation.turns[at];
  if (answer.papersAnswer) {
    void vscode.window.showWarningMessage('Answers from /papers are not saved as training examples: their question was the papers\' passages, which the chat does not keep. Ask without /papers to save one.');
    return undefined;
  }
  if (!answer.text.trim()) {
    void vscode.window.showWarningMessage('This answer is empty: there is nothing to save. Regenerate it, then save.');
    return undefined;
  }
  const target = datasetFor();
  if ('error' in target) {
    void vscode.window.showErrorMessage(target.error);
    return undefined;
  }
  // Everything before the answer, uncut: the example is the whole question (an export leaves it
  // out if it is longer than the model's context).
  const { messages } = buildPrompt(conversation.turns.slice(0, at), { contextLength: Number.MAX_SAFE_INTEGER, answerTokens: 0 });
  const partial = answer.finish === 'cancelled' || answer.finish === 'length' || !!answer.error;
  return saveAnswerExample(services, target, { kind: 'chat', messages, answer, partial }, choice);
}
