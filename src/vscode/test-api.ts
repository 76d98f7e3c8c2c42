// What activate() returns (vscode.extensions.getExtension(id).exports), for the extension-host
// tests and tools that drive VS Code: state that no user needs, and the one action a test cannot
// reach (a button inside a webview), so none of it is a command or appears in the UI. Counts,
// ids, names and sizes only: no note or answer text, no pixels.
import type { ConversationSummary } from '../core/chat/types';
import type { AttachmentOptions } from './images/attachment';
import type { ModelProviderApi } from './model-provider/register';
import type { ParticipantHandler } from './participant/register';
import type { ToolsApi } from './tools/register';
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

/** An image the annotator handed to the chat. */
export interface SentImage {
  /** File name only. */
  name: string;
  frame: number;
  /** The PNG's size in bytes and pixels. */
  bytes: number;
  width: number;
  height: number;
}

export interface MedGemmaTestApi {
  chatState(): ChatState;
  imagesState(): ImagesState;
  /**
   * The "Send to Chat" button of the annotator open on `file` (throws when none is): the same
   * route as a click. Undefined when it failed (the user was told).
   */
  sendImageToChat(file: string, view?: AttachmentOptions): Promise<SentImage | undefined>;
  /** What the paper viewer last drew; undefined before any page was drawn. */
  paperViewerState(): ViewerState | undefined;
  /** @medgemma's handler, driven by the host tests with a recording stream in place of the chat view. */
  participant: ParticipantHandler;
  /** The models offered to VS Code's model picker; undefined when this VS Code has no provider API (< 1.104). */
  chatModels?: ModelProviderApi;
  /** The agent-mode tools' confirmation and invocation, as VS Code calls them (a confirmation cannot be clicked in a test). */
  agentTools?: ToolsApi;
  /**
   * The MCP server definitions offered to VS Code's agent mode, resolved as when VS Code starts
   * one; MEDGEMMA_API_KEY says "(set)" instead of the key. Undefined when this VS Code has no MCP API.
   */
  mcpDefinitions?: () => Promise<{ label: string; command: string; args: string[]; env: Record<string, string | number | null>; version?: string }[]>;
}
