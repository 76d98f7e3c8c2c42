// An example as a markdown page to read (the Dataset view opens it): the answer to learn, the
// model's draft, then the question as sent. All of it is text from files and the model, so
// links are made inert and the question is shown in a fence no line of it can close.

import { neutralizeLinks, plainMarkdown } from '../model-text/links';
import type { Example } from './example';

const KIND_TEXT: Record<Example['kind'], string> = { summary: 'summary', chat: 'chat answer', image: 'image answer' };

export function exampleTitle(e: Example): string {
  return e.template ? `${KIND_TEXT[e.kind]}: ${e.template.label}` : KIND_TEXT[e.kind];
}

function fenced(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`{3,}|~{3,}/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${text}\n${fence}`;
}

export function exampleMarkdown(e: Example): string {
  const facts = [
    `**Kind:** ${plainMarkdown(exampleTitle(e))}`,
    `**Split:** ${e.split}`,
    `**Review:** ${e.review.action === 'edited' ? 'corrected' : 'accepted as drafted'} by ${plainMarkdown(e.review.by)}`,
    `**Identifiers:** ${e.deidentified === 'pseudonymized' ? 'replaced by stand-ins' : '⚠ as written'}`,
    e.source ? `**Source:** ${plainMarkdown(e.source.file)}${e.source.lines ? `, lines ${e.source.lines[0]}–${e.source.lines[1]}` : ''}` : '',
    e.model ? `**Drafted by:** ${plainMarkdown(e.model)}` : '',
    `**Saved:** ${e.created.slice(0, 16).replace('T', ' ')} UTC`,
  ].filter(Boolean);
  const out = [`# Training example ${e.id}`, '', facts.join('  \n'), '', "## The answer to learn (the clinician's)", '', neutralizeLinks(e.chosen).text, ''];
  if (e.rejected !== undefined) out.push("## The model's draft", '', neutralizeLinks(e.rejected).text, '');
  out.push('## The question, as sent', '');
  for (const m of e.messages) {
    out.push(`### ${m.role === 'user' ? 'User' : 'Assistant'}`, '');
    for (const p of m.content) out.push(p.type === 'image' ? `*Image: ${plainMarkdown(p.file)}*` : fenced(p.text), '');
  }
  return out.join('\n');
}
