// The dashboard's "Exam attempts": every attempt at the pack's exams, scored as the exam report scores it.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { examAttemptSummaries } from '../../src/core/dashboard';
import { resolvePolicy } from '../../src/core/grade';
import { loadPack } from '../../src/core/pack';
import { nodeFs } from '../../src/node/nodeFs';
import { removeTempPacks, tempPack } from '../fixtures/packs/tempPack';

const EXAM_PACK = path.join(__dirname, '../fixtures/packs/exam');

describe('exam attempts on the dashboard', () => {
  after(removeTempPacks);

  it('scores each attempt (percent, pass, by area), oldest first; none for a pack without exams', async () => {
    const root = tempPack({}, EXAM_PACK);
    const write = (id: string, started: string, answers: Record<string, string>) => {
      const file = path.join(root, '.casebook/exams/practice', `${id}.json`);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify({ format: 1, exam: 'practice', started, deadline: null, submitted: started, answers, flagged: [], seconds: {} }));
    };
    write('20261202T090000Z', '2026-12-02T09:00:00.000Z', { Q001: 'B', Q002: 'C', Q003: 'B', Q004: 'B' });
    write('20261201T090000Z', '2026-12-01T09:00:00.000Z', { Q003: 'B' });
    const pack = (await loadPack(nodeFs, root.split(path.sep).join('/'))).pack!;
    const summaries = (await examAttemptSummaries(nodeFs, pack, resolvePolicy()))!;
    assert.deepEqual(
      summaries.map((s) => [s.attempt, s.percent, s.passed]),
      [
        ['20261201T090000Z', 0.2, false],
        ['20261202T090000Z', 0.8, true],
      ],
    );
    assert.ok(summaries[1].areas.some((a) => a.area === 'ICD-10-CM' && a.percent === 1));
    const noExams = (await loadPack(nodeFs, path.resolve(__dirname, '../../practice/sample').split(path.sep).join('/'))).pack!;
    assert.equal(await examAttemptSummaries(nodeFs, noExams, resolvePolicy()), undefined);
  });
});
