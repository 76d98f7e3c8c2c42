// What the annotator's "Send to Chat" hands to `medgemma.chat.attachImage`: exactly the PNG
// the model would get for the image as shown, with the file name only.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { dataUrl, modelImages } from '../../core/images/model-image';
import { openImage } from '../../core/images/open';
import { imageLimits } from '../config';
import type { Window } from '../../core/images/types';

export interface ImageAttachment {
  /** File name only (no path, no header data). */
  name: string;
  /** PNG data URL, 896 x 896, what the model receives. */
  dataUrl: string;
  frame: number;
}

export interface AttachmentOptions {
  frame?: number;
  window?: Window;
  ctThreeWindows?: boolean;
}

export async function renderForChat(uri: vscode.Uri, opts: AttachmentOptions = {}): Promise<ImageAttachment> {
  const bytes = await vscode.workspace.fs.readFile(uri);
  const name = path.basename(uri.path);
  const img = await openImage(bytes, name, imageLimits());
  const frameIndex = Math.max(0, Math.min(img.info.frames - 1, opts.frame ?? 0));
  const frame = await img.frame(frameIndex);
  const [png] = modelImages(frame, { window: opts.window ?? img.info.defaultWindow, invert: img.info.invert, ctThreeWindows: opts.ctThreeWindows }).pngs;
  return { name, dataUrl: dataUrl(png), frame: frameIndex };
}
