import type { Attachment } from '../../../core/chat/types';
import type { HostMessenger } from '../../../protocol/host-messenger';
import type { ChatProtocol } from '../../../protocol/chat';
import type { Services } from '../../services';
import type { ChatEngine } from '../chat-engine';

/** What the chat view's handlers get. */
export interface ChatDeps {
  messenger: HostMessenger<ChatProtocol>;
  engine: ChatEngine;
  services: Services;
  /** Re-probe the server and push the state to the view. */
  refreshServer(): Promise<void>;
  /** The page sent chat/init: it runs (called once per page load). */
  pageStarted(): void;
  /** Attachments handed to the chat that no page has confirmed yet. */
  attachmentsWaiting(): Attachment[];
  /** The page holds these now (in its composer and its saved state). */
  attachmentsTaken(ids: string[]): void;
}
