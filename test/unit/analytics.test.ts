// Class analytics on a fixture class, checked line by line; point-biserial against a hand computation;
// disputes kept in work files and through a submission's export and import.
import assert from 'node:assert/strict';
import { classAnalytics, itemsCsv, pointBiserial, questionStats, type LearnerResult } from '../../src/core/analytics';
import { disputeLine, readDisputes, withDispute } from '../../src/core/disputes';
import { gradePack, resolvePolicy } from '../../src/core/grade';
import type { Pack, Tag, WorkFile } from '../../src/core/model';
import { makeSubmission, parseSubmission } from '../../src/core/submission';
import { BODY, at, dx, key, px, tag, work } from './grade-fixtures';

const PACK: Pack = {
  root: '/p',
  manifest: { format: 1, id: 'p', title: 'P' },
  cases: [{ id: 'c1', title: 'C1', areas: ['Medicine', 'ICD-10-CM'], file: 'cases/c1.md', body: BODY, bodyOffset: 0 }],
  keys: new Map([['c1', { ...key([dx('J18.9', { evidence: ['Pneumonia of the right lower lobe'] })], [px('90686'), px('90471')]), case: 'c1' }]]),
  glossary: [],
};

function learner(name: string, tags: Tag[], extra: Partial<WorkFile> = {}): LearnerResult {
  const works = new Map([['c1', { ...work(tags), case: 'c1', ...extra }]]);
  return { learner: name, result: gradePack(PACK, works, resolvePolicy()), works };
}

const CLASS = [
  learner('ann', [tag('J18.9'), tag('90686'), tag('90471')]),
  learner('bob', [tag('J15.9', { anchor: at('Pneumonia') }), tag('90686'), tag('R05.9')]),
  learner('cy', [tag('J15.9', { anchor: at('Pneumonia of the right') }), tag('90686', { modifiers: ['59'] }), tag('R05.9')]),
  learner('di', [tag('J18.1'), tag('90471')], { disputes: [{ line: 'procedure 90686', note: 'Key is wrong', time: '2026-11-24T10:00:00.000Z' }] }),
];

describe('class analytics', () => {
  const a = classAnalytics(PACK, CLASS);
  const line = (l: string) => a.keyLines.find((k) => k.line === l)!;

  it('counts exact, partial (with error types) and missed for every key line', () => {
    assert.deepEqual([line('D1').exact, line('D1').partial, line('D1').missed], [1, 1, 2]);
    assert.deepEqual(line('D1').errorTypes, [{ type: 'specificity', count: 1 }]);
    assert.deepEqual([line('P1').exact, line('P1').partial, line('P1').missed, line('P1').disputes], [2, 1, 1, 1]);
    assert.deepEqual(line('P1').errorTypes, [{ type: 'modifier', count: 1 }]);
    assert.deepEqual([line('P2').exact, line('P2').missed], [2, 2]);
  });

  it("names the codes entered most often in a line's place", () => {
    assert.deepEqual(line('D1').wrongCodes, [
      { code: 'J15.9', count: 2 },
      { code: 'J18.1', count: 1 },
    ]);
  });

  it('lists an extra code only when several learners entered it', () => {
    assert.deepEqual(a.extras, [
      { case: 'c1', code: 'J15.9', count: 2 },
      { case: 'c1', code: 'R05.9', count: 2 },
    ]);
  });

  it('averages each area over the class and lists the disputes', () => {
    assert.deepEqual(
      a.areas.map((r) => r.area),
      ['Medicine', 'ICD-10-CM'],
    );
    assert.equal(a.areas[0].learners, 4);
    assert.deepEqual(
      a.disputes.map((d) => [d.learner, d.line]),
      [['di', 'procedure 90686']],
    );
  });

  it('writes items.csv with one row per key line and per common extra', () => {
    const rows = itemsCsv(a).trim().split('\n');
    assert.equal(
      rows[0],
      'type,case,line,expected,areas,learners,exact,partial,missed,error_types,wrong_codes,extra_count,difficulty,discrimination,options,flagged,disputes',
    );
    assert.equal(rows[1], 'key-line,c1,D1,J18.9,ICD-10-CM,4,1,1,2,specificity:1,J15.9:2; J18.1:1,,,,,,0');
    assert.equal(rows.length, 1 + 3 + 2);
  });
});

describe('exam item analysis', () => {
  it('point-biserial matches the hand computation, and a negative one is flagged', () => {
    const totals = [0.9, 0.8, 0.5, 0.4];
    assert.equal(pointBiserial([true, true, false, false], totals), 0.9701);
    const [good, bad] = questionStats([
      {
        id: 'Q1',
        area: 'Medicine',
        answer: 'B',
        responses: [
          { choice: 'B', total: 0.9 },
          { choice: 'B', total: 0.8 },
          { choice: 'A', total: 0.5 },
          { choice: null, total: 0.4 },
        ],
      },
      {
        id: 'Q2',
        area: 'Medicine',
        answer: 'C',
        responses: [
          { choice: 'A', total: 0.9 },
          { choice: 'A', total: 0.8 },
          { choice: 'C', total: 0.5 },
          { choice: 'C', total: 0.4 },
        ],
      },
    ]);
    assert.deepEqual([good.difficulty, good.discrimination, good.flagged, good.options], [0.5, 0.9701, false, { B: 2, A: 1, blank: 1 }]);
    assert.deepEqual([bad.discrimination, bad.flagged], [-0.9701, true]);
    assert.equal(pointBiserial([true, true], [0.5, 0.5]), null);
  });
});

describe('disputes', () => {
  it('are kept in the work file, replaced per line, and survive export and import', () => {
    const result = CLASS[1].result.cases[0];
    const lineId = disputeLine(result.lines[0]);
    assert.equal(lineId, 'diagnosis J18.9');
    let w = withDispute({ ...work([]), case: 'c1', disputes: [{ odd: true }] }, lineId, '  I coded the organism  ', new Date('2026-11-24T10:00:00Z'));
    w = withDispute(w, 'procedure 90686', 'second', new Date('2026-11-24T11:00:00Z'));
    w = withDispute(w, lineId, 'I coded the organism named in the culture', new Date('2026-11-24T12:00:00Z'));
    assert.deepEqual(
      readDisputes(w).map((d) => [d.line, d.note]),
      [
        ['procedure 90686', 'second'],
        ['diagnosis J18.9', 'I coded the organism named in the culture'],
      ],
    );
    assert.deepEqual((w.disputes as unknown[])[0], { odd: true }, 'an entry this version cannot read is kept');
    const text = JSON.stringify(makeSubmission(PACK, 'bob', new Map([['c1', w]]), new Date()));
    const back = parseSubmission(text, 'bob.json').submission!;
    assert.deepEqual(readDisputes(back.work[0]), readDisputes(w));
    assert.deepEqual(
      readDisputes(withDispute(w, lineId, '   ', new Date())).map((d) => d.line),
      ['procedure 90686'],
      'an empty note removes it',
    );
  });
});
