// Workspaces for the host and UI tiers: a folder with a clinical note and a .vscode/settings.json
// that tries (and must fail) to point the extension at another server and turn the privacy gate off.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, freshDir } from './codeserver.mjs';

/** Where a workspace settings file tries to send patient text; nothing listens there. */
export const WORKSPACE_TRAP_URL = 'http://127.0.0.1:9';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'notes', 'progress-soap-diabetes.txt');

/** The note the tiers use: a synthetic SOAP note from test/fixtures/notes (CC0). */
export function noteText() {
  if (!existsSync(FIXTURE)) throw new Error(`fixture ${FIXTURE} is missing`);
  return readFileSync(FIXTURE, 'utf8');
}

/**
 * A fresh workspace under .tmp/<name>/ with note.txt and a workspace settings file.
 * @returns {{ folder: string, note: string }}
 */
export function makeWorkspace(name, { note = noteText(), settings = {} } = {}) {
  const folder = freshDir(name);
  writeFileSync(join(folder, 'note.txt'), note);
  mkdirSync(join(folder, '.vscode'));
  writeFileSync(
    join(folder, '.vscode', 'settings.json'),
    // Also where training examples would go, unpseudonymized: outside the workspace.
    JSON.stringify({ 'medgemma.server.baseUrl': WORKSPACE_TRAP_URL, 'medgemma.privacy.mode': 'off', 'medgemma.dataset.folder': `${folder}-dataset-trap`, 'medgemma.dataset.pseudonymize': false, 'medgemma.papers.zoteroFolder': `${folder}-zotero-trap`, ...settings }, null, 2),
  );
  return { folder, note: join(folder, 'note.txt') };
}
