// The PDFs to index (`medgemma papers index`'s arguments, VS Code's Attach to Papers): files as
// named, folders searched for *.pdf.
// A path that cannot be used (missing, a dangling link, a link loop, an unreadable folder)
// is reported on its own and never stops the others; a folder reached twice through links is
// searched once, and a file reached twice (by links or hard links) listed once.

import * as fs from 'node:fs';
import * as path from 'node:path';

export interface FoundPdfs {
  files: string[];
  /** Paths that could not be used, each with a sentence saying why and what to do. */
  problems: { file: string; reason: string }[];
}

function why(p: string, e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  const name = path.basename(p);
  let link: string | undefined;
  try {
    link = fs.readlinkSync(p);
  } catch {
    link = undefined;
  }
  if (code === 'ELOOP') return `${name} is a link that leads back to itself (a loop). Fix or remove the link.`;
  if (link !== undefined && code === 'ENOENT') return `${name} is a link to ${link}, which does not exist. Fix or remove the link.`;
  if (code === 'ENOENT') return `${name} does not exist. Check the path.`;
  if (code === 'EACCES' || code === 'EPERM') return `${name} cannot be read (permission denied). Check its permissions.`;
  return `${name} cannot be read (${code ?? 'unknown error'}). Check that it exists and is readable.`;
}

export function findPdfs(paths: string[]): FoundPdfs {
  const files: string[] = [];
  const problems: FoundPdfs['problems'] = [];
  const seenFiles = new Set<string>();
  const seenDirs = new Set<string>();
  const visit = (p: string, named: boolean) => {
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (e) {
      // Inside a folder only what looks like a PDF is worth a word.
      if (named || /\.pdf$/i.test(p)) problems.push({ file: path.resolve(p), reason: why(p, e) });
      return;
    }
    if (st.isDirectory()) {
      let real: string;
      let entries: string[];
      try {
        real = fs.realpathSync(p);
        entries = fs.readdirSync(p).sort();
      } catch (e) {
        problems.push({ file: path.resolve(p), reason: `The folder ${why(p, e)}` });
        return;
      }
      if (seenDirs.has(real)) return;
      seenDirs.add(real);
      for (const e of entries) visit(path.join(p, e), false);
    } else if (!st.isFile()) {
      // A pipe or a device would block the read or never end.
      if (named || /\.pdf$/i.test(p)) problems.push({ file: path.resolve(p), reason: `${path.basename(p)} is not a regular file (a pipe, socket or device). Give the PDF file itself.` });
    } else if (named || /\.pdf$/i.test(p)) {
      // The file itself, not its name: a link or a second hard link to a PDF already listed is
      // the same paper.
      const id = `${st.dev}:${st.ino}`;
      if (!seenFiles.has(id)) files.push(path.resolve(p));
      seenFiles.add(id);
    }
  };
  for (const p of paths) visit(p, true);
  return { files, problems };
}
