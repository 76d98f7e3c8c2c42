// The run-time validator of webview messages (src/protocol/schema.ts), primitive by primitive:
// each limit at its boundary (one past it fails, the limit itself passes) and each message
// naming the path and what is wrong, since the host shows and logs it.
import * as assert from 'node:assert/strict';
import { array, boolean, literal, none, nullable, number, object, oneOf, optional, SchemaError, string, union } from '../../../src/protocol/schema';

/** The message of the SchemaError `fn` throws (fails when it throws nothing or something else). */
function error(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(e instanceof SchemaError, `not a SchemaError: ${e}`);
    assert.equal(e.name, 'SchemaError');
    return e.message;
  }
  return assert.fail('expected a SchemaError');
}

describe('protocol/schema', () => {
  it('string: type, length limits at their boundary, pattern; the path in the message', () => {
    const s = string({ min: 2, max: 4, pattern: /^[a-z]+$/ });
    assert.equal(s.parse('ab'), 'ab');
    assert.equal(s.parse('abcd'), 'abcd');
    assert.equal(error(() => s.parse('abcde', 'q.text')), 'q.text is longer than 4 characters');
    assert.equal(error(() => s.parse('a', 'q.text')), 'q.text is shorter than 2 characters');
    assert.equal(error(() => s.parse('AB', 'q.text')), 'q.text has the wrong format');
    assert.equal(error(() => s.parse(3)), 'message must be a string, got number');
    assert.equal(error(() => s.parse(null, 'x')), 'x must be a string, got null');
    assert.equal(error(() => s.parse([], 'x')), 'x must be a string, got array');
    assert.equal(string().parse(''), '');
  });

  it('number: finite, integer, min and max at their boundary', () => {
    const n = number({ min: 0, max: 10, integer: true });
    assert.equal(n.parse(0), 0);
    assert.equal(n.parse(10), 10);
    assert.equal(error(() => n.parse(-1, 'f')), 'f must be >= 0');
    assert.equal(error(() => n.parse(11, 'f')), 'f must be <= 10');
    assert.equal(error(() => n.parse(1.5, 'f')), 'f must be an integer');
    assert.equal(error(() => n.parse(Number.NaN, 'f')), 'f must be a finite number, got number');
    assert.equal(error(() => n.parse(Infinity, 'f')), 'f must be a finite number, got number');
    assert.equal(error(() => n.parse('1', 'f')), 'f must be a finite number, got string');
    assert.equal(number().parse(2.5), 2.5);
  });

  it('boolean, literal, oneOf', () => {
    assert.equal(boolean().parse(false), false);
    assert.equal(error(() => boolean().parse(0, 'b')), 'b must be true or false, got number');
    assert.equal(literal('a').parse('a'), 'a');
    assert.equal(error(() => literal('a').parse('b', 'k')), 'k must be "a"');
    const o = oneOf(['x', 'y'] as const);
    assert.equal(o.parse('y'), 'y');
    assert.equal(error(() => o.parse('z', 'k')), 'k must be one of x, y');
    assert.equal(error(() => o.parse(1, 'k')), 'k must be one of x, y');
  });

  it('array: type, the item limit at its boundary, each item checked with its index in the path', () => {
    const a = array(number(), { max: 2 });
    assert.deepEqual(a.parse([1, 2]), [1, 2]);
    assert.equal(error(() => a.parse([1, 2, 3], 'list')), 'list has more than 2 items');
    assert.equal(error(() => a.parse([1, 'x'], 'list')), 'list[1] must be a finite number, got string');
    assert.equal(error(() => a.parse({}, 'list')), 'list must be an array, got object');
  });

  it('object: exact fields, optional ones omitted, nested paths', () => {
    const o = object({ a: number(), b: optional(string()), c: object({ d: boolean() }) });
    assert.deepEqual(o.parse({ a: 1, c: { d: true } }), { a: 1, c: { d: true } });
    assert.ok(!('b' in o.parse({ a: 1, b: undefined, c: { d: true } })), 'an undefined optional field is left out');
    assert.equal(error(() => o.parse({ a: 1, c: { d: true }, e: 1 })), 'e is not expected');
    assert.equal(error(() => o.parse({ a: 1, c: { d: true, e: 1 } })), 'c.e is not expected');
    assert.equal(error(() => o.parse({ a: 1, c: { d: 1 } }, 'msg')), 'msg.c.d must be true or false, got number');
    assert.equal(error(() => o.parse({ c: { d: true } })), 'a must be a finite number, got undefined');
    assert.equal(error(() => o.parse([], 'msg')), 'msg must be an object, got array');
    assert.equal(error(() => o.parse(null)), 'message must be an object, got null');
  });

  it('union: the tag picks the shape; an unknown or inherited tag is refused', () => {
    const u = union('kind', { a: object({ kind: literal('a'), x: number() }), b: object({ kind: literal('b') }) });
    assert.deepEqual(u.parse({ kind: 'b' }), { kind: 'b' });
    assert.equal(error(() => u.parse({ kind: 'c' })), 'kind must be one of a, b');
    assert.equal(error(() => u.parse({ kind: 'toString' }, 'p')), 'p.kind must be one of a, b');
    assert.equal(error(() => u.parse('a')), 'kind must be one of a, b');
    assert.equal(error(() => u.parse({ kind: 'a', x: 'no' }, 'p')), 'p.x must be a finite number, got string');
  });

  it('nullable passes null and checks anything else; none takes only nothing', () => {
    const n = nullable(number());
    assert.equal(n.parse(null), null);
    assert.equal(n.parse(3), 3);
    assert.equal(error(() => n.parse('3', 'v')), 'v must be a finite number, got string');
    for (const empty of [undefined, null, {}]) assert.equal(none().parse(empty), undefined);
    assert.equal(error(() => none().parse({ a: 1 }, 'p')), 'p must be empty');
    assert.equal(error(() => none().parse([], 'p')), 'p must be empty');
    assert.equal(error(() => none().parse(0, 'p')), 'p must be empty');
  });
});
