// What `medgemma dataset stats` and the Training Data view count, in-process (the CLI test runs
// it as a process, which mutation testing cannot see).
import * as assert from 'node:assert/strict';
import { datasetStats, statsText } from '../../../src/core/dataset/stats';
import { sampleExample } from './sample';

describe('dataset: stats', () => {
  const examples = [
    sampleExample({ id: 'a' }),
    sampleExample({ id: 'b', split: 'validation', review: { by: 'x', action: 'accepted' }, rejected: undefined }),
    sampleExample({ id: 'c', kind: 'chat', template: undefined, deidentified: 'as-written' }),
  ];

  it('counts by kind, template, split, review and identifiers', () => {
    const s = datasetStats(examples, [{ line: 4, why: 'not valid JSON' }]);
    assert.deepEqual(s, {
      examples: 3,
      byKind: { summary: 2, chat: 1 },
      byTemplate: { 'Brief clinical summary': 2 },
      split: { train: 2, validation: 1 },
      review: { edited: 2, accepted: 1 },
      deidentified: { pseudonymized: 2, asWritten: 1 },
      problems: [{ line: 4, why: 'not valid JSON' }],
    });
  });

  it('says it in lines, one example or many, and names each unreadable line', () => {
    assert.equal(
      statsText(datasetStats(examples, [{ line: 4, why: 'not valid JSON' }])),
      [
        '3 examples: summary 2, chat 1',
        'templates: Brief clinical summary 2',
        'split: train 2, validation 1',
        'reviewed: 2 corrected, 1 accepted as drafted',
        'identifiers: 2 pseudonymized, 1 as written',
        'line 4 of examples.jsonl is not an example: not valid JSON',
      ].join('\n'),
    );
    assert.match(statsText(datasetStats(examples.slice(0, 1))), /^1 example: summary 1\n/);
    assert.match(statsText(datasetStats([])), /^0 examples: none\ntemplates: none\n/);
  });
});
