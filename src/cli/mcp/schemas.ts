// The tools' arguments as zod schemas: the MCP SDK checks them and lists them as JSON schema.
// VS Code's language model tools declare the same schemas in package.json; a unit test keeps
// the two the same (test/unit/cli/tool-schemas.test.ts).

import * as z from 'zod';
import { IMAGE_KINDS } from '../../core/agent-tools/describe-image';
import { MAX_NOTE_BYTES } from '../../core/agent-tools/summarize-note';
import { KIND_LABELS } from '../../core/images/prompts';
import { BUILT_IN_TEMPLATES } from '../../core/notes/templates';

export const summarizeNoteInput = z.object({
  path: z.string().min(1).optional().describe('Path of a text note on this machine (relative to the folder the server runs in). Give path or text.'),
  text: z.string().min(1).max(MAX_NOTE_BYTES).optional().describe('The note itself. Give path or text.'),
  template: z
    .enum(BUILT_IN_TEMPLATES.map((t) => t.id) as [string, ...string[]])
    .optional()
    .describe(`The kind of summary: ${BUILT_IN_TEMPLATES.map((t) => `${t.id} (${t.label})`).join(', ')}. Default brief.`),
  lines: z.string().optional().describe('Only these note lines, first-last, 1-based, e.g. "12-40".'),
});

export const searchPapersInput = z.object({
  query: z.string().trim().min(1).max(2000).describe('What to look for, in words (a question or key terms).'),
  k: z.number().int().min(1).max(50).optional().describe('How many passages (default 5).'),
});

export const askPapersInput = z.object({
  question: z.string().trim().min(1).max(2000).describe('The question, in words.'),
  k: z.number().int().min(1).max(50).optional().describe('How many passages to give the model (default 8).'),
  max_tokens: z.number().int().min(16).max(8192).optional().describe('Longest answer in tokens (default 1024).'),
  rerank: z.boolean().optional().describe('MedGemma scores the passages found before answering (one request more). Default: the user\'s setting.'),
});

export const describeImageInput = z.object({
  path: z.string().min(1).describe('Path of a PNG, JPEG or DICOM image on this machine (relative to the folder the server runs in).'),
  prompt: z.string().trim().min(1).max(4000).optional().describe('The question about the image. Default: the standard question for its kind.'),
  kind: z.enum(IMAGE_KINDS).optional().describe(`What the image is: ${IMAGE_KINDS.map((k) => `${k} (${KIND_LABELS[k]})`).join(', ')}. Default: what the file says (DICOM modality, name).`),
  region: z
    .object({ x: z.number().min(0), y: z.number().min(0), width: z.number().positive(), height: z.number().positive() })
    .optional()
    .describe('Ask about this rectangle only, in image pixels from the top left; the model also gets the whole image with the box drawn.'),
  window: z.object({ center: z.number(), width: z.number().min(1) }).optional().describe('Grey-level window for CT/MR (centre and width), e.g. {"center": 40, "width": 400} for soft tissue.'),
  frame: z.number().int().min(1).optional().describe('Which frame of a multi-frame image, 1-based (default 1).'),
  ct_windows: z.boolean().optional().describe("CT: send three windows (wide, soft tissue, brain) as the red, green and blue channels, as Google's CT recipe does."),
  max_tokens: z.number().int().min(1).max(8192).optional().describe('Longest answer in tokens (default 500).'),
});

export const deidentifyInput = z.object({
  text: z.string().min(1).max(10 * 1024 * 1024).describe('The text (a note, a letter) to de-identify.'),
});

export const serverStatusInput = z.object({});
