// Standalone simulator, to try the extension or the CLI without a GPU:
//   npx tsx test/sim/main.ts [--port 8000] [--profile vllm] [--model ID] [--root ROOT]
//     [--max-model-len N] [--max-images N] [--api-key K] [--ttft MS] [--tps N]
//     [--max-running N] [--fault KIND] [--vertex PROJECT/REGION/ENDPOINT] [--demo] [--quiet]
//     [--embedding-model ID] [--embedding-dims N] [--embedding-fault KIND]
// Prints the base URL, logs one line per request (method, path, status; never bodies),
// runs until SIGINT/SIGTERM. Faults can be changed while it runs: POST /__sim/fault.

import { EMBEDDING_FAULTS } from './embeddings-route';
import { FAULT_KINDS } from './faults';
import { PROFILES } from './profiles';
import { startSim } from './server';
import type { EmbeddingFault, Fault, FaultKind, SimModel, SimOptions, SimProfile } from './types';

const USAGE = `usage: tsx test/sim/main.ts [--port 8000] [--profile ${PROFILES.join('|')}] [--model ID] [--root ROOT]
  [--max-model-len N] [--max-images N] [--api-key K] [--ttft MS] [--tps N] [--max-running N]
  [--fault KIND] [--vertex PROJECT/REGION/ENDPOINT] [--demo] [--quiet]
  [--embedding-model ID] [--embedding-dims N] [--embedding-fault KIND]
faults: ${FAULT_KINDS.join(', ')}
embedding faults: ${EMBEDDING_FAULTS.join(', ')}`;

interface Args {
  opts: SimOptions;
  fault?: Fault;
  quiet: boolean;
}

function parseArgs(argv: string[]): Args {
  const opts: SimOptions = { port: 8000 };
  let model: string | undefined;
  let root: string | undefined;
  let embeddingModel: string | undefined;
  let embeddingDims: number | undefined;
  let fault: Fault | undefined;
  let quiet = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) fail(`${flag} needs a value`);
      return v;
    };
    const num = (): number => {
      const v = Number(value());
      if (!Number.isFinite(v) || v < 0) fail(`${flag} needs a number >= 0`);
      return v;
    };
    switch (flag) {
      case '--port':
        opts.port = num();
        break;
      case '--profile': {
        const p = value();
        if (!PROFILES.includes(p as SimProfile)) fail(`unknown profile ${p}`);
        opts.profile = p as SimProfile;
        break;
      }
      case '--model':
        model = value();
        break;
      case '--root':
        root = value();
        break;
      case '--max-model-len':
        opts.maxModelLen = num();
        break;
      case '--max-images':
        opts.maxImages = num();
        break;
      case '--api-key':
        opts.apiKey = value();
        break;
      case '--ttft':
        opts.ttftMs = num();
        break;
      case '--tps':
        opts.tokensPerSecond = num();
        break;
      case '--max-running':
        opts.maxRunning = num();
        break;
      case '--fault': {
        const k = value();
        if (!FAULT_KINDS.includes(k as FaultKind)) fail(`unknown fault ${k}`);
        fault = { kind: k as FaultKind };
        break;
      }
      case '--vertex': {
        const [project, region, endpoint, ...more] = value().split('/');
        if (!project || !region || !endpoint || more.length) fail('--vertex needs PROJECT/REGION/ENDPOINT');
        opts.vertex = { project, region, endpoint };
        break;
      }
      case '--embedding-model':
        embeddingModel = value();
        break;
      case '--embedding-dims':
        embeddingDims = num();
        break;
      case '--embedding-fault': {
        const k = value();
        if (!EMBEDDING_FAULTS.includes(k as EmbeddingFault)) fail(`unknown embedding fault ${k}`);
        opts.embeddingFault = k as EmbeddingFault;
        break;
      }
      case '--demo':
        opts.demo = true;
        break;
      case '--quiet':
        quiet = true;
        break;
      case '--help':
      case '-h':
        process.stdout.write(USAGE + '\n');
        process.exit(0);
        break;
      default:
        fail(`unknown option ${flag}`);
    }
  }
  if (model || root || embeddingModel) {
    const models: SimModel[] = [{ id: model ?? 'medgemma', root: root ?? 'google/medgemma-4b-it' }];
    if (embeddingModel) models.push({ id: embeddingModel, embedding: { dims: embeddingDims } });
    opts.models = models;
  }
  return { opts, fault, quiet };
}

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main(): Promise<void> {
  const { opts, fault, quiet } = parseArgs(process.argv.slice(2));
  const sim = await startSim(opts, {
    onRequestDone: quiet
      ? undefined
      : (r) => process.stdout.write(`${r.method} ${r.path} ${r.status ?? '-'}${r.closedEarly ? ' (closed by client)' : ''}\n`),
  });
  if (fault) sim.setFault(fault);
  process.stdout.write(
    `MedGemma simulator (${opts.profile ?? 'vllm'} profile) listening on ${sim.baseUrl}\n` +
      (opts.apiKey ? 'API key required on /v1/*\n' : '') +
      (opts.vertex ? `Vertex AI endpoint: token command: node test/sim/token-command.mjs ${sim.url}\n` : '') +
      (fault ? `fault: ${fault.kind}\n` : '') +
      (opts.embeddingFault ? `embedding fault: ${opts.embeddingFault}\n` : '') +
      `change faults: curl -X POST ${sim.url}/__sim/fault -d '{"kind":"rate-limit","count":1}'\n`,
  );
  let stopping = false;
  const shutdown = (): void => {
    if (stopping) return;
    stopping = true;
    void sim.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((e: unknown) => {
  process.stderr.write(`medgemma-sim: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
