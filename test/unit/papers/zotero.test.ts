// Zotero import (core/papers/zotero): the catalog read from a Zotero database the test builds
// (Zotero's schema, written by SQLite), hostile values, the choice of collections and items,
// and indexing under Zotero's metadata with re-runs that touch only what changed.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import initSqlJs from 'sql.js/dist/sql-wasm-inline.js';
import { PaperLibrary } from '../../../src/core/papers/library';
import { shortLabel } from '../../../src/core/papers/meta';
import { readPdf } from '../../../src/core/papers/pdf-read';
import { attachZoteroItems, chosenItems, collectionsNamed } from '../../../src/core/papers/zotero/attach';
import { ZoteroError } from '../../../src/core/papers/zotero/catalog';
import { catalogFromBytes } from '../../../src/core/papers/zotero/parse';
import { defaultDataDirs, findDataDir, readZotero as readWith } from '../../../src/core/papers/zotero/read';
import { type FakeItem, makeZoteroLibrary } from '../../zotero-library';
import { JARGON, papersCli } from '../../cli-process';
import { PDFS, tmpDir } from './make-pdf';

const pdf = (name: string) => path.join(PDFS, name);
const TULLY = pdf('tully2010-heart-failure-programmes.pdf');
const DATTA = pdf('datta2010-dvt-complications-review.pdf');

const readZotero = (dir: string) => readWith(dir, { parse: catalogFromBytes });

function items(): FakeItem[] {
  return [
    {
      key: 'TULLY001',
      title: 'Heart failure programmes\u0007 in primary care\u202e',
      creators: [['Mark', 'Tully'], ['Anne', 'Other'], ['Ed', 'Itor', 'editor']],
      date: '2010-06-00 June 2010',
      journal: 'Heart',
      doi: '10.1136/hrt.2009.123456',
      collections: ['Cardiology', 'Cardiology/Heart failure'],
      pdfs: [{ key: 'ATTTULLY', from: TULLY, name: 'Tully 2010.pdf' }],
    },
    {
      key: 'DATTA001',
      title: 'DVT complications: a review',
      creators: [['World Health Organization']],
      date: '2010',
      journal: 'Vascular',
      collections: ['Haematology'],
      pdfs: [{ key: 'ATTDATTA', from: DATTA }, { key: 'ATTGONE1' }],
    },
    { key: 'TRASHED1', title: 'In the trash', pdfs: [{ key: 'ATTTRASH', from: DATTA }], trashed: true },
    { key: 'WEBLINK1', title: 'A web page', pdfs: [{ key: 'ATTLINK1', linkMode: 3, storedPath: 'https://example.org/x.pdf' }] },
    { key: 'ESCAPE01', title: 'Escaping storage', pdfs: [{ key: 'ATTESC01', storedPath: 'storage:../../../etc/passwd.pdf' }] },
    { key: 'RELATIV1', title: 'Linked under the base directory', pdfs: [{ key: 'ATTREL01', linkMode: 2, storedPath: 'attachments:Papers/x.pdf' }] },
    { key: 'LINKED01', title: 'Linked with an absolute path', pdfs: [{ key: 'ATTABS01', linkMode: 2, storedPath: TULLY }] },
    { key: 'ATTALONE', standalone: true, title: 'standalone.pdf', collections: ['Haematology'], pdfs: [{ key: 'ATTALONE', from: DATTA, name: 'standalone.pdf' }] },
    { key: 'NOTPDF01', title: 'A Word file', pdfs: [{ key: 'ATTDOCX1', contentType: 'application/msword', storedPath: 'storage:x.docx' }] },
  ];
}

describe('papers: Zotero', function () {
  this.timeout(120_000);

  it('reads collections and items with PDFs and Zotero’s metadata; the trash, links and other files left out', async () => {
    const dir = await makeZoteroLibrary(path.join(tmpDir('medgemma-zotero-'), 'Zotero'), items(), ['Cardiology', 'Cardiology/Heart failure', 'Haematology']);
    const cat = await readZotero(dir);
    assert.equal(cat.stale, false);
    assert.deepEqual(
      cat.collections.map((c) => c.path),
      ['Cardiology', 'Cardiology / Heart failure', 'Haematology'],
    );
    const tully = cat.items.find((i) => i.key === 'TULLY001')!;
    assert.equal(tully.title, 'Heart failure programmes in primary care', 'control and direction characters removed');
    assert.deepEqual(tully.authors, ['Tully, Mark', 'Other, Anne'], 'authors only, editors left out');
    assert.equal(tully.year, 2010);
    assert.equal(tully.journal, 'Heart');
    assert.equal(tully.doi, '10.1136/hrt.2009.123456');
    assert.equal(tully.itemType, 'journalArticle');
    assert.deepEqual(tully.pdfs, [{ key: 'ATTTULLY', file: path.join(dir, 'storage', 'ATTTULLY', 'Tully 2010.pdf') }]);
    assert.equal(tully.collections.length, 2);
    const datta = cat.items.find((i) => i.key === 'DATTA001')!;
    assert.deepEqual(datta.authors, ['World Health Organization']);
    assert.equal(datta.pdfs.length, 2);
    const keys = cat.items.map((i) => i.key).sort();
    assert.deepEqual(keys, ['ATTALONE', 'DATTA001', 'ESCAPE01', 'LINKED01', 'RELATIV1', 'TULLY001']);
    assert.equal(cat.items.find((i) => i.key === 'ATTALONE')!.title, 'standalone.pdf');
    assert.match(cat.items.find((i) => i.key === 'ESCAPE01')!.pdfs[0].problem!, /not a plain file name/);
    assert.equal(cat.items.find((i) => i.key === 'ESCAPE01')!.pdfs[0].file, undefined);
    assert.match(cat.items.find((i) => i.key === 'RELATIV1')!.pdfs[0].problem!, /base directory/);
    assert.equal(cat.items.find((i) => i.key === 'LINKED01')!.pdfs[0].file, TULLY);
  });

  it('says so when Zotero has changes not yet in the database file', async () => {
    const dir = await makeZoteroLibrary(path.join(tmpDir('medgemma-zotero-'), 'Zotero'), items().slice(1, 2), ['Haematology']);
    fs.writeFileSync(path.join(dir, 'zotero.sqlite-wal'), 'x');
    assert.equal((await readZotero(dir)).stale, true);
  });

  it('refuses what is not a Zotero database with a sentence', async () => {
    const dir = tmpDir('medgemma-zotero-');
    fs.writeFileSync(path.join(dir, 'zotero.sqlite'), 'SQLite format 3\0 but not really');
    await assert.rejects(readZotero(dir), (e: Error) => e instanceof ZoteroError && /not a readable SQLite database/.test(e.message));
    const SQL = await initSqlJs();
    const db = new SQL.Database();
    db.exec('CREATE TABLE items (itemID INTEGER PRIMARY KEY)');
    fs.writeFileSync(path.join(dir, 'zotero.sqlite'), db.export());
    await assert.rejects(readZotero(dir), (e: Error) => e instanceof ZoteroError && /not a Zotero 5 \(or later\) database: it has no itemTypes, itemAttachments/.test(e.message));
    await assert.rejects(readZotero(path.join(dir, 'nowhere')), (e: Error) => e instanceof ZoteroError && /cannot be read \(ENOENT\)/.test(e.message));
  });

  it('finds the data folder: the configured one, else ~/Zotero, else a Zotero 4 profile', async () => {
    const home = tmpDir('medgemma-home-');
    assert.deepEqual(defaultDataDirs(home, {}, 'linux'), [path.join(home, 'Zotero'), path.join(home, '.zotero', 'zotero')]);
    assert.deepEqual(defaultDataDirs(home, { APPDATA: path.join(home, 'Roaming') }, 'win32'), [path.join(home, 'Zotero'), path.join(home, 'Roaming', 'Zotero', 'Zotero')]);
    assert.deepEqual(defaultDataDirs(home, {}, 'darwin')[1], path.join(home, 'Library', 'Application Support', 'Zotero'));
    const candidates = defaultDataDirs(home, {}, 'linux');
    await assert.rejects(findDataDir(undefined, candidates), /No Zotero library found \(looked in .*Zotero.*\.zotero/);
    const old = path.join(home, '.zotero', 'zotero', 'Profiles', 'abcd.default', 'zotero');
    await makeZoteroLibrary(old, []);
    assert.equal(await findDataDir(undefined, candidates), old);
    await makeZoteroLibrary(path.join(home, 'Zotero'), []);
    assert.equal(await findDataDir(undefined, candidates), path.join(home, 'Zotero'));
    assert.equal(await findDataDir(old, candidates), old);
    await assert.rejects(findDataDir(path.join(home, 'elsewhere'), candidates), /There is no zotero\.sqlite in .*elsewhere/);
  });

  it('a collection means its subcollections too; items by key; names match case-insensitively or by path', async () => {
    const dir = await makeZoteroLibrary(path.join(tmpDir('medgemma-zotero-'), 'Zotero'), items(), ['Cardiology', 'Cardiology/Heart failure', 'Haematology']);
    const cat = await readZotero(dir);
    const [cardio] = collectionsNamed(cat, 'cardiology');
    const [hf] = collectionsNamed(cat, 'Cardiology / Heart failure');
    assert.equal(collectionsNamed(cat, 'heart failure')[0].id, hf.id);
    assert.deepEqual(collectionsNamed(cat, 'Nephrology'), []);
    assert.deepEqual(chosenItems(cat, { collections: [cardio.id] }).map((i) => i.key), ['TULLY001']);
    assert.deepEqual(chosenItems(cat, { collections: [collectionsNamed(cat, 'haematology')[0].id] }).map((i) => i.key).sort(), ['ATTALONE', 'DATTA001']);
    assert.deepEqual(chosenItems(cat, { items: ['LINKED01'] }).map((i) => i.key), ['LINKED01']);
    assert.equal(chosenItems(cat, { all: true }).length, cat.items.length);
    assert.deepEqual(chosenItems(cat, {}), []);
  });

  it('indexes the PDFs under Zotero’s metadata; a re-run reads only new and changed items', async () => {
    const work = tmpDir('medgemma-zotero-');
    const dataDir = path.join(work, 'Zotero');
    const all = items();
    await makeZoteroLibrary(dataDir, all, ['Cardiology', 'Cardiology/Heart failure', 'Haematology']);
    const lib = new PaperLibrary(path.join(work, 'index'), { inProcess: readPdf });
    const cat = await readZotero(dataDir);
    const first = await attachZoteroItems(lib, chosenItems(cat, { items: ['TULLY001', 'DATTA001'] }));
    assert.equal(first.toIndex, 2);
    assert.equal(first.unchanged, 0);
    assert.deepEqual(first.missing.map((m) => m.item.key), ['DATTA001']);
    assert.match(first.missing[0].problem, /ATTGONE1.*not on this machine/);
    const tully = first.records.find((r) => r.file.endsWith('Tully 2010.pdf'))!;
    assert.equal(tully.state, 'indexed');
    assert.deepEqual({ ...tully.meta, pages: 0 }, { title: 'Heart failure programmes in primary care', authors: ['Tully, Mark', 'Other, Anne'], year: 2010, journal: 'Heart', doi: '10.1136/hrt.2009.123456', zotero: { key: 'TULLY001', library: 1 }, pages: 0 });
    assert.ok(tully.meta!.pages > 1, 'pages still come from the PDF');
    assert.equal(shortLabel(tully.meta, 'x.pdf'), 'Tully et al. 2010');
    const datta = first.records.find((r) => r.file.endsWith('attdatta.pdf'))!;
    assert.equal(shortLabel(datta.meta, 'x.pdf'), 'World Health Organization 2010');
    // The title is indexed: a word only Zotero's title has finds the paper.
    assert.equal((await lib.search('programmes primary care', 1))[0]?.paper.file, tully.file);

    // Nothing changed: nothing is read again.
    const again = await attachZoteroItems(lib, chosenItems(await readZotero(dataDir), { items: ['TULLY001', 'DATTA001'] }));
    assert.deepEqual([again.toIndex, again.unchanged, again.records.length], [0, 2, 0]);

    // The title changed in Zotero, and one more item: those two are indexed, the other is not.
    all[0].title = 'Community heart failure programmes';
    await makeZoteroLibrary(dataDir, all, ['Cardiology', 'Cardiology/Heart failure', 'Haematology']);
    const third = await attachZoteroItems(lib, chosenItems(await readZotero(dataDir), { items: ['TULLY001', 'DATTA001', 'ATTALONE'] }));
    assert.deepEqual([third.toIndex, third.unchanged], [2, 1]);
    const retitled = (await lib.findByFile(tully.file))!;
    assert.equal(retitled.meta?.title, 'Community heart failure programmes');
    assert.equal((await lib.search('community', 1))[0]?.paper.file, tully.file);
    assert.deepEqual((await lib.search('primary', 5)).filter((h) => h.paper.file === tully.file && /primary/i.test(h.paper.meta?.title ?? '')), []);
  });

  it('medgemma papers index --zotero, as a process: a collection, a re-run, an unknown collection, a folder that is not Zotero', async () => {
    const work = tmpDir('medgemma-zotero-cli-');
    const dataDir = await makeZoteroLibrary(path.join(work, 'Zotero'), items(), ['Cardiology', 'Cardiology/Heart failure', 'Haematology']);
    const index = path.join(work, 'index');
    const r = await papersCli(['index', '--zotero', '--zotero-dir', dataDir, '--collection', 'Haematology', '--index', index]);
    assert.equal(r.code, 2, `one attachment is missing: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /2 Zotero items with PDFs in .*Zotero/);
    assert.match(r.stdout, /^missing {3}DVT complications: a review\n {10}.*ATTGONE1.* is not on this machine/m);
    assert.match(r.stdout, /^indexed {3}.*attdatta\.pdf — World Health Organization 2010, 4 pages/m);
    assert.match(r.stdout, /^indexed {3}.*standalone\.pdf — standalone\.pdf, 4 pages/m);
    const list = JSON.parse((await papersCli(['list', '--json', '--index', index])).stdout) as { papers: { title: string; year?: number; journal?: string }[] };
    assert.deepEqual(list.papers.map((p) => [p.title, p.journal]).sort(), [['DVT complications: a review', 'Vascular'], ['standalone.pdf', undefined]]);

    const again = await papersCli(['index', '--zotero', '--zotero-dir', dataDir, '--collection', 'haematology', '--index', index]);
    assert.match(again.stdout, /^unchanged 2 PDFs already indexed as they are in Zotero$/m);
    assert.doesNotMatch(again.stdout, /^indexed/m);

    const unknown = await papersCli(['index', '--zotero', '--zotero-dir', dataDir, '--collection', 'Nephrology', '--index', index]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /Zotero has no collection "Nephrology"; its collections: "Cardiology", "Cardiology \/ Heart failure", "Haematology"/);

    fs.writeFileSync(path.join(work, 'zotero.sqlite'), 'not a database at all, just text long enough to be read as a file');
    const bad = await papersCli(['index', '--zotero', '--zotero-dir', work, '--index', index]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /not a readable SQLite database/);
    for (const run of [r, again, unknown, bad]) assert.doesNotMatch(run.stdout + run.stderr, JARGON);
    const files = await papersCli(['index', '--zotero', TULLY, '--index', index]);
    assert.equal(files.code, 2);
    assert.match(files.stderr, /give no files with it/);
  });
});
