// A small Zotero data folder built by the tests (never a real one): zotero.sqlite with the
// tables and columns of Zotero's published schema that the reader uses, written by SQLite
// (sql.js), and storage/<attachment key>/<file>.pdf beside it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import initSqlJs from 'sql.js/dist/sql-wasm-inline.js';

export interface FakePdf {
  key: string;
  /** The file to copy into storage/<key>/ (absent: the attachment's file is missing). */
  from?: string;
  name?: string;
  /** Zotero's path column as stored; default "storage:<name>". */
  storedPath?: string;
  /** 0 imported file (default), 2 linked file, 3 linked URL. */
  linkMode?: number;
  contentType?: string;
  trashed?: boolean;
}

export interface FakeItem {
  key: string;
  type?: string;
  title?: string;
  /** [first, last] or [name] (one-field), authors unless a third element names another creator type. */
  creators?: ([string, string] | [string] | [string, string, string])[];
  date?: string;
  journal?: string;
  doi?: string;
  collections?: string[];
  pdfs: FakePdf[];
  trashed?: boolean;
  /** A standalone PDF: the item is the attachment itself. */
  standalone?: boolean;
}

const SCHEMA = `
CREATE TABLE version (schema TEXT PRIMARY KEY, version INT NOT NULL);
CREATE TABLE libraries (libraryID INTEGER PRIMARY KEY, type TEXT NOT NULL, editable INT NOT NULL, filesEditable INT NOT NULL);
CREATE TABLE itemTypes (itemTypeID INTEGER PRIMARY KEY, typeName TEXT, templateItemTypeID INT, display INT DEFAULT 1);
CREATE TABLE items (itemID INTEGER PRIMARY KEY, itemTypeID INT NOT NULL, dateAdded TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, dateModified TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, clientDateModified TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, libraryID INT NOT NULL, key TEXT NOT NULL, version INT NOT NULL DEFAULT 0, synced INT NOT NULL DEFAULT 0, UNIQUE (libraryID, key));
CREATE TABLE fields (fieldID INTEGER PRIMARY KEY, fieldName TEXT, fieldFormatID INT);
CREATE TABLE itemDataValues (valueID INTEGER PRIMARY KEY, value UNIQUE);
CREATE TABLE itemData (itemID INT, fieldID INT, valueID, PRIMARY KEY (itemID, fieldID));
CREATE TABLE creatorTypes (creatorTypeID INTEGER PRIMARY KEY, creatorType TEXT);
CREATE TABLE creators (creatorID INTEGER PRIMARY KEY, firstName TEXT NOT NULL, lastName TEXT NOT NULL, fieldMode INT, UNIQUE (lastName, firstName, fieldMode));
CREATE TABLE itemCreators (itemID INT NOT NULL, creatorID INT NOT NULL, creatorTypeID INT NOT NULL DEFAULT 1, orderIndex INT NOT NULL DEFAULT 0, PRIMARY KEY (itemID, creatorID, creatorTypeID, orderIndex));
CREATE TABLE collections (collectionID INTEGER PRIMARY KEY, collectionName TEXT NOT NULL, parentCollectionID INT DEFAULT NULL, clientDateModified TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, libraryID INT NOT NULL, key TEXT NOT NULL, version INT NOT NULL DEFAULT 0, synced INT NOT NULL DEFAULT 0);
CREATE TABLE collectionItems (collectionID INT NOT NULL, itemID INT NOT NULL, orderIndex INT NOT NULL DEFAULT 0, PRIMARY KEY (collectionID, itemID));
CREATE TABLE itemAttachments (itemID INTEGER PRIMARY KEY, parentItemID INT, linkMode INT, contentType TEXT, charsetID INT, path TEXT, syncState INT DEFAULT 0, storageModTime INT, storageHash TEXT, lastProcessedModificationTime INT);
CREATE TABLE deletedItems (itemID INTEGER PRIMARY KEY, dateDeleted DEFAULT CURRENT_TIMESTAMP NOT NULL);
CREATE TABLE deletedCollections (collectionID INTEGER PRIMARY KEY, dateDeleted DEFAULT CURRENT_TIMESTAMP NOT NULL);
INSERT INTO version VALUES ('userdata', 120);
INSERT INTO libraries VALUES (1, 'user', 1, 1);
INSERT INTO itemTypes (itemTypeID, typeName) VALUES (2, 'book'), (3, 'attachment'), (22, 'journalArticle'), (28, 'note');
INSERT INTO fields (fieldID, fieldName) VALUES (1, 'title'), (6, 'date'), (12, 'publicationTitle'), (26, 'DOI'), (38, 'journalAbbreviation');
INSERT INTO creatorTypes VALUES (8, 'author'), (10, 'editor');
`;

/** Writes the data folder; returns its path. collections: names, or "Parent/Child" for nested ones. */
export async function makeZoteroLibrary(dataDir: string, items: FakeItem[], collections: string[] = []): Promise<string> {
  const SQL = await initSqlJs();
  const db = new SQL.Database();
  db.exec(SCHEMA);
  const typeId: Record<string, number> = { book: 2, attachment: 3, journalArticle: 22 };
  let nextItem = 1;
  let nextValue = 1;
  let nextCreator = 1;
  const values = new Map<string, number>();
  const setField = (itemId: number, fieldId: number, value: string | undefined) => {
    if (value === undefined) return;
    let v = values.get(value);
    if (v === undefined) {
      values.set(value, (v = nextValue++));
      db.run('INSERT INTO itemDataValues VALUES (?, ?)', [v, value]);
    }
    db.run('INSERT INTO itemData VALUES (?, ?, ?)', [itemId, fieldId, v]);
  };
  const collectionIds = new Map<string, number>();
  collections.forEach((c, i) => {
    const parts = c.split('/');
    const parent = parts.length > 1 ? collectionIds.get(parts.slice(0, -1).join('/')) : null;
    db.run('INSERT INTO collections (collectionID, collectionName, parentCollectionID, libraryID, key) VALUES (?, ?, ?, 1, ?)', [i + 1, parts.at(-1)!, parent ?? null, `COLL${i + 1}`]);
    collectionIds.set(c, i + 1);
  });
  for (const item of items) {
    let parentId: number | null = null;
    if (!item.standalone) {
      parentId = nextItem++;
      db.run('INSERT INTO items (itemID, itemTypeID, libraryID, key) VALUES (?, ?, 1, ?)', [parentId, typeId[item.type ?? 'journalArticle'], item.key]);
      setField(parentId, 1, item.title);
      setField(parentId, 6, item.date);
      setField(parentId, 12, item.journal);
      setField(parentId, 26, item.doi);
      (item.creators ?? []).forEach((c, order) => {
        const [first, last, type] = c.length === 1 ? ['', c[0], undefined] : c;
        const id = nextCreator++;
        db.run('INSERT INTO creators VALUES (?, ?, ?, ?)', [id, first, last, c.length === 1 ? 1 : 0]);
        db.run('INSERT INTO itemCreators VALUES (?, ?, ?, ?)', [parentId, id, type === 'editor' ? 10 : 8, order]);
      });
      if (item.trashed) db.run('INSERT INTO deletedItems (itemID) VALUES (?)', [parentId]);
    }
    for (const pdf of item.pdfs) {
      const id = nextItem++;
      const name = pdf.name ?? `${pdf.key.toLowerCase()}.pdf`;
      db.run('INSERT INTO items (itemID, itemTypeID, libraryID, key) VALUES (?, 3, 1, ?)', [id, pdf.key]);
      db.run('INSERT INTO itemAttachments (itemID, parentItemID, linkMode, contentType, path) VALUES (?, ?, ?, ?, ?)', [id, parentId, pdf.linkMode ?? 0, pdf.contentType ?? 'application/pdf', pdf.storedPath ?? `storage:${name}`]);
      if (item.standalone) {
        setField(id, 1, item.title);
        for (const c of item.collections ?? []) db.run('INSERT INTO collectionItems (collectionID, itemID) VALUES (?, ?)', [collectionIds.get(c)!, id]);
      }
      if (pdf.trashed) db.run('INSERT INTO deletedItems (itemID) VALUES (?)', [id]);
      // Zotero leaves a stored file alone when only the item's data changes: so does a rebuild here.
      const stored = path.join(dataDir, 'storage', pdf.key, name);
      if (pdf.from && !fs.existsSync(stored)) {
        fs.mkdirSync(path.dirname(stored), { recursive: true });
        fs.copyFileSync(pdf.from, stored);
      }
    }
    if (parentId !== null) for (const c of item.collections ?? []) db.run('INSERT INTO collectionItems (collectionID, itemID) VALUES (?, ?)', [collectionIds.get(c)!, parentId]);
  }
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(path.join(dataDir, 'zotero.sqlite'), db.export());
  db.close();
  return dataDir;
}
