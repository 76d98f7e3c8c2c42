// Durable, private files of the papers library (core/papers/durable-file.ts): what writeDurable
// leaves on disk (the data, mode 0600, no temp file, also when the write or the rename fails),
// the temp files' names, private folders, syncing a folder, and tightening an older
// world-readable folder exactly when it is not private yet (links never followed).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DIR_MODE, FILE_MODE, fsyncDir, mkdirPrivate, tempName, tightenFolder, writeDurable } from '../../../src/core/papers/durable-file';

const mode = (p: string) => fs.lstatSync(p).mode & 0o777;

/**
 * Runs fn while every open, sync, close and rename of fs.promises is written down as
 * [what, path(s)…] (the module's own file system, spied on, not replaced).
 */
async function recordingFs(fn: () => Promise<void>): Promise<string[][]> {
  const fsp = fs.promises as unknown as Record<string, unknown>;
  const realOpen = fs.promises.open;
  const realRename = fs.promises.rename;
  const log: string[][] = [];
  fsp.open = async (p: string, flags: string, m?: number) => {
    log.push(['open', p, flags]);
    const fh = await realOpen(p, flags, m);
    const sync = fh.sync.bind(fh);
    const close = fh.close.bind(fh);
    fh.sync = async () => {
      log.push(['sync', p]);
      return sync();
    };
    fh.close = async () => {
      log.push(['close', p]);
      return close();
    };
    return fh;
  };
  fsp.rename = async (from: string, to: string) => {
    log.push(['rename', from, to]);
    return realRename(from, to);
  };
  try {
    await fn();
  } finally {
    fsp.open = realOpen;
    fsp.rename = realRename;
  }
  return log;
}

describe('papers: durable private files', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-durable-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('uses 0600 for files and 0700 for folders', () => {
    assert.equal(FILE_MODE, 0o600);
    assert.equal(DIR_MODE, 0o700);
  });

  describe('writeDurable', () => {
    it('writes text under the name, private, with no temp file left', async () => {
      const file = path.join(dir, 'library.json');
      await writeDurable(file, '{"version": 2} – ü');
      assert.equal(fs.readFileSync(file, 'utf8'), '{"version": 2} – ü');
      assert.equal(mode(file), 0o600);
      assert.deepEqual(fs.readdirSync(dir), ['library.json']);
    });

    it('writes bytes exactly', async () => {
      const file = path.join(dir, 'seg.bm25');
      const bytes = new Uint8Array([0, 1, 2, 255, 128, 0]);
      await writeDurable(file, bytes);
      assert.deepEqual(new Uint8Array(fs.readFileSync(file)), bytes);
    });

    it('replaces an existing file whole, and the new one is private even if the old one was not', async () => {
      const file = path.join(dir, 'library.json');
      fs.writeFileSync(file, 'old content that is longer than the new one');
      fs.chmodSync(file, 0o644);
      await writeDurable(file, 'new');
      assert.equal(fs.readFileSync(file, 'utf8'), 'new');
      assert.equal(mode(file), 0o600);
      assert.deepEqual(fs.readdirSync(dir), ['library.json']);
    });

    it('syncs the temp file, closes it, renames it into place, then syncs and closes the folder', async () => {
      const file = path.join(dir, 'library.json');
      const log = await recordingFs(() => writeDurable(file, 'data'));
      const tmp = log[0][1];
      assert.match(tmp, /^.*library\.json\.\d+\.[0-9a-f]{8}\.tmp$/);
      assert.equal(path.dirname(tmp), dir, 'the temp file is beside the file (the rename cannot cross file systems)');
      assert.deepEqual(log, [
        ['open', tmp, 'wx'],
        ['sync', tmp],
        ['close', tmp],
        ['rename', tmp, file],
        ['open', dir, 'r'],
        ['sync', dir],
        ['close', dir],
      ]);
    });

    it('closes the temp file and renames nothing when the write fails', async () => {
      const file = path.join(dir, 'library.json');
      const log = await recordingFs(() => assert.rejects(writeDurable(file, 42 as unknown as string)));
      const tmp = log[0][1];
      assert.deepEqual(log, [
        ['open', tmp, 'wx'],
        ['close', tmp],
      ]);
    });

    it('removes its temp file and throws when the rename fails (a folder in the way)', async () => {
      const target = path.join(dir, 'taken');
      fs.mkdirSync(target);
      await assert.rejects(writeDurable(target, 'data'), { code: 'EISDIR' });
      assert.deepEqual(fs.readdirSync(dir), ['taken']);
      assert.equal(fs.statSync(target).isDirectory(), true);
    });

    it('removes its temp file and throws when the write fails, leaving the old file as it was', async () => {
      const file = path.join(dir, 'library.json');
      fs.writeFileSync(file, 'old');
      await assert.rejects(writeDurable(file, 42 as unknown as string), { code: 'ERR_INVALID_ARG_TYPE' });
      assert.deepEqual(fs.readdirSync(dir), ['library.json']);
      assert.equal(fs.readFileSync(file, 'utf8'), 'old');
    });

    it('fails when the folder does not exist, creating nothing', async () => {
      await assert.rejects(writeDurable(path.join(dir, 'missing', 'a.json'), 'x'), { code: 'ENOENT' });
      assert.deepEqual(fs.readdirSync(dir), []);
    });
  });

  it('names a temp file after the file, this process and 8 random hex digits, ending in .tmp', () => {
    const file = path.join(dir, 'chunks', 'a-1.json');
    const a = tempName(file);
    assert.equal(a.slice(0, file.length + 1), `${file}.`);
    assert.match(a.slice(file.length), new RegExp(`^\\.${process.pid}\\.[0-9a-f]{8}\\.tmp$`));
    assert.notEqual(tempName(file), a);
  });

  describe('folders', () => {
    it('creates a private folder with its missing parents private too', async () => {
      const deep = path.join(dir, 'a', 'b');
      await mkdirPrivate(deep);
      assert.equal(fs.statSync(deep).isDirectory(), true);
      assert.equal(mode(path.join(dir, 'a')), 0o700);
      assert.equal(mode(deep), 0o700);
      await mkdirPrivate(deep); // already there: no error
    });

    it('syncs an existing folder and closes it, and fails on a missing one', async () => {
      assert.deepEqual(await recordingFs(() => fsyncDir(dir)), [
        ['open', dir, 'r'],
        ['sync', dir],
        ['close', dir],
      ]);
      await assert.rejects(fsyncDir(path.join(dir, 'missing')), { code: 'ENOENT' });
    });
  });

  describe('tightenFolder (older versions wrote 0755 folders and 0644 files)', () => {
    const make = (rel: string, m: number, content?: string) => {
      const p = path.join(dir, rel);
      if (content === undefined) fs.mkdirSync(p, { recursive: true });
      else fs.writeFileSync(p, content);
      fs.chmodSync(p, m);
      return p;
    };

    it('makes a world-readable folder, its files and its subfolders’ files private', async () => {
      const lib = make('lib', 0o755);
      make('lib/library.json', 0o644, '{}');
      make('lib/chunks', 0o755);
      make('lib/chunks/a-1.json', 0o664, '[]');
      await tightenFolder(lib);
      assert.equal(mode(lib), 0o700);
      assert.equal(mode(path.join(lib, 'library.json')), 0o600);
      assert.equal(mode(path.join(lib, 'chunks')), 0o700);
      assert.equal(mode(path.join(lib, 'chunks', 'a-1.json')), 0o600);
    });

    it('touches nothing in a folder that is private already', async () => {
      const lib = make('lib', 0o700);
      make('lib/library.json', 0o644, '{}');
      make('lib/chunks', 0o755);
      await tightenFolder(lib);
      assert.equal(mode(lib), 0o700);
      assert.equal(mode(path.join(lib, 'library.json')), 0o644);
      assert.equal(mode(path.join(lib, 'chunks')), 0o755);
    });

    for (const m of [0o710, 0o701, 0o770, 0o707]) {
      it(`tightens a folder with any permission for its group or others (${m.toString(8)})`, async () => {
        const lib = make('lib', m);
        make('lib/library.json', 0o640, '{}');
        await tightenFolder(lib);
        assert.equal(mode(lib), 0o700);
        assert.equal(mode(path.join(lib, 'library.json')), 0o600);
      });
    }

    it('never follows a link out of the folder', async () => {
      const outside = make('outside.pdf', 0o644, 'pdf');
      const lib = make('lib', 0o755);
      fs.symlinkSync(outside, path.join(lib, 'link.pdf'));
      await tightenFolder(lib);
      assert.equal(mode(lib), 0o700);
      assert.equal(mode(outside), 0o644);
    });

    it('does nothing for a folder that does not exist', async () => {
      await tightenFolder(path.join(dir, 'missing'));
      assert.deepEqual(fs.readdirSync(dir), []);
    });
  });
});
