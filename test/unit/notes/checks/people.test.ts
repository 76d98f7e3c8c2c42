import * as assert from 'node:assert/strict';
import { MAX_RULE_TEXT } from '../../../../src/core/notes/checks/types';
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

describe('notes/checks/people: names the note writes', () => {
  it('takes every name word before a credential, first names and two-letter surnames included', () => {
    const header = 'Arrival: 06:42 via EMS (ALS)              ED attending: Priya Natarajan, MD';
    // The first name is a name too: the reason names the first word it checks.
    assert.equal(verdict(people, 'His PCP is Priya Natarajan', header), 'the note gives Priya as ed physician, not pcp');
    assert.equal(verdict(people, 'His PCP is Priya Natarajan', 'ED attending: Priya  Natarajan, MD'), 'the note gives Priya as ed physician, not pcp');
    // Short surnames are common ("Li", "Ng", "Wu"): they were once dropped and flagged as unnamed.
    assert.equal(verdict(people, 'Seen by Dr. Li', 'Attending: Wei Li, MD'), 'ok');
    assert.equal(verdict(people, 'His PCP is Dr. Ng', 'Attending: Wei Ng, MD'), 'the note gives Ng as attending, not pcp');
  });

  it('knows each credential, with or without the comma, and not a word that only starts like one', () => {
    const cases: Array<[string, string]> = [
      ['Omar Haddad, MD (cardiology)', 'the note gives Haddad as cardiology, not pcp'],
      ['Omar Haddad MD (cardiology)', 'the note gives Haddad as cardiology, not pcp'],
      ['Omar Haddad,MD (cardiology)', 'the note gives Haddad as cardiology, not pcp'],
      ['Omar Haddad, DO (cardiology)', 'the note gives Haddad as cardiology, not pcp'],
      ['Omar Haddad, PA-C (cardiology)', 'the note gives Haddad as physician assistant, not pcp'],
      ['Omar Haddad, NP (cardiology)', 'the note gives Haddad as nurse practitioner, not pcp'],
      ['Omar Haddad, RN (cardiology)', 'the note gives Haddad as nursing, not pcp'],
      // "MDiv" is not a medical credential, so "Haddad" is not a name the note gives a role.
      ['Omar Haddad, MDiv (cardiology)', 'ok'],
    ];
    for (const [l, want] of cases) assert.equal(verdict(people, 'Haddad, his PCP', l), want, l);
  });

  it('takes a hyphenated surname before a credential as one name', () => {
    assert.equal(verdict(people, 'Dr. Ruiz-Fenner, the PCP, called', 'Cardiology: Alejandro Ruiz-Fenner, MD'), 'the note gives Ruiz-Fenner as cardiology, not pcp');
  });

  it('takes the first name after a relative word, in either case and whatever the spacing', () => {
    const cases: Array<[string, string, string]> = [
      ['Wife Teresa is a retired nurse.', 'Teresa', 'wife'],
      ['husband Carlos is a retired nurse.', 'Carlos', 'husband'],
      ['Son Marco is a retired nurse.', 'Marco', 'son'],
      ['daughter Ana is a retired nurse.', 'Ana', 'daughter'],
      ['Daughter  Ana is a retired nurse.', 'Ana', 'daughter'],
      // "partner" is no role word: the role is what the line says of her.
      ['Partner Dana is a retired nurse.', 'Dana', 'nursing'],
      ['mother Ruth is a retired nurse.', 'Ruth', 'mother'],
      ['Father Samuel is a retired nurse.', 'Samuel', 'father'],
    ];
    for (const [l, name, role] of cases) {
      assert.equal(verdict(people, `${name}, a pharmacist, visited`, l), `the note gives ${name} as ${role}, not pharmacy`, l);
    }
  });

  it('does not read a relative word inside a longer word', () => {
    // "Jefferson Cardiology" is a practice, not a son named Cardiology: the role after it is hers.
    assert.equal(verdict(people, 'Natarajan, his PCP', 'Consult: Priya Natarajan, MD, Jefferson Cardiology'), 'the note gives Natarajan as cardiology, not pcp');
  });

  it('accepts a short form of a hyphenated first name without giving it the line roles', () => {
    // The note names "Ana" (from "Daughter Ana-Maria"), but no role on the line is hers alone.
    assert.equal(verdict(people, 'Ana, the health care proxy', 'Daughter Ana-Maria is health care proxy'), 'ok');
  });

  it('flags an unnamed clinician the statement gives a credential', () => {
    const header = 'Arrival: 06:42 via EMS (ALS)              ED attending: Priya Natarajan, MD';
    assert.equal(verdict(people, 'Reviewed with Okafor, MD', header), 'the cited lines do not name Okafor');
  });
});

describe("notes/checks/people: the statement's role for a person", () => {
  const header = 'Arrival: 06:42 via EMS (ALS)              ED attending: Priya Natarajan, MD';

  it('reads the role nearest the name, in its own clause', () => {
    // "the cardiologist" is who called; "his PCP" is Oyelaran.
    assert.equal(verdict(people, 'The cardiologist called Oyelaran, his PCP', 'PCP: Thomas Oyelaran, MD'), 'ok');
    // A role in the next clause belongs to someone else.
    assert.equal(verdict(people, 'Natarajan saw him; PCP aware', header), 'ok');
    assert.equal(verdict(people, 'Natarajan saw him; PCP notified. Discharged home', header), 'ok');
    // ... and a person in a later clause gets the role of that clause.
    const two = 'PCP: Lorraine Pettibone, DO                Outpatient cardiologist: Miriam Eskildsen, MD';
    assert.equal(verdict(people, 'Blood pressure and renal function reviewed today; Eskildsen is his PCP', two), 'the note gives Eskildsen as cardiology, not pcp');
  });

  it('reads a role within about 40 characters of the name, even in a long clause', () => {
    assert.equal(
      verdict(people, 'Natarajan is his PCP and reviewed the overnight labs with the night team before rounds', header),
      'the note gives Natarajan as ed physician, not pcp',
    );
    // "the radiologist" is far from the name: someone else read the CT.
    assert.equal(verdict(people, 'Natarajan reviewed the CT of the chest and abdomen, which the radiologist read as normal', header), 'ok');
  });

  it('reads a role of several words, however it is spaced', () => {
    assert.equal(verdict(people, 'His primary care physician is Natarajan', header), 'the note gives Natarajan as ed physician, not pcp');
    assert.equal(verdict(people, 'His primary care  physician is Natarajan', header), 'the note gives Natarajan as ed physician, not pcp');
  });

  it('lets a named person with no role in the note have any role', () => {
    assert.equal(verdict(people, 'Natarajan, his PCP', 'Priya Natarajan, MD'), 'ok');
  });
});

describe("notes/checks/people: the note's role for a person", () => {
  const two = 'PCP: Lorraine Pettibone, DO                Outpatient cardiologist: Miriam Eskildsen, MD';

  it('does not give a person the role of the one named before', () => {
    assert.equal(verdict(people, 'Dr. Eskildsen is his PCP', two), 'the note gives Eskildsen as cardiology, not pcp');
  });

  it('does not give a person the role of the one named after, unless it is a label', () => {
    const l = 'Resident: Omar Haddad, MD   Attending: Priya Natarajan, MD (emergency medicine)';
    assert.equal(verdict(people, 'Haddad was the ED attending', l), 'the note gives Haddad as resident, not ed physician');
    // A label with a space before its colon is still a label of the next name.
    assert.equal(verdict(people, 'Haddad was the ED attending', 'Resident: Omar Haddad, MD    Attending : Priya Natarajan, MD'), 'the note gives Haddad as resident, not ed physician');
  });

  it('takes a role written after the name, even with a colon later on the line', () => {
    assert.equal(verdict(people, 'Dr. Eskildsen, his PCP', 'Miriam Eskildsen, MD (cardiology) at 09:30'), 'the note gives Eskildsen as cardiology, not pcp');
  });

  it('treats first and last name as one person, whatever the spacing between them', () => {
    // The role after the surname is the first name's too, and the role before the first name the surname's.
    assert.equal(verdict(people, 'Miriam Eskildsen is his PCP', 'Miriam Eskildsen, MD, cardiology'), 'the note gives Miriam as cardiology, not pcp');
    assert.equal(verdict(people, 'Lorraine is his cardiologist', 'Lorraine  Pettibone, DO (PCP)'), 'the note gives Lorraine as pcp, not cardiology');
    assert.equal(verdict(people, 'Dr. Pettibone is his cardiologist', 'PCP: Lorraine  Pettibone, DO'), 'the note gives Pettibone as pcp, not cardiology');
  });

  it('reads a note role of several words, however it is spaced', () => {
    assert.equal(verdict(people, 'Dr. Oyelaran, his PCP', 'Primary care  physician: Thomas Oyelaran, MD'), 'ok');
  });
});

describe('notes/checks/people: roles that go together', () => {
  it('accepts an ED attending called the attending, and the other way round', () => {
    assert.equal(verdict(people, 'Natarajan, the attending', 'ED attending: Priya Natarajan, MD'), 'ok');
    assert.equal(verdict(people, 'Natarajan, the ED attending', 'Attending: Priya Natarajan, MD'), 'ok');
  });

  it('accepts a wife or husband who is the health care proxy', () => {
    assert.equal(verdict(people, 'Teresa is his health care proxy', 'Wife Teresa at bedside'), 'ok');
    assert.equal(verdict(people, 'Carlos, her husband, is at bedside', 'Health care proxy: husband Carlos'), 'ok');
  });

  it('lets any clinician be the one who ordered or referred; a role beside the name still counts', () => {
    assert.equal(verdict(people, 'Dr. Natarajan ordered a CT of the head', 'ED physician: Priya Natarajan, MD'), 'ok');
    assert.equal(verdict(people, 'Referring: Dr. Okafor (ED attending)', 'Ordered by: Dr. Okafor'), 'ok');
    assert.equal(verdict(people, 'Dr. Natarajan, the radiologist, ordered a CT', 'ED physician: Priya Natarajan, MD'), 'the note gives Natarajan as ed physician, not radiology');
    assert.equal(verdict(people, 'Dr. Ana ordered the CT', 'Daughter Ana at bedside'), 'the note gives Ana as daughter, not ordering', 'a relative orders no tests');
  });

  it('keeps a resident, an attending and an ED attending apart', () => {
    assert.equal(verdict(people, 'Natarajan was the night resident', 'Attending: Priya Natarajan, MD'), 'the note gives Natarajan as attending, not resident');
    assert.equal(verdict(people, 'Haddad was the ED attending', 'Resident: Omar Haddad, MD'), 'the note gives Haddad as resident, not ed physician');
    assert.equal(verdict(people, 'Haddad was the attending', 'Resident: Omar Haddad, MD'), 'the note gives Haddad as resident, not attending');
  });
});

describe('notes/checks/people: relatives', () => {
  const fh = 'Father: MI at age 54, died at 61. Brother: CABG at age 60.';

  it('names the relative the note has, in the singular', () => {
    assert.equal(verdict(people, 'Discussed with his sister', 'brother at bedside'), 'the note says brother, not sister');
    assert.equal(verdict(people, 'His sons visited', 'daughter at bedside'), 'the note says daughter, not son');
    assert.equal(verdict(people, 'His sisters visited', 'Sister at bedside'), 'ok');
  });

  it('has nothing to compare when the cited lines name no relative', () => {
    assert.equal(verdict(people, 'Discussed with his wife', 'Plan discussed at bedside'), 'ok');
  });

  it("reads each relative's facts up to the next relative, in the statement and in the note", () => {
    // The father's part of the line ends where the brother's begins.
    assert.equal(verdict(people, 'Father had CABG at 60', fh), 'the note says this of the brother, not the father');
    // Both wrong: the first relative's slip is reported.
    assert.equal(verdict(people, 'Brother had an MI at 54. Father had CABG at 60', fh), 'the note says this of the father, not the brother');
  });

  it('compares decimal numbers whole', () => {
    assert.equal(verdict(people, "Brother's PSA was 4.25", 'Father: PSA 4.25. Brother: PSA 1.10'), 'the note says this of the father, not the brother');
  });

  it('ignores numbers of the statement the cited lines do not have', () => {
    assert.equal(verdict(people, 'Father had an MI at age 54 and 3 stents', fh), 'ok');
  });

  it('looks at every line that names the relative', () => {
    assert.equal(verdict(people, 'Brother had CABG at 60', 'Brother: CABG at age 60.', 'Brother: hypertension.'), 'ok');
    assert.equal(verdict(people, 'Brother had an MI at 54', 'Brother: CABG at age 60.', 'Father: MI at age 54; brother healthy.'), 'the note says this of the father, not the brother');
  });

  it("does not call the patient's own number another relative's", () => {
    // 54 is the patient's age, said before any relative: the note does not give it to the father.
    assert.equal(verdict(people, 'Father had an MI at 54', '54 y/o man. Father: MI at age 61.'), 'the note does not say this of the father');
  });
});

describe('notes/checks/people: bounds', () => {
  it('reads a statement only up to MAX_RULE_TEXT characters', () => {
    const header = 'Arrival: 06:42 via EMS (ALS)              ED attending: Priya Natarajan, MD';
    const long = `Seen in the ED.${' '.repeat(MAX_RULE_TEXT)}Dr. Okafor saw him`;
    assert.equal(verdict(people, long, header), 'ok');
    assert.equal(verdict(people, 'Dr. Okafor saw him', header), 'the cited lines do not name Okafor');
  });
});
