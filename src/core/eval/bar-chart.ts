// A horizontal bar chart as a standalone SVG: one bar per model for one measure. Model ids come
// from the server, so every text is XML-escaped; the SVG has no script, link or external reference.

export interface Bar {
  label: string;
  value: number;
  /** What is written after the bar, e.g. "93.4 %". */
  text: string;
}

const xml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Cut to `n` characters with an ellipsis, so a long id cannot push the bars off the picture. */
const fit = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

const COLOURS = ['#3b82f6', '#f59e0b', '#10b981', '#ef4444', '#8b5cf6', '#64748b'];

/** `max`: the value of a full bar (100 for shares); the largest value when not given. */
export function barChartSvg(title: string, bars: readonly Bar[], max?: number): string {
  const width = 640;
  const labelWidth = 210;
  const textWidth = 90;
  const row = 30;
  const top = 34;
  const height = top + bars.length * row + 10;
  const full = Math.max(max ?? 0, ...bars.map((b) => b.value), 1e-9);
  const span = width - labelWidth - textWidth - 20;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${xml(title)}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="10" y="22" font-family="sans-serif" font-size="15" font-weight="bold" fill="#111827">${xml(fit(title, 70))}</text>`,
  ];
  bars.forEach((b, i) => {
    const y = top + i * row;
    const w = Math.max(0, Math.round((span * Math.max(0, b.value)) / full));
    parts.push(
      `<text x="${labelWidth - 8}" y="${y + 19}" text-anchor="end" font-family="monospace" font-size="12" fill="#111827">${xml(fit(b.label, 28))}</text>`,
      `<rect x="${labelWidth}" y="${y + 5}" width="${w}" height="${row - 10}" rx="2" fill="${COLOURS[i % COLOURS.length]}"/>`,
      `<text x="${labelWidth + w + 6}" y="${y + 19}" font-family="sans-serif" font-size="12" fill="#111827">${xml(b.text)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
