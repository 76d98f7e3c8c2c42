// The log line for a failed request never carries the server's words: the simulator's
// echo-input fault answers like vLLM's request validation, quoting the note it was sent.
import * as assert from 'node:assert/strict';
import { startSim, type Sim } from '../../sim';
import { makeConfig } from '../../../src/core/server/config';
import { noCredentials } from '../../../src/core/server/credentials';
import { errorLogLine, serverMessageLabel } from '../../../src/core/server/error-log';
import { MedGemmaError } from '../../../src/core/server/errors';
import { MedGemmaClient } from '../../../src/core/server/service';

const NOTE = 'L1: Mrs Jane Example, MRN 0042-7781, chest pain since Tuesday.\nL2: Troponin 0.08 rising.';

describe('error log lines', () => {
  let sim: Sim;
  beforeEach(async () => (sim = await startSim()));
  afterEach(async () => sim.stop());

  async function failure(): Promise<MedGemmaError> {
    const client = new MedGemmaClient(makeConfig({ baseUrl: sim.baseUrl, connectTimeoutMs: 2000, idleTimeoutMs: 1000 }), noCredentials);
    try {
      await client.chat({ messages: [{ role: 'user', content: NOTE }], maxTokens: 20, temperature: 0 });
    } catch (e) {
      assert.ok(e instanceof MedGemmaError, String(e));
      return e;
    }
    return assert.fail('expected a failure');
  }

  it('say kind and status but not the words of a server that echoes the note', async () => {
    sim.setFault({ kind: 'echo-input' });
    const e = await failure();
    assert.match(e.detail.serverMessage ?? '', /Jane Example/, 'the fault does echo the note');
    const line = errorLogLine('Summarize Note', e);
    assert.match(line, /^Summarize Note: bad-request HTTP 400 \(server message: \d+ characters, not logged\)$/);
    for (const word of ['Jane', 'Example', '0042', 'Troponin', 'chest']) assert.ok(!line.includes(word), `${word} in "${line}"`);
  });

  it('name a known server message by a fixed label, whatever else it says', async () => {
    sim.setFault({ kind: 'context-overflow' });
    assert.equal(errorLogLine('Chat', await failure()), 'Chat: context-overflow HTTP 400 (server message: context length exceeded)');
    // A known message that also quotes the input: still only the label.
    assert.equal(serverMessageLabel(`This model's maximum context length is 8192 tokens; input: ${NOTE}`), 'context length exceeded');
    assert.equal(errorLogLine('Chat', new TypeError(NOTE)), 'Chat: unexpected TypeError');
  });
});
