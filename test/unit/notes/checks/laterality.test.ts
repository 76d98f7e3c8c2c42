import * as assert from 'node:assert/strict';
import { type Side, laterality, sidesIn } from '../../../../src/core/notes/checks/laterality';
import { verdict } from './lines';

describe('notes/checks/laterality', () => {
  it('reads sides written out, abbreviated and glued', () => {
    assert.deepEqual(sidesIn('radiating to the L jaw and inner L arm').map((m) => m.side), ['left', 'left']);
    assert.deepEqual(sidesIn('BP 154/88 (R arm), 150/86 (L arm)').map((m) => m.side), ['right', 'left']);
    assert.deepEqual(sidesIn('dense RLL consolidation; L-sided pain; right-hand-dominant').map((m) => m.side), ['right', 'left', 'right']);
    assert.deepEqual(sidesIn('SpO2 97% on 2 L NC; called right away; all right').map((m) => m.side), [], 'litres and idioms are not sides');
    assert.deepEqual(sidesIn('clear to auscultation bilaterally').map((m) => m.side), ['both']);
  });

  it('flags the other side, and names the side the note gives', () => {
    assert.equal(verdict(laterality, 'Pain radiating to the right jaw', 'radiating to the L jaw and inner L arm'), 'the note says left');
    assert.equal(verdict(laterality, 'Left knee arthroscopy', '- R knee arthroscopy'), 'the note says right');
    assert.equal(verdict(laterality, 'Bilateral pleural effusions', 'Small right pleural effusion. No pneumothorax.'), 'the note says right');
    assert.equal(verdict(laterality, 'Right-sided pleuritic pain', 'sharp L-sided pleuritic chest pain; small bilateral pleural effusions'), 'the note says left');
  });

  it('accepts the same side, a side within "both", and the side of the same site', () => {
    assert.equal(verdict(laterality, 'Pain radiating to the left jaw and left arm', 'radiating to the L jaw and inner L arm'), 'ok');
    assert.equal(verdict(laterality, 'Right lower lobe pneumonia', 'Dense RLL consolidation'), 'ok');
    assert.equal(verdict(laterality, 'Crackles at the right base', 'crackles at both bases'), 'ok');
    assert.equal(verdict(laterality, 'BP 150/86 in the left arm', 'BP 154/88 (R arm), 150/86 (L arm)'), 'ok');
    assert.equal(verdict(laterality, 'Hyperdynamic left ventricle, dilated right ventricle', 'hyperdynamic LV, mildly dilated RV'), 'ok');
  });

  it('flags a side the cited lines do not give', () => {
    assert.equal(verdict(laterality, 'Left wrist fracture', 'Distal radius fracture, closed reduction'), 'the cited lines do not give a side');
  });
});

describe('notes/checks/laterality: which words give a side', () => {
  it('does not read "bright-red" as right', () => {
    assert.deepEqual(sidesIn('bright-red blood per rectum'), []);
    assert.equal(verdict(laterality, 'Bright-red blood per rectum', 'hematochezia, bright red blood'), 'ok');
  });

  it('reads a side glued to its site, "left-" as left and "right-" as right', () => {
    assert.deepEqual(sidesIn('left-handed'), [{ side: 'left', site: ['hand'] }]);
    assert.deepEqual(sidesIn('right-hand-dominant'), [{ side: 'right', site: ['hand'] }]);
  });

  it('reads "L-sided" as left and "R-sided" as right', () => {
    assert.deepEqual(sidesIn('R-sided chest pain'), [{ side: 'right', site: ['chest', 'pain'] }]);
    assert.deepEqual(sidesIn('L-sided chest pain'), [{ side: 'left', site: ['chest', 'pain'] }]);
  });

  it('drops "right" before "now", "then" and the like; "left" there stays a side', () => {
    assert.deepEqual(sidesIn('wants to go home right now').map((m) => m.side), []);
    assert.deepEqual(sidesIn('effusion on the left now smaller').map((m) => m.side), ['left']);
  });

  it('does not take "sided" as the site of a glued side word', () => {
    assert.deepEqual(sidesIn('left-sided-weakness'), [{ side: 'left', site: [] }]);
  });

  it('does not read a lower-case "l-" chemical prefix as left', () => {
    assert.deepEqual(sidesIn('levothyroxine (l-thyroxine) 50 mcg daily'), []);
  });

  it('reads "both" as a side only before a paired body part', () => {
    assert.deepEqual(sidesIn('pain in both knees'), [{ side: 'both', site: ['knee'] }]);
    assert.deepEqual(sidesIn('discussed with both the patient and his wife'), []);
    // "clearly" contains "ear": only the start of the next word counts.
    assert.deepEqual(sidesIn('patient and daughter both clearly understand the plan'), []);
    assert.deepEqual(sidesIn('consent signed by both'), [], '"both" as the last word');
  });
});

describe('notes/checks/laterality: the site a side belongs to', () => {
  it('skips filler words and looks up to five words ahead', () => {
    assert.deepEqual(sidesIn('right side of the neck'), [{ side: 'right', site: ['neck'] }]);
    assert.deepEqual(sidesIn('R side of the upper arm'), [{ side: 'right', site: ['arm'] }]);
  });

  it('keeps at most three site words', () => {
    assert.deepEqual(sidesIn('left calf pain and swelling to the knee'), [{ side: 'left', site: ['calf', 'pain', 'swell'] }]);
  });

  it('keeps a spinal level as part of the site', () => {
    assert.deepEqual(sidesIn('left L5 radiculopathy'), [{ side: 'left', site: ['l5', 'radiculopathy'] }]);
  });

  it('ends the site at the end of the clause and at the next side word', () => {
    assert.deepEqual(sidesIn('R arm; knee normal'), [{ side: 'right', site: ['arm'] }]);
    assert.deepEqual(sidesIn('left arm and right leg'), [{ side: 'left', site: ['arm'] }, { side: 'right', site: ['leg'] }]);
  });

  it('matches a lobe named by abbreviation ("RLL") with the same lobe written out', () => {
    // Without the lobe as its site, "RLL" would be weighed against the left rib fractures too.
    assert.equal(verdict(laterality, 'Left lower lobe pneumonia', 'CXR: RLL consolidation. Old left rib fractures.'), 'the note says right');
  });
});

describe('notes/checks/laterality: every spelling the rule knows', () => {
  it('reads each side word', () => {
    const words: [string, Side][] = [
      ['left', 'left'], ['right', 'right'], ['bilateral', 'both'], ['bilaterally', 'both'], ['both', 'both'], ['bibasilar', 'both'], ['bibasal', 'both'],
      ['b/l', 'both'], ['bilat', 'both'], ['left-sided', 'left'], ['right-sided', 'right'], ['lt', 'left'], ['rt', 'right'],
    ];
    for (const [w, side] of words) assert.deepEqual(sidesIn(`${w} knee`), [{ side, site: ['knee'] }], w);
  });

  it('reads each lobe, limb, ventricle and quadrant abbreviation with its side and site', () => {
    const abbreviations: [string, Side, string][] = [
      ['RLL', 'right', 'lobe'], ['RML', 'right', 'lobe'], ['RUL', 'right', 'lobe'], ['LLL', 'left', 'lobe'], ['LUL', 'left', 'lobe'],
      ['RLE', 'right', 'leg'], ['LLE', 'left', 'leg'], ['RUE', 'right', 'arm'], ['LUE', 'left', 'arm'],
      ['LV', 'left', 'ventricle'], ['RV', 'right', 'ventricle'], ['LVEF', 'left', 'ventricle'],
      ['RLQ', 'right', 'quadrant'], ['LLQ', 'left', 'quadrant'], ['RUQ', 'right', 'quadrant'], ['LUQ', 'left', 'quadrant'],
    ];
    for (const [abbr, side, site] of abbreviations) assert.deepEqual(sidesIn(`${abbr} tenderness`), [{ side, site: [site] }], abbr);
  });

  it('does not read "right" before away, now, then, there, here, after or before as a side', () => {
    for (const w of ['away', 'now', 'then', 'there', 'here', 'after', 'before']) assert.deepEqual(sidesIn(`right ${w}`), [], w);
  });

  it('skips filler words when reading the site', () => {
    for (const w of ['side', 'sided', 'of', 'the', 'and', 'inner', 'outer', 'upper', 'lower', 'mid', 'a', 'at', 'in', 'on']) {
      assert.deepEqual(sidesIn(`left ${w} knee`), [{ side: 'left', site: ['knee'] }], w);
    }
  });

  it('does not read L- or R- before a drug or regimen as a side (L-thyroxine, L-dopa, R-CHOP)', () => {
    assert.deepEqual(sidesIn('Continue L-thyroxine 50 mcg; carbidopa/L-dopa; R-CHOP cycle 3'), []);
    assert.equal(verdict(laterality, 'Continue L-thyroxine', 'Levothyroxine 50 mcg daily'), 'ok', 'was: the cited lines do not give a side');
    assert.deepEqual(sidesIn('L-knee effusion').map((m) => m.side), ['left'], 'a body part after L- is still a side');
  });

  it('does not read "left" as a verb as a side ("Foley left in place", "left AMA", "has left.")', () => {
    for (const t of ['Foley left in place', 'drain left in situ', 'Patient left AMA', 'left against medical advice', 'wound left open', 'fracture was left untreated', 'The patient has left.', 'left with family', 'ETT left in position']) {
      assert.deepEqual(sidesIn(t), [], t);
    }
    assert.equal(verdict(laterality, 'Foley catheter left in place', 'Foley catheter in situ, to remain until POD 2.'), 'ok', 'was: the cited lines do not give a side');
    // A side still reads as one beside those words.
    assert.deepEqual(sidesIn('left in the knee').map((m) => m.side), ['left']);
    assert.deepEqual(sidesIn('pain on the left; was left.').map((m) => m.side), ['left']);
    assert.deepEqual(sidesIn('tenderness on the left').map((m) => m.side), ['left'], 'a side ending a clause without "was" or "has"');
    assert.deepEqual(sidesIn('effusion is left').map((m) => m.side), ['left']);
    assert.deepEqual(sidesIn('left with right').map((m) => m.side), ['right']);
  });
});
