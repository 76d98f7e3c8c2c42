// MedGemma: Attach from Zotero… — the user's Zotero library, read-only: pick collections or
// items, and their PDFs are indexed under Zotero's metadata (core/papers/zotero). A re-run
// indexes only what is new or changed in Zotero.

import * as path from 'node:path';
import * as vscode from 'vscode';
import type { PaperLibrary } from '../../core/papers/library';
import { shortLabel } from '../../core/papers/meta';
import { attachZoteroItems, chosenItems, type ZoteroChoice } from '../../core/papers/zotero/attach';
import { type ZoteroCatalog, ZoteroError } from '../../core/papers/zotero/catalog';
import { findDataDir, readZotero } from '../../core/papers/zotero/read';
import type { KnownMeta, PaperRecord } from '../../core/papers/types';

export const ZOTERO_FOLDER = 'papers.zoteroFolder';

export interface ZoteroOutcome {
  records: PaperRecord[];
  unchanged: number;
  missing: number;
}

type Pick = vscode.QuickPickItem & { choice?: ZoteroChoice };

/** add: how the chosen files are indexed (attach.ts, with its progress and password prompts). */
export async function attachFromZotero(
  library: PaperLibrary,
  workerFile: string,
  log: vscode.LogOutputChannel,
  add: (files: string[], meta: (file: string) => KnownMeta | undefined) => Promise<PaperRecord[]>,
): Promise<ZoteroOutcome | undefined> {
  const catalog = await readCatalog(workerFile);
  if (!catalog) return undefined;
  if (!catalog.items.length) {
    void vscode.window.showInformationMessage(`Your Zotero library (${catalog.dataDir}) has no items with a PDF.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(picks(catalog), {
    canPickMany: true,
    title: 'Attach from Zotero',
    placeHolder: 'Tick collections or items to index their PDFs',
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  if (!picked?.length) return undefined;
  const choice: ZoteroChoice = { collections: [], items: [] };
  for (const p of picked) {
    if (p.choice?.all) choice.all = true;
    choice.collections!.push(...(p.choice?.collections ?? []));
    choice.items!.push(...(p.choice?.items ?? []));
  }
  const r = await attachZoteroItems(library, chosenItems(catalog, choice), {}, add);
  for (const m of r.missing) log.warn(`Zotero: ${m.item.title || m.item.key}: ${m.problem}`);
  if (r.missing.length) {
    void vscode.window.showWarningMessage(`${r.missing.length} Zotero attachment${r.missing.length === 1 ? ' is' : 's are'} not on this machine, so not indexed (Zotero may keep them online only: open the item in Zotero to download it).`, 'Show Details').then((a) => a && log.show(true));
  }
  if (!r.toIndex) void vscode.window.showInformationMessage(`Nothing new in Zotero: ${r.unchanged} PDF${r.unchanged === 1 ? ' is' : 's are'} already indexed as ${r.unchanged === 1 ? 'it is' : 'they are'} there.`);
  else if (r.unchanged) vscode.window.setStatusBarMessage(`$(check) Zotero: ${r.records.length} indexed, ${r.unchanged} unchanged`, 10_000);
  return { records: r.records, unchanged: r.unchanged, missing: r.missing.length };
}

/** The catalog, after finding the data folder (asking for it when it is not where Zotero keeps it by default). */
async function readCatalog(workerFile: string): Promise<ZoteroCatalog | undefined> {
  const setting = vscode.workspace.getConfiguration('medgemma').inspect<string>(ZOTERO_FOLDER);
  // The user's own settings only: a workspace does not choose which library is read.
  let configured = setting?.globalValue || undefined;
  for (;;) {
    try {
      const dataDir = await findDataDir(configured);
      const catalog = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'MedGemma: reading the Zotero library…' }, () => readZotero(dataDir, { workerFile }));
      if (catalog.stale) void vscode.window.showInformationMessage('Zotero is open and has changes not yet written to its database file: they are not listed. Close Zotero and run Attach from Zotero again to include them.');
      return catalog;
    } catch (e) {
      if (!(e instanceof ZoteroError)) throw e;
      const choose = 'Choose Zotero Data Folder…';
      if ((await vscode.window.showErrorMessage(e.message, choose)) !== choose) return undefined;
      const folder = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, title: 'Zotero data folder (the one with zotero.sqlite)', openLabel: 'Use This Folder' });
      if (!folder?.[0]) return undefined;
      configured = folder[0].fsPath;
      await vscode.workspace.getConfiguration('medgemma').update(ZOTERO_FOLDER, configured, vscode.ConfigurationTarget.Global);
    }
  }
}

function picks(catalog: ZoteroCatalog): Pick[] {
  const count = (n: number) => `${n} item${n === 1 ? '' : 's'} with PDFs`;
  const inCollection = new Map<number, number>();
  for (const i of catalog.items) for (const c of i.collections) inCollection.set(c, (inCollection.get(c) ?? 0) + 1);
  const out: Pick[] = [{ label: '$(library) Whole library', description: count(catalog.items.length), choice: { all: true } }];
  const collections = catalog.collections.filter((c) => inCollection.has(c.id) || catalog.collections.some((d) => d.parent === c.id));
  if (collections.length) out.push({ label: 'Collections', kind: vscode.QuickPickItemKind.Separator });
  for (const c of collections) out.push({ label: `$(folder) ${c.path}`, description: count(chosenItems(catalog, { collections: [c.id] }).length), choice: { collections: [c.id] } });
  out.push({ label: 'Items', kind: vscode.QuickPickItemKind.Separator });
  for (const i of catalog.items) {
    const meta = { title: i.title, authors: i.authors, year: i.year, pages: 0, zotero: { key: i.key, library: i.library } };
    const file = i.pdfs.find((p) => p.file)?.file;
    out.push({ label: i.title || (file ? path.basename(file) : i.key), description: [shortLabel(meta, ''), i.journal].filter(Boolean).join(' · '), choice: { items: [i.key] } });
  }
  return out;
}
