// The privacy mode `warn` asks before a note's identifiers are sent. For a folder it asks once,
// before anything is sent, for all of its notes (core/batch/privacy-choice.ts passes the answer
// on to each note), in a modal like the single note's question (privacy/dialog.ts).

import * as vscode from 'vscode';
import type { BatchPrivacyChoice } from '../../core/batch/privacy-choice';
import { SEND_AS_WRITTEN, SEND_PSEUDONYMIZED } from '../privacy/dialog';

/** The answer for the whole batch; undefined: send nothing. */
export async function askForBatch(notes: number, source: string, origin: string): Promise<BatchPrivacyChoice | undefined> {
  const what = notes === 1 ? '1 note' : `${notes.toLocaleString('en-US')} notes`;
  const pick = await vscode.window.showWarningMessage(
    `Send ${what} from ${source} to ${origin} for summaries?`,
    {
      modal: true,
      detail:
        'The privacy mode "warn" asks before identifiers leave VS Code; for a folder it asks once, for every note. Pseudonymized: names, dates, numbers and places are replaced by stand-ins (each note its own; the summaries show the real ones). As written: the server receives the notes with their identifiers.\n\nThe notes are not scanned first, so this does not say what they hold: MedGemma: Preview What Will Be Sent shows it for one note. Notes summarized before are skipped and not sent.',
    },
    SEND_PSEUDONYMIZED,
    SEND_AS_WRITTEN,
  );
  return pick === SEND_PSEUDONYMIZED ? 'pseudonymize' : pick === SEND_AS_WRITTEN ? 'as-is' : undefined;
}
