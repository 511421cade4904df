import assert from 'node:assert/strict';
import { historyLine, historyPath } from '../../src/core/history';
import { caseStatus, readProgress } from '../../src/core/caseStatus';
import { workPath } from '../../src/core/work';
import { MemFs } from './memfs';

const result = (id: string, percent: number, passed: boolean) => ({
  case: id,
  attempted: true,
  keyed: true,
  earned: percent,
  possible: 1,
  percent,
  passed,
  lines: [],
});

describe('case status (Cases view)', () => {
  it('reads the last attempt per case and the cases with work, from the paths history.ts and work.ts name', async () => {
    const fs = new MemFs();
    const t = new Date('2026-01-02T00:00:00Z');
    fs.put(
      historyPath('/pack'),
      [historyLine(result('a', 0.5, false), t), 'torn{', historyLine(result('a', 0.9, true), t), historyLine(result('b', 0.2, false), t)].join('\n') + '\n',
    );
    fs.put(workPath('/pack', 'c'), '{}');
    fs.put(workPath('/pack', 'a'), '{}');
    const progress = await readProgress(fs, '/pack');
    assert.equal(progress.lastScores.get('a')?.percent, 0.9);
    assert.deepEqual([...progress.inProgress].sort(), ['a', 'c']);
    assert.equal(caseStatus(progress, 'a'), '90% passed');
    assert.equal(caseStatus(progress, 'b'), '20% not passed');
    assert.equal(caseStatus(progress, 'c'), 'in progress');
    assert.equal(caseStatus(progress, 'd'), 'new');
  });

  it('is empty for a pack without .casebook, and never throws on unreadable files', async () => {
    const empty = await readProgress(new MemFs(), '/pack');
    assert.equal(empty.lastScores.size + empty.inProgress.size, 0);
    const fs = new MemFs();
    fs.put(historyPath('/pack'), 'x');
    fs.beforeOperation = (op) => {
      if (op === 'readFile' || op === 'readdir') throw new Error('EIO');
    };
    const broken = await readProgress(fs, '/pack');
    assert.equal(broken.lastScores.size, 0);
  });
});
