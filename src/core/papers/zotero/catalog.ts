// What a Zotero library holds that the papers index can use: collections, and the items that
// have a PDF, with Zotero's metadata (title, authors, year, journal, DOI), read from a copy of
// zotero.sqlite with SQLite itself (sql.js) and never written. Only the tables and columns
// named here are read (Zotero's schema, stable since Zotero 5); an older or damaged database
// gives one sentence, not a crash. The values are bounded and stripped of control characters:
// they end up in labels, citations and the model's prompt.

import * as path from 'node:path';
import type { Database, SqlValue } from 'sql.js';

export interface ZoteroPdf {
  /** The attachment's Zotero key. */
  key: string;
  /** Where the PDF is on this machine; absent with a problem when it cannot be resolved. */
  file?: string;
  problem?: string;
}

export interface ZoteroItem {
  /** The parent item's key (the attachment's own for a standalone PDF). */
  key: string;
  library: number;
  itemType: string;
  title: string;
  /** "Last, First" (or an institution's one name), in Zotero's order. */
  authors: string[];
  year?: number;
  journal?: string;
  doi?: string;
  /** Collection ids the item is in. */
  collections: number[];
  pdfs: ZoteroPdf[];
}

export interface ZoteroCollection {
  id: number;
  name: string;
  /** "Parent / Child" */
  path: string;
  parent?: number;
  library: number;
}

export interface ZoteroCatalog {
  dataDir: string;
  collections: ZoteroCollection[];
  items: ZoteroItem[];
}

export class ZoteroError extends Error {}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\0-\x1f]/;
const LIMIT = { title: 500, author: 200, authors: 100, journal: 300, doi: 200, items: 200_000 };
const JOURNAL_FIELDS = ['publicationTitle', 'proceedingsTitle', 'bookTitle', 'journalAbbreviation'];
const FIELDS = ['title', 'date', 'DOI', ...JOURNAL_FIELDS];

/** Reads the catalog from an open database of a Zotero data folder (dataDir resolves stored files). */
export function readCatalog(db: Database, dataDir: string): ZoteroCatalog {
  const have = new Set(rows(db, "SELECT name FROM sqlite_master WHERE type IN ('table','view')").map((r) => String(r[0])));
  const needed = ['items', 'itemTypes', 'itemAttachments', 'itemData', 'itemDataValues', 'fields', 'creators', 'itemCreators', 'creatorTypes', 'collections', 'collectionItems'];
  const missing = needed.filter((t) => !have.has(t));
  if (missing.length) throw new ZoteroError(`This is not a Zotero 5 (or later) database: it has no ${missing.join(', ')} table${missing.length > 1 ? 's' : ''}. Choose the zotero.sqlite of your Zotero data folder (Zotero → Settings → Advanced → Files and Folders shows where it is).`);
  const trashed = have.has('deletedItems') ? new Set(rows(db, 'SELECT itemID FROM deletedItems').map((r) => Number(r[0]))) : new Set<number>();
  const trashedCollections = have.has('deletedCollections') ? new Set(rows(db, 'SELECT collectionID FROM deletedCollections').map((r) => Number(r[0]))) : new Set<number>();

  const attachments = rows(
    db,
    `SELECT a.itemID, a.parentItemID, a.linkMode, a.contentType, a.path, i.key, i.libraryID
       FROM itemAttachments a JOIN items i ON i.itemID = a.itemID
      WHERE a.contentType = 'application/pdf' OR lower(a.path) LIKE '%.pdf'
      ORDER BY a.itemID LIMIT ${LIMIT.items}`,
  );
  const items = new Map<number, ZoteroItem>();
  for (const [attId, parentId, linkMode, , storedPath, attKey, library] of attachments) {
    const id = Number(attId);
    const parent = parentId === null ? undefined : Number(parentId);
    if (trashed.has(id) || (parent !== undefined && trashed.has(parent))) continue;
    const pdf = resolvePdf(dataDir, text(attKey, 20), Number(linkMode), storedPath === null ? '' : String(storedPath));
    if (!pdf) continue;
    const owner = parent ?? id;
    let item = items.get(owner);
    if (!item) items.set(owner, (item = { key: parent === undefined ? pdf.key : '', library: Number(library), itemType: '', title: '', authors: [], collections: [], pdfs: [] }));
    item.pdfs.push(pdf);
  }
  if (!items.size) return { dataDir, collections: collectionsOf(db, trashedCollections), items: [] };

  const ids = [...items.keys()].join(',');
  for (const [id, key, type] of rows(db, `SELECT i.itemID, i.key, t.typeName FROM items i JOIN itemTypes t ON t.itemTypeID = i.itemTypeID WHERE i.itemID IN (${ids})`)) {
    const item = items.get(Number(id))!;
    item.key ||= text(key, 20);
    item.itemType = text(type, 50);
  }
  const fieldList = FIELDS.map((f) => `'${f}'`).join(',');
  const values = new Map<number, Map<string, string>>();
  for (const [id, field, value] of rows(db, `SELECT d.itemID, f.fieldName, v.value FROM itemData d JOIN fields f ON f.fieldID = d.fieldID JOIN itemDataValues v ON v.valueID = d.valueID WHERE d.itemID IN (${ids}) AND f.fieldName IN (${fieldList})`)) {
    let m = values.get(Number(id));
    if (!m) values.set(Number(id), (m = new Map()));
    m.set(String(field), String(value ?? ''));
  }
  for (const [id, item] of items) {
    const v = values.get(id) ?? new Map<string, string>();
    item.title = text(v.get('title'), LIMIT.title);
    const year = /^(\d{4})/.exec(v.get('date') ?? '')?.[1];
    if (year && Number(year) > 0) item.year = Number(year);
    const journal = JOURNAL_FIELDS.map((f) => text(v.get(f), LIMIT.journal)).find(Boolean);
    if (journal) item.journal = journal;
    const doi = text(v.get('DOI'), LIMIT.doi);
    if (doi) item.doi = doi;
  }
  const creators = rows(
    db,
    `SELECT ic.itemID, c.firstName, c.lastName, c.fieldMode, t.creatorType
       FROM itemCreators ic JOIN creators c ON c.creatorID = ic.creatorID JOIN creatorTypes t ON t.creatorTypeID = ic.creatorTypeID
      WHERE ic.itemID IN (${ids}) ORDER BY ic.itemID, ic.orderIndex`,
  );
  const byItem = new Map<number, { name: string; author: boolean }[]>();
  for (const [id, first, last, mode, type] of creators) {
    const l = text(last, LIMIT.author);
    const f = text(first, LIMIT.author);
    // One field (an organisation), or a first name alone: the name as it is, never ", Anne".
    const name = Number(mode) === 1 || !f ? l : !l ? f : `${l}, ${f}`;
    if (!name) continue;
    let list = byItem.get(Number(id));
    if (!list) byItem.set(Number(id), (list = []));
    list.push({ name, author: type === 'author' });
  }
  for (const [id, list] of byItem) {
    const authors = list.some((c) => c.author) ? list.filter((c) => c.author) : list;
    items.get(id)!.authors = authors.slice(0, LIMIT.authors).map((c) => c.name);
  }
  for (const [collectionId, itemId] of rows(db, `SELECT collectionID, itemID FROM collectionItems WHERE itemID IN (${ids})`)) {
    if (!trashedCollections.has(Number(collectionId))) items.get(Number(itemId))?.collections.push(Number(collectionId));
  }
  return { dataDir, collections: collectionsOf(db, trashedCollections), items: [...items.values()] };
}

function collectionsOf(db: Database, trashed: Set<number>): ZoteroCollection[] {
  const raw = rows(db, 'SELECT collectionID, collectionName, parentCollectionID, libraryID FROM collections').filter((r) => !trashed.has(Number(r[0])));
  const byId = new Map(raw.map(([id, name, parent, library]) => [Number(id), { id: Number(id), name: text(name, 200) || '(unnamed)', parent: parent === null ? undefined : Number(parent), library: Number(library), path: '' }]));
  const pathOf = (c: ZoteroCollection, depth = 0): string => {
    const p = c.parent !== undefined ? byId.get(c.parent) : undefined;
    // A cycle in a damaged database ends the path rather than the process.
    return p && depth < 20 ? `${pathOf(p, depth + 1)} / ${c.name}` : c.name;
  };
  for (const c of byId.values()) c.path = pathOf(c);
  return [...byId.values()].sort((a, b) => a.path.localeCompare(b.path));
}

/** Where an attachment's file is: a stored file in storage/<key>/, or a linked file's absolute path. */
function resolvePdf(dataDir: string, key: string, linkMode: number, stored: string): ZoteroPdf | undefined {
  if (!/^[A-Z0-9]{1,20}$/i.test(key)) return undefined;
  if (linkMode === 3 || linkMode === 4) return undefined; // a web link or an embedded image: no PDF file
  if (stored.startsWith('storage:')) {
    const name = stored.slice('storage:'.length);
    if (!name || name.includes('/') || name.includes('\\') || name === '.' || name === '..' || CONTROL.test(name)) return { key, problem: `Zotero's stored file name of attachment ${key} is not a plain file name.` };
    return { key, file: path.join(dataDir, 'storage', key, name) };
  }
  if (stored.startsWith('attachments:')) {
    return { key, problem: `Attachment ${key} is linked relative to Zotero's base directory (Settings → Advanced → Files and Folders), which MedGemma does not read. Attach its PDF directly.` };
  }
  if (linkMode === 2 && path.isAbsolute(stored) && !CONTROL.test(stored)) return { key, file: path.normalize(stored) };
  return { key, problem: `Attachment ${key} has no file on this machine.` };
}

function rows(db: Database, sql: string): SqlValue[][] {
  try {
    return db.exec(sql)[0]?.values ?? [];
  } catch (e) {
    throw new ZoteroError(`The Zotero database could not be read (${e instanceof Error ? e.message : String(e)}). If Zotero is updating it, close Zotero and try again.`);
  }
}

/** A database value as bounded plain text (control characters removed). */
function text(v: SqlValue | undefined, max: number): string {
  if (v === null || v === undefined || v instanceof Uint8Array) return '';
  // eslint-disable-next-line no-control-regex
  return String(v).replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, ' ').replace(/\s+/g, ' ').trim().slice(0, max);
}
