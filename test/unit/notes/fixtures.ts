// Helpers for the notes tests: the synthetic notes in test/fixtures/notes.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fixture, requireFixture } from '../../fixtures';

export const NOTES = fixture('notes');

/** The fixture note's text (a missing note skips the test, or fails it when CI=true). */
export function fixtureNote(ctx: Mocha.Context, name: string): string {
  const file = path.join(NOTES, name);
  requireFixture(ctx, file);
  return fs.readFileSync(file, 'utf8');
}

/** Line number (1-based) of the first line containing `needle`; throws if none, so tests fail loudly. */
export function lineOf(text: string, needle: string | RegExp, from = 1): number {
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = from - 1; i < lines.length; i++) {
    if (typeof needle === 'string' ? lines[i].includes(needle) : needle.test(lines[i])) return i + 1;
  }
  throw new Error(`no line matches ${needle}`);
}

/** A synthetic multi-day note (no fixtures needed): `days` dated notes with sections and paragraphs. */
export function syntheticCourse(days: number): string {
  const out: string[] = ['ICU COURSE - SYNTHETIC TEST NOTE', ''];
  for (let d = 1; d <= days; d++) {
    const date = `03/${String(d).padStart(2, '0')}/2024`;
    out.push('='.repeat(60), `DAILY PROGRESS NOTE - ${date} 07:30`, `Hospital day ${d + 1}`, '='.repeat(60), '');
    out.push('EVENTS');
    out.push(`Remained on norepinephrine ${(0.05 * d).toFixed(2)} mcg/kg/min overnight with MAP above 65.`);
    out.push(`Fever to 38.${d % 10} at 02:00; blood cultures drawn.`, '');
    out.push('EXAM');
    out.push('Lungs: coarse crackles at both bases. No wheeze.');
    out.push(`Extremities: ${d % 3} plus edema in the legs. No calf tenderness.`, '');
    out.push('LABS');
    out.push(`WBC ${10 + d}.2, hemoglobin 9.${d % 10}, platelets ${150 + d * 3}, creatinine 1.${d % 10}.`);
    out.push(`Lactate ${1 + (d % 4)}.1 mmol/L; procalcitonin ${d}.4 ng/mL.`, '');
    out.push('ASSESSMENT AND PLAN');
    out.push(`Septic shock from pneumonia, day ${d} of ceftriaxone 2 g IV daily.`);
    out.push('No evidence of pulmonary embolism on CT angiogram; no anticoagulation.');
    out.push(`Continue heparin 5000 units SC q8h for prophylaxis; recheck labs in the morning.`);
    out.push('');
  }
  return out.join('\n');
}
