// `warn` mode's question: what was found (counts only) and where it would go; a modal, so
// nothing is sent until the user answers. Closing the dialog sends nothing.

import * as vscode from 'vscode';
import { describeCounts } from '../../core/privacy/describe';
import type { Confirm, Feature } from '../../core/privacy/gate';

const WHAT: Record<Feature, string> = {
  summary: 'The note',
  'citation-check': 'The summary check',
  chat: 'Your message',
  papers: 'Your question',
  image: 'Your question about the image',
  'server-check': 'The server check',
  other: 'The text',
};

export const SEND_PSEUDONYMIZED = 'Send Pseudonymized';
export const SEND_AS_WRITTEN = 'Send As Written';

export const confirmInDialog: Confirm = async (w) => {
  const pick = await vscode.window.showWarningMessage(
    `${WHAT[w.feature]} holds ${describeCounts(w.counts)}. Send it to ${w.origin}?`,
    {
      modal: true,
      detail:
        'Pseudonymized: each is replaced by a stand-in (the same one every time; dates move together) and the answer shows the real ones. As written: the server receives them.\n\nThe privacy mode "warn" asks this once per note or conversation (again when a chat brings new ones). Change it with MedGemma: Choose Privacy Mode.',
    },
    SEND_PSEUDONYMIZED,
    SEND_AS_WRITTEN,
  );
  return pick === SEND_PSEUDONYMIZED ? 'pseudonymize' : pick === SEND_AS_WRITTEN ? 'as-is' : 'cancel';
};
