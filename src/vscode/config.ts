// Settings -> ServerConfig. Where patient text goes is read from user (or remote-machine)
// settings only: a value in a workspace's .vscode/settings.json is ignored even if the
// `machine` scope were bypassed, so a cloned repository cannot redirect notes. The same
// holds for what the model is told (summary templates, image prompts): promptSetting.

import * as path from 'node:path';
import * as vscode from 'vscode';
import { type ImageLimits, limitsFor } from '../core/images/limits';
import { isPrivacySetting, type PrivacySetting } from '../core/privacy/mode';
import { DEFAULTS, makeConfig, normalizeBaseUrl, type ServerConfig } from '../core/server/config';
import { ignoredWorkspaceSetting, userLevel } from './setting-layers';

const SECTION = 'medgemma';

/** User-level value or the default; never the workspace or folder value. */
export function userSetting<T>(key: string): T | undefined {
  return userLevel(vscode.workspace.getConfiguration(SECTION).inspect<T>(key)).value;
}

/** The annotator's limits, with the user's frame cap (a machine setting: no workspace raises it). */
export function imageLimits(): ImageLimits {
  return limitsFor(userSetting<number>('image.maxFrameMegapixels'));
}

const warned = new Set<string>();

/**
 * Settings that become instructions to the model: the user's value only. A workspace that
 * sets one is named once per window, so a template that seems to do nothing is explained.
 */
export function promptSetting<T>(key: string, fallback: T): T {
  const { value, ignored } = userLevel(vscode.workspace.getConfiguration(SECTION).inspect<T>(key));
  if (ignored && !warned.has(key)) {
    warned.add(key);
    void vscode.window.showWarningMessage(ignoredWorkspaceSetting(`${SECTION}.${key}`, settingsFile(ignored)));
  }
  return value ?? fallback;
}

/** The file a workspace or folder value comes from, as exactly as VS Code lets us know. */
function settingsFile(layer: 'workspace' | 'folder'): string {
  const ws = vscode.workspace.workspaceFile;
  if (layer === 'workspace' && ws?.scheme === 'file') return ws.fsPath;
  const folders = vscode.workspace.workspaceFolders ?? [];
  return folders.length === 1 ? path.join(folders[0].uri.fsPath, '.vscode', 'settings.json') : "a workspace folder's .vscode/settings.json";
}

/** Ordinary settings a workspace may tailor (token limits, temperature, the default template's id). */
export function setting<T>(key: string, fallback: T): T {
  return vscode.workspace.getConfiguration(SECTION).get<T>(key, fallback);
}

export function readServerConfig(): { config: ServerConfig; note?: string } {
  const raw = userSetting<string>('server.baseUrl') || undefined;
  let note: string | undefined;
  try {
    note = raw ? normalizeBaseUrl(raw).note : undefined;
  } catch {
    note = undefined; // makeConfig throws the readable error below
  }
  const seconds = (key: string, fallback: number) => {
    const v = userSetting<number>(key);
    return typeof v === 'number' && v > 0 ? v * 1000 : fallback;
  };
  const config = makeConfig({
    baseUrl: raw,
    model: userSetting<string>('server.model') ?? '',
    connectTimeoutMs: seconds('server.connectTimeoutSeconds', DEFAULTS.connectTimeoutMs),
    idleTimeoutMs: seconds('server.idleTimeoutSeconds', DEFAULTS.idleTimeoutMs),
    vision: {
      baseUrl: userSetting<string>('vision.baseUrl') || undefined,
      model: userSetting<string>('vision.model') || undefined,
    },
    embeddings: embeddingSetting(),
    privacy: privacySetting(),
    contextLength: positive(userSetting<number>('server.contextLength')),
    tokenCommand: userSetting<string>('server.tokenCommand')?.trim() || undefined,
  });
  return { config, note };
}

/** The embedding model for papers, if the user set one (an address alone means nothing). */
function embeddingSetting(): ServerConfig['embeddings'] {
  const model = userSetting<string>('papers.embeddingModel')?.trim();
  return model ? { model, baseUrl: userSetting<string>('papers.embeddingUrl')?.trim() || undefined } : undefined;
}

const positive = (n: unknown): number | undefined => (typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined);

/** The user's privacy mode; an unknown value counts as the default, `auto`. */
export function privacySetting(): PrivacySetting {
  const v = userSetting<string>('privacy.mode');
  return isPrivacySetting(v) ? v : 'auto';
}

export function affectsServer(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(`${SECTION}.server`) || e.affectsConfiguration(`${SECTION}.vision`) || e.affectsConfiguration(`${SECTION}.privacy`) || e.affectsConfiguration(`${SECTION}.papers.embeddingModel`) || e.affectsConfiguration(`${SECTION}.papers.embeddingUrl`);
}
