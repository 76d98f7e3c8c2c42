// Grounded note summaries: templates, line-numbered prompts, map-reduce and citation checks.
export * from './templates';
export * from './numbering';
export * from './prompts';
export * from './citations';
export * from './split';
export * from './summarize';
export * from './render';
