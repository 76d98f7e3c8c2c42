// axe-core (the engine behind the browsers' accessibility checkers) over a webview's page: no
// serious or critical WCAG 2.1 A/AA violation may be left; minor ones are logged. Not a scenario.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

// axe-core is installed with the other UI tools in test/e2e.
const require = createRequire(new URL('../e2e/package.json', import.meta.url));
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** Audits the document of `frame` (a Playwright Frame) in the state named `state`. */
export async function audit(ui, frame, state) {
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
