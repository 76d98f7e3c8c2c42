// The chat's model picker: the server's models in its order, each LoRA adapter right under its
// base model and named as one, so a team's fine-tuned adapter is found next to what it adapts.

import type { ModelChoice } from '../../src/protocol/chat';

export interface ModelOption {
  id: string;
  label: string;
}

export function modelOptions(models: readonly ModelChoice[]): ModelOption[] {
  const ids = new Set(models.map((m) => m.id));
  const label = (m: ModelChoice) => `${m.id}${m.vision === false ? ' (text)' : ''}`;
  const out: ModelOption[] = [];
  for (const m of models) {
    // An adapter whose base is listed comes under it; one whose base is not stands alone.
    if (m.parent && ids.has(m.parent)) continue;
    out.push({ id: m.id, label: m.parent ? `${label(m)} — LoRA adapter of ${m.parent}` : label(m) });
    for (const a of models) if (a.parent === m.id) out.push({ id: a.id, label: `\u00a0\u00a0↳ ${label(a)} — LoRA adapter` });
  }
  return out;
}
