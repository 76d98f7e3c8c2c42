// An image answer as a training example: the exact model images (the 896 px PNGs: the whole
// image, or a region's close-up and context) and question sent, and the answer the clinician
// approves, as it is or corrected in an editable copy (the model's kept as the draft).

import * as vscode from 'vscode';
import type { Answer } from '../../core/images/annotations/schema';
import type { ChatMessage } from '../../core/server/types';
import { saveAnswerExample } from '../dataset/answer-example';
import { datasetFor } from '../dataset/folder';
import type { Services } from '../services';

/** The last answers' messages, in memory only (images are large; older answers are not kept). */
export class SentMessages {
  private readonly sent = new Map<string, ChatMessage[]>();
  constructor(private readonly keep = 20) {}

  remember(at: string, annotationId: string | undefined, messages: ChatMessage[]): void {
    this.sent.set(`${annotationId ?? ''}@${at}`, messages);
    while (this.sent.size > this.keep) this.sent.delete(this.sent.keys().next().value!);
  }

  get(at: string, annotationId: string | undefined): ChatMessage[] | undefined {
    return this.sent.get(`${annotationId ?? ''}@${at}`);
  }
}

export async function saveImageExample(services: Services, input: { uri: vscode.Uri; messages: ChatMessage[]; answer: Answer }): Promise<string | undefined> {
  const { uri, messages, answer } = input;
  if (!answer.text.trim()) {
    void vscode.window.showWarningMessage('This answer is empty: there is nothing to save. Ask again, then save.');
    return undefined;
  }
  const target = datasetFor(uri);
  if ('error' in target) {
    void vscode.window.showErrorMessage(target.error);
    return undefined;
  }
  const source = async () => ({ file: uri.scheme === 'file' ? vscode.workspace.asRelativePath(uri) : (uri.path.split('/').pop() ?? 'image'), bytes: await vscode.workspace.fs.readFile(uri) });
  return saveAnswerExample(services, target, { kind: 'image', messages, answer, partial: answer.finish !== 'stop', source });
}
