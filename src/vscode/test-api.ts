// What activate() returns (vscode.extensions.getExtension(id).exports), for the extension-host
// tests and tools that drive VS Code: read-only state that no user needs, so it is not a
// command and appears nowhere in the UI. Counts, ids and titles only: no note or answer text.
import type { ConversationSummary } from '../core/chat/types';
import type { ViewerState } from './papers/viewer';

export interface ChatState {
  /** The chat view's page has been created (the view was opened once). */
  viewResolved: boolean;
  /** Attachments handed to the view before its page could take them. */
  attachmentsWaiting: number;
  /** Answers streaming now. */
  answering: number;
  currentId?: string;
  conversations: ConversationSummary[];
  current?: ConversationSummary;
}

export interface ImagesState {
  /** Annotator pages that have started (sent their first message). */
  pagesStarted: number;
  /** Annotator pages still loading. */
  waiting: number;
  /** Images the annotator opened (a failure to open is not counted). */
  imagesOpened: number;
}

export interface MedGemmaTestApi {
  chatState(): ChatState;
  imagesState(): ImagesState;
  /** What the paper viewer last drew; undefined before any page was drawn. */
  paperViewerState(): ViewerState | undefined;
}
