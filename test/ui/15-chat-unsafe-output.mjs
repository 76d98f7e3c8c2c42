// Model output is untrusted: <script>, <img onerror>, javascript: links, SVG, remote markdown
// images, iframes and CSS must execute nothing and fetch nothing. Every "remote" address points
// at the simulator under /__evil/, so any fetch would show up in its request log; the page's
// own network, dialogs and a global flag are watched too. A real https link opens only after
// the host's confirmation.
import { answerDone, ask, lastAnswer, newChat, openChat } from './chat.mjs';

export const name = 'chat: hostile model output executes nothing and fetches nothing';

function hostile(base) {
  const evil = `${base}/__evil`;
  return [
    'Here is the answer.',
    '',
    `<script>window.__pwned = 'script'; fetch('${evil}/script')</script>`,
    '',
    `<img src="${evil}/img-onerror.png" onerror="window.__pwned = 'img-onerror'">`,
    '',
    `[click me](javascript:window.__pwned='js-link')`,
    '',
    `<svg onload="window.__pwned = 'svg'"><image href="${evil}/svg.png"/></svg>`,
    '',
    `![chest x-ray](${evil}/markdown-image.png)`,
    '',
    `<iframe src="${evil}/iframe"></iframe> <style>body { background: url(${evil}/css.png) }</style>`,
    '',
    `[data link](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) and <a href="${evil}/html-link">raw link</a>`,
    '',
    'A real reference: [guideline](https://example.org/guideline).',
  ].join('\n');
}

export async function run(ui) {
  const { page, sim, wb } = ui;
  const pageRequests = [];
  const dialogs = [];
  const onRequest = (r) => r.url().includes('__evil') && pageRequests.push(r.url());
  const onDialog = (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  };
  page.on('request', onRequest);
  page.on('dialog', onDialog);
  sim.setOptions({ answerText: hostile(sim.url) });
  try {
    const frame = await openChat(ui);
    await newChat(ui, frame);
    await ask(frame, 'Show me something');
    await answerDone(frame);
    const a = lastAnswer(frame);
    await a.locator('.blocked-image', { hasText: 'chest x-ray' }).waitFor();
    // Try the javascript: link if it survived as a link at all, and the raw HTML link.
    for (const l of await a.locator('a').all()) {
      const href = await l.getAttribute('href');
      // Web links may stay (they open only through the host, after confirmation); nothing else.
      if (href && !/^https?:\/\//.test(href)) throw new Error(`an unsafe link survived: ${href}`);
    }
    await a.getByText('click me').click().catch(() => {});
    await page.waitForTimeout(1500);

    const flag = await frame.evaluate(() => window.__pwned ?? null);
    const inDom = await a.evaluate((el) => ({
      scripts: el.querySelectorAll('script').length,
      imgs: el.querySelectorAll('img').length,
      svgs: el.querySelectorAll('svg').length,
      iframes: el.querySelectorAll('iframe').length,
      styles: el.querySelectorAll('style').length,
      handlers: [...el.querySelectorAll('*')].filter((n) => [...n.attributes].some((at) => at.name.startsWith('on'))).length,
    }));
    const simHits = sim.requests.filter((r) => r.path.startsWith('/__evil')).map((r) => r.path);
    ui.log(`flag=${flag} dom=${JSON.stringify(inDom)} simHits=${JSON.stringify(simHits)} pageRequests=${JSON.stringify(pageRequests)} dialogs=${JSON.stringify(dialogs)}`);
    if (flag !== null) throw new Error(`injected code ran: window.__pwned = ${flag}`);
    if (Object.values(inDom).some((n) => n > 0)) throw new Error(`unsafe elements in the answer: ${JSON.stringify(inDom)}`);
    if (simHits.length || pageRequests.length) throw new Error(`the webview fetched: ${[...simHits, ...pageRequests].join(', ')}`);
    if (dialogs.length) throw new Error(`a dialog opened: ${dialogs}`);
    const text = await a.innerText();
    if (!text.includes('<script>')) throw new Error('the <script> text is not shown as text');
    await ui.shot('15-chat-unsafe-output');

    // A real link: the host asks first (a modal in the workbench); cancel it.
    await a.getByRole('link', { name: 'guideline' }).click();
    const modal = page.locator('.monaco-dialog-box', { hasText: 'Open this link' });
    await modal.waitFor({ timeout: 10_000 });
    ui.log(`link confirmation: ${(await modal.innerText()).replace(/\s+/g, ' ').slice(0, 140)}`);
    await ui.shot('15-chat-link-confirmation');
    await modal.getByRole('button', { name: 'Cancel' }).click();
    await modal.waitFor({ state: 'detached', timeout: 5000 });
    void wb;
  } finally {
    page.off('request', onRequest);
    page.off('dialog', onDialog);
    sim.setOptions({ answerText: undefined });
  }
}
