// Writes small explicit-VR-little-endian DICOM files for tests that need a header the shared
// fixtures do not have (burned-in annotation, an unsupported transfer syntax).

type El = [group: number, element: number, vr: string, value: Buffer];

const LONG_VRS = new Set(['OB', 'OW', 'OF', 'SQ', 'UT', 'UN']);

function el([g, e, vr, v]: El): Buffer {
  const value = v.length % 2 ? Buffer.concat([v, Buffer.from(vr === 'UI' || vr === 'OB' ? [0] : [0x20])]) : v;
  const long = LONG_VRS.has(vr);
  const head = Buffer.alloc(long ? 12 : 8);
  head.writeUInt16LE(g, 0);
  head.writeUInt16LE(e, 2);
  head.write(vr, 4, 'latin1');
  if (long) head.writeUInt32LE(value.length, 8);
  else head.writeUInt16LE(value.length, 6);
  return Buffer.concat([head, value]);
}

const str = (s: string) => Buffer.from(s, 'latin1');
const us = (n: number) => {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n);
  return b;
};

export function makeDicom(opts: { width: number; height: number; transferSyntax?: string; burnedIn?: string; pixels?: Buffer }): Buffer {
  const ts = opts.transferSyntax ?? '1.2.840.10008.1.2.1';
  const metaEls = [el([2, 0x0001, 'OB', Buffer.from([0, 1])]), el([2, 0x0002, 'UI', str('1.2.840.10008.5.1.4.1.1.7')]), el([2, 0x0003, 'UI', str('1.2.3.4')]), el([2, 0x0010, 'UI', str(ts)])];
  const metaBody = Buffer.concat(metaEls);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(metaBody.length);
  const meta = Buffer.concat([el([2, 0x0000, 'UL', groupLength]), metaBody]);
  const pixels = opts.pixels ?? Buffer.alloc(opts.width * opts.height * 2, 0x11);
  const body: El[] = [
    [0x0008, 0x0060, 'CS', str('OT')],
    [0x0028, 0x0002, 'US', us(1)],
    [0x0028, 0x0004, 'CS', str('MONOCHROME2')],
    [0x0028, 0x0010, 'US', us(opts.height)],
    [0x0028, 0x0011, 'US', us(opts.width)],
    [0x0028, 0x0100, 'US', us(16)],
    [0x0028, 0x0101, 'US', us(12)],
    [0x0028, 0x0102, 'US', us(11)],
    [0x0028, 0x0103, 'US', us(0)],
  ];
  if (opts.burnedIn) body.push([0x0028, 0x0301, 'CS', str(opts.burnedIn)]);
  body.push([0x7fe0, 0x0010, 'OW', pixels]);
  return Buffer.concat([Buffer.alloc(128), str('DICM'), meta, ...body.map(el)]);
}
