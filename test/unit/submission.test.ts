import assert from 'node:assert/strict';
import type { Pack, WorkFile } from '../../src/core/model';
import { makeSubmission, parseSubmission, readAllWork } from '../../src/core/submission';
import { noteSha256 } from '../../src/core/work';
import { MemFs } from './memfs';
import { note, tag, work } from './grade-fixtures';

function pack(): Pack {
  return {
    root: '/pack',
    manifest: { format: 1, id: 'demo', title: 'Demo', version: '2.1.0' },
    cases: [
      { ...note(), id: 'b' },
      { ...note(), id: 'a' },
    ],
    keys: new Map(),
    glossary: [],
  };
}

const workOf = (caseId: string): WorkFile => ({ ...work([tag('I10', { id: 't-1', system: 'ICD-10-CM' })]), case: caseId, noteSha256: noteSha256(note().body) });

describe('submission', () => {
  it('makes a submission with the pack id and version, learner, time and work in pack order', () => {
    const s = makeSubmission(
      pack(),
      'Ann',
      new Map([
        ['a', workOf('a')],
        ['zz', workOf('zz')],
        ['b', workOf('b')],
      ]),
      new Date('2026-11-24T10:00:00Z'),
    );
    assert.deepEqual(Object.keys(s), ['format', 'pack', 'packVersion', 'learner', 'exported', 'work']);
    assert.deepEqual([s.pack, s.packVersion, s.learner, s.exported], ['demo', '2.1.0', 'Ann', '2026-11-24T10:00:00.000Z']);
    assert.deepEqual(
      s.work.map((w) => w.case),
      ['b', 'a', 'zz'],
    );
  });

  it('round-trips through JSON', () => {
    const s = makeSubmission(pack(), 'Ann', new Map([['a', workOf('a')]]), new Date('2026-11-24T10:00:00Z'));
    const parsed = parseSubmission(JSON.stringify(s, null, 2), 'ann.json');
    assert.deepEqual(parsed.problems, []);
    assert.deepEqual(parsed.submission, s);
  });

  it('reports bad JSON at its line, and missing fields by name', () => {
    const bad = parseSubmission('{\n  "format": 1,\n  "pack": "demo",\n', 'x.json');
    assert.equal(bad.submission, undefined);
    assert.deepEqual([bad.problems[0].file, bad.problems[0].line], ['x.json', 4]);
    assert.match(bad.problems[0].message, /is not valid JSON/);
    const missing = parseSubmission('{"format": 1, "pack": "demo"}', 'y.json');
    assert.deepEqual(
      missing.problems.map((p) => p.message),
      ["learner must be the learner's name (text)", 'exported must be an ISO time (text)', 'work must be a list of work files'],
    );
  });

  it('checks each work inside like a work file, at its line', () => {
    const text = JSON.stringify({ format: 1, pack: 'demo', learner: 'Ann', exported: 'x', work: [workOf('a'), { format: 1, case: 'b' }] }, null, 2);
    const { submission, problems } = parseSubmission(text, 's.json');
    assert.equal(submission, undefined);
    assert.ok(problems.length > 0);
    assert.ok(
      problems.every((p) => p.message.startsWith('work[1]: ')),
      JSON.stringify(problems),
    );
    // The item's opening brace, two lines above its "case".
    assert.equal(problems[0].line, text.split('\n').findIndex((l) => l.includes('"case": "b"')) - 1);
  });

  it('reads all work files of the pack, naming the bad ones', async () => {
    const fs = new MemFs();
    fs.put('/pack/.casebook/work/a.json', JSON.stringify(workOf('a')));
    fs.put('/pack/.casebook/work/b.json', '{"format": 1,');
    fs.put('/pack/.casebook/work/c.json', JSON.stringify(workOf('a')));
    fs.put('/pack/.casebook/work/notes.txt', 'ignored');
    const { works, problems } = await readAllWork(fs, pack());
    assert.deepEqual([...works.keys()], ['a']);
    assert.deepEqual(
      problems.map((p) => p.file),
      ['.casebook/work/b.json', '.casebook/work/c.json'],
    );
  });

  it('reads no work from a pack that has none', async () => {
    const { works, problems } = await readAllWork(new MemFs(), pack());
    assert.equal(works.size, 0);
    assert.deepEqual(problems, []);
  });
});
