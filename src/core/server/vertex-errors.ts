// Vertex AI's refusals in words a user can act on. Google's error bodies carry a status name
// (UNAUTHENTICATED, PERMISSION_DENIED, NOT_FOUND, RESOURCE_EXHAUSTED) beside the HTTP code;
// http.ts keeps it as the error's type. Model-level errors (context too long, images) come from
// vLLM behind Vertex in its own words and are mapped as for any server.

import { MedGemmaError } from './errors';
import { isSharedVertexHost, type VertexEndpoint } from './vertex';

export function vertexStatusError(status: number, msg: string, baseUrl: string, v: VertexEndpoint, d: MedGemmaError['detail']): MedGemmaError | undefined {
  const where = `the Vertex AI endpoint ${v.endpoint} (project ${v.project}, ${v.region})`;
  if (status === 401) {
    return new MedGemmaError(
      'unauthorized',
      `${cap(where)} refused the access token (HTTP 401, UNAUTHENTICATED), also after fetching a new one: sign in again ("gcloud auth login"), or check "medgemma.server.tokenCommand" (CLI: --token-command).`,
      d,
    );
  }
  if (status === 403) {
    return new MedGemmaError(
      'unauthorized',
      `${cap(where)} refused your account (HTTP 403, PERMISSION_DENIED): it needs the permission aiplatform.endpoints.predict on this endpoint (e.g. the role Vertex AI User), in project ${v.project}.`,
      d,
    );
  }
  if (status === 404 && !/model .*not found|does not exist/i.test(msg)) {
    const shared = isSharedVertexHost(baseUrl)
      ? ` Model Garden deploys dedicated endpoints, which answer only at their own address, <endpoint-id>.${v.region}-<number>.prediction.vertexai.goog (the endpoint's "dedicated endpoint DNS" in the console), not at ${new URL(baseUrl).host}.`
      : '';
    return new MedGemmaError(
      'bad-config',
      `No answer from ${where} (HTTP 404, NOT_FOUND): check the endpoint id, the project and the region in "medgemma.server.baseUrl" (CLI: --base-url).${shared}`,
      d,
    );
  }
  if (status === 429) {
    return new MedGemmaError(
      'rate-limited',
      `${cap(where)} is over its quota or busy (HTTP 429, RESOURCE_EXHAUSTED), also after retrying. Wait a minute and try again, send fewer requests at once, or ask for more quota or replicas.`,
      d,
    );
  }
  return undefined;
}

const cap = (s: string) => s[0].toUpperCase() + s.slice(1);
