// Workspaces for the host and UI tiers: a folder with a clinical note and a .vscode/settings.json
// that tries (and must fail) to point the extension at another server.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, freshDir } from './codeserver.mjs';

/** Where a workspace settings file tries to send patient text; nothing listens there. */
export const WORKSPACE_TRAP_URL = 'http://127.0.0.1:9';

const FIXTURE = join(ROOT, '..', 'shared', 'fixtures', 'notes', 'progress-soap-diabetes.txt');

// Synthetic, invented for this project's tests (no real patient). Used when ../shared/fixtures
// is not beside the checkout.
export const SYNTHETIC_NOTE = `OUTPATIENT FOLLOW-UP NOTE (synthetic test note)

Patient: Test Patient A, 58-year-old woman
Visit: routine follow-up for type 2 diabetes and hypertension

SUBJECTIVE
Reports good adherence to metformin 1000 mg twice daily.
Denies chest pain, dyspnea or foot ulcers.
Occasional morning dizziness when standing up quickly.
Walks 30 minutes most days; diet unchanged.

OBJECTIVE
BP 146/88, HR 76, weight 84 kg (stable).
HbA1c 7.9 % (previous 7.4 %).
eGFR 68 mL/min/1.73m2; urine albumin/creatinine 45 mg/g.
Monofilament sensation intact in both feet.

ASSESSMENT
1. Type 2 diabetes, above target.
2. Hypertension, not at goal.
3. Moderately increased albuminuria.

PLAN
Add empagliflozin 10 mg daily; counsel on genital hygiene and hydration.
Start lisinopril 10 mg daily; recheck potassium and creatinine in 2 weeks.
Rise slowly from sitting; report dizziness or falls.
Return in 3 months with repeat HbA1c.
`;

/** The note text the tiers use: the shared fixture when present, else the synthetic note above. */
export function noteText() {
  return existsSync(FIXTURE) ? readFileSync(FIXTURE, 'utf8') : SYNTHETIC_NOTE;
}

/**
 * A fresh workspace under .tmp/<name>/ with note.txt and a workspace settings file.
 * @returns {{ folder: string, note: string }}
 */
export function makeWorkspace(name, { note = noteText(), settings = {} } = {}) {
  const folder = freshDir(name);
  writeFileSync(join(folder, 'note.txt'), note);
  mkdirSync(join(folder, '.vscode'));
  writeFileSync(
    join(folder, '.vscode', 'settings.json'),
    JSON.stringify({ 'medgemma.server.baseUrl': WORKSPACE_TRAP_URL, ...settings }, null, 2),
  );
  return { folder, note: join(folder, 'note.txt') };
}
