// Summary templates: what kind of summary to write. The grounding rules (cite lines, keep
// negatives negative...) live in prompts.ts and are added to every template, built-in or not,
// so a user template can shape the output but never switch grounding off.

export interface Template {
  id: string;
  label: string;
  description: string;
  /** What to write and how to structure it; sent to the model after the grounding rules. */
  instructions: string;
  builtIn: boolean;
}

const builtIn = (id: string, label: string, description: string, instructions: string): Template =>
  Object.freeze({ id, label, description, instructions, builtIn: true });

export const BUILT_IN_TEMPLATES: readonly Template[] = Object.freeze([
  builtIn(
    'brief',
    'Brief clinical summary',
    'The essentials in 5-12 bullets, most important first.',
    [
      'Write a brief clinical summary of 5 to 12 bullets, most important first:',
      'who the patient is and why they are seen, the key findings (symptoms, exam, results),',
      'the assessment or diagnoses (with their certainty as written), treatments given or changed,',
      'and the plan and disposition. No headings.',
    ].join(' '),
  ),
  builtIn(
    'soap',
    'SOAP summary',
    'Subjective, Objective, Assessment and Plan.',
    [
      'Organize the summary under four headings, in this order: "## Subjective", "## Objective",',
      '"## Assessment", "## Plan". Subjective: symptoms and history as reported, including pertinent',
      'negatives. Objective: vital signs, exam, labs, imaging and other results, with values exactly',
      'as written. Assessment: diagnoses and clinical reasoning, keeping "possible", "suspected" or',
      '"rule out" where the note has it. Plan: what will be done, per problem where the note does so.',
      'Leave out a heading only when the note has nothing for it.',
    ].join(' '),
  ),
  builtIn(
    'problems',
    'Problem list',
    'Each problem with its status: active, resolved or chronic.',
    [
      'Write a problem list: one bullet per problem, in the form',
      '"**Problem** (active|resolved|chronic): key facts and current management [citations]".',
      'Active problems first, then chronic, then resolved. A problem is active when it is being',
      'treated or worked up now, chronic when long-standing and stable, resolved when the note says so.',
      'A suspected problem is written "suspected ...". Pertinent negatives and family history are not',
      "problems: leave them out of the list. If a problem's status is unclear, say \"status unclear\".",
    ].join(' '),
  ),
  builtIn(
    'medications',
    'Medication changes',
    'Drugs started, stopped, held, changed or continued, with doses.',
    [
      'List medication changes under these headings, in this order, leaving out empty ones:',
      '"## Started", "## Stopped", "## Held", "## Changed", "## Continued".',
      'One bullet per drug: name, dose, route and frequency exactly as written, and the reason if the',
      'note gives one, e.g. "- Atorvastatin 80 mg PO nightly, replacing simvastatin [L101]".',
      'For a changed drug give the old and the new dose. Never fill in a dose, route or frequency the',
      'note does not state; write "dose not stated" instead. Include allergies only if they explain',
      'a change.',
    ].join(' '),
  ),
  builtIn(
    'discharge',
    'Discharge summary',
    'Diagnoses, hospital course, procedures, medications, follow-up.',
    [
      'Write a discharge summary under these headings, leaving out ones the note has nothing for:',
      '"## Reason for admission", "## Diagnoses", "## Hospital course", "## Procedures and key results",',
      '"## Medications at discharge", "## Follow-up and pending results", "## Condition at discharge".',
      'Hospital course: one bullet per problem, in order of importance. If the note is not from the',
      'end of the stay, say so instead of inventing a discharge.',
    ].join(' '),
  ),
  builtIn(
    'patient',
    'Patient-friendly explanation',
    'Plain language for the patient, still cited.',
    [
      'Explain the note to the patient in plain language (reading level of a 12-year-old): short',
      'sentences, "you" for the patient, and every medical word explained in everyday words the first',
      'time it is used, keeping the medical word in brackets, e.g. "a blood clot in the lungs',
      '(pulmonary embolism)". Use the headings "## What happened", "## What we found",',
      '"## What happens next". Give no advice that is not in the note. Every bullet still ends with its',
      'citations.',
    ].join(' '),
  ),
]);

export interface ResolvedTemplates {
  /** Built-ins (a user template with the same id replaces the built-in), then user templates. */
  templates: Template[];
  /** One readable sentence per rejected or ignored entry; empty when all is well. */
  problems: string[];
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Validate templates from the `medgemma.summary.templates` setting and merge them with the
 * built-ins. Never throws: a bad entry is skipped and described in `problems`.
 */
export function resolveTemplates(user: unknown): ResolvedTemplates {
  const problems: string[] = [];
  const own: Template[] = [];
  if (user === undefined || user === null) return { templates: [...BUILT_IN_TEMPLATES], problems };
  if (!Array.isArray(user)) {
    problems.push('medgemma.summary.templates must be a list of templates; it was ignored.');
    return { templates: [...BUILT_IN_TEMPLATES], problems };
  }
  const seen = new Set<string>();
  user.forEach((entry: unknown, i) => {
    const where = `Template ${i + 1}`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(`${where} is not an object like { "id": ..., "label": ..., "instructions": ... }; it was ignored.`);
      return;
    }
    const e = entry as Record<string, unknown>;
    const id = typeof e.id === 'string' ? e.id.trim() : undefined;
    const named = id ? `${where} ("${id}")` : where;
    const bad: string[] = [];
    if (id === undefined || id === '') bad.push('"id" must be a non-empty string');
    else if (!ID.test(id)) bad.push('"id" may only use letters, digits, ".", "_" and "-" (at most 64)');
    for (const field of ['label', 'instructions'] as const) {
      if (typeof e[field] !== 'string' || (e[field] as string).trim() === '') bad.push(`"${field}" must be a non-empty string`);
    }
    if (e.description !== undefined && typeof e.description !== 'string') bad.push('"description" must be a string');
    if (bad.length > 0) {
      problems.push(`${named}: ${bad.join('; ')}. It was ignored.`);
      return;
    }
    if (seen.has(id!)) {
      problems.push(`${named}: another template already uses this id; only the first one is used.`);
      return;
    }
    seen.add(id!);
    own.push({
      id: id!,
      label: (e.label as string).trim(),
      description: typeof e.description === 'string' ? e.description.trim() : '',
      instructions: (e.instructions as string).trim(),
      builtIn: false,
    });
  });
  const byId = new Map(own.map((t) => [t.id, t]));
  const templates = BUILT_IN_TEMPLATES.map((t) => byId.get(t.id) ?? t);
  const builtInIds = new Set(BUILT_IN_TEMPLATES.map((t) => t.id));
  templates.push(...own.filter((t) => !builtInIds.has(t.id)));
  return { templates, problems };
}

/** The template with this id (exact, then case-insensitive), from `templates` or the built-ins. */
export function findTemplate(id: string, templates: readonly Template[] = BUILT_IN_TEMPLATES): Template | undefined {
  const want = id.trim();
  return templates.find((t) => t.id === want) ?? templates.find((t) => t.id.toLowerCase() === want.toLowerCase());
}
