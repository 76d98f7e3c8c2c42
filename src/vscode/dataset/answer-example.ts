// A model answer (chat or image) as a training example: the question as sent, and the answer the
// clinician approves, as it is or corrected in an editable copy (the model's kept as the draft).

import type { DatasetStore } from '../../core/dataset/store';
import { reviewerName } from '../../core/dataset/store';
import { buildConversationExample, type ConversationExampleInput } from '../../core/dataset/conversation-example';
import type { Services } from '../services';
import { addExample } from './add-example';
import { correctOrSave } from './pending';
import { pseudonymizeExamples, reportExampleError } from './save-example-command';

export interface AnswerToSave {
  kind: 'chat' | 'image';
  messages: ConversationExampleInput['messages'];
  answer: { text: string; model?: string };
  /** The answer was cut off or interrupted. */
  partial: boolean;
  /** Where the question came from (read only when saving). */
  source?: () => Promise<{ file: string; bytes: Uint8Array }>;
}

export async function saveAnswerExample(services: Services, target: { store: DatasetStore; shown: string }, a: AnswerToSave, choice?: unknown): Promise<string | undefined> {
  const save = async (chosen: string): Promise<string | undefined> => {
    try {
      const example = await buildConversationExample({
        kind: a.kind,
        messages: a.messages,
        chosen,
        draft: a.answer.text,
        model: a.answer.model,
        reviewer: reviewerName(),
        pseudonymize: pseudonymizeExamples(),
        ...(a.source ? { source: await a.source() } : {}),
        saveImage: (bytes, ext) => target.store.saveImage(bytes, ext),
      });
      return await addExample(target, example, 'the answer', a.partial && chosen === a.answer.text ? 'The answer was cut off or interrupted: the model will learn it incomplete.' : undefined);
    } catch (e) {
      return reportExampleError(services, e);
    }
  };
  const action = await correctOrSave('answer', choice);
  if (action === 'save') return save(a.answer.text);
  if (action === 'edit') await services.pendingExamples.openCopy(a.answer.text, { draft: a.answer.text, save: (copy) => save(copy.getText()) }, 'answer');
  return undefined;
}
