// Google's error shape, {"error": {"code", "message", "status"}}, for what Vertex AI's front end
// refuses itself (tokens, permissions, quota, unknown endpoints, its own 5xx). Errors of the
// model server behind it (context too long, images) keep the profile's vLLM shape.

import { ApiError } from './errors';
import type { Fault, SimVertex } from './types';

/** google.rpc.Code names by HTTP status (502 has none: a backend that does not answer is UNAVAILABLE). */
const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  499: 'CANCELLED',
  500: 'INTERNAL',
  501: 'UNIMPLEMENTED',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

export function googleStatus(code: number): string {
  return STATUS_NAMES[code] ?? 'UNKNOWN';
}

export function googleBody(code: number, message: string): unknown {
  return { error: { code, message, status: googleStatus(code) } };
}

/** An error sent in Google's shape (ApiError.opts.google). */
export function googleError(code: number, message: string, headers?: Record<string, string>): ApiError {
  return new ApiError(code, message, { google: true, headers });
}

export const UNAUTHENTICATED_MESSAGE =
  'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.';

/** A route the front end does not know (/v1/models, /health, ...). */
export const NOT_FOUND_MESSAGE = 'Requested entity was not found.';

export function endpointName(v: Pick<SimVertex, 'project' | 'region' | 'endpoint'>): string {
  return `projects/${v.project}/locations/${v.region}/endpoints/${v.endpoint}`;
}

export function endpointNotFound(v: Pick<SimVertex, 'project' | 'region' | 'endpoint'>): ApiError {
  return googleError(404, `Endpoint ${endpointName(v)} not found.`);
}

/** The status faults as Vertex sends them; undefined for the faults that keep their behaviour. */
export function vertexFaultError(fault: Fault, v: SimVertex): ApiError | undefined {
  switch (fault.kind) {
    case 'unauthorized':
      return googleError(401, UNAUTHENTICATED_MESSAGE);
    case 'permission-denied':
      return googleError(403, `Permission 'aiplatform.endpoints.predict' denied on resource '//aiplatform.googleapis.com/${endpointName(v)}' (or it may not exist).`);
    case 'rate-limit': {
      const after = fault.retryAfter ?? 1;
      return googleError(429, `Quota exceeded for online prediction requests to ${endpointName(v)}. Retry after ${after} second(s).`, { 'retry-after': String(after) });
    }
    case 'server-error-500':
      return googleError(500, 'Internal error encountered.');
    case 'bad-gateway-502':
      return googleError(502, 'The model server behind the endpoint did not answer.');
    case 'unavailable-503':
      return googleError(503, 'The service is currently unavailable.');
    default:
      return undefined;
  }
}
