// What a failed request tells the user: mapError turns whatever the SDK, fetch or our own
// fetch wrapper threw into one MedGemmaError. The message is all the user reads, so each
// case is checked word for word, with the server's own words cut where a long one would
// flood the notification, and the fix named for the case at hand (the served model in the
// `vllm serve` line, a host that does not resolve vs. nothing listening).
import * as assert from 'node:assert/strict';
import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { MedGemmaError } from '../../../src/core/server/errors';
import { mapError, notImageCapable, streamError, unknownModel } from '../../../src/core/server/map-error';

const BASE = 'http://gpu.example:8000/v1';
const ctx = { baseUrl: BASE };

/** An HTTP error answer as the SDK reports it (after makeFetch normalized the body). */
const httpError = (status: number, message: string) => APIError.generate(status, { error: { message } }, undefined, new Headers());

/** A refused or unresolvable connection as undici reports it, wrapped by the SDK. */
function connectionError(code: string): APIConnectionError {
  const sys = Object.assign(new Error(`connect ${code} 10.0.0.7:8000`), { code });
  return new APIConnectionError({ message: 'Connection error.', cause: new TypeError('fetch failed', { cause: sys }) });
}

/** A long server message with a recognisable head, to see where it is cut. */
const long = (head: string) => `${head} ${'x'.repeat(300)}`;

describe('mapError: before the server answers', () => {
  it('a connect timeout names the server and the setting to raise', () => {
    const e = mapError(new APIConnectionTimeoutError(), ctx);
    assert.equal(e.kind, 'timeout');
    assert.equal(
      e.message,
      `The server at ${BASE} did not start answering in time. Check that it is not overloaded, or raise "medgemma.server.connectTimeoutSeconds" (CLI: --timeout).`,
    );
  });

  it('a refused connection says nothing answered and how to start the server', () => {
    const e = mapError(connectionError('ECONNREFUSED'), ctx);
    assert.equal(e.kind, 'unreachable');
    assert.equal(
      e.message,
      `Cannot reach the MedGemma server at ${BASE} (nothing answered). Start it (e.g. \`vllm serve google/medgemma-4b-it --dtype bfloat16 --max-model-len 32768\`) or fix "medgemma.server.baseUrl" (CLI: --base-url).`,
    );
  });

  it('a host name that does not resolve is told apart from a server that is down', () => {
    for (const code of ['ENOTFOUND', 'EAI_AGAIN']) {
      const e = mapError(connectionError(code), ctx);
      assert.equal(e.kind, 'unreachable', code);
      assert.match(e.message, /^Cannot reach the MedGemma server at http:\/\/gpu\.example:8000\/v1 \(its host name does not resolve\)\. /, code);
    }
    assert.match(mapError(connectionError('ECONNRESET'), ctx).message, /\(nothing answered\)/);
  });

  it('a connection error without an SDK wrapper is still recognised by its code', () => {
    const bare = Object.assign(new Error('getaddrinfo ENOTFOUND gpu.example'), { code: 'ENOTFOUND' });
    const e = mapError(bare, ctx);
    assert.equal(e.kind, 'unreachable');
    assert.match(e.message, /its host name does not resolve/);
  });

  it('the vllm serve line names the configured model when it is a Hugging Face id', () => {
    const e = mapError(connectionError('ECONNREFUSED'), { ...ctx, model: 'google/medgemma-27b-text-it' });
    assert.ok(e.message.includes('`vllm serve google/medgemma-27b-text-it --dtype bfloat16 --max-model-len 32768`'), e.message);
    const plain = mapError(connectionError('ECONNREFUSED'), { ...ctx, model: 'medgemma' });
    assert.ok(plain.message.includes('`vllm serve google/medgemma-4b-it --dtype'), plain.message);
  });
});

describe('mapError: a connection lost mid-answer', () => {
  const LOST = "The connection to the server was lost mid-answer; the text received so far is kept. Try again, and check the server's log if it repeats.";

  it('after text has come, any failure reads as an interruption that keeps the text', () => {
    for (const err of [connectionError('ECONNRESET'), new Error('boom'), new TypeError('fetch failed')]) {
      const e = mapError(err, { ...ctx, partial: 'Troponin 0.08' });
      assert.equal(e.kind, 'interrupted', String(err));
      assert.equal(e.message, LOST);
      assert.equal(e.partial, 'Troponin 0.08');
    }
  });

  it('before any text, a socket that was cut is an interruption too, not a bug', () => {
    for (const msg of ['terminated', 'other side closed: socket', 'read ECONNRESET', 'This operation was aborted']) {
      const e = mapError(new TypeError(msg), ctx);
      assert.equal(e.kind, 'interrupted', msg);
      assert.equal(e.message, LOST);
    }
  });
});

describe('mapError: anything else', () => {
  it('an unexpected error says so, quoting at most 200 characters of it', () => {
    const e = mapError(new Error('boom'), ctx);
    assert.equal(e.kind, 'server-error');
    assert.equal(e.message, 'The request failed unexpectedly (boom). Try again; run "MedGemma: Check Server" (CLI: medgemma doctor) if it repeats.');
    const text = long('Weird failure');
    assert.ok(mapError(new Error(text), ctx).message.includes(`(${text.slice(0, 200)}). Try again`));
  });

  it('follows a cause chain that ends in null or loops back on itself', () => {
    const nullCause = new Error('boom', { cause: null });
    assert.equal(mapError(nullCause, ctx).kind, 'server-error');
    const loop: Error & { cause?: unknown } = new Error('boom');
    loop.cause = new Error('inner', { cause: loop });
    assert.equal(mapError(loop, ctx).kind, 'server-error');
    assert.equal(mapError(connectionError('ECONNREFUSED'), ctx).kind, 'unreachable', 'a code two causes down is found');
  });
});

describe('mapError: our own errors thrown inside fetch', () => {
  const refused = () => new MedGemmaError('bad-config', 'The server at http://a redirected the request to http://b. …', { status: 307 });
  /** The SDK wraps whatever fetch threw. */
  const wrapped = (own: MedGemmaError) => new APIConnectionError({ message: 'Connection error.', cause: own });

  it('come back as they were, not as a connection error', () => {
    const own = refused();
    assert.equal(mapError(wrapped(own), ctx), own);
    assert.equal(mapError(own, ctx), own);
  });

  it('carry the text received before them, keeping any they already had', () => {
    const e = mapError(wrapped(refused()), { ...ctx, partial: 'so far' });
    assert.equal(e.kind, 'bad-config');
    assert.equal(e.message, refused().message);
    assert.equal(e.partial, 'so far');
    assert.equal(e.detail.status, 307);
    const had = new MedGemmaError('interrupted', 'x', { partial: 'first part' });
    assert.equal(mapError(had, { ...ctx, partial: 'first part and more' }).partial, 'first part');
  });
});

describe('mapError: error events inside a 200 stream', () => {
  it('quote the server (at most 200 characters) and keep the text', () => {
    const e = mapError(new APIError(undefined, { message: 'CUDA error: device-side assert' }, undefined, undefined), { ...ctx, partial: 'abc' });
    assert.equal(e.kind, 'interrupted');
    assert.equal(
      e.message,
      `The server reported an error mid-answer ("CUDA error: device-side assert"); the text received so far is kept. Try again, and check the server's log if it repeats.`,
    );
    assert.equal(e.partial, 'abc');
    assert.equal(e.detail.serverMessage, 'CUDA error: device-side assert');
    const text = long('Engine died');
    assert.ok(streamError(text, ctx).message.includes(`("${text.slice(0, 200)}");`));
  });
});

describe('mapError: HTTP statuses', () => {
  it('401 and 403: the key, and how to set it', () => {
    for (const status of [401, 403]) {
      const e = mapError(httpError(status, 'Unauthorized'), ctx);
      assert.equal(e.kind, 'unauthorized', String(status));
      assert.equal(
        e.message,
        `The server at ${BASE} refused the API key (HTTP ${status}): none is set, or it is not the one the server was started with (--api-key). Set it with "MedGemma: Set API Key" (CLI: the MEDGEMMA_API_KEY variable).`,
      );
      assert.equal(e.detail.status, status);
      assert.equal(e.detail.serverMessage, 'Unauthorized');
    }
  });

  it('404 for a model: every wording (vLLM, Ollama, OpenAI) reads as an unknown model', () => {
    for (const msg of ['The model `foo` does not exist.', 'model "foo" not found, try pulling it first', 'Unknown model: foo']) {
      const e = mapError(httpError(404, msg), { ...ctx, model: 'foo', availableModels: ['medgemma', 'medgemma-27b'] });
      assert.equal(e.kind, 'unknown-model', msg);
      assert.equal(
        e.message,
        'The server has no model "foo". It offers: medgemma, medgemma-27b. Set "medgemma.server.model" (CLI: --model) to one of them, or leave it empty to use the first.',
      );
    }
    assert.match(mapError(httpError(404, 'The model `foo` does not exist.'), ctx).message, /^The server has no model "\?"\./);
  });

  it('404 for anything else: the URL is wrong', () => {
    const e = mapError(httpError(404, 'Not Found'), ctx);
    assert.equal(e.kind, 'bad-config');
    assert.equal(e.message, `The server at ${BASE} has no chat endpoint (HTTP 404). Check "medgemma.server.baseUrl": it usually ends in /v1.`);
  });

  it('"does not exist" in a 400 is the request, not the model', () => {
    assert.equal(mapError(httpError(400, "Field 'foo' does not exist"), { ...ctx, model: 'medgemma' }).kind, 'bad-request');
  });

  it('a context overflow quotes the server (at most 160 characters)', () => {
    const msg = "This model's maximum context length is 8192 tokens. However, you requested 9064 tokens.";
    assert.equal(
      mapError(httpError(400, msg), ctx).message,
      `The text is too long for the model's context ("${msg}"). Select a shorter part, or serve the model with a larger --max-model-len.`,
    );
    const text = long("This model's maximum context length is 8192 tokens.");
    assert.ok(mapError(httpError(400, text), ctx).message.includes(`("${text.slice(0, 160)}"). Select`));
  });

  it('an image limit says how many images the server takes, also past 9', () => {
    const e = mapError(httpError(400, 'At most 12 image(s) may be provided in one prompt.'), ctx);
    assert.equal(e.kind, 'image-limit');
    assert.equal(e.message, `The server accepts at most 12 image(s) per request. Send fewer images, or restart it with --limit-mm-per-prompt '{"image":4}'.`);
  });

  it('a text-only model, in each wording servers use', () => {
    for (const msg of [
      'At most 0 image(s) may be provided in one prompt.',
      'image input is not supported',
      'The model does not support image input',
      'This model does not support vision',
      'Multimodal inputs are not enabled for this model',
    ]) {
      const e = mapError(httpError(400, msg), { ...ctx, model: 'medgemma-27b-text' });
      assert.equal(e.kind, 'not-image-capable', msg);
      assert.equal(
        e.message,
        'The model "medgemma-27b-text" does not take images. Serve an image model such as google/medgemma-4b-it, or set a vision model in "medgemma.vision.model".',
      );
    }
    assert.match(notImageCapable(undefined).message, /^The model "\?" does not take images\./);
  });

  it('roles out of order quotes the server (at most 120 characters) and asks for a report', () => {
    const msg = 'Conversation roles must alternate user/assistant/user/assistant/...';
    assert.equal(
      mapError(httpError(400, msg), ctx).message,
      `The server rejected the conversation's turn order ("${msg}"). Start a new conversation; please report this, as MedGemma for VS Code should have prevented it.`,
    );
    const text = long('Conversation roles must alternate');
    assert.ok(mapError(httpError(400, text), ctx).message.includes(`("${text.slice(0, 120)}"). Start`));
  });

  it('429 after the retries: wait and try again', () => {
    const e = mapError(httpError(429, 'slow down'), ctx);
    assert.equal(e.kind, 'rate-limited');
    assert.equal(e.message, 'The server is busy and asked to slow down (HTTP 429) and still was after retrying. Wait a minute and try again.');
  });

  it('5xx: says "after retrying" only for the statuses that are retried, and quotes at most 160 characters', () => {
    assert.equal(mapError(httpError(500, 'boom'), ctx).message, `The server failed with HTTP 500 ("boom"). Check the server's log; restarting it often helps.`);
    assert.equal(
      mapError(httpError(503, 'not ready'), ctx).message,
      `The server failed with HTTP 503 ("not ready") and still did after retrying. Check the server's log; restarting it often helps.`,
    );
    const text = long('Engine crashed');
    assert.ok(mapError(httpError(500, text), ctx).message.includes(`("${text.slice(0, 160)}"). Check`));
  });

  it('any other rejection quotes the server (at most 200 characters) and points to the doctor', () => {
    const e = mapError(httpError(422, 'temperature must be >= 0'), ctx);
    assert.equal(e.kind, 'bad-request');
    assert.equal(
      e.message,
      'The server rejected the request (HTTP 422: "temperature must be >= 0"). Check the model and settings; run "MedGemma: Check Server" (CLI: medgemma doctor).',
    );
    const text = long('Invalid request');
    assert.ok(mapError(httpError(400, text), ctx).message.includes(`: "${text.slice(0, 200)}"). Check`));
  });
});

describe('unknownModel', () => {
  it('without a model list, asks for a model the server serves', () => {
    assert.equal(
      unknownModel('foo').message,
      'The server has no model "foo". Set "medgemma.server.model" (CLI: --model) to a model it serves, or leave it empty to use the first.',
    );
    assert.equal(unknownModel('foo', []).message, unknownModel('foo').message);
  });
});
