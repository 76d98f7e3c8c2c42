// One open image in the annotator: decodes it (extension host, shared core), owns the saved
// annotation file (answers are added here, so they are kept even if the panel closes
// mid-answer), saves on every change and handles a sidecar changed on disk.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { type Annotation, type AnnotationFile, type Answer, bbox, validAnnotation } from '../../core/images/annotations/schema';
import { toCoco } from '../../core/images/annotations/coco';
import { readSidecar, saveSidecar, sidecarPath } from '../../core/images/annotations/sidecar';
import { askAboutImage } from '../../core/images/ask';
import { ImageError, isImageError } from '../../core/images/errors';
import type { Box } from '../../core/images/model-image';
import { FrameCache } from '../../core/images/frame-cache';
import { type OpenedImage, openImage } from '../../core/images/open';
import { DEFAULT_PROMPTS, type ImagePrompt } from '../../core/images/prompts';
import type { Frame, ImageKind } from '../../core/images/types';
import { plural } from '../../core/plural';
import { forEditor, isMedGemmaError } from '../../core/server/errors';
import { reached } from '../onboarding/milestones';
import { HostMessenger } from '../../protocol/host-messenger';
import type { Req } from '../../protocol/define';
import { imageProtocol, type OpenResult, type WireFrame } from '../../protocol/image';
import { webviewTransport } from '../webview/transport';
import { imageLimits, promptSetting, setting } from '../config';
import type { Services } from '../services';
import { type ImageAttachment, renderForChat } from './attachment';
import type { StartHooks } from './start-recovery';
import { openLink } from '../webview/open-link';
import { saveImageExample, SentMessages } from './save-example';

type ImageProtocol = typeof imageProtocol;

/** Smallest region sent for a point or a thin shape, in image pixels. */
const MIN_REGION = 64;

function regionOf(a: Annotation, width: number, height: number): Box {
  let [x, y, w, h] = bbox(a.shape);
  if (w < MIN_REGION) {
    x -= (MIN_REGION - w) / 2;
    w = MIN_REGION;
  }
  if (h < MIN_REGION) {
    y -= (MIN_REGION - h) / 2;
    h = MIN_REGION;
  }
  x = Math.max(0, Math.min(x, width - 1));
  y = Math.max(0, Math.min(y, height - 1));
  return { x, y, w: Math.min(w, width - x), h: Math.min(h, height - y) };
}

/** A frame for postMessage: grey values in the smallest type that holds them exactly. */
function wire(f: Frame): WireFrame {
  if (f.kind === 'rgb') {
    const d = f.data;
    return { kind: 'rgb', width: f.width, height: f.height, data: d.buffer.slice(d.byteOffset, d.byteOffset + d.byteLength) as ArrayBuffer };
  }
  const d = f.data;
  let u8 = true;
  let i16 = true;
  for (let i = 0; i < d.length && (u8 || i16); i++) {
    const v = d[i];
    if (!Number.isInteger(v)) u8 = i16 = false;
    else {
      if (v < 0 || v > 255) u8 = false;
      if (v < -32768 || v > 32767) i16 = false;
    }
  }
  const typed = u8 ? Uint8Array.from(d) : i16 ? Int16Array.from(d) : d.slice();
  return { kind: 'gray', width: f.width, height: f.height, data: typed.buffer as ArrayBuffer, dtype: u8 ? 'uint8' : i16 ? 'int16' : 'float32' };
}

export class AnnotatorSession implements vscode.Disposable {
  private image?: OpenedImage;
  private file?: AnnotationFile;
  private hash?: string;
  private saving: Promise<void> = Promise.resolve();
  private readonly frames = new FrameCache();
  /** Why the sidecar cannot be read: then nothing is saved over it. */
  private sidecarUnreadable?: string;
  private readonly subs: vscode.Disposable[] = [];
  private readonly messenger: HostMessenger<ImageProtocol>;
  private conflictOpen = false;
  /** The exact messages (model images included) behind this session's answers, for training examples. */
  private readonly sentFor = new SentMessages();
  readonly name: string;

  constructor(
    readonly uri: vscode.Uri,
    panel: vscode.WebviewPanel,
    private readonly services: Services,
    starting?: StartHooks,
  ) {
    this.name = path.basename(uri.path);
    const messenger = (this.messenger = new HostMessenger(imageProtocol, webviewTransport(panel.webview), {
      onInvalid: (reason) => services.log.warn(`Image annotator: ${reason}`),
    }));
    // The page asks for its image first, then for its first frame: that second request says the
    // first answer arrived (start-recovery.ts reopens an editor whose page never gets there).
    messenger.handle('image/open', async () => {
      starting?.opening();
      try {
        const r = await this.open();
        starting?.answered();
        reached('imageOpened');
        return r;
      } catch (e) {
        starting?.started(); // the page shows why
        throw e;
      }
    });
    messenger.handle('image/frame', async ({ index }) => {
      starting?.started();
      return wire(await this.frame(index));
    });
    messenger.handle('image/update', (req) => this.update(req));
    messenger.handle('image/view', (v) => {
      if (!this.file) return;
      this.file.view = { frame: v.frame, ...(v.window ? { window: v.window } : {}), ...(v.ctThreeWindows ? { ctThreeWindows: true } : {}) };
      return this.save();
    });
    messenger.handle('image/ask', (req, ctx) => this.ask(req, ctx.signal, ctx.emit));
    messenger.handle('image/exportCoco', () => this.exportCoco());
    messenger.handle('image/attachToChat', async (v) => void (await this.attachToChat(v)));
    messenger.handle('image/openLink', ({ href, text }) => openLink(href, text));
    messenger.handle('image/saveExample', ({ at, annotationId }) => void this.saveExample(at, annotationId));
    if (uri.scheme === 'file') {
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(uri.fsPath)), path.basename(sidecarPath(uri.fsPath))));
      this.subs.push(w, w.onDidChange(() => void this.checkDisk()), w.onDidCreate(() => void this.checkDisk()));
    }
  }

  private get imagePath(): string {
    return this.uri.fsPath;
  }

  /** Decodes the image and reads its sidecar; throws a message saying why it cannot be shown. */
  private async open(): Promise<OpenResult> {
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(this.uri);
    } catch (e) {
      throw new Error(`${this.name} cannot be read (${(e as Error).message}). Check that the file exists and is readable.`, { cause: e });
    }
    try {
      this.image = await openImage(bytes, this.name, imageLimits());
      await this.frame(0); // the first frame also fills in the default window of images without one
    } catch (e) {
      this.services.log.warn(`Image annotator: could not open an image: ${isImageError(e) ? e.kind : 'unexpected error'}`);
      throw isImageError(e) ? new ImageError(e.kind, forEditor(e.message), e.detail) : new Error(`${this.name} could not be opened (${(e as Error)?.message ?? e}). Report this with the file's transfer syntax if it is a DICOM file.`, { cause: e });
    }
    const info = this.image.info;
    let notice: string | undefined;
    const loaded = await readSidecar(this.imagePath, { width: info.width, height: info.height, frames: info.frames });
    this.file = loaded.file;
    this.hash = loaded.hash;
    this.sidecarUnreadable = loaded.unreadable;
    if (loaded.sizeChanged) {
      notice = `${this.name} is not the image its annotations were made on: ${loaded.sizeChanged}. The regions are shown where they were drawn and may be in the wrong place: check each one before relying on it.`;
    }
    if (loaded.movedAside) notice = `The annotations file could not be used and was kept as ${loaded.movedAside}; starting with no annotations.`;
    if (loaded.unreadable) {
      notice = `The annotations could not be read: ${loaded.unreadable}. The image opened without them and nothing will be saved over them, so annotations made here are not kept (Export COCO still works). Fix or move that file, then reopen the image.`;
      this.services.log.warn('Image annotator: the annotations file cannot be read; saving is off for this image');
    }
    const prompts = { ...DEFAULT_PROMPTS };
    const custom = promptSetting<Partial<Record<ImageKind, Partial<ImagePrompt>>>>('image.prompts', {});
    for (const k of Object.keys(prompts) as ImageKind[]) prompts[k] = { ...prompts[k], ...(custom?.[k] ?? {}) };
    this.services.log.info(`Image annotator: opened a ${info.format} image, ${info.width}x${info.height}, ${info.frames} frame(s), ${this.file.annotations.length} annotation(s)`);
    return { name: this.name, info, file: this.file, prompts, notice };
  }

  private async frame(index: number): Promise<Frame> {
    if (!this.image) throw new Error('The image is not open yet.');
    if (index >= this.image.info.frames) throw new Error(`${this.name} has ${plural(this.image.info.frames, 'frame')}; frame ${index + 1} does not exist.`);
    const cached = this.frames.get(index);
    if (cached) return cached;
    const f = await this.image.frame(index);
    this.frames.set(index, f);
    return f;
  }

  private update(req: Req<ImageProtocol, 'image/update'>): Promise<void> | undefined {
    if (!this.file) return undefined;
    const list = req.annotations.map((a) => ({ ...a, answers: this.file!.annotations.find((o) => o.id === a.id)?.answers ?? [] }));
    if (!list.every(validAnnotation)) throw new Error('The panel sent a malformed annotation. Reload the view and try again.');
    // Answers belong to the host (they may arrive while the panel edits): keep ours.
    this.file.annotations = list as Annotation[];
    return this.save();
  }

  /** Saves now (serialized); a changed-on-disk sidecar is never silently overwritten. */
  save(force = false): Promise<void> {
    const run = async () => {
      if (!this.file || this.sidecarUnreadable) return;
      try {
        const r = await saveSidecar(this.imagePath, this.file, this.hash, force);
        if (r.saved) this.hash = r.hash;
        else await this.conflict();
      } catch (e) {
        const pick = await vscode.window.showErrorMessage(
          `The annotations of ${this.name} could not be saved (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). They are kept in the open panel; free disk space or fix permissions, then retry.`,
          'Retry',
        );
        if (pick === 'Retry') void this.save(force);
      }
    };
    this.saving = this.saving.then(run, run);
    return this.saving;
  }

  private async conflict(): Promise<void> {
    if (this.conflictOpen) return;
    this.conflictOpen = true;
    try {
      const pick = await vscode.window.showWarningMessage(
        `The annotations file of ${this.name} was changed on disk by something else. Load the version on disk (your unsaved changes in this panel are lost) or keep yours (overwrites the disk version)?`,
        { modal: true },
        'Load From Disk',
        'Keep Mine',
      );
      if (pick === 'Load From Disk') await this.reloadFromDisk();
      // Queued, not awaited: this runs inside the save queue, and waiting on it would deadlock.
      else if (pick === 'Keep Mine') void this.save(true);
      // Dismissed: nothing is written; the next change asks again.
    } finally {
      this.conflictOpen = false;
    }
  }

  private async reloadFromDisk(): Promise<void> {
    if (!this.image) return;
    const { info } = this.image;
    const loaded = await readSidecar(this.imagePath, { width: info.width, height: info.height, frames: info.frames });
    this.file = loaded.file;
    this.hash = loaded.hash;
    this.sidecarUnreadable = loaded.unreadable;
    this.messenger.emit('image/file', this.file);
  }

  /**
   * The sidecar changed on disk: ask unless it is what we wrote. Queued with the saves, so it
   * never reads a file our own save has written but not yet recorded (a false conflict).
   */
  private checkDisk(): Promise<void> {
    const run = async () => {
      if (!this.file) return;
      const { hashText } = await import('../../core/images/annotations/sidecar');
      let text: string;
      try {
        text = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.file(sidecarPath(this.imagePath)))).toString('utf8');
      } catch {
        return;
      }
      // It can be read again (fixed on disk): saving may resume once the user chose.
      this.sidecarUnreadable = undefined;
      if (hashText(text) !== this.hash) await this.conflict();
    };
    this.saving = this.saving.then(run, run);
    return this.saving;
  }

  private async ask(req: Req<ImageProtocol, 'image/ask'>, signal: AbortSignal, emit: (text: string) => void): Promise<{ finish: string }> {
    if (!this.image || !this.file) throw new Error('The image is not open.');
    if (!(await this.services.requireTrust())) throw new Error('MedGemma sends nothing from an untrusted workspace.');
    const info = this.image.info;
    const ann = req.annotationId ? this.file.annotations.find((a) => a.id === req.annotationId) : undefined;
    if (req.annotationId && !ann) throw new Error('That annotation no longer exists.');
    if (info.burnedInAnnotation) {
      const go = await vscode.window.showWarningMessage(
        `${this.name} says its pixels carry burned-in annotation (0028,0301 = YES): text in the image may identify the patient, and it would be sent to the server with the image.`,
        { modal: true },
        'Send Anyway',
      );
      if (go !== 'Send Anyway') throw new Error('Not sent: the image has burned-in annotation.');
    }
    let client;
    try {
      client = this.services.client();
    } catch (e) {
      void this.services.showError(e, 'Image question');
      throw new Error(isMedGemmaError(e) ? e.message : String(e), { cause: e });
    }
    let text = '';
    let sent = req.prompt; // the question as the server got it (see askAboutImage)
    const t0 = Date.now();
    const record = (finish: string, model: string): Answer | undefined => {
      if (!this.file) return undefined;
      const answer: Answer = { prompt: sent, text, model, at: new Date().toISOString(), finish };
      if (ann) this.file.annotations.find((a) => a.id === ann.id)?.answers.push(answer);
      else this.file.imageAnswers.push({ ...answer, frame: req.frame });
      this.messenger.emit('image/file', this.file);
      void this.save();
      return answer;
    };
    try {
      const frame = await this.frame(req.frame);
      const r = await askAboutImage(
        client,
        {
          frame,
          view: { window: req.window, invert: info.invert, ctThreeWindows: req.ctThreeWindows },
          region: ann ? regionOf(ann, info.width, info.height) : undefined,
          scale: info.scale,
          system: req.system,
          prompt: req.prompt,
          maxTokens: setting<number>('image.maxTokens', 500),
          temperature: 0,
        },
        {
          signal,
          onDelta: (d) => {
            text += d;
            emit(d);
          },
        },
        (prompt) => (sent = prompt),
      );
      text = r.text;
      const answer = record(r.finishReason, r.model);
      if (answer) this.sentFor.remember(answer.at, ann?.id, r.messages);
      this.services.log.info(`Image question: ${ann ? 'region' : 'whole image'}, ${r.images} image(s), ${r.bytesSent} bytes sent, finish=${r.finishReason}, ${Date.now() - t0} ms, model ${r.model}`);
      return { finish: r.finishReason };
    } catch (e) {
      const msg = isMedGemmaError(e) || isImageError(e) ? forEditor(e.message) : `The question failed unexpectedly: ${(e as Error)?.message ?? e}.`;
      if (text) record(`error: ${msg}`, client.config.vision?.model || client.config.model || 'unknown'); // keep the partial answer
      if (!signal.aborted) void this.services.showError(e, 'Image question');
      throw new Error(msg, { cause: e });
    }
  }

  /** An answer as a training example: the very images and question sent, and the approved answer. */
  async saveExample(at: string, annotationId?: string): Promise<string | undefined> {
    const ann = annotationId ? this.file?.annotations.find((a) => a.id === annotationId) : undefined;
    const answer = (ann ? ann.answers : (this.file?.imageAnswers ?? [])).find((a) => a.at === at);
    if (!answer) {
      void vscode.window.showWarningMessage('That answer is no longer in the annotations, so it cannot be saved as an example.');
      return undefined;
    }
    const messages = this.sentFor.get(at, annotationId);
    if (!messages) {
      void vscode.window.showWarningMessage('Only answers asked since this image was opened can be saved as examples: the images sent with older ones are not kept. Ask the question again, then save the new answer.');
      return undefined;
    }
    return saveImageExample(this.services, { uri: this.uri, messages, answer });
  }

  private async exportCoco(): Promise<void> {
    if (!this.file) return;
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(this.imagePath.replace(/\.[^./\\]+$/, '') + '.coco.json'),
      filters: { 'COCO JSON': ['json'] },
      title: 'Export annotations as COCO JSON',
    });
    if (!target) return;
    const coco = toCoco(this.file, this.name);
    await vscode.workspace.fs.writeFile(target, Buffer.from(JSON.stringify(coco, null, 2)));
    void vscode.window.showInformationMessage(`Exported ${plural(coco.annotations.length, 'annotation')} to ${path.basename(target.path)} (COCO JSON, no patient data).`);
  }

  /**
   * "Send to Chat": the exact PNG the model would get, into the chat's composer. Returns what the
   * chat took (for the test API); undefined when it failed (the user was told).
   */
  async attachToChat(view: Req<ImageProtocol, 'image/attachToChat'>): Promise<ImageAttachment | undefined> {
    try {
      const attachment = await renderForChat(this.uri, { frame: view.frame, window: view.window, ctThreeWindows: view.ctThreeWindows });
      const taken = await vscode.commands.executeCommand<boolean>('medgemma.chat.attachImage', attachment);
      return taken ? attachment : undefined;
    } catch (e) {
      void vscode.window.showErrorMessage(isImageError(e) ? forEditor(e.message) : `The image could not be attached to the chat: ${(e as Error).message}.`);
      return undefined;
    }
  }

  dispose(): void {
    this.messenger.dispose(); // aborts a question still running
    for (const s of this.subs) s.dispose();
  }
}
