// Progress from the history: the missed-code journal, areas over time, error counts and the
// spaced-repetition choice of the next case, on a fake clock.
import assert from 'node:assert/strict';
import { grade, resolvePolicy } from '../../src/core/grade';
import { historyLine, parseHistory, type HistoryEntry } from '../../src/core/history';
import type { AnswerKey, CaseNote, Pack, Tag } from '../../src/core/model';
import { areaProgress, errorCounts, journalCsv, journalMarkdown, missedCodes, practiseNext, progress } from '../../src/core/progress';
import { dx, key, px, tag, work } from './grade-fixtures';

const DAY = 86_400_000;
const T0 = Date.parse('2026-11-01T09:00:00.000Z');

function caseNote(id: string, areas: string[]): CaseNote {
  return { id, title: id, areas, file: `cases/${id}.md`, body: 'A note.', bodyOffset: 0 };
}

function keyFor(id: string, k: AnswerKey): AnswerKey {
  return { ...k, case: id, file: `keys/${id}.md` };
}

const KEYS = new Map<string, AnswerKey>([
  [
    'knee',
    keyFor(
      'knee',
      key([dx('M17.11', { why: 'Primary osteoarthritis of the right knee. More text.' })], [px('20610', { modifiers: ['RT'] })], 'Knee rationale.'),
    ),
  ],
  ['htn', keyFor('htn', key([dx('I10'), dx('E78.5')]))],
  ['xray', keyFor('xray', key([dx('S52.531A')], [px('73100', { modifiers: ['RT'] })]))],
  ['new1', keyFor('new1', key([dx('J18.9')], [px('71046')]))],
]);
const PACK: Pack = {
  root: '/pack',
  manifest: { format: 1, id: 'p', title: 'P' },
  cases: [
    caseNote('knee', ['Musculoskeletal System', 'ICD-10-CM']),
    caseNote('htn', ['Evaluation and Management', 'ICD-10-CM']),
    caseNote('xray', ['Radiology', 'ICD-10-CM']),
    caseNote('new1', ['Radiology', 'ICD-10-CM']),
  ],
  keys: KEYS,
  glossary: [],
};

/** One attempt of a case graded for real and written as history.jsonl writes it. */
function attempt(caseId: string, tags: Tag[], day: number): HistoryEntry {
  const k = KEYS.get(caseId)!;
  const note = PACK.cases.find((c) => c.id === caseId)!;
  const result = grade(note, k, { ...work(tags), case: caseId }, resolvePolicy());
  return parseHistory(historyLine(result, new Date(T0 + day * DAY)))[0];
}

describe('missed-code journal', () => {
  it('lists what was missed, got wrong or over-coded, with the key line and the first sentence of its why', () => {
    const h = [attempt('knee', [tag('M17.12'), tag('20610')], 0), attempt('htn', [tag('I10'), tag('E78.5'), tag('R51.9')], 0)];
    const j = missedCodes(h, KEYS);
    assert.deepEqual(
      j.map((e) => [e.case, e.code, e.type, e.expected, e.count]),
      [
        ['knee', 'M17.12', 'specificity', 'M17.11', 1],
        ['knee', '20610', 'modifier', '20610-RT', 1],
        ['htn', 'R51.9', 'extra', null, 1],
      ],
    );
    assert.equal(j[0].why, 'Primary osteoarthritis of the right knee.');
  });

  it('counts a line missed again, and clears it once right twice since the last miss', () => {
    const wrong = (d: number) => attempt('knee', [tag('M17.11'), tag('20610')], d);
    const right = (d: number) => attempt('knee', [tag('M17.11'), tag('20610', { modifiers: ['RT'] })], d);
    assert.equal(missedCodes([wrong(0), wrong(1)])[0].count, 2);
    assert.equal(missedCodes([wrong(0), wrong(1), right(2)]).length, 1, 'right once: still listed');
    assert.equal(missedCodes([wrong(0), right(1), wrong(2), right(3)]).length, 1, 'a miss in between restarts the count');
    assert.equal(missedCodes([wrong(0), wrong(1), right(2), right(3)]).length, 0);
  });

  it('clears an over-coded code after two attempts of the case without it', () => {
    const over = attempt('htn', [tag('I10'), tag('E78.5'), tag('R51.9')], 0);
    const clean = (d: number) => attempt('htn', [tag('I10'), tag('E78.5')], d);
    assert.equal(missedCodes([over, clean(1)]).length, 1);
    assert.equal(missedCodes([over, clean(1), clean(2)]).length, 0);
  });

  it('exports as CSV (formulas inert) and Markdown (escaped)', () => {
    const j = [
      { code: '=HYPERLINK("x")', case: 'a|b', type: 'extra' as const, expected: null, count: 2, last: '2026-11-01T09:00:00.000Z', why: 'Why, "quoted".' },
    ];
    assert.equal(journalCsv(j), 'case,code,type,expected,count,last,why\na|b,"\'=HYPERLINK(""x"")",extra,,2,2026-11-01T09:00:00.000Z,"Why, ""quoted""."\n');
    assert.match(journalMarkdown(j), /\| a\\\|b \| =HYPERLINK\("x"\) \| extra \| \(not in the key\) \| 2 \|/);
  });
});

describe('progress by area and error types', () => {
  it('scores each line in the area of its code system or CPT section, over time', () => {
    const h = [attempt('knee', [tag('M17.11'), tag('20610')], 0), attempt('knee', [tag('M17.11'), tag('20610', { modifiers: ['RT'] })], 1)];
    const areas = areaProgress(PACK, h);
    const msk = areas.find((a) => a.area === 'Musculoskeletal System')!;
    const icd = areas.find((a) => a.area === 'ICD-10-CM')!;
    assert.deepEqual(msk.trend, [0.8, 1]);
    assert.deepEqual(icd.trend, [1, 1]);
    assert.equal(areas.find((a) => a.area === 'Radiology')!.attempts, 0);
    assert.deepEqual(
      areas.map((a) => a.area),
      ['Musculoskeletal System', 'Evaluation and Management', 'Radiology', 'ICD-10-CM'],
      'CPC order',
    );
  });

  it('reads history without lines by the case percent in each of its areas', () => {
    const old = parseHistory('{"time":"2026-11-01T09:00:00.000Z","case":"htn","earned":1,"possible":2,"percent":0.5,"passed":false}');
    const e = areaProgress(PACK, old).find((a) => a.area === 'Evaluation and Management')!;
    assert.deepEqual([e.attempts, e.latestPercent], [1, 0.5]);
  });

  it('counts error types over attempts', () => {
    const h = [attempt('knee', [tag('M17.12'), tag('20610')], 0), attempt('htn', [tag('E78.5'), tag('I10')], 0)];
    const counts = errorCounts(h);
    assert.deepEqual([counts.specificity, counts.modifier, counts.sequence, counts.missing], [1, 1, 1, 0]);
  });
});

describe('practise next (spaced repetition on a fake clock)', () => {
  const failKnee = attempt('knee', [tag('M17.12')], 0);

  it('brings a failed case back after 1 day, then 3 and 7 days after each pass, then no more', () => {
    const now = (d: number) => new Date(T0 + d * DAY);
    const first = (h: HistoryEntry[], d: number) => practiseNext(PACK, h, now(d))[0];
    assert.notEqual(first([failKnee], 0.5).case, 'knee', 'not due before a day');
    assert.equal(first([failKnee], 1).case, 'knee');
    assert.match(first([failKnee], 1).why, /due for review \(1 day/);
    const pass = (d: number) => attempt('knee', [tag('M17.11'), tag('20610', { modifiers: ['RT'] })], d);
    const h1 = [failKnee, pass(1)];
    assert.notEqual(first(h1, 3.5).case, 'knee');
    assert.equal(first(h1, 4).case, 'knee');
    const h2 = [...h1, pass(4)];
    assert.notEqual(first(h2, 10.5).case, 'knee');
    assert.equal(first(h2, 11).case, 'knee');
    const h3 = [...h2, pass(11)];
    assert.ok(!practiseNext(PACK, h3, now(100)).some((n) => n.case === 'knee'), 'graduated after three passes');
  });

  it('offers new cases in weak areas before strong ones', () => {
    const weakRadiology = attempt('xray', [tag('S52.531A'), tag('73100')], 0); // the radiology line loses its modifier: 80%
    const next = practiseNext(PACK, [weakRadiology], new Date(T0 + DAY));
    assert.deepEqual(
      next.map((n) => n.case),
      ['knee', 'htn', 'new1'],
      'areas not tried count at the pass mark (70%), below Radiology at 80%',
    );
    assert.match(next[2].why, /New case\. Radiology is at 80%/);
    const weaker = attempt('xray', [tag('S52.531A')], 0); // radiology line missing: 0%, and the case failed (due in a day)
    assert.deepEqual(
      practiseNext(PACK, [weaker], new Date(T0 + DAY / 2)).map((n) => n.case),
      ['new1', 'knee', 'htn', 'xray'],
    );
  });

  it('puts due reviews in the weakest area first', () => {
    const failHtn = attempt('htn', [tag('E78.5')], 0);
    const next = practiseNext(PACK, [failKnee, failHtn], new Date(T0 + 2 * DAY));
    assert.deepEqual(
      next
        .slice(0, 2)
        .map((n) => n.case)
        .sort(),
      ['htn', 'knee'],
    );
    assert.equal(next[0].case, 'knee', 'knee: Musculoskeletal 0% beats htn: E/M with no CPT line counted');
  });

  it('progress() gives the figures of casebook progress', () => {
    const p = progress(PACK, [failKnee], new Date(T0 + DAY));
    assert.deepEqual(p.cases, { total: 4, attempted: 1, passed: 0 });
    assert.equal(p.next[0], 'knee');
    assert.deepEqual(Object.keys(p), ['cases', 'areas', 'errors', 'journal', 'next']);
    assert.deepEqual(Object.keys(p.areas[0]), ['area', 'attempts', 'latestPercent', 'bestPercent', 'trend']);
  });
});
