// Zotero import, case by case (core/papers/zotero): every bound and branch of catalog.ts over
// small Zotero databases built here with sql.js, parse.ts's answers, read.ts's data folder
// search, size limits and worker thread (stand-in worker scripts), and attach.ts's choices
// and messages with a stand-in library. Temporary files live in one folder removed at the end.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SqlValue } from 'sql.js';
import initSqlJs from 'sql.js/dist/sql-wasm-inline.js';
import type { PaperLibrary } from '../../../src/core/papers/library';
import type { KnownMeta, PaperRecord } from '../../../src/core/papers/types';
import { attachZoteroItems, chosenItems, collectionsNamed, metaOf } from '../../../src/core/papers/zotero/attach';
import { readCatalog, type ZoteroCatalog, type ZoteroCollection, ZoteroError, type ZoteroItem } from '../../../src/core/papers/zotero/catalog';
import { catalogFromBytes } from '../../../src/core/papers/zotero/parse';
import { defaultDataDirs, findDataDir, readZotero, ZOTERO_DB } from '../../../src/core/papers/zotero/read';

/** The data folder the catalog tests resolve stored files under (never touched on disk). */
const DATA = path.join(path.sep, 'data', 'Zotero');
const stored = (key: string, name: string) => path.join(DATA, 'storage', key, name);

const TABLES: Record<string, string> = {
  items: 'items (itemID INTEGER PRIMARY KEY, itemTypeID INT, libraryID INT, key TEXT)', itemTypes: 'itemTypes (itemTypeID INTEGER PRIMARY KEY, typeName TEXT)',
  itemAttachments: 'itemAttachments (itemID INTEGER PRIMARY KEY, parentItemID INT, linkMode INT, contentType TEXT, path TEXT)', itemData: 'itemData (itemID INT, fieldID INT, valueID INT)',
  itemDataValues: 'itemDataValues (valueID INTEGER PRIMARY KEY, value)', fields: 'fields (fieldID INTEGER PRIMARY KEY, fieldName TEXT)',
  creators: 'creators (creatorID INTEGER PRIMARY KEY, firstName TEXT, lastName TEXT, fieldMode INT)', itemCreators: 'itemCreators (itemID INT, creatorID INT, creatorTypeID INT, orderIndex INT)',
  creatorTypes: 'creatorTypes (creatorTypeID INTEGER PRIMARY KEY, creatorType TEXT)', collections: 'collections (collectionID INTEGER PRIMARY KEY, collectionName TEXT, parentCollectionID INT, libraryID INT)',
  collectionItems: 'collectionItems (collectionID INT, itemID INT)', deletedItems: 'deletedItems (itemID INTEGER PRIMARY KEY)',
  deletedCollections: 'deletedCollections (collectionID INTEGER PRIMARY KEY)',
};

let SQL: Awaited<ReturnType<typeof initSqlJs>>;

/** A Zotero database with only the tables and columns the reader uses, filled row by row. */
class Zdb {
  readonly db = new SQL.Database();
  private readonly ids = new Map<string, number>();
  private next = 1;

  constructor(opts: { omit?: string[]; replace?: Record<string, string> } = {}) {
    for (const [name, sql] of Object.entries(TABLES)) if (!opts.omit?.includes(name)) this.db.exec(`CREATE TABLE ${opts.replace?.[name] ?? sql}`);
  }

  /** The id of a row in a table of names (item types, fields, creator types), made on first use. */
  private idOf(table: string, value: string): number {
    const known = this.ids.get(`${table}:${value}`);
    if (known !== undefined) return known;
    this.ids.set(`${table}:${value}`, this.next);
    this.db.run(`INSERT INTO ${table} VALUES (?, ?)`, [this.next, value]);
    return this.next++;
  }

  private run = (sql: string, values: SqlValue[]): this => (this.db.run(sql, values), this);
  item = (id: number, key: SqlValue, type = 'journalArticle', library = 1) => this.run('INSERT INTO items VALUES (?, ?, ?, ?)', [id, this.idOf('itemTypes', type), library, key]);
  attachment = (id: number, key: SqlValue, parent: number | null, a: { path?: string | null; linkMode?: number | null; contentType?: string | null; library?: number } = {}) =>
    this.item(id, key, 'attachment', a.library ?? 1).run('INSERT INTO itemAttachments VALUES (?, ?, ?, ?, ?)', [id, parent, 'linkMode' in a ? (a.linkMode ?? null) : 0, 'contentType' in a ? (a.contentType ?? null) : 'application/pdf', 'path' in a ? (a.path ?? null) : 'storage:paper.pdf']);
  field = (id: number, name: string, value: SqlValue, v = this.next++) => this.run('INSERT INTO itemDataValues VALUES (?, ?)', [v, value]).run('INSERT INTO itemData VALUES (?, ?, ?)', [id, this.idOf('fields', name), v]);
  creator = (id: number, order: number, first: SqlValue, last: SqlValue, mode = 0, type = 'author', c = this.next++) =>
    this.run('INSERT INTO creators VALUES (?, ?, ?, ?)', [c, first, last, mode]).run('INSERT INTO itemCreators VALUES (?, ?, ?, ?)', [id, c, this.idOf('creatorTypes', type), order]);
  collection = (id: number, name: SqlValue, parent: number | null = null, library = 1) => this.run('INSERT INTO collections VALUES (?, ?, ?, ?)', [id, name, parent, library]);
  file = (collectionId: number, itemId: number) => this.run('INSERT INTO collectionItems VALUES (?, ?)', [collectionId, itemId]);
  trash = (itemId: number) => this.run('INSERT INTO deletedItems VALUES (?)', [itemId]);
  trashCollection = (id: number) => this.run('INSERT INTO deletedCollections VALUES (?)', [id]);
  read = (): ZoteroCatalog => readCatalog(this.db, DATA);
  /** The one item of the catalog. */
  only = (): ZoteroItem => (assert.equal(this.read().items.length, 1, JSON.stringify(this.read().items)), this.read().items[0]);
}

/** An item as the catalog gives it: the defaults of an item with nothing but a key. */
const item = (over: Partial<ZoteroItem>): ZoteroItem => ({ key: '', library: 1, itemType: 'journalArticle', title: '', authors: [], collections: [], pdfs: [], ...over });
/** A parent item 1 (key PARENT01) with one stored PDF attachment 2 (key ATTACH01). */
const withPdf = (z = new Zdb()) => z.item(1, 'PARENT01').attachment(2, 'ATTACH01', 1);
const PAPER = { key: 'ATTACH01', file: stored('ATTACH01', 'paper.pdf') };

const NOT_PLAIN = { key: 'ATTACH01', problem: "Zotero's stored file name of attachment ATTACH01 is not a plain file name." };
const NO_FILE = { key: 'ATTACH01', problem: 'Attachment ATTACH01 has no file on this machine.' };
const BASE_DIR = { key: 'ATTACH01', problem: "Attachment ATTACH01 is linked relative to Zotero's base directory (Settings → Advanced → Files and Folders), which MedGemma does not read. Attach its PDF directly." };
const ALL_TABLES = 'items, itemTypes, itemAttachments, itemData, itemDataValues, fields, creators, itemCreators, creatorTypes, collections, collectionItems';
const notZotero = (list: string, s: string) =>
  `This is not a Zotero 5 (or later) database: it has no ${list} table${s}. Choose the zotero.sqlite of your Zotero data folder (Zotero → Settings → Advanced → Files and Folders shows where it is).`;
/** An assert.throws/rejects check: a ZoteroError with exactly this message. */
const zoteroError = (message: string) => (e: Error) => e instanceof ZoteroError && e.message === message;

let tmp: string;
/** A fresh folder inside this file's temporary folder. */
const folder = (name: string) => fs.mkdtempSync(path.join(tmp, `${name}-`));
/** A folder holding a zotero.sqlite. */
const withDb = (dir: string) => (fs.mkdirSync(dir, { recursive: true }), fs.writeFileSync(path.join(dir, ZOTERO_DB), 'x'), dir);

describe('papers: Zotero, case by case', function () {
  this.timeout(20_000);
  before(async () => {
    SQL = await initSqlJs();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-zotero-cases-'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  describe('catalog: tables, attachments and keys', () => {
    it('names every missing table in the order it needs them, in the plural for two or more and the singular for one; a view counts', () => {
      assert.throws(() => readCatalog(new SQL.Database(), DATA), zoteroError(notZotero(ALL_TABLES, 's')));
      assert.throws(() => new Zdb({ omit: ['items', 'creatorTypes'] }).read(), zoteroError(notZotero('items, creatorTypes', 's')));
      assert.throws(() => new Zdb({ omit: ['collectionItems'] }).read(), zoteroError(notZotero('collectionItems', '')));
      const z = new Zdb({ omit: ['fields'] });
      z.db.exec("CREATE TABLE fieldsBase (fieldID INTEGER PRIMARY KEY, fieldName TEXT); CREATE VIEW fields AS SELECT * FROM fieldsBase; INSERT INTO fieldsBase VALUES (90, 'title')");
      z.item(1, 'PARENT01').attachment(2, 'ATTACH01', 1).db.exec("INSERT INTO itemDataValues VALUES (91, 'Through a view'); INSERT INTO itemData VALUES (1, 90, 91)");
      assert.equal(z.only().title, 'Through a view');
    });

    it('reads a database without the trash tables, leaving nothing out', () => {
      const cat = withPdf(new Zdb({ omit: ['deletedItems', 'deletedCollections'] })).collection(5, 'Kept').file(5, 1).read();
      assert.deepEqual(cat, { dataDir: DATA, items: [item({ key: 'PARENT01', collections: [5], pdfs: [PAPER] })], collections: [{ id: 5, name: 'Kept', parent: undefined, library: 1, path: 'Kept' }] });
    });

    it('turns an SQL failure of any query into one sentence naming SQLite’s reason', () => {
      const failed = (reason: string) => zoteroError(`The Zotero database could not be read (${reason}). If Zotero is updating it, close Zotero and try again.`);
      assert.throws(() => new Zdb({ replace: { itemAttachments: 'itemAttachments (itemID INTEGER PRIMARY KEY, parentItemID INT, linkMode INT, contentType TEXT)' } }).read(), failed('no such column: a.path'));
      assert.throws(() => withPdf(new Zdb({ replace: { creators: 'creators (creatorID INTEGER PRIMARY KEY, firstName TEXT, lastName TEXT)' } })).read(), failed('no such column: c.fieldMode'));
    });

    it('takes a PDF content type, or a path ending in .pdf in any case, and nothing else', () => {
      const z = new Zdb().attachment(1, 'BYTYPE01', null, { contentType: 'application/pdf', path: 'storage:noextension' }).attachment(2, 'BYNAME01', null, { contentType: null, path: 'storage:Scan.PDF' });
      z.attachment(3, 'HTML0001', null, { contentType: 'text/html', path: 'storage:page.html' }).attachment(4, 'UPPER001', null, { contentType: 'application/PDF', path: 'storage:x.bin' });
      z.attachment(5, 'NOPATH01', null, { contentType: 'image/png', path: null });
      const alone = (key: string, name: string) => item({ key, itemType: 'attachment', pdfs: [{ key, file: stored(key, name) }] });
      assert.deepEqual(z.read().items, [alone('BYTYPE01', 'noextension'), alone('BYNAME01', 'Scan.PDF')]);
    });

    it('lists an item’s PDFs and the items themselves in the order of the attachments’ ids, under the attachment’s library', () => {
      const z = new Zdb().item(1, 'LATER001').item(2, 'FIRST001', 'journalArticle', 5);
      z.attachment(30, 'ATTC0030', 1, { path: 'storage:c.pdf' }).attachment(10, 'ATTA0010', 2, { path: 'storage:a.pdf', library: 3 }).attachment(20, 'ATTB0020', 1, { path: 'storage:b.pdf' });
      assert.deepEqual(z.read().items, [
        item({ key: 'FIRST001', library: 3, pdfs: [{ key: 'ATTA0010', file: stored('ATTA0010', 'a.pdf') }] }),
        item({ key: 'LATER001', pdfs: [{ key: 'ATTB0020', file: stored('ATTB0020', 'b.pdf') }, { key: 'ATTC0030', file: stored('ATTC0030', 'c.pdf') }] }),
      ]);
    });

    it('leaves out web links (link mode 3) and embedded images (4), and reads a stored file whatever the other modes say', () => {
      assert.deepEqual(new Zdb().item(1, 'WEBONLY1').attachment(2, 'ATTWEB01', 1, { linkMode: 3 }).item(3, 'IMAGE001').attachment(4, 'ATTIMG01', 3, { linkMode: 4 }).read().items, []);
      const modes = [0, 1, 2, 5, null];
      const z = modes.reduce((db, linkMode, i) => db.attachment(i + 1, `MODE${linkMode}`, null, { linkMode }), new Zdb());
      assert.deepEqual(z.read().items.map((i) => i.pdfs), modes.map((m) => [{ key: `MODE${m}`, file: stored(`MODE${m}`, 'paper.pdf') }]));
    });

    it('takes attachment keys of letters and digits of either case, cut to 20 characters first, and refuses anything else, an empty key and none', () => {
      const keys = (list: SqlValue[]) => list.reduce((z: Zdb, key, i) => z.attachment(i + 1, key, null), new Zdb()).read().items.map((i) => i.key);
      assert.deepEqual(keys(['ABCD1234', 'abcd5678', '7', 'Z', 'K'.repeat(21), 'J'.repeat(20)]), ['ABCD1234', 'abcd5678', '7', 'Z', 'K'.repeat(20), 'J'.repeat(20)]);
      assert.deepEqual(keys(['-ABCD123', 'ABCD123-', 'AB-CD123', 'AB.CD', 'ÄBCD1234', '', null, 'AB\u0001CD', new Uint8Array([65])]), []);
      assert.deepEqual(new Zdb().attachment(1, 'K'.repeat(21), null).only().pdfs, [{ key: 'K'.repeat(20), file: stored('K'.repeat(20), 'paper.pdf') }]);
    });

    it('cuts a parent item’s key to 20 characters and cleans it, unchecked; a binary one is no key', () => {
      const key = (k: SqlValue) => new Zdb().item(1, k).attachment(2, 'ATTACH01', 1).only().key;
      assert.deepEqual([key(`${'P'.repeat(20)}QQ`), key(' odd\u0001 key! '), key(new Uint8Array([65, 66]))], ['P'.repeat(20), 'odd key!', '']);
    });
  });

  describe('catalog: where a PDF is, and the trash', () => {
    const pdfOf = (p: string | null, linkMode = 0) => new Zdb().attachment(1, 'ATTACH01', null, { path: p, linkMode }).only().pdfs[0];
    const abs = path.join(path.sep, 'papers', 'x.pdf');

    it('resolves storage:<name> under storage/<key>/ in the data folder', () => {
      for (const name of ['paper.pdf', 'x y.pdf', '...', 'a..b.pdf', '.hidden.pdf', 'x\u007f.pdf', ' lead.pdf']) assert.deepEqual(pdfOf(`storage:${name}`), { key: 'ATTACH01', file: stored('ATTACH01', name) }, name);
    });

    it('refuses a stored name that is empty, a path, a dot name or has a control character; "storage:" counts only as a lower-case prefix', () => {
      for (const name of ['', 'a/b.pdf', '../../etc/passwd.pdf', 'a\\b.pdf', '.', '..', 'x\u0000.pdf', 'x\u001f.pdf', 'x\n.pdf']) assert.deepEqual(pdfOf(`storage:${name}`), NOT_PLAIN, JSON.stringify(name));
      assert.deepEqual([pdfOf('Storage:x.pdf'), pdfOf('x storage:x.pdf')], [NO_FILE, NO_FILE]);
    });

    it('takes a linked file’s absolute path, normalised', () => {
      const s = path.sep;
      assert.deepEqual([pdfOf(abs, 2), pdfOf(`${s}papers${s}..${s}papers${s}${s}x.pdf`, 2)], [{ key: 'ATTACH01', file: abs }, { key: 'ATTACH01', file: abs }]);
      assert.deepEqual(pdfOf(path.join(s, 'papers', 'x\u007f.pdf'), 2), { key: 'ATTACH01', file: path.join(s, 'papers', 'x\u007f.pdf') });
    });

    it('refuses a file linked under the base directory; has no file for a relative or control-character linked path, an absolute path not linked, or no path', () => {
      assert.deepEqual([pdfOf('attachments:Papers/x.pdf', 2), pdfOf('attachments:x.pdf', 0), pdfOf('Attachments:x.pdf', 2)], [BASE_DIR, BASE_DIR, NO_FILE]);
      const linked = [path.join('papers', 'x.pdf'), path.join(path.sep, 'papers', 'x\u0001.pdf'), path.join(path.sep, 'papers', 'x\u001f.pdf')].map((p) => pdfOf(p, 2));
      assert.deepEqual([...linked, pdfOf(abs, 0), pdfOf(abs, 1), pdfOf(null, 2)], Array(6).fill(NO_FILE));
    });

    it('leaves out a trashed PDF, every PDF of a trashed item, and trashed collections', () => {
      const z = new Zdb().item(1, 'KEPT0001').attachment(2, 'ATTKEPT1', 1, { path: 'storage:kept.pdf' }).attachment(3, 'ATTGONE1', 1);
      z.item(4, 'TRASHED1').attachment(5, 'ATTTRSH1', 4).attachment(6, 'ALONE001', null).trash(3).trash(4).trash(6);
      z.collection(7, 'Kept').collection(8, 'Gone').file(8, 1).file(7, 1).trashCollection(8);
      const collections = [{ id: 7, name: 'Kept', parent: undefined, library: 1, path: 'Kept' }];
      assert.deepEqual(z.read(), { dataDir: DATA, collections, items: [item({ key: 'KEPT0001', collections: [7], pdfs: [{ key: 'ATTKEPT1', file: stored('ATTKEPT1', 'kept.pdf') }] })] });
      assert.deepEqual(new Zdb().collection(7, 'Kept').collection(8, 'Gone').trashCollection(8).item(3, 'NOPDF001').file(7, 3).read(), { dataDir: DATA, collections, items: [] }, 'no item with a PDF');
    });
  });

  describe('catalog: an item’s type, fields and creators', () => {
    it('gives every field it reads, and none of the others; a standalone PDF its own; a PDF without its parent row an empty key and type', () => {
      const z = withPdf().field(1, 'title', 'Heparin in sepsis').field(1, 'date', '2019-03-00 March 2019').field(1, 'publicationTitle', 'Critical Care').field(1, 'DOI', '10.1186/cc1234');
      z.field(1, 'abstractNote', 'An abstract').field(1, 'url', 'https://example.org').field(1, 'Title', 'Wrong case').creator(1, 0, 'Ann', 'Smith');
      assert.deepEqual(z.only(), item({ key: 'PARENT01', title: 'Heparin in sepsis', year: 2019, journal: 'Critical Care', doi: '10.1186/cc1234', authors: ['Smith, Ann'], pdfs: [PAPER] }));
      const alone = new Zdb().attachment(1, 'ALONE001', null, { path: 'storage:alone.pdf' }).field(1, 'title', 'alone.pdf').creator(1, 0, 'Bo', 'Li');
      assert.deepEqual(alone.only(), item({ key: 'ALONE001', itemType: 'attachment', title: 'alone.pdf', authors: ['Li, Bo'], pdfs: [{ key: 'ALONE001', file: stored('ALONE001', 'alone.pdf') }] }));
      assert.deepEqual(new Zdb().attachment(2, 'ATTACH01', 99).only(), item({ itemType: '', pdfs: [PAPER] }));
    });

    it('cuts the type at 50 characters, the title at 500, the journal at 300 and the DOI at 200, after cleaning', () => {
      const at = (n: number) => new Zdb().item(1, 'PARENT01', 'y'.repeat(50 + n)).attachment(2, 'ATTACH01', 1).field(1, 'title', 't'.repeat(500 + n)).field(1, 'publicationTitle', 'j'.repeat(300 + n)).field(1, 'DOI', 'd'.repeat(200 + n)).only();
      for (const n of [0, 1]) assert.deepEqual([at(n).itemType, at(n).title, at(n).journal, at(n).doi], ['y'.repeat(50), 't'.repeat(500), 'j'.repeat(300), 'd'.repeat(200)]);
      assert.equal(withPdf().field(1, 'title', `   ${'t'.repeat(500)}x`).only().title, 't'.repeat(500));
    });

    it('replaces control, C1 and text-direction characters by spaces, joins runs of white space and trims', () => {
      const raw = ['a\u0000b', 'a\u001fb', 'a\u007fb', 'a\u009fb', 'a\u202ab', 'a\u202eb', 'a\u2066b', 'a\u2069b', 'a\u0001\u0002b', 'a \t\n b', 'a\u00a0\u00a0b', '  a b  '];
      for (const r of raw) assert.equal(withPdf().field(1, 'title', r).only().title, 'a b', JSON.stringify(r));
      assert.equal(withPdf().field(1, 'title', 'a~b\u00a1c\u2065d\u206ae').only().title, 'a~b\u00a1c\u2065d\u206ae');
    });

    it('reads a missing, empty or null value as no value, and a number as its digits', () => {
      assert.deepEqual([withPdf().only().title, withPdf().field(1, 'title', null).only().title, withPdf().field(1, 'title', 42).only().title], ['', '', '42']);
      // A field's value is made a string before it is cleaned: a binary one becomes its byte values.
      assert.equal(withPdf().field(1, 'title', new Uint8Array([104, 105])).only().title, '104,105');
      assert.deepEqual(withPdf().field(1, 'DOI', ' \u0001 ').field(1, 'publicationTitle', '').only(), item({ key: 'PARENT01', pdfs: [PAPER] }), 'no doi or journal key at all');
    });

    it('takes the journal from the first of publication, proceedings, book title and abbreviation that has one', () => {
      const journal = (fields: [string, string][]) => fields.reduce((z, [f, v]) => z.field(1, f, v), withPdf()).only().journal;
      const all: [string, string][] = [['journalAbbreviation', 'Abbr'], ['bookTitle', 'Book'], ['proceedingsTitle', 'Proc'], ['publicationTitle', 'Pub']];
      assert.deepEqual([4, 3, 2, 1].map((n) => journal(all.slice(0, n))), ['Pub', 'Proc', 'Book', 'Abbr']);
      assert.deepEqual([journal([['publicationTitle', ' \u0002 '], ['journalAbbreviation', 'Abbr']]), journal([['seriesTitle', 'Series']])], ['Abbr', undefined]);
    });

    it('takes the year from the first four digits of the date, and only a year above 0', () => {
      const year = (date: string) => withPdf().field(1, 'date', date).only().year;
      assert.deepEqual(['2010-06-00 June 2010', '20105', '0001-00-00 1', '1999'].map(year), [2010, 2010, 1, 1999]);
      assert.deepEqual(['0000-00-00 ', 'June 2010', ' 2010', '201', '20x0'].map(year), [undefined, undefined, undefined, undefined, undefined]);
      assert.deepEqual(['year' in withPdf().field(1, 'date', '0000').only(), 'year' in withPdf().only()], [false, false]);
    });

    const authorsOf = (creators: [SqlValue, SqlValue, number?, string?][]) => creators.reduce((z, [first, last, mode, type], i) => z.creator(1, i, first, last, mode, type), withPdf()).only().authors;

    it('writes "Last, First", a one-field name whole, a name without a first name alone, and skips a creator without a name', () => {
      assert.deepEqual(authorsOf([['Mark', 'Tully'], ['Ignored', 'World Health Organization', 1], ['', 'Plato'], [null, 'Solo']]), ['Tully, Mark', 'World Health Organization', 'Plato', 'Solo']);
      assert.deepEqual(authorsOf([['', ''], [null, null], ['First', '', 1], ['Ann', 'Lee'], [' \u0003', '\u0004 '], [null, new Uint8Array([65])], [new Uint8Array([65]), 'Kept']]), ['Lee, Ann', 'Kept']);
    });

    // BUG: a two-field creator with a first name only (Zotero lets one type just "Anne") comes out
    // as ", Anne", which citations show as is and shortLabel reads as an empty surname. It should be "Anne".
    it('writes a creator with a first name only as that name, not ", Anne" (was a bug)', () => {
      assert.deepEqual(authorsOf([['Anne', '']]), ['Anne']);
    });

    it('keeps Zotero’s order of creators, not the rows’ order, and each item’s own', () => {
      const z = new Zdb().item(1, 'ONE00001').attachment(2, 'ATTONE01', 1).item(3, 'TWO00002').attachment(4, 'ATTTWO01', 3);
      z.creator(3, 0, 'B', 'Two').creator(1, 2, 'C', 'Third').creator(1, 0, 'A', 'First').creator(1, 1, 'B', 'Second');
      assert.deepEqual(z.read().items.map((i) => [i.key, i.authors]), [['ONE00001', ['First, A', 'Second, B', 'Third, C']], ['TWO00002', ['Two, B']]]);
    });

    it('lists only the authors when there is one, else every creator', () => {
      assert.deepEqual(authorsOf([['Ed', 'Itor', 0, 'editor'], ['Au', 'Thor', 0, 'author'], ['Con', 'Trib', 0, 'contributor']]), ['Thor, Au']);
      assert.deepEqual(authorsOf([['Ed', 'Itor', 0, 'editor'], ['Con', 'Trib', 0, 'contributor']]), ['Itor, Ed', 'Trib, Con']);
      assert.deepEqual(authorsOf([['Up', 'Per', 0, 'Author']]), ['Per, Up'], '"Author" is not "author": every creator');
    });

    it('keeps at most 100 authors, and cuts each part of a name at 200 characters and cleans it', () => {
      const names = (n: number) => Array.from({ length: n }, (_, i): [string, string] => [`F${i}`, `L${i}`]);
      const hundred = names(100).map(([f, l]) => `${l}, ${f}`);
      assert.deepEqual([authorsOf(names(100)), authorsOf(names(101))], [hundred, hundred]);
      assert.deepEqual(authorsOf([['f'.repeat(201), 'l'.repeat(201)], ['g'.repeat(200), 'm'.repeat(200)], [' Jo\u0007 ', '\u202eSmith\n  Jones ']]), [`${'l'.repeat(200)}, ${'f'.repeat(200)}`, `${'m'.repeat(200)}, ${'g'.repeat(200)}`, 'Smith Jones, Jo']);
    });
  });

  describe('catalog: collections', () => {
    const col = (id: number, name: string, p: string, parent?: number, library = 1): ZoteroCollection => ({ id, name, parent, library, path: p });

    it('gives each collection its name, parent, library and "Parent / Child" path, sorted by path in the locale’s order', () => {
      const z = new Zdb().collection(3, 'alpine', null, 2).collection(5, 'Beta').collection(1, 'Alpha').collection(2, 'Child', 1).collection(4, 'Grandchild', 2);
      assert.deepEqual(z.read().collections, [col(1, 'Alpha', 'Alpha'), col(2, 'Child', 'Alpha / Child', 1), col(4, 'Grandchild', 'Alpha / Child / Grandchild', 2), col(3, 'alpine', 'alpine', undefined, 2), col(5, 'Beta', 'Beta')]);
    });

    it('names a collection without a name "(unnamed)", and cuts a name at 200 characters', () => {
      const z = new Zdb().collection(1, '').collection(2, null).collection(3, '\u0001 ').collection(4, 'n'.repeat(201)).collection(5, 'm'.repeat(200)).collection(6, new Uint8Array([65]));
      assert.deepEqual(z.read().collections.map((c) => [c.id, c.name]), [[1, '(unnamed)'], [2, '(unnamed)'], [3, '(unnamed)'], [6, '(unnamed)'], [5, 'm'.repeat(200)], [4, 'n'.repeat(200)]]);
    });

    it('starts a path at a collection whose parent is trashed or missing, keeping the parent id, and ends a cycle’s path after 21 names', () => {
      const z = new Zdb().collection(1, 'Gone').collection(2, 'Orphan', 1).collection(3, 'Lost', 77).trashCollection(1);
      assert.deepEqual(z.read().collections, [col(3, 'Lost', 'Lost', 77), col(2, 'Orphan', 'Orphan', 1)]);
      const paths = Object.fromEntries(new Zdb().collection(1, 'A', 2).collection(2, 'B', 1).collection(3, 'S', 3).read().collections.map((c) => [c.name, c.path]));
      const cycle = (first: string, second: string) => Array.from({ length: 21 }, (_, i) => (i % 2 ? second : first)).join(' / ');
      assert.deepEqual(paths, { A: cycle('A', 'B'), B: cycle('B', 'A'), S: cycle('S', 'S') });
    });

    it('gives an item its collections, and a standalone PDF its own', () => {
      const z = new Zdb().collection(1, 'One').collection(2, 'Two').item(1, 'PARENT01').attachment(2, 'ATTACH01', 1).attachment(3, 'ALONE001', null).file(2, 1).file(1, 1).file(2, 3).file(1, 2);
      assert.deepEqual(z.read().items.map((i) => [i.key, [...i.collections].sort()]), [['PARENT01', [1, 2]], ['ALONE001', [2]]]);
    });
  });

  describe('parse and read', () => {
    it('parses a database’s bytes as the open database reads, and passes the catalog’s own sentence through', async () => {
      const z = withPdf().field(1, 'title', 'Bytes').collection(1, 'C').file(1, 1);
      assert.deepEqual(await catalogFromBytes(z.db.export(), DATA), z.read());
      await assert.rejects(catalogFromBytes(new Zdb({ omit: ['fields'] }).db.export(), DATA), zoteroError(notZotero('fields', '')));
    });

    it('refuses bytes that are not SQLite with one sentence, and parses no bytes as an empty database', async () => {
      const bytes = new TextEncoder().encode('SQLite format 3\0 but not really a database at all');
      await assert.rejects(catalogFromBytes(bytes, DATA), zoteroError('This file is not a readable SQLite database (file is not a database). Choose the zotero.sqlite of your Zotero data folder.'));
      await assert.rejects(catalogFromBytes(new Uint8Array(0), DATA), zoteroError(notZotero(ALL_TABLES, 's')));
    });

    it('looks in ~/Zotero, then the Zotero 4 profile folder of each system', () => {
      const [home, env] = [path.join(path.sep, 'home', 'u'), { APPDATA: path.join(path.sep, 'appdata') }];
      assert.deepEqual(defaultDataDirs(home, {}, 'win32'), [path.join(home, 'Zotero'), path.join(home, 'AppData', 'Roaming', 'Zotero', 'Zotero')]);
      assert.deepEqual(defaultDataDirs(home, env, 'win32'), [path.join(home, 'Zotero'), path.join(path.sep, 'appdata', 'Zotero', 'Zotero')]);
      assert.deepEqual(defaultDataDirs(home, env, 'darwin'), [path.join(home, 'Zotero'), path.join(home, 'Library', 'Application Support', 'Zotero')]);
      assert.deepEqual(defaultDataDirs(home, env, 'freebsd'), [path.join(home, 'Zotero'), path.join(home, '.zotero', 'zotero')]);
      assert.deepEqual(defaultDataDirs(), defaultDataDirs(os.homedir(), process.env, process.platform));
    });

    it('takes the configured folder only when it holds zotero.sqlite as a file, and searches when it is empty', async () => {
      const [good, dirDb] = [withDb(folder('configured')), folder('dir-db')];
      fs.mkdirSync(path.join(dirDb, ZOTERO_DB));
      assert.deepEqual([ZOTERO_DB, await findDataDir(good, []), await findDataDir('', [good])], ['zotero.sqlite', good, good]);
      const message = `There is no zotero.sqlite in ${dirDb}. Set the Zotero data folder to the folder Zotero shows under Settings → Advanced → Files and Folders → Data Directory Location.`;
      await assert.rejects(findDataDir(dirDb, [good]), zoteroError(message));
    });

    it('takes the first candidate with a database, its own before its profiles, a profile before the next candidate, the first profile by name', async () => {
      const [none, first, second, profiled, profiles] = [folder('none'), withDb(folder('first')), withDb(folder('second')), folder('profiled'), folder('profiles')];
      withDb(path.join(first, 'Profiles', 'p', 'zotero'));
      assert.equal(await findDataDir(undefined, [none, first, second]), first);
      assert.equal(await findDataDir(undefined, [none, profiled, second]), second);
      const profile = withDb(path.join(profiled, 'Profiles', 'x.default', 'zotero'));
      assert.equal(await findDataDir(undefined, [none, profiled, second]), profile);
      for (const p of ['c', 'b']) withDb(path.join(profiles, 'Profiles', `${p}.default`, 'zotero'));
      fs.mkdirSync(path.join(profiles, 'Profiles', 'a.default', 'zotero', ZOTERO_DB), { recursive: true });
      assert.equal(await findDataDir(undefined, [profiles]), path.join(profiles, 'Profiles', 'b.default', 'zotero'), 'a database that is a folder is skipped');
    });

    it('says where it looked when no candidate has a database (a Profiles file is no folder)', async () => {
      const [a, b] = [folder('a'), path.join(tmp, 'never-made')];
      fs.writeFileSync(path.join(a, 'Profiles'), 'not a folder');
      const message = `No Zotero library found (looked in ${a}, ${b}). If Zotero keeps its data elsewhere, set the Zotero data folder to the folder Zotero shows under Settings → Advanced → Files and Folders.`;
      await assert.rejects(findDataDir(undefined, [a, b]), zoteroError(message));
    });

    const CATALOG: ZoteroCatalog = { dataDir: 'given back', collections: [], items: [item({ key: 'K' })] };
    const notParsed = async () => assert.fail('not parsed');
    const unreadable = (file: string, code: string) => zoteroError(`${file} cannot be read (${code}). Check that it exists and that you may read it.`);

    it('hands the file’s bytes and the data folder to the parser; stale only when the write-ahead log has something in it', async () => {
      const dir = folder('bytes');
      fs.writeFileSync(path.join(dir, ZOTERO_DB), Uint8Array.of(1, 2, 3, 250));
      const calls: [number[], string][] = [];
      assert.deepEqual(await readZotero(dir, { parse: async (bytes, dataDir) => (calls.push([[...bytes], dataDir]), CATALOG) }), { ...CATALOG, stale: false });
      assert.deepEqual(calls, [[[1, 2, 3, 250], dir]]);
      fs.writeFileSync(path.join(dir, `${ZOTERO_DB}-wal`), '');
      assert.equal((await readZotero(dir, { parse: async () => CATALOG })).stale, false);
      fs.writeFileSync(path.join(dir, `${ZOTERO_DB}-wal`), 'w');
      assert.equal((await readZotero(dir, { parse: async () => CATALOG })).stale, true);
    });

    it('names the file and the system’s reason when it cannot be read', async () => {
      const [missing, dir] = [path.join(tmp, 'no-such-folder'), folder('isdir')];
      fs.mkdirSync(path.join(dir, ZOTERO_DB));
      await assert.rejects(readZotero(missing, { parse: notParsed }), unreadable(path.join(missing, ZOTERO_DB), 'ENOENT'));
      await assert.rejects(readZotero(dir, { parse: notParsed }), unreadable(path.join(dir, ZOTERO_DB), 'EISDIR'));
    });

    // Sparse files: their size is set without writing (or reading) their bytes.
    const sized = async (size: number, check: (file: string) => (e: Error) => boolean) => {
      const dir = folder('big');
      fs.writeFileSync(path.join(dir, ZOTERO_DB), '');
      fs.truncateSync(path.join(dir, ZOTERO_DB), size);
      await assert.rejects(readZotero(dir, { parse: notParsed }), check(path.join(dir, ZOTERO_DB)));
      fs.rmSync(dir, { recursive: true });
    };

    it('refuses a database over 2 GB before reading it, with its size to a tenth; tries to read one of exactly 2 GB (Node itself refuses it)', async () => {
      const tooBig = (shown: string) => (file: string) => zoteroError(`${file} is ${shown} GB, more than MedGemma reads (2 GB). Attach the PDFs of a collection from Zotero's storage folder instead.`);
      await sized(2 * 1024 ** 3 + 1, tooBig('2.0'));
      await sized(3.5 * 1024 ** 3, tooBig('3.5'));
      await sized(2 * 1024 ** 3, (file) => unreadable(file, 'ERR_FS_FILE_TOO_LARGE'));
    });
  });

  describe('read: the worker thread', () => {
    const answer = (m: string) => `const w = require('node:worker_threads'); w.parentPort.once('message', () => w.parentPort.postMessage(${m}));`;
    /** Stand-ins for dist/zotero-worker.js. "echo" answers with what it was given, then stays alive until it is terminated. */
    const WORKERS: Record<string, string> = {
      echo: `const { parentPort, workerData, resourceLimits } = require('node:worker_threads'); setInterval(() => {}, 1000);
parentPort.once('message', (b) => parentPort.postMessage({ catalog: { dataDir: workerData.dataDir, collections: [], items: [], got: { type: b.constructor.name, bytes: Array.from(b), workerData, oldMb: resourceLimits.maxOldGenerationSizeMb } } }));`,
      zotero: answer("{ error: 'A Zotero sentence.', zotero: true }"),
      other: answer("{ error: 'Something else.' }"),
      throws: `throw new Error('boom');`,
      exits: `process.exit(3);`,
    };
    let dir: string;
    const run = (name: string) => readZotero(dir, { workerFile: path.join(dir, `${name}.js`) });
    before(() => {
      dir = folder('worker');
      fs.writeFileSync(path.join(dir, ZOTERO_DB), Uint8Array.of(9, 8, 7));
      for (const [name, code] of Object.entries(WORKERS)) fs.writeFileSync(path.join(dir, `${name}.js`), code);
    });
    const ports = () => process.getActiveResourcesInfo().filter((r) => r === 'MessagePort').length;

    it('hands the worker the file’s bytes, the data folder and a 4 GB heap, takes its catalog and ends it', async () => {
      const before = ports();
      const got = { type: 'Uint8Array', bytes: [9, 8, 7], workerData: { dataDir: dir }, oldMb: 4096 };
      assert.deepEqual(await run('echo'), { dataDir: dir, collections: [], items: [], got, stale: false });
      // The worker would stay alive on its own: it ends because it was terminated.
      for (let i = 0; i < 200 && ports() > before; i++) await new Promise((r) => setTimeout(r, 10));
      assert.equal(ports(), before);
    });

    it('passes the worker’s Zotero sentence on as a ZoteroError and any other error as a plain one; says the reading failed when it throws and stopped when it exits', async () => {
      await assert.rejects(run('zotero'), zoteroError('A Zotero sentence.'));
      await assert.rejects(run('other'), (e: Error) => !(e instanceof ZoteroError) && e instanceof Error && e.message === 'Something else.');
      await assert.rejects(run('throws'), zoteroError('Reading the Zotero library failed (boom).'));
      await assert.rejects(run('exits'), zoteroError('Reading the Zotero library stopped (code 3).'));
    });
  });

  describe('attach', () => {
    const col = (id: number, name: string, p: string, parent?: number): ZoteroCollection => ({ id, name, path: p, parent, library: 1 });
    const CATALOG: ZoteroCatalog = {
      dataDir: DATA,
      collections: [col(0, 'Root', 'Root'), col(1, 'Cardiology', 'Root / Cardiology', 0), col(2, 'Heart failure', 'Root / Cardiology / Heart failure', 1), col(3, 'ICU', 'ICU'), col(4, 'Loop A', 'Loop A', 5), col(5, 'Loop B', 'Loop B', 4), col(6, 'icu', 'Root / icu', 0)],
      items: [[0], [2], [3], [3, 1], [5], []].map((collections, i) => item({ key: ['ROOT0001', 'HF000001', 'ICU00001', 'TWICE001', 'LOOP0001', 'NOWHERE1'][i], collections })),
    };
    const keys = (choice: Parameters<typeof chosenItems>[1]) => chosenItems(CATALOG, choice).map((i) => i.key);

    it('chooses all: the catalog’s own list; a collection with its subcollections at every depth (a parent id of 0 too), a cycle once', () => {
      assert.deepEqual([chosenItems(CATALOG, { all: true }) === CATALOG.items, chosenItems(CATALOG, { all: true, items: ['ROOT0001'] }) === CATALOG.items], [true, true]);
      assert.deepEqual([0, 1, 2, 4].map((c) => keys({ collections: [c] })), [['ROOT0001', 'HF000001', 'TWICE001'], ['HF000001', 'TWICE001'], ['HF000001'], ['LOOP0001']]);
    });

    it('chooses items by key and by collection, each once, in the catalog’s order', () => {
      assert.deepEqual(keys({ items: ['NOWHERE1', 'ICU00001'], collections: [3] }), ['ICU00001', 'TWICE001', 'NOWHERE1']);
      assert.deepEqual([keys({ items: ['UNKNOWN1'] }), keys({ all: false }), keys({ collections: [99] })], [[], [], []]);
    });

    it('finds collections by name or path, trimmed and in any case, every one that matches', () => {
      const ids = (name: string) => collectionsNamed(CATALOG, name).map((c) => c.id);
      assert.deepEqual(['  iCu ', 'HEART FAILURE', 'root / cardiology / heart FAILURE', 'cardiology / heart failure', 'Root /'].map(ids), [[3, 6], [2], [2], [], []]);
    });

    it('indexes an item under its title, authors and Zotero key, with year, journal and DOI when it has them', () => {
      const full = item({ key: 'FULL0001', library: 4, title: 'T', authors: ['A, B'], year: 2001, journal: 'J', doi: '10.1/x' });
      assert.deepEqual(metaOf(full), { title: 'T', authors: ['A, B'], zotero: { key: 'FULL0001', library: 4 }, year: 2001, journal: 'J', doi: '10.1/x' } satisfies KnownMeta);
      assert.deepEqual(metaOf(item({ key: 'BARE0001', title: 'Bare' })), { title: 'Bare', authors: [], zotero: { key: 'BARE0001', library: 1 } });
      assert.deepEqual(metaOf(item({ key: 'ZERO0001', year: 0, journal: '', doi: '' })), { title: '', authors: [], zotero: { key: 'ZERO0001', library: 1 } });
    });

    /** A stand-in library: records by file, stale files, and the calls made. */
    function library(records: Record<string, Partial<PaperRecord>> = {}, stale: string[] = []) {
      const calls = { find: [] as string[], stale: [] as string[], add: [] as { files: string[]; opts: Record<string, unknown> }[] };
      const lib = {
        findByFile: async (f: string) => (calls.find.push(f), records[f]),
        isStale: async (f: string) => (calls.stale.push(f), stale.includes(f)),
        add: async (files: string[], opts: Record<string, unknown>) => (calls.add.push({ files, opts }), files.map((f) => ({ id: `rec:${path.basename(f)}`, file: f }))),
      };
      return { lib: lib as unknown as PaperLibrary, calls };
    }
    const metaFn = (opts: Record<string, unknown>) => opts.meta as (f: string) => KnownMeta | undefined;
    const gone = (file: string) => `${file} is not on this machine (Zotero may keep only a link, or the file is in its online storage: open the item in Zotero to download it).`;
    let [a, b, dir] = ['', '', ''];
    before(() => {
      dir = folder('pdfs');
      [a, b] = [path.join(dir, 'a.pdf'), path.join(dir, 'b.pdf')];
      fs.writeFileSync(a, '%PDF a');
      fs.writeFileSync(b, '%PDF b');
      fs.mkdirSync(path.join(dir, 'folder.pdf'));
    });

    it('lists each PDF it cannot read with why, and indexes the others under their item’s metadata', async () => {
      const [missing, folderPdf] = [path.join(dir, 'gone.pdf'), path.join(dir, 'folder.pdf')];
      const one = item({ key: 'ONE00001', title: 'One', year: 2020, pdfs: [{ key: 'NOFILE01' }, { key: 'ATTA0001', file: a }, { key: 'BROKEN01', problem: 'Its own reason.' }] });
      const two = item({ key: 'TWO00002', title: 'Two', pdfs: [{ key: 'GONE0001', file: missing }, { key: 'DIR00001', file: folderPdf }, { key: 'ATTB0001', file: b }] });
      const { lib, calls } = library();
      const r = await attachZoteroItems(lib, [one, two], { force: false });
      const noFile = { item: one, problem: 'Attachment NOFILE01 has no file on this machine.' };
      assert.deepEqual(r.missing, [noFile, { item: one, problem: 'Its own reason.' }, { item: two, problem: gone(missing) }, { item: two, problem: gone(folderPdf) }]);
      assert.deepEqual([r.toIndex, r.unchanged, r.records], [2, 0, [{ id: 'rec:a.pdf', file: a }, { id: 'rec:b.pdf', file: b }]]);
      assert.deepEqual([calls.find, calls.stale], [[a, b], []], 'a file the library does not have is not checked further');
      assert.deepEqual(calls.add.map((c) => [c.files, Object.keys(c.opts).sort(), c.opts.force]), [[[a, b], ['force', 'meta'], false]]);
      const meta = metaFn(calls.add[0].opts);
      assert.deepEqual([meta(a), meta(b), meta(path.join(dir, 'other.pdf'))], [{ title: 'One', authors: [], zotero: { key: 'ONE00001', library: 1 }, year: 2020 }, { title: 'Two', authors: [], zotero: { key: 'TWO00002', library: 1 } }, undefined]);
    });

    it('reads nothing and adds nothing when no PDF is on this machine', async () => {
      const { lib, calls } = library();
      const none = item({ key: 'NONE0001', pdfs: [{ key: 'X', problem: 'p' }] });
      assert.deepEqual(await attachZoteroItems(lib, [none]), { records: [], unchanged: 0, missing: [{ item: none, problem: 'p' }], toIndex: 0 });
      assert.deepEqual([await attachZoteroItems(lib, []), calls.add], [{ records: [], unchanged: 0, missing: [], toIndex: 0 }, []]);
    });

    it('leaves a PDF indexed as it is with the same metadata alone, and reads it again when anything differs', async () => {
      const it1 = item({ key: 'SAME0001', title: 'Same', pdfs: [{ key: 'ATTA0001', file: a }] });
      const indexed = { state: 'indexed' as const, meta: { ...metaOf(it1), pages: 3 } };
      const same = library({ [a]: indexed });
      assert.deepEqual(await attachZoteroItems(same.lib, [it1]), { records: [], unchanged: 1, missing: [], toIndex: 0 });
      assert.deepEqual([same.calls.stale, same.calls.add], [[a], []]);
      const again = async (rec: Partial<PaperRecord>, stale: string[] = [], force?: boolean) => {
        const l = library({ [a]: rec }, stale);
        const r = await attachZoteroItems(l.lib, [it1], force === undefined ? {} : { force });
        return [r.toIndex, r.unchanged, l.calls.add.map((c) => c.files)];
      };
      assert.deepEqual(await again(indexed, [a]), [1, 0, [[a]]], 'the file changed');
      assert.deepEqual(await again({ ...indexed, state: 'failed' }), [1, 0, [[a]]], 'not indexed');
      assert.deepEqual(await again({ ...indexed, meta: { ...indexed.meta, title: 'Other' } }), [1, 0, [[a]]], 'the metadata changed');
      assert.deepEqual([await again(indexed, [], true), await again(indexed, [], false)], [[1, 0, [[a]]], [0, 1, []]], 'forced, not forced');
    });

    it('indexes a PDF two items share once, under the later item', async () => {
      const first = item({ key: 'FIRST001', title: 'First', pdfs: [{ key: 'ATTA0001', file: a }] });
      const second = item({ key: 'SECOND01', title: 'Second', pdfs: [{ key: 'ATTA0002', file: a }] });
      const { lib, calls } = library();
      assert.equal((await attachZoteroItems(lib, [first, second])).toIndex, 1);
      assert.deepEqual([calls.add[0].files, metaFn(calls.add[0].opts)(a)?.title], [[a], 'Second']);
    });

    it('indexes with the given function instead of the library’s add, keeping the options out of it', async () => {
      const { lib, calls } = library();
      const seen: [string[], KnownMeta | undefined][] = [];
      const rec = { id: 'given' } as PaperRecord;
      const given = item({ key: 'GIVEN001', title: 'Given', pdfs: [{ key: 'ATTB0001', file: b }] });
      const r = await attachZoteroItems(lib, [given], { force: true }, async (files, meta) => (seen.push([files, meta(b)]), [rec]));
      assert.deepEqual(r, { records: [rec], unchanged: 0, missing: [], toIndex: 1 });
      assert.deepEqual([seen, calls.add], [[[[b], { title: 'Given', authors: [], zotero: { key: 'GIVEN001', library: 1 } }]], []]);
    });
  });
});
