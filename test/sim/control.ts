// The simulator's own routes under /__sim/ (set a fault or options, reset, list requests, issue a
// Vertex token), for tests and scripts that drive a simulator in another process.
import type * as http from 'node:http';
import { parseBody, readBody } from './exchange';
import type { SimState } from './state';
import { isObject } from './template';
import type { Fault, RecordedRequest, Sim, SimOptions } from './types';

export interface ControlDeps {
  sim: Sim;
  state: SimState;
  requests: RecordedRequest[];
}

export function control(req: http.IncomingMessage, res: http.ServerResponse, method: string, path: string, { sim, state, requests }: ControlDeps): void {
  const reply = (status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  readBody(req).then(
    (raw) => {
      const body = parseBody(raw);
      try {
        switch (`${method} ${path}`) {
          case 'POST /__sim/fault':
            sim.setFault(body === undefined || body === null ? undefined : (body as Fault));
            return reply(200, { fault: state.faults.current ?? null });
          case 'POST /__sim/options':
            if (!isObject(body)) throw new Error('options must be a JSON object');
            sim.setOptions(body as Partial<SimOptions>);
            return reply(200, { ok: true });
          case 'POST /__sim/reset':
            requests.length = 0;
            state.faults.set(undefined);
            return reply(200, { ok: true });
          case 'POST /__sim/token':
            return reply(200, { token: sim.issueToken() });
          case 'GET /__sim/requests':
            // No headers or bodies over HTTP: they may carry keys and note text.
            return reply(
              200,
              requests.map(({ index, method: m, path: p, status, closedEarly, done, contentChunks }) => ({ index, method: m, path: p, status, closedEarly, done, contentChunks })),
            );
          default:
            return reply(404, { error: `no simulator control route ${method} ${path}` });
        }
      } catch (e) {
        reply(400, { error: e instanceof Error ? e.message : String(e) });
      }
    },
    () => res.destroy(),
  );
}
