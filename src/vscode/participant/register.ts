// @medgemma, a participant in VS Code's own chat (chatParticipants): slash commands over the
// same core as the editor's commands. Returns the handler for the test API (a recording stream
// stands in for the chat view, which needs a signed-in chat in VS Code).

import * as vscode from 'vscode';
import type { PaperLibrary } from '../../core/papers/library';
import type { Services } from '../services';
import type { AnswerStream } from './answer';
import { handle, type ParticipantRequest } from './handler';

export const PARTICIPANT_ID = 'medgemma.participant';

export type ParticipantHandler = (request: ParticipantRequest, stream: AnswerStream, token: vscode.CancellationToken) => Promise<{ command: string; ok: boolean }>;

export function register(ctx: vscode.ExtensionContext, services: Services, library: PaperLibrary): ParticipantHandler {
  const run: ParticipantHandler = (request, stream, token) => handle(services, library, request, stream, token);
  try {
    const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, async (request, _context, stream, token) => {
      await run({ prompt: request.prompt, command: request.command }, stream, token);
      return {};
    });
    participant.iconPath = vscode.Uri.joinPath(ctx.extensionUri, 'media', 'icon.png');
    ctx.subscriptions.push(participant);
  } catch (e) {
    services.log.info(`@medgemma is not in this VS Code's chat (${(e as Error).message})`);
  }
  return run;
}
