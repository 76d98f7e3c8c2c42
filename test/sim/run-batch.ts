// A stand-in for `vllm run-batch -i REQUESTS.jsonl -o OUTPUTS.jsonl`: answers each request line
// through a running simulator (non-streamed chat completions) and writes vLLM's output format,
// `{"id", "custom_id", "response": {"status_code", "request_id", "body"}, "error"}`.
//   npx tsx test/sim/run-batch.ts -i REQUESTS.jsonl -o OUTPUTS.jsonl --base-url SIM_BASE_URL [--echo]
// --echo writes `{"body": <request body>, "response": <completion>}` lines without custom_id
// instead: how an engine that echoes the request (Vertex AI batch prediction) is matched.

import * as fs from 'node:fs';

export async function runBatch(input: string, output: string, baseUrl: string, echo = false): Promise<number> {
  const lines = fs.readFileSync(input, 'utf8').split('\n').filter((l) => l.trim());
  const out: string[] = [];
  for (const [i, line] of lines.entries()) {
    const req = JSON.parse(line) as { custom_id?: string; body: Record<string, unknown> };
    const res = await fetch(`${baseUrl}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...req.body, stream: false }) });
    const body = (await res.json()) as unknown;
    if (echo) out.push(JSON.stringify({ body: req.body, response: body }));
    else {
      const ok = res.status === 200;
      out.push(JSON.stringify({ id: `vllm-${i}`, custom_id: req.custom_id, response: { status_code: res.status, request_id: `vllm-batch-${i}`, body: ok ? body : null }, error: ok ? null : body }));
    }
  }
  fs.writeFileSync(output, out.length ? `${out.join('\n')}\n` : '');
  return lines.length;
}

if (require.main === module) {
  const arg = (flag: string) => {
    const i = process.argv.indexOf(flag);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const [input, output, base] = [arg('-i'), arg('-o'), arg('--base-url')];
  if (!input || !output || !base) {
    process.stderr.write('usage: tsx test/sim/run-batch.ts -i REQUESTS.jsonl -o OUTPUTS.jsonl --base-url URL [--echo]\n');
    process.exit(2);
  }
  runBatch(input, output, base, process.argv.includes('--echo')).then(
    (n) => process.stderr.write(`run-batch: ${n} requests answered\n`),
    (e) => {
      process.stderr.write(`run-batch: ${String(e)}\n`);
      process.exit(1);
    },
  );
}
