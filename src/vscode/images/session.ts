// One open image in the annotator: decodes it (extension host, shared core), owns the saved
// annotation file (answers are added here, so they are kept even if the panel closes
// mid-answer), saves on every change and handles a sidecar changed on disk.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { type Annotation, type AnnotationFile, type Answer, bbox, validAnnotation } from '../../core/images/annotations/schema';
import { toCoco } from '../../core/images/annotations/coco';
import { readSidecar, saveSidecar, sidecarPath } from '../../core/images/annotations/sidecar';
import { askAboutImage } from '../../core/images/ask';
import { isImageError, serverError } from '../../core/images/errors';
import type { Box } from '../../core/images/model-image';
import { type OpenedImage, openImage } from '../../core/images/open';
import { DEFAULT_PROMPTS, type ImagePrompt } from '../../core/images/prompts';
import type { Frame, ImageKind } from '../../core/images/types';
import { type FromPanel, parseFromPanel, type ToPanel, type WireFrame } from '../../protocol/image-messages';
import { setting } from '../config';
import type { Services } from '../services';
import { renderForChat } from './attachment';

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
  private readonly asks = new Map<string, AbortController>();
  private readonly frames = new Map<number, Frame>();
  private readonly subs: vscode.Disposable[] = [];
  private conflictOpen = false;
  readonly name: string;

  constructor(
    readonly uri: vscode.Uri,
    private readonly panel: vscode.WebviewPanel,
    private readonly services: Services,
  ) {
    this.name = path.basename(uri.path);
    this.subs.push(panel.webview.onDidReceiveMessage((m) => this.onMessage(m)));
    if (uri.scheme === 'file') {
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(uri.fsPath)), path.basename(sidecarPath(uri.fsPath))));
      this.subs.push(w, w.onDidChange(() => void this.checkDisk()), w.onDidCreate(() => void this.checkDisk()));
    }
  }

  private post(m: ToPanel): void {
    void this.panel.webview.postMessage(m);
  }

  private get imagePath(): string {
    return this.uri.fsPath;
  }

  private async load(): Promise<void> {
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(this.uri);
    } catch (e) {
      this.post({ type: 'failed', message: `${this.name} cannot be read (${(e as Error).message}). Check that the file exists and is readable.` });
      return;
    }
    try {
      this.image = await openImage(bytes, this.name);
    } catch (e) {
      const message = isImageError(e) ? e.message : `${this.name} could not be opened (${(e as Error)?.message ?? e}). Report this with the file's transfer syntax if it is a DICOM file.`;
      this.services.log.warn(`Image annotator: could not open an image: ${isImageError(e) ? e.kind : 'unexpected error'}`);
      this.post({ type: 'failed', message });
      return;
    }
    const info = this.image.info;
    let notice: string | undefined;
    try {
      const loaded = await readSidecar(this.imagePath, { width: info.width, height: info.height, frames: info.frames });
      this.file = loaded.file;
      this.hash = loaded.hash;
      if (loaded.movedAside) notice = `The annotations file could not be used and was kept as ${loaded.movedAside}; starting with no annotations.`;
    } catch (e) {
      this.post({ type: 'failed', message: (e as Error).message });
      return;
    }
    // The first frame first: it also fills in the default window of images without one.
    const first = await this.frame(0).catch((e) => e as Error);
    if (first instanceof Error) {
      this.post({ type: 'failed', message: isImageError(first) ? first.message : `${this.name}: ${first.message}` });
      return;
    }
    const prompts = { ...DEFAULT_PROMPTS };
    const custom = setting<Partial<Record<ImageKind, Partial<ImagePrompt>>>>('image.prompts', {});
    for (const k of Object.keys(prompts) as ImageKind[]) prompts[k] = { ...prompts[k], ...(custom?.[k] ?? {}) };
    this.post({ type: 'init', name: this.name, info, file: this.file, prompts, notice });
    this.post({ type: 'frame', index: 0, frame: wire(first) });
    this.services.log.info(`Image annotator: opened a ${info.format} image, ${info.width}x${info.height}, ${info.frames} frame(s), ${this.file.annotations.length} annotation(s)`);
  }

  private async frame(index: number): Promise<Frame> {
    const cached = this.frames.get(index);
    if (cached) return cached;
    const f = await this.image!.frame(index);
    if (this.frames.size > 8) this.frames.delete(this.frames.keys().next().value!);
    this.frames.set(index, f);
    return f;
  }

  private async onMessage(raw: unknown): Promise<void> {
    const m: FromPanel | undefined = parseFromPanel(raw, validAnnotation);
    if (!m) {
      this.services.log.warn('Image annotator: ignored a malformed message from the panel');
      return;
    }
    switch (m.type) {
      case 'ready':
        return this.load();
      case 'getFrame':
        if (!this.image || m.index < 0 || m.index >= this.image.info.frames) return;
        try {
          this.post({ type: 'frame', index: m.index, frame: wire(await this.frame(m.index)) });
        } catch (e) {
          this.post({ type: 'notice', message: isImageError(e) ? e.message : `Frame ${m.index + 1} could not be decoded: ${(e as Error).message}` });
        }
        return;
      case 'update':
        if (!this.file) return;
        // Answers belong to the host (they may arrive while the panel edits): keep ours.
        this.file.annotations = m.annotations.map((a) => ({ ...a, answers: this.file!.annotations.find((o) => o.id === a.id)?.answers ?? a.answers }));
        return this.save();
      case 'view':
        if (!this.file) return;
        this.file.view = { frame: m.frame, ...(m.window ? { window: m.window } : {}), ...(m.ctThreeWindows ? { ctThreeWindows: true } : {}) };
        return this.save();
      case 'ask':
        return this.ask(m);
      case 'cancel':
        this.asks.get(m.requestId)?.abort();
        return;
      case 'exportCoco':
        return this.exportCoco();
      case 'attachToChat':
        return this.attachToChat(m);
    }
  }

  /** Saves now (serialized); a changed-on-disk sidecar is never silently overwritten. */
  save(force = false): Promise<void> {
    const run = async () => {
      if (!this.file) return;
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
      else if (pick === 'Keep Mine') await this.save(true);
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
    this.post({ type: 'file', file: this.file });
  }

  /** Another program wrote the sidecar: reload when we have nothing different, else ask. */
  private async checkDisk(): Promise<void> {
    await this.saving;
    if (!this.file) return;
    const { hashText } = await import('../../core/images/annotations/sidecar');
    let text: string;
    try {
      text = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.file(sidecarPath(this.imagePath)))).toString('utf8');
    } catch {
      return;
    }
    if (hashText(text) !== this.hash) await this.conflict();
  }

  private async ask(m: Extract<FromPanel, { type: 'ask' }>): Promise<void> {
    const fail = (error: string) => this.post({ type: 'answerEnd', requestId: m.requestId, error });
    if (!this.image || !this.file) return fail('The image is not open.');
    if (!(await this.services.requireTrust())) return fail('MedGemma sends nothing from an untrusted workspace.');
    const info = this.image.info;
    const ann = m.annotationId ? this.file.annotations.find((a) => a.id === m.annotationId) : undefined;
    if (m.annotationId && !ann) return fail('That annotation no longer exists.');
    if (info.burnedInAnnotation) {
      const go = await vscode.window.showWarningMessage(
        `${this.name} says its pixels carry burned-in annotation (0028,0301 = YES): text in the image may identify the patient, and it would be sent to the server with the image.`,
        { modal: true },
        'Send Anyway',
      );
      if (go !== 'Send Anyway') return fail('Not sent: the image has burned-in annotation.');
    }
    let client;
    try {
      client = this.services.client();
    } catch (e) {
      void this.services.showError(e, 'Image question');
      return fail(serverError(e)?.message ?? String(e));
    }
    const controller = new AbortController();
    this.asks.set(m.requestId, controller);
    let text = '';
    const t0 = Date.now();
    const record = (finish: string, model: string) => {
      if (!this.file) return;
      const answer: Answer = { prompt: m.prompt, text, model, at: new Date().toISOString(), finish };
      if (ann) {
        const live = this.file.annotations.find((a) => a.id === ann.id);
        live?.answers.push(answer);
      } else this.file.imageAnswers.push({ ...answer, frame: m.frame });
      this.post({ type: 'file', file: this.file });
      void this.save();
    };
    try {
      const frame = await this.frame(m.frame);
      const r = await askAboutImage(
        client,
        {
          frame,
          view: { window: m.window, invert: info.invert, ctThreeWindows: m.ctThreeWindows },
          region: ann ? regionOf(ann, info.width, info.height) : undefined,
          scale: info.scale,
          system: m.system,
          prompt: m.prompt,
          maxTokens: setting<number>('image.maxTokens', 500),
          temperature: 0,
        },
        {
          signal: controller.signal,
          onDelta: (d) => {
            text += d;
            this.post({ type: 'answerDelta', requestId: m.requestId, text: d });
          },
        },
      );
      text = r.text;
      record(r.finishReason, r.model);
      this.post({ type: 'answerEnd', requestId: m.requestId, finish: r.finishReason });
      this.services.log.info(`Image question: ${ann ? 'region' : 'whole image'}, ${r.bytesSent} bytes of image sent, finish=${r.finishReason}, ${Date.now() - t0} ms, model ${r.model}`);
    } catch (e) {
      const msg = serverError(e)?.message ?? (isImageError(e) ? e.message : `The question failed unexpectedly: ${(e as Error)?.message ?? e}.`);
      if (text) record(`error: ${msg}`, client.config.vision?.model || client.config.model || 'unknown'); // keep the partial answer
      fail(msg);
      if (!controller.signal.aborted) void this.services.showError(e, 'Image question');
    } finally {
      this.asks.delete(m.requestId);
    }
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
    void vscode.window.showInformationMessage(`Exported ${coco.annotations.length} annotation(s) to ${path.basename(target.path)} (COCO JSON, no patient data).`);
  }

  private async attachToChat(m: Extract<FromPanel, { type: 'attachToChat' }>): Promise<void> {
    const commands = await vscode.commands.getCommands(true);
    if (!commands.includes('medgemma.chat.attachImage')) {
      void vscode.window.showInformationMessage('The MedGemma chat is not available in this version; use "Ask MedGemma" in the annotator instead.');
      return;
    }
    try {
      const attachment = await renderForChat(this.uri, { frame: m.frame, window: m.window, ctThreeWindows: m.ctThreeWindows });
      await vscode.commands.executeCommand('medgemma.chat.attachImage', attachment);
    } catch (e) {
      void vscode.window.showErrorMessage(isImageError(e) ? e.message : `The image could not be attached to the chat: ${(e as Error).message}.`);
    }
  }

  dispose(): void {
    for (const c of this.asks.values()) c.abort();
    for (const s of this.subs) s.dispose();
  }
}
