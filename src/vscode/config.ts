// Settings -> ServerConfig. Where patient text goes is read from user (or remote-machine)
// settings only: a value in a workspace's .vscode/settings.json is ignored even if the
// `machine` scope were bypassed, so a cloned repository cannot redirect notes.

import * as vscode from 'vscode';
import { DEFAULTS, makeConfig, normalizeBaseUrl, type ServerConfig } from '../core/server/config';

const SECTION = 'medgemma';

/** User-level value or the default; never the workspace or folder value. */
export function userSetting<T>(key: string): T | undefined {
  const i = vscode.workspace.getConfiguration(SECTION).inspect<T>(key);
  return i?.globalValue ?? i?.defaultValue;
}

/** Ordinary settings a workspace may tailor (templates, token limits). */
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
  });
  return { config, note };
}

export function affectsServer(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(`${SECTION}.server`) || e.affectsConfiguration(`${SECTION}.vision`);
}
