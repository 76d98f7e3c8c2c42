// An image answer as a training example: the exact model images (the 896 px PNGs: the whole
// image, or a region's close-up and context) and question sent, and the answer the clinician
// approves, as it is or corrected in an editable copy (the model's kept as the draft).

import * as vscode from 'vscode';
import type { Answer } from '../../core/images/annotations/schema';
import { buildConversationExample } from '../../core/dataset/conversation-example';
import { reviewerName } from '../../core/dataset/store';
import type { ChatMessage } from '../../core/server/types';
import { addExample } from '../dataset/add-example';
import { datasetFor } from '../dataset/folder';
import { correctOrSave } from '../dataset/pending';
import { pseudonymizeExamples, reportExampleError } from '../dataset/save-example-command';
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
  const save = async (chosen: string): Promise<string | undefined> => {
    try {
      const example = await buildConversationExample({
        kind: 'image',
        messages,
        chosen,
        draft: answer.text,
        model: answer.model,
        reviewer: reviewerName(),
        pseudonymize: pseudonymizeExamples(),
        source: { file: uri.scheme === 'file' ? vscode.workspace.asRelativePath(uri) : uri.path.split('/').pop() ?? 'image', bytes: await vscode.workspace.fs.readFile(uri) },
        saveImage: (bytes, ext) => target.store.saveImage(bytes, ext),
      });
      const partial = answer.finish !== 'stop' && chosen === answer.text;
      return await addExample(target, example, 'the answer', partial ? 'The answer was cut off or interrupted: the model will learn it incomplete.' : undefined);
    } catch (e) {
      return reportExampleError(services, e);
    }
  };
  const action = await correctOrSave('answer');
  if (action === 'save') return save(answer.text);
  if (action === 'edit') await services.pendingExamples.openCopy(answer.text, { draft: answer.text, save: (copy) => save(copy.getText()) }, 'answer');
  return undefined;
}
