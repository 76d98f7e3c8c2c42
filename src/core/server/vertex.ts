// Vertex AI endpoints: a Model Garden MedGemma is vLLM behind Vertex, answering OpenAI chat
// completions at <dns>/v1beta1/projects/<p>/locations/<r>/endpoints/<id>/chat/completions with
// the model "" (the endpoint's one model). It lists no models and has no /tokenize, so the
// context length is the user's setting or Model Garden's serving default, and it takes a
// short-lived OAuth token instead of a key. A URL is a Vertex endpoint by its path, whatever
// the host (a proxy, or the simulator in tests).

export interface VertexEndpoint {
  project: string;
  region: string;
  endpoint: string;
}

/** Model Garden serves MedGemma with --max-model-len 32768 (Google-Health/medgemma notebooks). */
export const VERTEX_CONTEXT_LENGTH = 32_768;

/** Where a Vertex URL's token comes from when nothing else is set. */
export const DEFAULT_TOKEN_COMMAND = 'gcloud auth print-access-token';

const PATH = /\/projects\/([^/]+)\/locations\/([^/]+)\/endpoints\/([^/]+)$/;

/** The project, region and endpoint id of a Vertex endpoint URL (without /chat/completions), or undefined. */
export function vertexEndpoint(url: string): VertexEndpoint | undefined {
  let path: string;
  try {
    path = new URL(url).pathname.replace(/\/+$/, '').replace(/\/chat\/completions$/, '');
  } catch {
    return undefined;
  }
  const m = PATH.exec(path);
  return m ? { project: decodeURIComponent(m[1]), region: decodeURIComponent(m[2]), endpoint: decodeURIComponent(m[3]) } : undefined;
}

/** "Vertex AI endpoint 123 (my-project, us-central1)": what the status bar and headers call it. */
export function vertexLabel(v: VertexEndpoint): string {
  return `Vertex AI endpoint ${v.endpoint} (${v.project}, ${v.region})`;
}

/** The shared regional host, which dedicated endpoints (Model Garden's default) refuse. */
export function isSharedVertexHost(url: string): boolean {
  try {
    return /^[a-z0-9-]+-aiplatform\.googleapis\.com$/.test(new URL(url).hostname);
  } catch {
    return false;
  }
}
