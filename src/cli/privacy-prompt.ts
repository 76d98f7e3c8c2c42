// `--privacy warn` in a terminal: say what was found and where it would go, then ask.

import { createInterface } from 'node:readline/promises';
import { describeCounts } from '../core/privacy/describe';
import type { Confirm, WarnChoice } from '../core/privacy/gate';

export function terminalConfirm(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Confirm {
  return async (w) => {
    const rl = createInterface({ input, output, terminal: true });
    try {
      output.write(`medgemma: the ${w.feature === 'summary' ? 'note' : 'text'} holds ${describeCounts(w.counts)}, and would go to ${w.origin}.\n`);
      const answer = await rl.question('Send it [p]seudonymized, [a]s written, or [c]ancel? ');
      return choiceOf(answer);
    } catch {
      return 'cancel'; // standard input closed: nobody said yes
    } finally {
      rl.close();
    }
  };
}

export function choiceOf(answer: string): WarnChoice {
  const a = answer.trim().toLowerCase();
  if (a === 'p' || a === 'pseudonymize' || a === 'pseudonymized') return 'pseudonymize';
  if (a === 'a' || a === 'as written' || a === 'as-is') return 'as-is';
  return 'cancel';
}
