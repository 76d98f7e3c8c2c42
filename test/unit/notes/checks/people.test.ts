import * as assert from 'node:assert/strict';
import { people } from '../../../../src/core/notes/checks/people';
import { verdict } from './lines';

describe('notes/checks/people', () => {
  const header = 'Arrival: 06:42 via EMS (ALS)              ED attending: Priya Natarajan, MD';
  const pcp = 'PCP: Thomas Oyelaran, MD                  Triage acuity: ESI 2';

  it('flags a clinician in the wrong role or not in the cited lines', () => {
    assert.equal(verdict(people, 'His PCP is Dr. Natarajan', header, pcp), 'the note gives Natarajan as ed physician, not pcp');
    assert.equal(verdict(people, 'Seen by Dr. Ruiz-Fenner', header), 'the cited lines do not name Ruiz-Fenner');
  });

  it("reads each person's role on a line that names two", () => {
    const l = 'PCP: Lorraine Pettibone, DO                Outpatient cardiologist: Miriam Eskildsen, MD';
    assert.equal(verdict(people, 'Dr. Pettibone is his cardiologist', l), 'the note gives Pettibone as pcp, not cardiology');
    assert.equal(verdict(people, 'Dr. Eskildsen is his cardiologist; Dr. Pettibone his PCP', l), 'ok');
    assert.equal(verdict(people, 'Referred by her primary care NP, Celine Marchbanks', 'Referring provider: Celine Marchbanks, NP (primary care)'), 'ok');
  });

  it('accepts the same person in the same role', () => {
    assert.equal(verdict(people, 'ED attending Dr. Priya Natarajan', header), 'ok');
    assert.equal(verdict(people, 'Cardiology (Dr. Ruiz-Fenner) saw him at 09:30', 'Cardiology (Dr. Alejandro Ruiz-Fenner) evaluated at bedside at 09:30.'), 'ok');
  });

  it('keeps relatives and their facts apart', () => {
    const fh = 'Father: MI at age 54, died at 61. Brother: CABG at age 60.';
    assert.equal(verdict(people, 'Brother had an MI at 54', fh), 'the note says this of the father, not the brother');
    assert.equal(verdict(people, 'Father had an MI at 54; brother had CABG at 60', fh), 'ok');
    assert.equal(verdict(people, 'Discussed with his wife', 'patient and daughter agree with the plan'), 'the note says daughter, not wife');
  });
});
