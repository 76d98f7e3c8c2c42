// The dataset card (README.md) written beside an export: what is in it, how it was split, where
// it came from, whether identifiers were replaced, and what it is for. Names of source files and
// reviewers stay in the dataset folder: a card is the page most likely to be passed around.

import { plainMarkdown } from '../model-text/links';
import type { Example } from './example';
import type { ExportFormat, ExportResult } from './export';
import type { Excluded } from './validate';

export interface CardInput {
  format: ExportFormat;
  split: { train: Example[]; validation: Example[] };
  result: Omit<ExportResult, 'files'>;
  excluded: readonly Excluded[];
  train: number;
  seed: number;
  exactCounts?: boolean;
  contextLength?: number;
  now?: Date;
}

const FORMAT_TEXT: Record<ExportFormat, string[]> = {
  'hf-chat': [
    "Hugging Face TRL's conversational format for vision-language models (https://huggingface.co/docs/trl/dataset_formats#vision-datasets), as Google's MedGemma fine-tuning notebook builds it for `SFTTrainer` (Google-Health/medgemma, `notebooks/fine_tune_with_hugging_face.ipynb`): each row has `messages` (a `user` turn whose content is `{\"type\": \"image\"}` and `{\"type\": \"text\"}` parts, then the `assistant` turn to learn) and `images`, the paths of its images in order, relative to this folder. Gemma has no system role: the instructions are in the first user turn, as they were sent.",
    '`preference/` holds the examples a clinician corrected in TRL\'s conversational preference format (`prompt`, `chosen` = the clinician\'s answer, `rejected` = the model\'s draft), for DPO-style training.',
    'Load with the `datasets` library: `load_dataset("json", data_files={"train": "train.jsonl", "validation": "validation.jsonl"})` (without validation.jsonl when there is none), then open each path in `images` (relative to this folder) as a PIL image before training.',
  ],
  vertex: [
    "The JSONL that Vertex AI's managed tuning of open models takes for chat models such as Gemma 3 (https://cloud.google.com/vertex-ai/generative-ai/docs/models/open-model-tuning): one `{\"messages\": [{\"role\": \"user\", \"content\": …}, {\"role\": \"assistant\", \"content\": …}]}` per line. Text only: examples with images are left out.",
    'Upload `train.jsonl` (and `validation.jsonl`, at most a quarter the size of the training set) to Cloud Storage and give their gs:// paths to the tuning job. MedGemma itself is not on the list of models that service tunes (Gemma 3 27B IT is): train MedGemma with the hf-chat export instead, or use this file with a Gemma model.',
  ],
};

function countBy<T>(items: readonly T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
  return m;
}

/** Text from outside, inert, on one line (plainMarkdown escapes a table's pipes too). */
const cell = (s: string) => plainMarkdown(s).replace(/\s+/g, ' ');

const kindLabel = (e: Example) => (e.template ? `${e.kind}: ${e.template.label}` : e.kind);

export function writeCard(c: CardInput): string {
  const all = [...c.split.train, ...c.split.validation];
  const train = countBy(c.split.train, kindLabel);
  const val = countBy(c.split.validation, kindLabel);
  const kinds = [...new Set([...train.keys(), ...val.keys()])].sort();
  const out: string[] = [];
  out.push(`# MedGemma fine-tuning data (${c.format})`, '');
  out.push(`Exported by MedGemma for VS Code on ${(c.now ?? new Date()).toISOString().slice(0, 10)} from examples clinicians reviewed in their daily work: the answer to learn is the clinician's (accepted as the model wrote it, or corrected).`, '');
  out.push('## Contents', '', '| examples | train | validation |', '|---|---:|---:|');
  for (const k of kinds) out.push(`| ${cell(k)} | ${train.get(k) ?? 0} | ${val.get(k) ?? 0} |`);
  out.push(`| **all** | **${c.split.train.length}** | **${c.split.validation.length}** |`, '');
  const marked = all.filter((e) => e.split === 'validation').length;
  out.push(`- Split: ${Math.round(c.train * 100)} % for training, seed ${c.seed}${marked ? `; ${marked} example${marked === 1 ? '' : 's'} marked for validation by hand` : ''}. The same dataset, share and seed give the same split.`);
  if (c.format === 'hf-chat') out.push(`- Preference pairs (corrected examples): ${c.result.preference}. Images: ${c.result.images}.`);
  if (c.format === 'vertex' && c.split.validation.length > c.split.train.length / 4) out.push('- ⚠ The validation file is more than a quarter the size of the training file, which Vertex AI refuses: export with a larger training share (e.g. --split 0.9).');
  const left = [...c.excluded, ...c.result.skipped];
  if (left.length) {
    out.push('', `### Left out (${left.length})`, '', '| example | why |', '|---|---|');
    for (const x of left) out.push(`| ${cell(x.id)} | ${cell(x.why)} |`);
  }
  if (c.contextLength) out.push('', `Every example fits the model's context of ${c.contextLength} tokens${c.exactCounts === false ? ' (some lengths estimated: the server could not count them)' : ' (counted by the server)'}.`);
  out.push('', '## Sources', '');
  const sources = new Set(all.flatMap((e) => (e.source ? [e.source.sha256] : []))).size;
  out.push(`- ${all.length} example${all.length === 1 ? '' : 's'} from ${sources} distinct source file${sources === 1 ? '' : 's'} (their names and SHA-256 hashes are in the dataset's examples.jsonl, not in this card).`);
  const models = [...countBy(all.filter((e) => e.model), (e) => e.model!)].map(([m, n]) => `${cell(m)} (${n})`);
  if (models.length) out.push(`- Drafted by: ${models.join(', ')}.`);
  const edited = all.filter((e) => e.review.action === 'edited').length;
  out.push(`- Reviewed: ${edited} corrected by a clinician, ${all.length - edited} accepted as drafted; ${new Set(all.map((e) => e.review.by)).size} reviewer(s).`);
  out.push('', '## De-identification', '');
  const asWritten = all.filter((e) => e.deidentified === 'as-written').length;
  out.push(`- ${all.length - asWritten} of ${all.length} examples had their identifiers (names, dates, places, numbers, contacts: the HIPAA Safe Harbor categories) replaced by consistent stand-ins on the clinician's machine before they were saved; dates are shifted.`);
  if (asWritten) out.push(`- ⚠ ${asWritten} example${asWritten === 1 ? ' holds' : 's hold'} the text as written. Review ${asWritten === 1 ? 'it' : 'them'} before this data leaves the team.`);
  out.push('- The replacement is rule-based, not a certified de-identification: free text can still identify a person. Keep this data where the patient records themselves may be kept.');
  out.push('', '## Intended use', '');
  out.push("Fine-tuning MedGemma (a LoRA adapter, say) on this team's own reviewed work, then comparing the adapter with the base model on held-out notes (`medgemma eval summaries`) before anyone relies on it. Not a medical device; not for release outside the team.");
  const format = FORMAT_TEXT[c.format].filter((t) => c.result.preference > 0 || !t.startsWith('`preference/`'));
  out.push('', '## Format', '', ...format.map((t) => `- ${t}`), '');
  return out.join('\n');
}
