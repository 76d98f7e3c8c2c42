// A place in a first-come-first-served line (the extraction pool's threads, the batch throttle's
// requests): whoever serves the line calls the entry; a stop takes the entry out of the line.

/** Joins `line`: true once served, false when `signal` aborts first (then the entry has left the line). */
export function waitInLine(line: Array<() => void>, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const serve = () => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    };
    const onAbort = () => {
      const i = line.indexOf(serve);
      if (i >= 0) line.splice(i, 1);
      resolve(false);
    };
    line.push(serve);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
