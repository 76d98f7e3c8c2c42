// The Vertex AI endpoint profile (SimOptions.vertex): one route, POST <endpoint>/chat/completions,
// behind bearer tokens; everything else is Google's 404. vertexFault wording: google-errors.ts.

import type { Exchange } from './exchange';
import { endpointNotFound, googleError, NOT_FOUND_MESSAGE, UNAUTHENTICATED_MESSAGE } from './google-errors';
import type { SimState } from './state';
import type { SimVertex } from './types';

/** Any endpoint's resource path, with what follows it. */
const ENDPOINT_PATH = /^\/v1beta1\/projects\/([^/]+)\/locations\/([^/]+)\/endpoints\/([^/]+)(\/.*)?$/;

/** The path of the endpoint's OpenAI-compatible base URL. */
export function vertexBasePath(v: SimVertex): string {
  return `/v1beta1/projects/${encodeURIComponent(v.project)}/locations/${encodeURIComponent(v.region)}/endpoints/${encodeURIComponent(v.endpoint)}`;
}

/** Throws an Error naming what is wrong with a vertex option. */
export function validateVertex(v: unknown): void {
  if (v === undefined) return;
  const o = (typeof v === 'object' && v !== null ? v : {}) as Record<string, unknown>;
  for (const k of ['project', 'region', 'endpoint'] as const) {
    if (typeof o[k] !== 'string' || o[k] === '' || o[k].includes('/')) throw new Error(`vertex.${k} must be a non-empty string without "/"`);
  }
  if (o.tokenUses !== undefined && !(typeof o.tokenUses === 'number' && o.tokenUses >= 0)) throw new Error('vertex.tokenUses must be a number >= 0');
}

/**
 * Lets a request through to chat only when it is POST <endpoint>/chat/completions with a good
 * token; throws the Google error otherwise. The token is checked before the endpoint id, as
 * Google authenticates a caller before it looks anything up; each good token use counts.
 */
export function checkVertexRequest(ex: Exchange, state: SimState, v: SimVertex, method: string, path: string): void {
  const m = ENDPOINT_PATH.exec(path);
  if (!m) throw googleError(404, NOT_FOUND_MESSAGE);
  if (state.tokens.use(ex.req.headers.authorization, v.tokenUses) !== 'ok') throw googleError(401, UNAUTHENTICATED_MESSAGE);
  const [project, region, endpoint] = m.slice(1, 4).map(decode);
  if (project !== v.project || region !== v.region || endpoint !== v.endpoint) throw endpointNotFound({ project, region, endpoint });
  if (method !== 'POST' || m[4] !== '/chat/completions') throw googleError(404, NOT_FOUND_MESSAGE);
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part; // a malformed escape names no endpoint of ours either
  }
}
