// One export policy for the editor and `casebook export` (docs/decisions.md): an unreadable work file stops the export.
import assert from 'node:assert/strict';
import { exportSubmission, serializeSubmission } from '../../src/core/export';
import { parseSubmission } from '../../src/core/submission';
import type { Pack, WorkFile } from '../../src/core/model';
import { noteSha256, workPath } from '../../src/core/work';
import { MemFs } from './memfs';
import { note, tag, work } from './grade-fixtures';

const pack = (): Pack => ({
  root: '/pack',
  manifest: { format: 1, id: 'demo', title: 'Demo' },
  cases: [
    { ...note(), id: 'a' },
    { ...note(), id: 'b' },
  ],
  keys: new Map(),
  glossary: [],
});
const workOf = (id: string): WorkFile => ({ ...work([tag('I10', { id: 't-1', system: 'ICD-10-CM' })]), case: id, noteSha256: noteSha256(note().body) });

describe('export', () => {
  it('exports every readable work file as a submission that parses back', async () => {
    const fs = new MemFs();
    fs.put(workPath('/pack', 'b'), JSON.stringify(workOf('b')));
    fs.put(workPath('/pack', 'a'), JSON.stringify(workOf('a')));
    const exported = await exportSubmission(fs, pack(), 'Ana', new Date('2026-02-01T00:00:00Z'));
    assert.ok(exported.submission);
    assert.equal(exported.cases, 2);
    const { submission, problems } = parseSubmission(serializeSubmission(exported.submission), 'sub.json');
    assert.deepEqual(problems, []);
    assert.deepEqual(
      submission!.work.map((w) => w.case),
      ['a', 'b'],
    );
  });

  it('exports nothing when a work file cannot be read, and says which', async () => {
    const fs = new MemFs();
    fs.put(workPath('/pack', 'a'), JSON.stringify(workOf('a')));
    fs.put(workPath('/pack', 'b'), '{"format": 1,');
    const exported = await exportSubmission(fs, pack(), 'Ana', new Date());
    assert.equal(exported.submission, undefined);
    assert.deepEqual(
      exported.problems.map((p) => p.file),
      ['.casebook/work/b.json'],
    );
  });
});
