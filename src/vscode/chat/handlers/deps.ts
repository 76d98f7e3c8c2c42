import type { HostMessenger } from '../../../protocol/host-messenger';
import type { ChatProtocol } from '../../../protocol/chat';
import type { Services } from '../../services';
import type { ChatEngine } from '../chat-engine';

/** What the chat view's handlers get. */
export interface ChatDeps {
  m: HostMessenger<ChatProtocol>;
  engine: ChatEngine;
  services: Services;
  /** Re-probe the server and push the state to the view. */
  refreshServer(): Promise<void>;
}
