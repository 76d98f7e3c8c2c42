// Which layer of a setting MedGemma uses, as plain data (no vscode import, so it is unit
// tested): for settings that decide where patient text goes or what the model is told, the
// user's (or remote machine's) value, never a workspace's or folder's. A repository someone
// cloned must not redirect notes or rewrite the instructions a summary is written under.

/** The shape of WorkspaceConfiguration.inspect(key). */
export interface SettingLayers<T> {
  key: string;
  defaultValue?: T;
  globalValue?: T;
  workspaceValue?: T;
  workspaceFolderValue?: T;
  defaultLanguageValue?: T;
  globalLanguageValue?: T;
  workspaceLanguageValue?: T;
  workspaceFolderLanguageValue?: T;
}

export interface UserLevel<T> {
  /** The user's value, else the default. */
  value: T | undefined;
  /** Where a value that was ignored is set: the workspace (its settings file) or a folder's .vscode/settings.json. */
  ignored?: 'workspace' | 'folder';
}

export function userLevel<T>(layers: SettingLayers<T> | undefined): UserLevel<T> {
  const value = layers?.globalValue ?? layers?.defaultValue;
  if (layers?.workspaceValue !== undefined || layers?.workspaceLanguageValue !== undefined) return { value, ignored: 'workspace' };
  if (layers?.workspaceFolderValue !== undefined || layers?.workspaceFolderLanguageValue !== undefined) return { value, ignored: 'folder' };
  return { value };
}

/** Said once per setting and window when a workspace sets one of these. */
export function ignoredWorkspaceSetting(key: string, file: string): string {
  return `MedGemma ignores "${key}" in ${file}: a workspace cannot change what the model is told. If you wrote it, copy it to your user settings (Preferences: Open User Settings (JSON)).`;
}
