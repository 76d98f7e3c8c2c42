// The host end of a webview protocol at the wire: raw messages in, the exact envelopes out.
// A malformed envelope is answered when it carries a usable id (and only then), a duplicate id
// is refused while the first runs, a cancel aborts only its own request, and nothing is sent
// after dispose.
import * as assert from 'node:assert/strict';
import { defineProtocol, request } from '../../../src/protocol/define';
import { HostMessenger } from '../../../src/protocol/host-messenger';
import { number, object } from '../../../src/protocol/schema';
import type { Transport } from '../../../src/protocol/transport';
import { idOf, parseToHost, type ToWebview } from '../../../src/protocol/wire';

const proto = defineProtocol({
  requests: { add: request<number>()(object({ a: number(), b: number() })), wait: request<string>()(object({})) },
  events: {},
});

/** A transport whose incoming side the test drives and whose outgoing side it records. */
function wire() {
  const sent: ToWebview[] = [];
  let deliver: (m: unknown) => void = () => undefined;
  const transport: Transport = {
    post: (m) => void sent.push(m as ToWebview),
    onMessage: (fn) => ((deliver = fn), { dispose: () => (deliver = () => undefined) }),
  };
  const tick = () => new Promise((r) => setImmediate(r));
  return { transport, sent, receive: async (m: unknown) => (deliver(m), tick()), tick };
}

describe('protocol/wire and host-messenger', () => {
  it('idOf takes only a whole, non-negative number', () => {
    assert.equal(idOf({ id: 7 }), 7);
    assert.equal(idOf({ id: 0 }), 0);
    for (const bad of [{ id: -1 }, { id: 1.5 }, { id: '7' }, {}, null, 7, 'x']) assert.equal(idOf(bad), undefined, JSON.stringify(bad));
  });

  it('parseToHost checks the envelope only: a request type is at most 100 characters', () => {
    assert.deepEqual(parseToHost({ m: 'req', id: 1, type: 't'.repeat(100), payload: { any: 1 } }), { m: 'req', id: 1, type: 't'.repeat(100), payload: { any: 1 } });
    assert.throws(() => parseToHost({ m: 'req', id: 1, type: 't'.repeat(101) }), /type is longer than 100/);
    assert.throws(() => parseToHost({ m: 'req', id: -1, type: 'add' }), /id must be >= 0/);
    assert.throws(() => parseToHost({ m: 'cancel', id: 1, extra: 1 }), /extra is not expected/);
  });

  it('answers a malformed envelope when it carries an id, and tells onInvalid without the content', async () => {
    const w = wire();
    const reasons: string[] = [];
    new HostMessenger(proto, w.transport, { onInvalid: (r) => reasons.push(r) }).handle('add', ({ a, b }) => a + b);
    await w.receive({ m: 'req', id: 4, type: 7 });
    await w.receive({ m: 'nonsense' });
    assert.equal(w.sent.length, 1, 'a message without a usable id cannot be answered');
    const [err] = w.sent as Array<Extract<ToWebview, { m: 'err' }>>;
    assert.equal(err.m, 'err');
    assert.equal(err.id, 4);
    assert.equal(err.error.kind, 'invalid');
    assert.match(err.error.message, /^The view sent a malformed message: type must be a string, got number\. Reload the view/);
    assert.equal(reasons.length, 2);
    assert.match(reasons[1], /^The webview sent a malformed message: m must be one of req, cancel$/);
  });

  it('names an unknown request type (cut at 60 characters) and the field of an invalid request', async () => {
    const w = wire();
    new HostMessenger(proto, w.transport).handle('add', ({ a, b }) => a + b);
    await w.receive({ m: 'req', id: 1, type: `evil${'x'.repeat(90)}`, payload: {} });
    await w.receive({ m: 'req', id: 2, type: 'add', payload: { a: 1, b: 'two' } });
    await w.receive({ m: 'req', id: 3, type: 'constructor', payload: {} });
    assert.deepEqual(
      w.sent.map((m) => (m.m === 'err' ? [m.id, m.error.kind, m.error.message] : m)),
      [
        [1, 'unknown-type', `The view sent an unknown request type "evil${'x'.repeat(56)}". Reload the view (Developer: Reload Window) and try again.`],
        [2, 'invalid', 'The view sent an invalid add request: b must be a finite number, got string. Reload the view (Developer: Reload Window) and try again.'],
        [3, 'unknown-type', 'The view sent an unknown request type "constructor". Reload the view (Developer: Reload Window) and try again.'],
      ],
    );
  });

  it('a request id must be a whole number', () => {
    assert.throws(() => parseToHost({ m: 'req', id: 1.5, type: 'add' }), /id must be an integer/);
    assert.throws(() => parseToHost({ m: 'cancel', id: 2.5 }), /id must be an integer/);
  });

  it('refuses a second request with the id of one still running, and answers the first', async () => {
    const w = wire();
    let release: (v: string) => void = () => undefined;
    new HostMessenger(proto, w.transport).handle('wait', () => new Promise<string>((r) => (release = r)));
    await w.receive({ m: 'req', id: 1, type: 'wait', payload: {} });
    await w.receive({ m: 'req', id: 1, type: 'wait', payload: {} });
    assert.deepEqual(w.sent, [{ m: 'err', id: 1, error: { kind: 'invalid', message: 'The view sent a duplicate request id 1. Reload the view (Developer: Reload Window) and try again.' } }]);
    release('done');
    await w.tick();
    assert.deepEqual(w.sent[1], { m: 'res', id: 1, result: 'done' });
  });

  it('a cancel aborts only its own request; an id can be reused once its request ended', async () => {
    const w = wire();
    const aborted: number[] = [];
    const messenger = new HostMessenger(proto, w.transport).handle(
      'wait',
      (_r, { signal }) => new Promise<string>((res) => signal.addEventListener('abort', () => res('stopped'))),
    );
    await w.receive({ m: 'req', id: 1, type: 'wait', payload: {} });
    await w.receive({ m: 'req', id: 2, type: 'wait', payload: {} });
    assert.equal(messenger.inFlight, 2);
    await w.receive({ m: 'cancel', id: 2 });
    await w.receive({ m: 'cancel', id: 99 });
    for (const m of w.sent) if (m.m === 'res') aborted.push(m.id);
    assert.deepEqual(aborted, [2]);
    assert.equal(messenger.inFlight, 1);
    await w.receive({ m: 'req', id: 2, type: 'wait', payload: {} });
    assert.equal(messenger.inFlight, 2, 'the ended id 2 was taken again');
    messenger.cancelAll();
    await w.tick();
    assert.equal(messenger.inFlight, 0);
  });

  it('after dispose nothing is sent, events and late results included, and no message is read', async () => {
    const w = wire();
    let release: (v: string) => void = () => undefined;
    const messenger = new HostMessenger(proto, w.transport).handle('wait', () => new Promise<string>((r) => (release = r)));
    await w.receive({ m: 'req', id: 1, type: 'wait', payload: {} });
    messenger.dispose();
    release('late');
    await w.tick();
    (messenger as unknown as { emit(t: string, p: unknown): void }).emit('anything', {});
    await w.receive({ m: 'req', id: 2, type: 'add', payload: { a: 1, b: 2 } });
    assert.deepEqual(w.sent, []);
  });

  it('refuses to register a handler for a type the protocol does not have', () => {
    const w = wire();
    assert.throws(() => new HostMessenger(proto, w.transport).handle('nope' as never, () => 1 as never), /nope is not a request of this protocol/);
  });
});
