// What the privacy gate says about a text in words ("6 names, 5 dates and 1 MRN") and what its
// audit log holds: one JSON line per request in a fixed field order, owner-only, in call order,
// never any text; a line that cannot be written fails the request.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { auditFile, auditLine, type AuditEntry } from '../../../src/core/privacy/audit';
import { describeCounts, totalOf } from '../../../src/core/privacy/describe';
import { PHI_TYPES } from '../../../src/core/privacy/types';

const entry = (n: number): AuditEntry => ({ time: `2026-12-06T00:00:0${n}Z`, feature: 'summary', server: 'http://gpu.local:8000', model: 'medgemma-4b', mode: 'pseudonymize', action: 'pseudonymized', identifiers: { NAME: n }, bytes: 100 + n });

describe('privacy: counts in words, and the audit log', () => {
  it('counts in words, most frequent first, singular and plural, joined with "and"', () => {
    assert.equal(describeCounts({}), 'no identifiers');
    assert.equal(describeCounts({ NAME: 0 }), 'no identifiers');
    assert.equal(describeCounts({ MRN: 1 }), '1 MRN');
    assert.equal(describeCounts({ MRN: 2 }), '2 MRNs');
    assert.equal(describeCounts({ DATE: 5, NAME: 6 }), '6 names and 5 dates');
    assert.equal(describeCounts({ MRN: 1, DATE: 5, NAME: 6 }), '6 names, 5 dates and 1 MRN');
    assert.equal(describeCounts({ AGE: 1, ADDRESS: 3, LICENSE: 2 }), '3 addresses or facilities, 2 licence numbers and 1 age over 89');
    // Every type has its words, one and many.
    for (const t of PHI_TYPES) {
      const one = describeCounts({ [t]: 1 });
      const two = describeCounts({ [t]: 2 });
      assert.match(one, /^1 [A-Za-z]/);
      assert.match(two, /^2 [A-Za-z]/);
      assert.notEqual(one.slice(2), two.slice(2), `${t}: the same word for one and many`);
    }
  });

  it('totalOf adds every type, missing ones as none', () => {
    assert.equal(totalOf({}), 0);
    assert.equal(totalOf({ NAME: 6, DATE: 5, MRN: 1 }), 12);
    assert.equal(totalOf({ NAME: undefined, DATE: 2 }), 2);
  });

  it('an audit line: the fields in a fixed order, nothing else, one line', () => {
    const e = { ...entry(1), extra: 'Eleanor Vandersloot' } as AuditEntry;
    const line = auditLine(e);
    assert.ok(line.endsWith('\n') && !line.slice(0, -1).includes('\n'));
    assert.deepEqual(Object.keys(JSON.parse(line)), ['time', 'feature', 'server', 'model', 'mode', 'action', 'identifiers', 'bytes']);
    assert.doesNotMatch(line, /Vandersloot/);
    assert.deepEqual(JSON.parse(line).identifiers, { NAME: 1 });
  });

  it('the audit file: created owner-only with its folder, lines appended in call order; a failed write fails that request, the next still writes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'medgemma-audit-'));
    const file = path.join(dir, 'logs', 'deep', 'audit.jsonl');
    const sink = auditFile(file);
    await Promise.all([1, 2, 3, 4, 5].map((n) => sink(entry(n))));
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines.map((l) => l.bytes), [101, 102, 103, 104, 105]);
    if (process.platform !== 'win32') assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    // A folder where the file should be: that write fails, and the chain goes on.
    const blocked = path.join(dir, 'blocked.jsonl');
    fs.mkdirSync(blocked);
    const bad = auditFile(blocked);
    await assert.rejects(bad(entry(1)), /EISDIR/);
    fs.rmdirSync(blocked);
    await bad(entry(2));
    assert.equal(JSON.parse(fs.readFileSync(blocked, 'utf8')).bytes, 102);
  });
});
