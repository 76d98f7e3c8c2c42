// The HTTP server: records every request, checks the API key (or the Vertex token), applies the
// fault, routes, and owns the lifecycle (stop = connection refused, restart = same port again).

import { EventEmitter } from 'node:events';
import * as http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { handleChat } from './chat';
import { control } from './control';
import { ApiError, BAD_GATEWAY_HTML } from './errors';
import { Exchange, parseBody, readBody } from './exchange';
import { DEFAULT_STALL_MS } from './faults';
import { googleBody, vertexFaultError } from './google-errors';
import { errorBody, notFoundRoute, unauthorizedBody, unknownModel } from './profiles';
import { routeFor } from './routes';
import { SimState } from './state';
import { isObject } from './template';
import type { Fault, RecordedRequest, Sim, SimOptions } from './types';
import { checkVertexRequest, vertexBasePath } from './vertex';
import { waitForClose } from './wait-close';

const HOST = '127.0.0.1';

export interface SimHooks {
  /** Called once per request when its response is over (main.ts logs method, path, status). */
  onRequestDone?: (r: RecordedRequest) => void;
}

export async function startSim(opts: SimOptions = {}, hooks: SimHooks = {}): Promise<Sim> {
  const state = new SimState(opts);
  const requests: RecordedRequest[] = [];
  const open = new Set<Exchange>();
  const sockets = new Set<Socket>();
  const changes = new EventEmitter();
  changes.setMaxListeners(0);
  let server: http.Server | undefined;
  let port = opts.port ?? 0;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', `http://${HOST}`).pathname;
    if (path.startsWith('/__sim/')) return control(req, res, method, path, { sim, state, requests });

    const record: RecordedRequest = {
      index: requests.length,
      method,
      path,
      headers: { ...req.headers },
      body: undefined,
      closedEarly: false,
      done: false,
      contentChunks: 0,
    };
    requests.push(record);
    const ex = new Exchange(req, res, record, (e) => {
      open.delete(e);
      changes.emit('change');
      hooks.onRequestDone?.(record);
    });
    open.add(ex);
    changes.emit('change');
    try {
      record.body = parseBody(await readBody(req));
      if (!ex.closed) await route(ex, method, path);
    } catch (e) {
      if (!(e instanceof ApiError)) {
        // A simulator bug: say where, never what the request carried.
        process.stderr.write(`medgemma-sim: internal error on ${method} ${path}: ${e instanceof Error ? e.stack : String(e)}\n`);
      }
      sendError(ex, state, e instanceof ApiError ? e : new ApiError(500, 'Internal server error'));
    }
  }

  async function route(ex: Exchange, method: string, path: string): Promise<void> {
    const profile = state.profile;
    const vertex = state.opts.vertex;
    if (vertex) {
      // Only <endpoint>/chat/completions gets past Google's front end: that is the chat route.
      checkVertexRequest(ex, state, vertex, method, path);
      const fault = state.faults.take(true);
      if (fault && (await applyEarlyFault(ex, state, fault))) return;
      return handleChat(ex, state, fault);
    }
    const key = state.opts.apiKey;
    if (key && (path === '/v1' || path.startsWith('/v1/')) && method !== 'OPTIONS' && ex.req.headers.authorization !== `Bearer ${key}`) {
      return ex.json(401, unauthorizedBody(profile));
    }
    const isChat = method === 'POST' && (path === '/v1/chat/completions' || (profile === 'llamacpp' && path === '/chat/completions'));
    const fault = state.faults.take(isChat);
    if (fault && (await applyEarlyFault(ex, state, fault))) return;
    if (isChat) return handleChat(ex, state, fault);
    const handler = routeFor(state, method, path);
    if (handler) return handler(ex, state);
    const [type, body] = notFoundRoute(profile);
    ex.send(404, type, body);
  }

  async function listen(): Promise<void> {
    const s = http.createServer((req, res) => void handle(req, res));
    s.on('connection', (sock: Socket) => {
      sockets.add(sock);
      sock.on('close', () => sockets.delete(sock));
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, HOST, () => {
        s.off('error', reject);
        resolve();
      });
    });
    port = (s.address() as AddressInfo).port;
    server = s;
  }

  async function stop(): Promise<void> {
    const s = server;
    server = undefined;
    if (!s) return;
    const closed = new Promise<void>((resolve) => s.close(() => resolve()));
    const exchanges = [...open];
    for (const ex of exchanges) ex.cut();
    for (const sock of sockets) sock.destroy();
    await Promise.all([closed, ...exchanges.map((ex) => ex.whenClosed)]);
  }

  const sim: Sim = {
    get url() {
      return `http://${HOST}:${port}`;
    },
    get baseUrl() {
      const v = state.opts.vertex;
      return `http://${HOST}:${port}${v ? vertexBasePath(v) : '/v1'}`;
    },
    get port() {
      return port;
    },
    requests,
    setFault: (f) => state.faults.set(f),
    setOptions: (o) => state.update(o),
    issueToken: () => state.tokens.issue(),
    waitForClose: (index, timeoutMs) => waitForClose(requests, changes, index, timeoutMs),
    stop,
    async restart() {
      await stop();
      await listen();
    },
  };
  await listen();
  return sim;
}

/** Faults that answer (or wait) before the request is looked at. True when the response is done. */
async function applyEarlyFault(ex: Exchange, state: SimState, fault: Fault): Promise<boolean> {
  const profile = state.profile;
  const vertexError = state.opts.vertex && vertexFaultError(fault, state.opts.vertex);
  if (vertexError) throw vertexError;
  switch (fault.kind) {
    case 'stall-before-headers':
      return !(await ex.sleep(fault.ms ?? DEFAULT_STALL_MS));
    case 'unauthorized':
      ex.json(401, unauthorizedBody(profile));
      return true;
    case 'permission-denied':
      throw new ApiError(403, 'Permission denied.');
    case 'redirect': {
      // A proxy or a compromised server sending the request elsewhere (with its body, for 307/308).
      const to = new URL(fault.location!.replace(/\/$/, '') + ex.record.path);
      ex.send(fault.status ?? 307, 'text/plain', `Moved to ${to.href}`, { location: to.href });
      return true;
    }
    case 'echo-input':
      // vLLM's request validation (pydantic) quotes the offending input in its message: servers
      // can put the prompt in an error's words.
      throw new ApiError(400, `1 validation error for ChatCompletionRequest: messages.0.content: Input should be a valid string [type=string_type, input_value=${JSON.stringify(lastUserText(ex.record.body))}, input_type=str]`);
    case 'unknown-model': {
      const body: unknown = ex.record.body;
      const name = isObject(body) && typeof body.model === 'string' ? body.model : (state.models[0]?.id ?? 'medgemma');
      throw unknownModel(profile, name);
    }
    case 'rate-limit': {
      const after = fault.retryAfter ?? 1;
      throw new ApiError(429, `Rate limit exceeded: too many requests. Retry after ${after} second(s).`, { headers: { 'retry-after': String(after) } });
    }
    case 'server-error-500':
      throw new ApiError(500, 'Internal server error');
    case 'unavailable-503':
      throw new ApiError(503, 'Service unavailable: the engine is not ready.');
    case 'bad-gateway-502':
      throw new ApiError(502, 'Bad Gateway', { html: BAD_GATEWAY_HTML });
    default:
      return false;
  }
}

/** The text of the request's last user message (string content, or its text parts). */
function lastUserText(body: unknown): string {
  const messages = isObject(body) && Array.isArray(body.messages) ? body.messages : [];
  const last = [...messages].reverse().find((m) => isObject(m) && m.role === 'user');
  const content: unknown = isObject(last) ? last.content : '';
  if (typeof content === 'string') return content;
  return Array.isArray(content) ? content.map((p) => (isObject(p) && typeof p.text === 'string' ? p.text : '')).join('\n') : '';
}

function sendError(ex: Exchange, state: SimState, e: ApiError): void {
  const { headers, html, type, extra, google } = e.opts;
  if (google) ex.json(e.status, googleBody(e.status, e.message), headers);
  else if (html !== undefined) ex.send(e.status, 'text/html', html, headers);
  else ex.json(e.status, errorBody(state.profile, e.status, e.message, type, extra), headers);
}
