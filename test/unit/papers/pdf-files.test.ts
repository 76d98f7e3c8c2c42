// Finding the PDFs to index (core/papers/pdf-files.ts): files named are taken whatever their
// extension, folders are searched (sorted, recursively) for *.pdf only, each file and each
// folder (also through links) once, and every path that cannot be used is reported with its
// exact sentence (missing, dangling link, link loop, not a regular file, unreadable) without
// stopping the others.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import nodeFs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findPdfs } from '../../../src/core/papers/pdf-files';

type FsCall = (...a: unknown[]) => unknown;

/** Runs fn with nodeFs[name] replaced by wrap(the real one) (the module's own fs, so a fault can be injected). */
function patched<T>(name: 'statSync' | 'readdirSync', wrap: (real: FsCall) => FsCall, fn: () => T): T {
  const fsAny = nodeFs as unknown as Record<string, FsCall>;
  const real = fsAny[name];
  fsAny[name] = wrap((...a) => real.apply(nodeFs, a));
  try {
    return fn();
  } finally {
    fsAny[name] = real;
  }
}

/** Runs fn while nodeFs[name] fails with `code` for that one path (a refusal root would not get). */
function failingFor<T>(name: 'statSync' | 'readdirSync', target: string, code: string | undefined, fn: () => T): T {
  return patched(
    name,
    (real) =>
      (p, ...rest) => {
        if (p === target) throw Object.assign(new Error(`${code}: refused`), { code });
        return real(p, ...rest);
      },
    fn,
  );
}

describe('papers: finding the PDFs to index', () => {
  let dir: string;
  beforeEach(() => {
    // realpath: the folder-once check compares real paths, the results are resolved paths.
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-pdfs-')));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const at = (...parts: string[]) => path.join(dir, ...parts);
  const file = (...parts: string[]) => {
    const f = at(...parts);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, '%PDF-1.4');
    return f;
  };
  const fifo = (...parts: string[]) => {
    const f = at(...parts);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    execFileSync('mkfifo', [f]);
    return f;
  };

  it('finds nothing in nothing', () => {
    assert.deepEqual(findPdfs([]), { files: [], problems: [] });
  });

  it('takes files named, whatever their extension, as absolute resolved paths in the order given', () => {
    const b = file('b.txt');
    const a = file('a.pdf');
    const got = findPdfs([b, path.join(dir, 'sub', '..', 'a.pdf')]);
    assert.deepEqual(got, { files: [b, a], problems: [] });
  });

  it('searches a folder and its subfolders for .pdf files only (any case), sorted by name', () => {
    file('z.pdf');
    file('notes.txt');
    file('x.pdf.txt');
    file('pdf');
    file('apdf');
    file('c.PDF');
    file('b', 'inner.Pdf');
    file('b', 'readme.md');
    file('a.pdf');
    assert.deepEqual(findPdfs([dir]), { files: [at('a.pdf'), at('b', 'inner.Pdf'), at('c.PDF'), at('z.pdf')], problems: [] });
  });

  it('sorts a folder’s entries by name whatever order the file system lists them in', () => {
    for (const n of ['b.pdf', 'c.pdf', 'a.pdf']) file(n);
    const got = patched('readdirSync', (real) => (...a) => (real(...a) as string[]).sort().reverse(), () => findPdfs([dir]));
    assert.deepEqual(got.files, [at('a.pdf'), at('b.pdf'), at('c.pdf')]);
  });

  it('lists a file once when it is named twice or also found in a folder named', () => {
    const a = file('a.pdf');
    const b = file('b.pdf');
    assert.deepEqual(findPdfs([b, dir, b, a]).files, [b, a]);
  });

  it('lists a file once when a link or a second hard link to it is found too, under the first name met', () => {
    const a = file('a.pdf');
    fs.symlinkSync(a, at('b-link.pdf'));
    fs.linkSync(a, at('c-hard.pdf'));
    const d = file('d.pdf');
    assert.deepEqual(findPdfs([dir]), { files: [a, d], problems: [] });
    assert.deepEqual(findPdfs([at('c-hard.pdf'), dir]).files, [at('c-hard.pdf'), d]);
  });

  it('searches a folder once when it is reached twice (named twice, or through a link)', () => {
    const x = file('sub', 'x.pdf');
    assert.deepEqual(findPdfs([at('sub'), at('sub', '..', 'sub'), at('sub')]).files, [x]);
    fs.symlinkSync(at('sub'), at('a-link'));
    // "a-link" sorts first: the folder is searched there, and not again as "sub".
    assert.deepEqual(findPdfs([dir]), { files: [at('a-link', 'x.pdf')], problems: [] });
  });

  it('does not loop through a link to a folder above', () => {
    const x = file('sub', 'x.pdf');
    fs.symlinkSync(dir, at('sub', 'up'));
    assert.deepEqual(findPdfs([dir]), { files: [x], problems: [] });
  });

  describe('paths that cannot be used', () => {
    it('reports a missing path named, and goes on with the others', () => {
      const a = file('a.pdf');
      const got = findPdfs([at('missing.txt'), a]);
      assert.deepEqual(got, { files: [a], problems: [{ file: at('missing.txt'), reason: 'missing.txt does not exist. Check the path.' }] });
    });

    it('reports a problem under the resolved path', () => {
      const got = findPdfs([path.join(dir, 'sub', '..', 'gone.pdf')]);
      assert.deepEqual(got.problems, [{ file: at('gone.pdf'), reason: 'gone.pdf does not exist. Check the path.' }]);
    });

    it('says where a dangling link leads', () => {
      fs.symlinkSync(at('nowhere.pdf'), at('paper.pdf'));
      assert.deepEqual(findPdfs([at('paper.pdf')]).problems, [{ file: at('paper.pdf'), reason: `paper.pdf is a link to ${at('nowhere.pdf')}, which does not exist. Fix or remove the link.` }]);
    });

    it('says a link that leads back to itself is a loop', () => {
      fs.symlinkSync(at('loop.pdf'), at('loop.pdf'));
      assert.deepEqual(findPdfs([at('loop.pdf')]).problems, [{ file: at('loop.pdf'), reason: 'loop.pdf is a link that leads back to itself (a loop). Fix or remove the link.' }]);
    });

    it('names the error code of any other failure', () => {
      file('a.pdf');
      assert.deepEqual(findPdfs([at('a.pdf', 'x.pdf')]).problems, [{ file: at('a.pdf', 'x.pdf'), reason: 'x.pdf cannot be read (ENOTDIR). Check that it exists and is readable.' }]);
    });

    it('says "unknown error" for a failure without an error code (injected)', () => {
      const a = file('a.pdf');
      const got = failingFor('statSync', a, undefined, () => findPdfs([a]));
      assert.deepEqual(got.problems, [{ file: a, reason: 'a.pdf cannot be read (unknown error). Check that it exists and is readable.' }]);
    });

    it('refuses a pipe named, which would block the read', () => {
      fifo('pipe');
      assert.deepEqual(findPdfs([at('pipe')]), { files: [], problems: [{ file: at('pipe'), reason: 'pipe is not a regular file (a pipe, socket or device). Give the PDF file itself.' }] });
    });

    it('inside a folder, reports only broken entries that look like PDFs', () => {
      fs.symlinkSync(at('nowhere'), at('gone.txt'));
      fs.symlinkSync(at('nowhere'), at('gone.pdf.old'));
      fs.symlinkSync(at('nowhere'), at('GONE.PDF'));
      fs.symlinkSync(at('loop.pdf'), at('loop.pdf'));
      fifo('pipe');
      fifo('pipe.pdf');
      fifo('pipe.pdf.in');
      const a = file('a.pdf');
      assert.deepEqual(findPdfs([dir]), {
        files: [a],
        problems: [
          { file: at('GONE.PDF'), reason: `GONE.PDF is a link to ${at('nowhere')}, which does not exist. Fix or remove the link.` },
          { file: at('loop.pdf'), reason: 'loop.pdf is a link that leads back to itself (a loop). Fix or remove the link.' },
          { file: at('pipe.pdf'), reason: 'pipe.pdf is not a regular file (a pipe, socket or device). Give the PDF file itself.' },
        ],
      });
    });

    it('reports a folder it may not read, and goes on with the others (refusal injected)', () => {
      file('locked', 'x.pdf');
      const a = file('a.pdf');
      const got = failingFor('readdirSync', at('locked'), 'EACCES', () => findPdfs([at('locked'), a]));
      assert.deepEqual(got, { files: [a], problems: [{ file: at('locked'), reason: 'The folder locked cannot be read (permission denied). Check its permissions.' }] });
    });

    it('says a file it may not use is not permitted (EPERM injected)', () => {
      const a = file('a.pdf');
      const got = failingFor('statSync', a, 'EPERM', () => findPdfs([a]));
      assert.deepEqual(got, { files: [], problems: [{ file: a, reason: 'a.pdf cannot be read (permission denied). Check its permissions.' }] });
    });

    it('reports a folder it may not read (a real 000 folder)', function () {
      // root reads any folder: the refusal cannot be made here.
      if (process.getuid?.() === 0) this.skip();
      const locked = at('locked');
      fs.mkdirSync(locked);
      file('locked', 'x.pdf');
      const a = file('a.pdf');
      fs.chmodSync(locked, 0o000);
      try {
        assert.deepEqual(findPdfs([locked, a]), { files: [a], problems: [{ file: locked, reason: 'The folder locked cannot be read (permission denied). Check its permissions.' }] });
      } finally {
        fs.chmodSync(locked, 0o700);
      }
    });
  });
});
