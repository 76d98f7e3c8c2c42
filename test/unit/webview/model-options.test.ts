// The chat's model picker order: adapters under their base, named as adapters; text-only marked.
import * as assert from 'node:assert/strict';
import { modelOptions } from '../../../webview-ui/chat/model-options';

describe('chat model picker options', () => {
  it('each adapter right under its base; an adapter whose base is not listed stands alone, still named', () => {
    const out = modelOptions([
      { id: 'medgemma-27b-text', vision: false },
      { id: 'notes-lora', parent: 'medgemma-4b' },
      { id: 'medgemma-4b', vision: true },
      { id: 'orphan-lora', parent: 'gone-base' },
      { id: 'text-lora', parent: 'medgemma-27b-text', vision: false },
    ]);
    assert.deepEqual(out, [
      { id: 'medgemma-27b-text', label: 'medgemma-27b-text (text)' },
      { id: 'text-lora', label: '\u00a0\u00a0↳ text-lora (text) — LoRA adapter' },
      { id: 'medgemma-4b', label: 'medgemma-4b' },
      { id: 'notes-lora', label: '\u00a0\u00a0↳ notes-lora — LoRA adapter' },
      { id: 'orphan-lora', label: 'orphan-lora — LoRA adapter of gone-base' },
    ]);
  });

  it('every model appears once', () => {
    const models = [{ id: 'a' }, { id: 'b', parent: 'a' }, { id: 'c', parent: 'a' }, { id: 'd' }];
    assert.deepEqual(modelOptions(models).map((o) => o.id), ['a', 'b', 'c', 'd']);
  });
});
