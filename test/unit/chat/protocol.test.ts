// The generic messenger: schema validation, request/response, streaming, cancel, events,
// and what happens to malformed input from an (untrusted) webview.
import * as assert from 'assert';
import { defineProtocol, event, request } from '../../../src/protocol/define';
import { HostMessenger } from '../../../src/protocol/host-messenger';
import { array, boolean, number, object, oneOf, optional, SchemaError, string, union, literal, none } from '../../../src/protocol/schema';
import type { Transport } from '../../../src/protocol/transport';
import { Messenger, RequestError } from '../../../webview-ui/shared/messenger';

/** Two transports wired to each other, delivering asynchronously like postMessage. */
function pair(): { host: Transport; view: Transport; toHost: unknown[]; rawToHost(m: unknown): void } {
  const hostL = new Set<(m: unknown) => void>();
  const viewL = new Set<(m: unknown) => void>();
  const toHost: unknown[] = [];
  const deliver = (set: Set<(m: unknown) => void>, m: unknown) => setImmediate(() => set.forEach((l) => l(structuredClone(m))));
  return {
    toHost,
    host: { post: (m) => deliver(viewL, m), onMessage: (l) => (hostL.add(l), { dispose: () => hostL.delete(l) }) },
    view: {
      post: (m) => (toHost.push(m), deliver(hostL, m)),
      onMessage: (l) => (viewL.add(l), { dispose: () => viewL.delete(l) }),
    },
    rawToHost: (m) => deliver(hostL, m),
  };
}

const proto = defineProtocol({
  requests: {
    add: request<number>()(object({ a: number(), b: number() })),
    tokens: request<{ n: number }, string>()(object({ words: array(string({ max: 20 }), { max: 100 }) })),
    wait: request<'done' | 'aborted'>()(none()),
    fail: request()(none()),
  },
  events: { ping: event<{ at: number }>() },
});

describe('protocol: schema', () => {
  it('object rejects unknown fields and reports the path', () => {
    const s = object({ text: string({ max: 5 }), opts: optional(object({ n: number({ integer: true }) })) });
    assert.deepStrictEqual(s.parse({ text: 'hi' }), { text: 'hi' });
    assert.deepStrictEqual(s.parse({ text: 'hi', opts: { n: 2 } }), { text: 'hi', opts: { n: 2 } });
    assert.throws(() => s.parse({ text: 'hi', extra: 1 }), /extra is not expected/);
    assert.throws(() => s.parse({ text: 'toolong' }), /text is longer than 5/);
    assert.throws(() => s.parse({ text: 'hi', opts: { n: 1.5 } }), /opts\.n must be an integer/);
    assert.throws(() => s.parse({ text: 1 }), SchemaError);
    assert.throws(() => s.parse(null), /must be an object, got null/);
  });

  it('union picks the variant by its tag; unknown tags fail', () => {
    const s = union('kind', {
      text: object({ kind: literal('text'), text: string() }),
      flag: object({ kind: literal('flag'), on: boolean() }),
    });
    assert.deepStrictEqual(s.parse({ kind: 'flag', on: true }), { kind: 'flag', on: true });
    assert.throws(() => s.parse({ kind: 'other' }), /kind must be one of text, flag/);
    assert.throws(() => s.parse({ kind: 'text', on: true }), /on is not expected/);
    assert.throws(() => oneOf(['a', 'b'] as const).parse('c'), /one of a, b/);
  });

  it('a prototype key is not a variant or a field', () => {
    const s = union('kind', { a: object({ kind: literal('a'), note: optional(string()) }) });
    for (const kind of ['toString', '__proto__', 'constructor', 'hasOwnProperty']) {
      assert.throws(() => s.parse({ kind }), /kind must be one of a$/, kind);
    }
    // A message that carries a prototype key as a field is rejected, as any unknown field.
    assert.throws(() => s.parse({ kind: 'a', constructor: 'x' }), /^SchemaError: constructor is not expected$/);
    assert.throws(() => s.parse({ kind: 'a', toString: 'x' }), /^SchemaError: toString is not expected$/);
    // JSON.parse makes "__proto__" an own field (it does not set the prototype).
    const proto = JSON.parse('{"kind":"a","__proto__":{"note":"from the prototype"}}');
    assert.throws(() => s.parse(proto), /^SchemaError: __proto__ is not expected$/);
    assert.throws(() => object({ x: number() }).parse(JSON.parse('{"x":1,"__proto__":{"y":2}}')), /__proto__ is not expected/);
    // Fields and tags are read from the message itself, never inherited from its prototype.
    assert.deepStrictEqual(s.parse(Object.assign(Object.create({ note: 'inherited' }), { kind: 'a' })), { kind: 'a' });
    assert.throws(() => s.parse(Object.create({ kind: 'a' })), /kind must be one of a$/);
    assert.throws(() => object({ n: number() }).parse(Object.create({ n: 1 })), /^SchemaError: n must be a finite number, got undefined$/);
    // What it gives back is a plain object whose prototype is untouched.
    const out = s.parse({ kind: 'a', note: 'ok' });
    assert.strictEqual(Object.getPrototypeOf(out), Object.prototype);
    assert.deepStrictEqual(Object.keys(out), ['kind', 'note']);
  });
});

describe('protocol: messenger', () => {
  it('request -> response, typed on both sides', async () => {
    const t = pair();
    new HostMessenger(proto, t.host).handle('add', ({ a, b }) => a + b);
    const m = new Messenger(proto, t.view);
    assert.strictEqual(await m.request('add', { a: 2, b: 3 }), 5);
  });

  it('streamed chunks arrive in order before the response', async () => {
    const t = pair();
    new HostMessenger(proto, t.host).handle('tokens', async ({ words }, { emit }) => {
      for (const w of words) emit(w);
      return { n: words.length };
    });
    const got: string[] = [];
    const r = await new Messenger(proto, t.view).request('tokens', { words: ['a', 'b', 'c'] }, { onChunk: (c) => got.push(c) });
    assert.deepStrictEqual(got, ['a', 'b', 'c']);
    assert.deepStrictEqual(r, { n: 3 });
  });

  it('aborting the signal cancels the handler', async () => {
    const t = pair();
    const host = new HostMessenger(proto, t.host).handle(
      'wait',
      (_req, { signal }) => new Promise((resolve) => signal.addEventListener('abort', () => resolve('aborted'))),
    );
    const ctl = new AbortController();
    const p = new Messenger(proto, t.view).request('wait', undefined, { signal: ctl.signal });
    await new Promise((r) => setTimeout(r, 20));
    assert.strictEqual(host.inFlight, 1);
    ctl.abort();
    assert.strictEqual(await p, 'aborted');
    assert.strictEqual(host.inFlight, 0);
  });

  it('a handler error reaches the webview as a RequestError with its message', async () => {
    const t = pair();
    new HostMessenger(proto, t.host, { toWireError: (e) => ({ message: (e as Error).message, kind: 'boom' }) }).handle('fail', () => {
      throw new Error('It broke. Try again.');
    });
    await assert.rejects(new Messenger(proto, t.view).request('fail', undefined), (e: unknown) => e instanceof RequestError && e.kind === 'boom' && /It broke/.test(e.message));
  });

  it('invalid payloads and unknown types are refused before any handler runs', async () => {
    const t = pair();
    const reasons: string[] = [];
    let ran = 0;
    new HostMessenger(proto, t.host, { onInvalid: (r) => reasons.push(r) }).handle('add', ({ a, b }) => (ran++, a + b));
    const m = new Messenger(proto, t.view);
    // A compromised webview can send anything: bypass the types.
    const raw = m.request as (type: string, payload: unknown) => Promise<unknown>;
    await assert.rejects(raw.call(m, 'add', { a: 1, b: 'x' }), (e: unknown) => e instanceof RequestError && e.kind === 'invalid');
    await assert.rejects(raw.call(m, 'add', { a: 1, b: 2, evil: true }), (e: unknown) => e instanceof RequestError && e.kind === 'invalid');
    await assert.rejects(raw.call(m, 'nope', {}), (e: unknown) => e instanceof RequestError && e.kind === 'unknown-type');
    await assert.rejects(raw.call(m, 'constructor', {}), (e: unknown) => e instanceof RequestError && e.kind === 'unknown-type');
    t.rawToHost({ m: 'req', id: 'x', type: 'add' });
    t.rawToHost('garbage');
    await new Promise((r) => setTimeout(r, 20));
    assert.strictEqual(ran, 0);
    assert.strictEqual(reasons.length, 6);
    assert.ok(reasons.every((r) => !r.includes('evil') || /not expected/.test(r)));
  });

  it('events reach every listener until it unsubscribes', async () => {
    const t = pair();
    const host = new HostMessenger(proto, t.host);
    const m = new Messenger(proto, t.view);
    const seen: number[] = [];
    const off = m.on('ping', ({ at }) => seen.push(at));
    host.emit('ping', { at: 1 });
    await new Promise((r) => setTimeout(r, 10));
    off();
    host.emit('ping', { at: 2 });
    await new Promise((r) => setTimeout(r, 10));
    assert.deepStrictEqual(seen, [1]);
  });

  it('dispose aborts running handlers', async () => {
    const t = pair();
    let aborted = false;
    const host = new HostMessenger(proto, t.host).handle('wait', (_r, { signal }) => new Promise((res) => signal.addEventListener('abort', () => ((aborted = true), res('aborted')))));
    void new Messenger(proto, t.view).request('wait', undefined).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 20));
    host.dispose();
    assert.ok(aborted);
  });
});
