import * as assert from 'node:assert/strict';
import { BUILT_IN_TEMPLATES, findTemplate, resolveTemplates } from '../../../src/core/notes/templates';

describe('notes/templates', () => {
  it('has the six built-in templates, each complete', () => {
    assert.deepEqual(
      BUILT_IN_TEMPLATES.map((t) => t.id),
      ['brief', 'soap', 'problems', 'medications', 'discharge', 'patient'],
    );
    for (const t of BUILT_IN_TEMPLATES) {
      assert.ok(t.label && t.description && t.instructions.length > 80, t.id);
      assert.equal(t.builtIn, true);
    }
    assert.match(findTemplate('problems')!.instructions, /active.*resolved.*chronic/);
    assert.match(findTemplate('medications')!.instructions, /Started.*Stopped.*Changed.*Continued/s);
    assert.match(findTemplate('patient')!.instructions, /plain language/i);
  });

  it('returns the built-ins when the setting is empty', () => {
    for (const v of [undefined, null, []]) {
      const r = resolveTemplates(v);
      assert.equal(r.templates.length, 6);
      assert.deepEqual(r.problems, []);
    }
  });

  it('adds valid user templates and lets one replace a built-in by id', () => {
    const r = resolveTemplates([
      { id: 'handoff', label: 'ICU handoff', instructions: 'One line per system.', extra: 1 },
      { id: 'brief', label: 'My brief', description: 'Shorter', instructions: 'Three bullets.' },
    ]);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.templates.map((t) => t.id), ['brief', 'soap', 'problems', 'medications', 'discharge', 'patient', 'handoff']);
    assert.equal(findTemplate('brief', r.templates)!.label, 'My brief');
    assert.equal(findTemplate('brief', r.templates)!.builtIn, false);
    assert.deepEqual(findTemplate('HANDOFF', r.templates), {
      id: 'handoff', label: 'ICU handoff', description: '', instructions: 'One line per system.', builtIn: false,
    });
  });

  it('reports invalid entries as readable problems instead of throwing', () => {
    const r = resolveTemplates([
      'brief',
      { label: 'No id', instructions: 'x' },
      { id: 'has space', label: 'L', instructions: 'x' },
      { id: 'ok', label: 'OK', instructions: 'Fine.' },
      { id: 'ok', label: 'Again', instructions: 'Duplicate.' },
      { id: 'nolabel', instructions: 'x', description: 5 },
      { id: 'empty', label: 'E', instructions: '   ' },
    ]);
    assert.deepEqual(r.templates.filter((t) => !t.builtIn).map((t) => t.id), ['ok']);
    assert.equal(r.problems.length, 6);
    assert.match(r.problems[0], /^Template 1 is not an object/);
    assert.match(r.problems[1], /^Template 2: "id" must be a non-empty string/);
    assert.match(r.problems[2], /^Template 3 \("has space"\): "id" may only use/);
    assert.match(r.problems[3], /^Template 5 \("ok"\): another template already uses this id/);
    assert.match(r.problems[4], /"label" must be a non-empty string; "description" must be a string/);
    assert.match(r.problems[5], /^Template 7 \("empty"\): "instructions" must be a non-empty string/);
    assert.match(resolveTemplates({ id: 'x' }).problems[0], /must be a list/);
  });

  it('finds nothing for an unknown id', () => {
    assert.equal(findTemplate('nope'), undefined);
  });
});
