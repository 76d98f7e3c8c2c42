// Search by meaning as a user turns it on: with "medgemma.papers.embeddingModel" set (its own
// server, as vLLM serves one model per process), the first question embeds the papers'
// passages under a progress notification, then the answer comes; the embedding server gets
// the passages and the question, never an API key. With that server gone, the question is
// still answered, and the answer says search by meaning was skipped and why. The scoring step
// (medgemma.papers.rerank) is on for the first question: the answer says what it did and cost.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { ROOT } from '../e2e/codeserver.mjs';
import { summaryText } from './summary.mjs';

export const name = 'papers: search by meaning with an embedding server, and without it';

const PAPER = join(ROOT, 'test', 'fixtures', 'pdfs', 'tully2010-heart-failure-programmes.pdf');
const MODEL = 'bge-sim';
const QUESTION = 'What did participants in primary care think of GP services?';

async function askPapers(ui, question) {
  const { page, wb } = ui;
  await wb.runCommand(page, 'MedGemma: Ask Papers');
  const input = page.locator(wb.sel.quickInputBox);
  await wb.until('the question box', async () => /^Ask a question about the attached papers/.test((await input.getAttribute('placeholder')) ?? ''), 10_000);
  await input.fill(question);
  await page.keyboard.press('Enter');
}

export async function run(ui) {
  const { page, wb, cs } = ui;
  // A paper of its own (its bytes differ from UI 09's copy), attached from the Explorer.
  writeFileSync(join(ui.folder, 'meaning-tully.pdf'), Buffer.concat([readFileSync(PAPER), Buffer.from('\n% meaning\n')]));
  await wb.refreshExplorer(page);
  await wb.explorerContextCommand(page, 'meaning-tully.pdf', /MedGemma: Attach to Papers/);
  await wb.statusItem(page, /Paper attached:/).waitFor({ timeout: 60_000 });

  const { startSim } = await tsImport(pathToFileURL(join(ROOT, 'test', 'sim', 'index.ts')).href, import.meta.url);
  const embed = await startSim({ models: [{ id: MODEL, embedding: { dims: 256 } }] });
  const machineFile = join(cs.dirs.data, 'Machine', 'settings.json');
  const machine = readFileSync(machineFile, 'utf8');
  try {
    // Each embedding request waits a second: long enough to see the progress notification.
    embed.setFault({ kind: 'stall-before-headers', ms: 1000, scope: 'all' });
    writeFileSync(machineFile, JSON.stringify({ ...JSON.parse(machine), 'medgemma.papers.embeddingModel': MODEL, 'medgemma.papers.embeddingUrl': embed.baseUrl, 'medgemma.papers.rerank': true }, null, 2));
    await page.waitForTimeout(1500); // settings files are read on change
    await wb.clearNotifications(page);

    await askPapers(ui, QUESTION);
    const toast = await wb.waitForToast(page, new RegExp(`embedding [\\d,]+ passages with ${MODEL} for search by meaning`), 60_000);
    const progress = (await toast.innerText()).replace(/\s+/g, ' ').trim();
    ui.log(`progress: "${progress}"`);
    await ui.shot('38-papers-meaning-embedding');
    const answer = await wb.until('the answer with its sources', async () => {
      const t = await summaryText(page).catch(() => '');
      return /Sources/.test(t) && /Tully 2010, pp?\. \d/.test(t) && t;
    }, 120_000);
    await ui.shot('38-papers-meaning-answer');
    if (/Search by meaning was skipped/.test(answer)) throw new Error('the answer says search by meaning was skipped although the server answered');
    // The scoring step (medgemma.papers.rerank) says what it did and cost.
    const scored = /MedGemma scored the (\d+) passages found before answering[^(]*\(1 request, [\d,]+ tokens\)/.exec(answer.replace(/\s+/g, ' '));
    if (!scored) throw new Error(`the answer does not report the scoring step: ${answer.slice(0, 800)}`);
    ui.log(`scoring: "${scored[0]}"`);
    const sent = embed.requests.filter((r) => r.path === '/v1/embeddings');
    const inputs = sent.flatMap((r) => r.body.input);
    ui.log(`embedding requests: ${sent.length}, texts: ${inputs.length}`);
    if (!inputs.some((t) => /GP services|general practitioner/i.test(t) && t !== QUESTION)) throw new Error('no passage of the paper was embedded');
    if (sent.at(-1).body.input[0] !== QUESTION) throw new Error(`the last embedding request is not the question: ${JSON.stringify(sent.at(-1).body.input).slice(0, 200)}`);
    if (embed.requests.some((r) => r.headers.authorization)) throw new Error('the embedding server received an API key');

    // The embedding server gone: the question is still answered, by words, and says so.
    await embed.stop();
    await wb.clearNotifications(page);
    await askPapers(ui, `${QUESTION} Again.`);
    const fallback = await wb.until('the answer noting the skipped search by meaning', async () => {
      const t = await summaryText(page).catch(() => '');
      return /Again\./.test(t) && /Sources/.test(t) && t;
    }, 120_000);
    await ui.shot('38-papers-meaning-skipped');
    const note = /Search by meaning was skipped this time: the embedding server did not answer\. The passages were found by their words\./.exec(fallback.replace(/\s+/g, ' '));
    if (!note) throw new Error(`the answer does not say search by meaning was skipped because the server did not answer: ${fallback.slice(0, 800)}`);
    ui.log(`note: "${note[0]}"`);
  } finally {
    writeFileSync(machineFile, machine);
    await page.waitForTimeout(1500);
    await embed.stop().catch(() => {});
  }
}
