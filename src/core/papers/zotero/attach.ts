// From a Zotero catalog to the papers index: which items a choice of collections and items
// means, the metadata each PDF is indexed under, and which PDFs are new or changed since the
// last import (the others are not read again). Shared by the CLI and the editor.

import { promises as fs } from 'node:fs';
import type { AddOptions, PaperLibrary } from '../library';
import { sameKnownMeta } from '../meta';
import type { KnownMeta, PaperRecord } from '../types';
import type { ZoteroCatalog, ZoteroCollection, ZoteroItem } from './catalog';

export interface ZoteroChoice {
  /** Collection ids: their items and their subcollections' items. */
  collections?: number[];
  /** Item keys. */
  items?: string[];
  /** Every item with a PDF. */
  all?: boolean;
}

/** The items a choice means, each once, in the catalog's order. */
export function chosenItems(catalog: ZoteroCatalog, choice: ZoteroChoice): ZoteroItem[] {
  if (choice.all) return catalog.items;
  const wanted = new Set<number>();
  const children = new Map<number, number[]>();
  for (const c of catalog.collections) if (c.parent !== undefined) children.set(c.parent, [...(children.get(c.parent) ?? []), c.id]);
  const visit = (id: number) => {
    if (wanted.has(id)) return;
    wanted.add(id);
    for (const child of children.get(id) ?? []) visit(child);
  };
  for (const id of choice.collections ?? []) visit(id);
  const keys = new Set(choice.items ?? []);
  return catalog.items.filter((i) => keys.has(i.key) || i.collections.some((c) => wanted.has(c)));
}

/** Collections named so (case-insensitive; a name or a "Parent / Child" path). */
export function collectionsNamed(catalog: ZoteroCatalog, name: string): ZoteroCollection[] {
  const n = name.trim().toLowerCase();
  return catalog.collections.filter((c) => c.name.toLowerCase() === n || c.path.toLowerCase() === n);
}

/** What a paper from this item is indexed under (pages come from the PDF). */
export function metaOf(item: ZoteroItem): KnownMeta {
  const meta: KnownMeta = { title: item.title, authors: item.authors, zotero: { key: item.key, library: item.library } };
  if (item.year) meta.year = item.year;
  if (item.journal) meta.journal = item.journal;
  if (item.doi) meta.doi = item.doi;
  return meta;
}

export interface ZoteroImport {
  /** What indexing gave, for the new and changed PDFs. */
  records: PaperRecord[];
  /** PDFs already indexed as they are, with the same metadata: not read again. */
  unchanged: number;
  /** PDFs that are not on this machine, with why. */
  missing: { item: ZoteroItem; problem: string }[];
  /** PDFs to index (stopped early: fewer records than this). */
  toIndex: number;
}

/**
 * Indexes the items' PDFs that are new or changed, under Zotero's metadata. add: how the files
 * are indexed (the editor's progress and password prompts); default library.add with opts.
 */
export async function attachZoteroItems(
  library: PaperLibrary,
  items: ZoteroItem[],
  opts: AddOptions = {},
  add: (files: string[], meta: (file: string) => KnownMeta | undefined) => Promise<PaperRecord[]> = (files, meta) => library.add(files, { ...opts, meta }),
): Promise<ZoteroImport> {
  const meta = new Map<string, KnownMeta>();
  const missing: ZoteroImport['missing'] = [];
  let unchanged = 0;
  for (const item of items) {
    for (const pdf of item.pdfs) {
      if (!pdf.file) {
        missing.push({ item, problem: pdf.problem ?? `Attachment ${pdf.key} has no file on this machine.` });
        continue;
      }
      if (!(await fs.stat(pdf.file).catch(() => undefined))?.isFile()) {
        missing.push({ item, problem: `${pdf.file} is not on this machine (Zotero may keep only a link, or the file is in its online storage: open the item in Zotero to download it).` });
        continue;
      }
      const m = metaOf(item);
      const rec = await library.findByFile(pdf.file);
      if (!opts.force && rec?.state === 'indexed' && !(await library.isStale(pdf.file)) && sameKnownMeta(rec.meta, m)) {
        unchanged++;
        continue;
      }
      meta.set(pdf.file, m);
    }
  }
  const files = [...meta.keys()];
  const records = files.length ? await add(files, (f) => meta.get(f)) : [];
  return { records, unchanged, missing, toIndex: files.length };
}
