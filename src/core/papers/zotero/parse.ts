// SQLite (sql.js, WebAssembly with the binary inlined: one file to bundle) over a Zotero
// database's bytes. Run in the Zotero worker thread, or in process by tests.

import initSqlJs from 'sql.js/dist/sql-wasm-inline.js';
import { readCatalog, type ZoteroCatalog, ZoteroError } from './catalog';

export async function catalogFromBytes(bytes: Uint8Array, dataDir: string): Promise<ZoteroCatalog> {
  const SQL = await initSqlJs();
  let db;
  try {
    db = new SQL.Database(bytes);
    // Fails here, not halfway, when the bytes are not a SQLite database.
    db.exec('PRAGMA schema_version');
  } catch (e) {
    db?.close();
    throw new ZoteroError(`This file is not a readable SQLite database (${e instanceof Error ? e.message : String(e)}). Choose the zotero.sqlite of your Zotero data folder.`);
  }
  try {
    return readCatalog(db, dataDir);
  } finally {
    db.close();
  }
}
