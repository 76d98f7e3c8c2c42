// Public types of the protocol simulator. What servers send: docs/server-protocol.md
// (the wire shapes) and ./README.md (how to use the simulator).

export type SimProfile = 'vllm' | 'vllm-0.10' | 'ollama' | 'llamacpp';

export interface SimModel {
  /** What the server lists and accepts as `model` (vLLM: `--served-model-name`). */
  id: string;
  /** The weights (vLLM `root`). Decides the image default: a `-text-` root takes no images. */
  root?: string;
  /** Base model id for a LoRA adapter; null/absent for a base model. */
  parent?: string | null;
  /** Overrides SimOptions.maxModelLen for this model. */
  maxModelLen?: number;
  /**
   * This model always answers as the `flip-negation` fault makes any model answer: negated note
   * lines become findings. A base model and an adapter that differ, for model comparisons.
   */
  flipNegation?: boolean;
  /**
   * A text-embedding (pooling) model: it answers `POST /v1/embeddings` (hashed bag-of-words
   * vectors of `dims` numbers, default 256: embeddings.ts) and refuses chat completions. Listed
   * by /v1/models like any other model.
   */
  embedding?: { dims?: number };
}

/**
 * What a hostile or broken embedding server sends (SimOptions.embeddingFault), for a 200 to an
 * otherwise valid `/v1/embeddings` request:
 * - `wrong-count`: one vector fewer than inputs (the last one missing);
 * - `nan`: one number of the last vector is NaN, which JSON carries as `null`;
 * - `ragged`: the last vector is one number short (seen only with 2+ inputs);
 * - `huge-dims`: every vector has 100,000 numbers;
 * - `not-json`: an HTML page (content-type text/html), as a web server or proxy in front sends.
 */
export type EmbeddingFault = 'wrong-count' | 'nan' | 'ragged' | 'huge-dims' | 'not-json';

/** Which of the four context-length wordings of the doc to use (1 = the classic one). */
export type ContextWording = 1 | 2 | 3 | 4;

export interface SimOptions {
  /** 0 (default) = a random free port. */
  port?: number;
  profile?: SimProfile;
  models?: SimModel[];
  /** Context length of every model that does not set its own. Default 32768. */
  maxModelLen?: number;
  /** When set, `/v1/*` needs `Authorization: Bearer KEY`. */
  apiKey?: string;
  /** Delay before the first chunk after the headers (the prompt prefill). Default 0. */
  ttftMs?: number;
  /** Pacing of content chunks; 0/undefined = as fast as possible. */
  tokensPerSecond?: number;
  /**
   * vLLM's --max-num-seqs: at most this many requests generate at once (each at
   * tokensPerSecond, as a GPU batch does); the rest wait, counted as num_requests_waiting in
   * /metrics, before their first chunk. Default: no limit.
   */
  maxRunning?: number;
  /**
   * vLLM started with `--enable-lora` and `VLLM_ALLOW_RUNTIME_LORA_UPDATING=True`: POST
   * /v1/load_lora_adapter adds an adapter of the first model (a path starting with `/missing`
   * is "No adapter found", 404). Default false: the route does not exist (404 Not Found).
   */
  runtimeLora?: boolean;
  /** Per-prompt image limit for every model. Default: 1, or 0 for a `-text-` root. */
  maxImages?: number;
  /** `/version`. Default '0.11.0' ('0.10.0' for the vllm-0.10 profile). */
  version?: string;
  /**
   * Wording of a natural context overflow (request too long for the model). Default 1 when
   * the request has max_tokens, 2 when it has none. A `context-overflow` fault has its own.
   */
  contextWording?: ContextWording;
  /**
   * When set, every chat answer is this text (streamed one token per chunk) instead of the
   * built answer: for tests of how clients render given model output (markdown, hostile HTML).
   * Statement checks still get their verdicts (verdictText sets those).
   */
  answerText?: string;
  /**
   * Demo answers for people trying the extension (`npm start -- --sim`): short summaries of
   * the key statements with citations, a canned chat reply that says it is simulated.
   * Tests leave it off and get the exhaustive, predictable answers described in README.md.
   */
  demo?: boolean;
  /**
   * A model that obeys instructions hidden in what it reads (prompt injection): every link,
   * autolink or HTML anchor found in the prompt is copied into the built answer.
   */
  obeyInstructions?: boolean;
  /**
   * Structured output (`response_format` json_schema), as vLLM has it. Default true; false
   * makes a json_schema request fail with 400, like a server without it.
   */
  structuredOutput?: boolean;
  /** When set, every statement-check answer (verifier.ts) is this text instead of the verdict: for tests of hostile or malformed verdicts. */
  verdictText?: string;
  /**
   * A Vertex AI endpoint (Model Garden: vLLM behind Google's front end): chat completions only,
   * under the endpoint's resource path, with bearer tokens from `sim.issueToken()`, and Google's
   * error shape for what Vertex itself refuses. See README.md.
   */
  vertex?: SimVertex;
  /**
   * Every successful `/v1/embeddings` answer is broken this way (see EmbeddingFault) until it is
   * set back to undefined (`null` over HTTP). Requests that fail validation still get their error.
   */
  embeddingFault?: EmbeddingFault | null;
}

export interface SimVertex {
  project: string;
  region: string;
  /** The endpoint id. */
  endpoint: string;
  /**
   * Requests each token is good for before it is refused with 401 (expiry mid-run). Default:
   * unlimited. Keep it above the number of requests a client sends at once: a real token expires
   * by time, so requests refused together and sent again with one new token all pass, while
   * here only tokenUses of them would.
   */
  tokenUses?: number;
}

export type FaultKind =
  | 'unauthorized'
  | 'permission-denied'
  | 'redirect'
  | 'echo-input'
  | 'unknown-model'
  | 'context-overflow'
  | 'rate-limit'
  | 'server-error-500'
  | 'unavailable-503'
  | 'bad-gateway-502'
  | 'stall-before-headers'
  | 'stall-mid-stream'
  | 'disconnect-mid-stream'
  | 'error-event-nested'
  | 'error-event-flat'
  | 'malformed-chunk'
  | 'finish-length'
  | 'flip-negation'
  | 'thinking';

export interface Fault {
  kind: FaultKind;
  /** How many requests it affects before it clears itself. Default: forever. */
  count?: number;
  /** Requests it lets pass unharmed before it starts (e.g. 1: the summary succeeds, the checks after it fail). Default 0. */
  skip?: number;
  /** Mid-stream faults: content chunks sent before the fault. Default 1. */
  afterChunks?: number;
  /** Stall faults: how long to go silent. Default 2000. */
  ms?: number;
  /** rate-limit: the Retry-After header, in seconds. Default 1. */
  retryAfter?: number;
  /** redirect: where to (an origin or URL; the request's path is appended), and the status (default 307). */
  location?: string;
  status?: 301 | 302 | 303 | 307 | 308;
  /** context-overflow: which wording of the doc. Default 1. */
  wording?: ContextWording;
  /**
   * Which requests the fault hits: 'chat' (default) only chat completions; 'all' every
   * route except /__sim/* (the status faults then also hit /v1/models, /health, ...).
   */
  scope?: 'chat' | 'all';
}

export interface RecordedRequest {
  /** Position in Sim.requests. */
  index: number;
  method: string;
  /** Path without the query string. */
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body; the raw text when it is not JSON; undefined when empty. */
  body: any;
  /** The client closed the connection before the simulator finished its response. */
  closedEarly: boolean;
  /** The response is over: finished, closed early by the client, or cut by the simulator. */
  done: boolean;
  /** HTTP status sent, once the headers went out. */
  status?: number;
  /** Content chunks (tokens) sent for a chat completion: stops growing when the client closes. */
  contentChunks: number;
}

export interface Sim {
  /** http://127.0.0.1:PORT */
  url: string;
  /** url + '/v1'; with the vertex option, url + '/v1beta1/projects/P/locations/R/endpoints/ID'. */
  baseUrl: string;
  port: number;
  /** Every request except /__sim/* control calls, in arrival order. */
  requests: RecordedRequest[];
  /** Also over HTTP: POST /__sim/fault with a Fault or null. */
  setFault(f: Fault | undefined): void;
  /** Also over HTTP: POST /__sim/options. `port` is ignored. */
  setOptions(o: Partial<SimOptions>): void;
  /** A new Vertex bearer token (`ya29.sim-…`), good for `vertex.tokenUses` requests. Also over HTTP: POST /__sim/token. */
  issueToken(): string;
  /**
   * Resolves when the client closes request #index early. Default: the last chat request if
   * it is still open, else the next one. Rejects when that request finishes normally, or
   * after timeoutMs (default 5000).
   */
  waitForClose(index?: number, timeoutMs?: number): Promise<void>;
  /** Stop listening and destroy open sockets: connections are refused afterwards. */
  stop(): Promise<void>;
  /** Listen again on the same port (stops first when still running). */
  restart(): Promise<void>;
}
