// Header facts the fixtures lack: Burned In Annotation = YES is flagged (panel warning, CLI
// warning), an unsupported transfer syntax is refused with the conversion command to use.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ImageError } from '../../../src/core/images/errors';
import { openImage } from '../../../src/core/images/open';
import { makeDicom } from './make-dicom';

describe('images: header flags', () => {
  it('Burned In Annotation YES is flagged; absent or NO is not', async () => {
    const yes = await openImage(makeDicom({ width: 8, height: 8, burnedIn: 'YES' }), 'burned.dcm');
    assert.equal(yes.info.burnedInAnnotation, true);
    const f = await yes.frame(0);
    assert.equal(f.width, 8);
    assert.equal((await openImage(makeDicom({ width: 8, height: 8, burnedIn: 'NO' }), 'no.dcm')).info.burnedInAnnotation, false);
    assert.equal((await openImage(makeDicom({ width: 8, height: 8 }), 'none.dcm')).info.burnedInAnnotation, false);
  });

  it('the CLI warns before sending an image with burned-in annotation', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mg-burn-'));
    try {
      const file = join(dir, 'burned.dcm');
      writeFileSync(file, makeDicom({ width: 16, height: 16, burnedIn: 'YES' }));
      const root = resolve(__dirname, '../../..');
      const r = spawnSync(process.execPath, ['-r', 'tsx/cjs', join(root, 'src/cli/main.ts'), 'image', 'render', file, '--out', join(dir, 'o.png')], { cwd: root, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /burned-in annotation \(0028,0301 = YES\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unsupported transfer syntax (MPEG-2 video) is refused with what to do', async () => {
    const mpeg = makeDicom({ width: 8, height: 8, transferSyntax: '1.2.840.10008.1.2.4.100' });
    await assert.rejects(openImage(mpeg, 'video.dcm'), (e: unknown) => e instanceof ImageError && e.kind === 'unsupported' && /video\.dcm uses MPEG-2 video, which the annotator cannot decode\. Convert it/.test(e.message));
    const unknown = makeDicom({ width: 8, height: 8, transferSyntax: '1.2.3.999' });
    await assert.rejects(openImage(unknown, 'odd.dcm'), /odd\.dcm uses the transfer syntax 1\.2\.3\.999, which the annotator cannot decode/);
  });

  it('pixel data shorter than the header says is a truncated file', async () => {
    const short = makeDicom({ width: 64, height: 64, pixels: Buffer.alloc(100) });
    await assert.rejects(async () => (await openImage(short, 'short.dcm')).frame(0), /short\.dcm is a truncated DICOM file/);
  });
});
