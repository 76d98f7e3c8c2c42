import * as assert from 'node:assert/strict';
import { laterality, sidesIn } from '../../../../src/core/notes/checks/laterality';
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
