// sql.js's build with the WebAssembly binary inlined has the same API as its main build.
declare module 'sql.js/dist/sql-wasm-inline.js' {
  import initSqlJs from 'sql.js';
  export default initSqlJs;
}
