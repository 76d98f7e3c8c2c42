// Two limits pdf.js 4.10 lacks, added around its own methods (the bundle exports the classes:
// esbuild.mjs, plugin pdfjs-internals). Runs in the extraction worker only.
//  - A form that draws itself, or two that draw each other, recurse without end: an endless
//    loop (a hang), or a stack overflow whose messages Node prints straight to stderr, where
//    no stream of ours can catch them. Forms already being drawn are skipped and nesting is
//    capped, as other PDF readers do.
//  - In a flat page tree (all pages in one /Kids array, as qpdf writes them) every page lookup
//    walks the whole array: O(pages²) for a document. Large documents list their pages once.

/** Deeper nesting of forms is not drawn (real documents stay far below). */
export const MAX_FORM_NESTING = 24;
/** pdf.js calls on the stack at once before refusing (a recursion it does not guard). */
const MAX_SYNC_DEPTH = 64;
/** From this many pages on, the page tree is read once instead of walked per page. */
const LIST_PAGES_FROM = 64;

type Method = (this: unknown, ...args: unknown[]) => unknown;
interface Proto {
  [name: string]: unknown;
}
interface Internals {
  Catalog?: { prototype: Proto };
  PartialEvaluator?: { prototype: Proto };
}

interface StreamArg {
  stream?: { dict?: { objId?: unknown } };
  operatorList?: object;
  seenStyles?: object;
}

let hardened = false;

/** Applies the limits once; false when this pdf.js build does not expose what they need. */
export function hardenPdfJs(workerModule: unknown): boolean {
  if (hardened) return true;
  const internals = (workerModule as { __pdfjsInternals?: Internals } | undefined)?.__pdfjsInternals;
  const evaluator = internals?.PartialEvaluator?.prototype;
  const catalog = internals?.Catalog?.prototype;
  if (!evaluator || !catalog || typeof evaluator.getOperatorList !== 'function' || typeof evaluator.getTextContent !== 'function' || typeof catalog.getPageDict !== 'function' || typeof catalog.getAllPageDicts !== 'function') {
    return false;
  }
  // Nested forms share their parent's operator list (drawing) or seen-styles set (text): that
  // object names one chain of nested calls.
  evaluator.getOperatorList = guardNesting(evaluator.getOperatorList as Method, (a) => a.operatorList);
  evaluator.getTextContent = guardNesting(evaluator.getTextContent as Method, (a) => a.seenStyles);
  catalog.getPageDict = listPagesOnce(catalog.getPageDict as Method);
  hardened = true;
  return true;
}

class NestingError extends Error {
  override readonly name = 'NestingError';
}

let syncDepth = 0;

function guardNesting(original: Method, chainOf: (a: StreamArg) => object | undefined): Method {
  const open = new WeakMap<object, unknown[]>();
  return function (this: unknown, ...args: unknown[]) {
    const a = (args[0] ?? {}) as StreamArg;
    const chain = chainOf(a);
    const id = a.stream?.dict?.objId;
    const ids = chain ? (open.get(chain) ?? []) : [];
    // pdf.js skips an XObject whose drawing fails and goes on with the page.
    if (id != null && ids.includes(id)) return Promise.reject(new NestingError('a form draws itself'));
    if (ids.length >= MAX_FORM_NESTING || syncDepth >= MAX_SYNC_DEPTH) return Promise.reject(new NestingError('content nested too deeply'));
    if (chain) open.set(chain, [...ids, id]);
    const close = () => {
      if (chain) open.set(chain, ids);
    };
    syncDepth++;
    try {
      return Promise.resolve(original.apply(this, args)).finally(close);
    } catch (e) {
      close();
      throw e;
    } finally {
      syncDepth--;
    }
  };
}

function listPagesOnce(original: Method): Method {
  const listed = new WeakMap<object, Promise<Map<number, [unknown, unknown]> | undefined>>();
  return async function (this: unknown, ...args: unknown[]) {
    const self = this as { numPages?: unknown; getAllPageDicts(recovery: boolean): Promise<Map<number, [unknown, unknown]>> };
    let pages: unknown;
    try {
      pages = self.numPages;
    } catch {
      pages = undefined; // a broken /Count: pdf.js's own path reports it
    }
    if (typeof pages === 'number' && pages >= LIST_PAGES_FROM) {
      let all = listed.get(self);
      if (!all) listed.set(self, (all = self.getAllPageDicts(false).catch(() => undefined)));
      const map = await all;
      // Only a tree whose page count agrees with /Count is trusted; anything else takes pdf.js's own path.
      const hit = map?.size === pages ? map.get(args[0] as number) : undefined;
      if (hit && !(hit[0] instanceof Error)) return hit;
    }
    return original.apply(this, args);
  };
}
