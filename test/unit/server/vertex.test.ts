// Vertex AI endpoints: which addresses are one, the route requests take, and the refusals in
// words a user can act on. The simulator's Vertex profile tests the whole road (vertex-sim.test.ts).
import * as assert from 'node:assert/strict';
import { APIError } from 'openai';
import { normalizeBaseUrl } from '../../../src/core/server/config';
import { normalizeErrorBody } from '../../../src/core/server/http';
import { mapError } from '../../../src/core/server/map-error';
import { isSharedVertexHost, vertexEndpoint, vertexLabel } from '../../../src/core/server/vertex';

const DEDICATED = 'https://1234.us-central1-567.prediction.vertexai.goog/v1beta1/projects/my-proj/locations/us-central1/endpoints/1234';

describe('server/vertex', () => {
  it('an address is a Vertex endpoint by its path, whatever the host', () => {
    assert.deepEqual(vertexEndpoint(DEDICATED), { project: 'my-proj', region: 'us-central1', endpoint: '1234' });
    assert.deepEqual(vertexEndpoint('http://127.0.0.1:9000/v1beta1/projects/p/locations/europe-west4/endpoints/9/chat/completions'), { project: 'p', region: 'europe-west4', endpoint: '9' });
    for (const u of ['http://localhost:8000/v1', 'https://h/v1/projects/p/locations/r', 'https://h/v1/projects/p/locations/r/endpoints/1/extra', 'not a url']) assert.equal(vertexEndpoint(u), undefined, u);
    assert.equal(vertexLabel(vertexEndpoint(DEDICATED)!), 'Vertex AI endpoint 1234 (my-proj, us-central1)');
  });

  it('the route is v1beta1: kept, added to a pasted resource name, put in place of v1', () => {
    assert.deepEqual(normalizeBaseUrl(DEDICATED), { url: DEDICATED, root: DEDICATED, note: undefined });
    assert.equal(normalizeBaseUrl(`${DEDICATED}/chat/completions`).url, DEDICATED);
    assert.equal(normalizeBaseUrl('https://h/projects/p/locations/r/endpoints/1').url, 'https://h/v1beta1/projects/p/locations/r/endpoints/1');
    assert.equal(normalizeBaseUrl('https://h/v1/projects/p/locations/r/endpoints/1').url, 'https://h/v1beta1/projects/p/locations/r/endpoints/1');
    assert.equal(normalizeBaseUrl('https://h/proxy/v1/projects/p/locations/r/endpoints/1').url, 'https://h/proxy/v1beta1/projects/p/locations/r/endpoints/1');
    assert.match(normalizeBaseUrl('https://h/v1/projects/p/locations/r/endpoints/1').note!, /^Using https:\/\/h\/v1beta1\//);
  });

  it('the shared regional host is told apart from a dedicated one', () => {
    assert.equal(isSharedVertexHost('https://us-central1-aiplatform.googleapis.com/v1beta1/projects/p/locations/us-central1/endpoints/1'), true);
    assert.equal(isSharedVertexHost(DEDICATED), false);
    assert.equal(isSharedVertexHost('https://evil-aiplatform.googleapis.com.example.org/'), false);
  });

  it("Google's error body keeps its status name", () => {
    assert.deepEqual(normalizeErrorBody({ error: { code: 403, message: 'Permission denied', status: 'PERMISSION_DENIED' } }), { error: { message: 'Permission denied', type: 'PERMISSION_DENIED', code: 403 } });
  });

  describe('refusals', () => {
    const refused = (status: number, message: string, baseUrl = DEDICATED) => mapError(APIError.generate(status, { error: { message } }, message, new Headers()), { baseUrl });
    it('401: sign in again, or the token command', () => {
      const e = refused(401, 'Request had invalid authentication credentials.');
      assert.equal(e.kind, 'unauthorized');
      assert.equal(e.message, 'The Vertex AI endpoint 1234 (project my-proj, us-central1) refused the access token (HTTP 401, UNAUTHENTICATED), also after fetching a new one: sign in again ("gcloud auth login"), or check "medgemma.server.tokenCommand" (CLI: --token-command).');
    });
    it('403: the permission the account needs', () => {
      const e = refused(403, "Permission 'aiplatform.endpoints.predict' denied");
      assert.equal(e.kind, 'unauthorized');
      assert.match(e.message, /refused your account \(HTTP 403, PERMISSION_DENIED\): it needs the permission aiplatform\.endpoints\.predict on this endpoint \(e\.g\. the role Vertex AI User\), in project my-proj\.$/);
    });
    it('404: the id, project or region; at the shared host, the dedicated DNS', () => {
      const e = refused(404, 'Endpoint not found.');
      assert.equal(e.kind, 'bad-config');
      assert.match(e.message, /^No answer from the Vertex AI endpoint 1234 \(project my-proj, us-central1\) \(HTTP 404, NOT_FOUND\): check the endpoint id, the project and the region/);
      assert.doesNotMatch(e.message, /dedicated/);
      const shared = refused(404, 'Not found', 'https://us-central1-aiplatform.googleapis.com/v1beta1/projects/my-proj/locations/us-central1/endpoints/1234');
      assert.match(shared.message, /Model Garden deploys dedicated endpoints, which answer only at their own address, <endpoint-id>\.us-central1-<number>\.prediction\.vertexai\.goog .*not at us-central1-aiplatform\.googleapis\.com\.$/);
    });
    it('429: quota', () => {
      const e = refused(429, 'Quota exceeded');
      assert.equal(e.kind, 'rate-limited');
      assert.match(e.message, /over its quota or busy \(HTTP 429, RESOURCE_EXHAUSTED\), also after retrying/);
    });
    it("vLLM's own words behind Vertex are mapped as for any server", () => {
      assert.equal(refused(400, "This model's maximum context length is 32768 tokens.").kind, 'context-overflow');
      assert.equal(refused(500, 'boom').kind, 'server-error');
    });
  });
});
