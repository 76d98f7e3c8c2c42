// The one connection to the extension host (src/protocol/image.ts), and the banner that shows
// what went wrong with a request nobody waits on.

import { imageProtocol } from '../../src/protocol/image';
import { h } from '../shared/dom';
import { Messenger } from '../shared/messenger';
import { vscodeTransport } from '../shared/vscode-api';
import { banner } from './dom';

export const host = new Messenger(imageProtocol, vscodeTransport());

export function notice(message: string): void {
  banner.append(h('div', { class: 'banner' }, message));
}

/** Fire-and-forget requests: a failure is shown in the banner area. */
export function call(p: Promise<unknown>): void {
  p.catch((e: Error) => notice(e.message));
}
