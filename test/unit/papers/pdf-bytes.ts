// Small PDFs written byte by byte (no library, no esbuild): pages of Helvetica text, or pages
// that only paint an image (a "scan"). Pure, so the extension-host tests can bundle it too.

export interface FakePage {
  lines?: string[];
  image?: boolean;
}

function esc(s: string): string {
  return s.replace(/([\\()])/g, '\\$1');
}

export function makePdf(pages: FakePage[]): Buffer {
  const objs: string[] = [];
  const add = (body: string) => objs.push(body) && objs.length;
  const catalog = add('');
  const pagesObj = add('');
  const font = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  // A 2x2 grey image for "scanned" pages.
  const img = add('<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 4 >>\nstream\n\x80\x40\x40\x80\nendstream');
  const kids: number[] = [];
  for (const p of pages) {
    let content = '';
    if (p.image) content += 'q 500 0 0 700 50 50 cm /Im1 Do Q\n';
    if (p.lines?.length) {
      content += 'BT /F1 11 Tf 14 TL 72 740 Td\n';
      for (const l of p.lines) content += `(${esc(l)}) Tj T*\n`;
      content += 'ET\n';
    }
    const c = add(`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}endstream`);
    kids.push(add(`<< /Type /Page /Parent ${pagesObj} 0 R /MediaBox [0 0 612 792] /Contents ${c} 0 R /Resources << /Font << /F1 ${font} 0 R >> /XObject << /Im1 ${img} 0 R >> >> >>`));
  }
  objs[catalog - 1] = `<< /Type /Catalog /Pages ${pagesObj} 0 R >>`;
  objs[pagesObj - 1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root ${catalog} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
