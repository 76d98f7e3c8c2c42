// axe-core (the engine behind the browsers' accessibility checkers) over the chat view's page,
// in the states a user meets: an answered conversation, the history list, an error with its
// fixes. No serious or critical WCAG 2.1 A/AA violation may be left; minor ones are logged.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { answerDone, ask, openChat, titleAction } from './chat.mjs';

export const name = 'chat: no serious accessibility violations (axe-core, WCAG 2.1 AA)';

// axe-core is installed with the other UI tools in test/e2e.
const require = createRequire(new URL('../e2e/package.json', import.meta.url));
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

async function audit(ui, frame, state) {
  // (Runs through the debugger protocol, beside the page's CSP, like a devtools extension.)
  if (!(await frame.evaluate(() => !!window.axe))) await frame.evaluate(AXE);
  const violations = await frame.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n')[1]?.trim() ?? ''}`) }));
  });
  for (const v of violations) ui.log(`${state}: [${v.impact}] ${v.id}: ${v.help} — ${v.nodes.join(' | ')}`);
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (bad.length) throw new Error(`${state}: ${bad.map((v) => `${v.id} (${v.impact}) at ${v.nodes[0]}`).join('; ')}`);
  ui.log(`${state}: no serious or critical violations (${violations.length} minor)`);
}

export async function run(ui) {
  const { sim } = ui;
  const frame = await openChat(ui);
  await ask(frame, 'Summarize the renal dosing of metformin in **two** bullets.');
  await answerDone(frame);
  await audit(ui, frame, 'answered conversation');

  await titleAction(ui, 'Chat History');
  await frame.locator('.history-list li').first().waitFor({ timeout: 10_000 });
  await audit(ui, frame, 'history list');
  await titleAction(ui, 'Chat History');

  sim.setFault({ kind: 'server-error-500', count: 1 });
  try {
    await ask(frame, 'Is this dose safe?');
    await frame.locator('.error-banner:not([hidden])').waitFor({ timeout: 60_000 });
    await audit(ui, frame, 'error with its fixes');
    await ui.shot('13-chat-accessibility-error');
  } finally {
    sim.setFault(undefined);
  }
}
