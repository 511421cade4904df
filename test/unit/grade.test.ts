import assert from 'node:assert/strict';
import { DEFAULT_POLICY, type AnswerKey, type LineStatus, type Policy, type WorkFile } from '../../src/core/model';
import { grade, gradePack, resolvePolicy, round4 } from '../../src/core/grade';
import { at, dx, dxTag, key, note, px, tag, work } from './grade-fixtures';

interface Vector {
  n: number;
  key: AnswerKey;
  work: WorkFile | undefined;
  policy?: Partial<Policy>;
  earned: number;
  possible: number;
  percent: number;
  passed: boolean;
  statuses: LineStatus[];
}

// The worked examples of grading.md, one row each; statuses in result order (dx then procedures).
const VECTORS: Vector[] = [
  {
    n: 1,
    key: key([dx('J18.9')], [px('99213')]),
    work: work([tag('J18.9'), tag('99213')]),
    earned: 2,
    possible: 2,
    percent: 1,
    passed: true,
    statuses: ['exact', 'exact'],
  },
  { n: 2, key: key([dx('J18.9')]), work: work([tag('j189')]), earned: 1, possible: 1, percent: 1, passed: true, statuses: ['exact'] },
  { n: 3, key: key([dx('E11.9')]), work: work([tag('E11.65')]), earned: 0.5, possible: 1, percent: 0.5, passed: false, statuses: ['near'] },
  {
    n: 4,
    key: key([], [px('99214', { modifiers: ['25'] })]),
    work: work([tag('99214')]),
    earned: 0.8,
    possible: 1,
    percent: 0.8,
    passed: true,
    statuses: ['exact'],
  },
  {
    n: 5,
    key: key([], [px('99214', { modifiers: ['25'] })]),
    work: work([tag('99214', { modifiers: ['25', '59'] })]),
    earned: 0.9,
    possible: 1,
    percent: 0.9,
    passed: true,
    statuses: ['exact'],
  },
  {
    n: 6,
    key: key([], [px('J1100', { units: 2 })]),
    work: work([tag('J1100', { units: 1 })]),
    earned: 0.9091,
    possible: 1,
    percent: 0.9091,
    passed: true,
    statuses: ['exact'],
  },
  {
    n: 7,
    key: key([dx('I10'), dx('E78.5')]),
    work: work([tag('E78.5'), tag('I10'), tag('R51.9')]),
    earned: 1,
    possible: 2,
    percent: 0.5,
    passed: false,
    statuses: ['exact', 'exact', 'extra'],
  },
  {
    n: 8,
    key: key([dx('J06.9'), dx('Z23')], [px('99213', { links: ['J06.9'] })]),
    work: work([tag('J06.9'), tag('Z23'), tag('99213', { links: ['J06.9', 'Z23'] })]),
    earned: 2.9,
    possible: 3,
    percent: 0.9667,
    passed: true,
    statuses: ['exact', 'exact', 'exact'],
  },
  {
    n: 9,
    key: key([dx('E78.5', { accept: ['E78.00'] })], [px('J1100', { optional: true })]),
    work: work([tag('E78.00'), tag('J1100')]),
    earned: 1,
    possible: 1,
    percent: 1,
    passed: true,
    statuses: ['accepted', 'optional'],
  },
  {
    n: 10,
    key: key([dx('E11.9')]),
    work: work([tag('E11.65')]),
    policy: { partialCredit: false },
    earned: 0,
    possible: 1,
    percent: 0,
    passed: false,
    statuses: ['missing', 'extra'],
  },
  {
    n: 11,
    key: key([dx('J18.9')]),
    work: work([tag('J18.9', { anchor: at('Pneumonia') }), tag('J18.9', { anchor: at('right lower lobe') })]),
    earned: 1,
    possible: 1,
    percent: 1,
    passed: true,
    statuses: ['exact'],
  },
  {
    n: 12,
    key: key([], [px('20610', { modifiers: ['RT'] }), px('20610', { modifiers: ['LT'] })]),
    work: work([tag('20610', { modifiers: ['LT'] }), tag('20610', { modifiers: ['RT'] })]),
    earned: 2,
    possible: 2,
    percent: 1,
    passed: true,
    statuses: ['exact', 'exact'],
  },
  { n: 13, key: key([dx('J18.9')], [px('99213')]), work: work([]), earned: 0, possible: 2, percent: 0, passed: false, statuses: ['missing', 'missing'] },
  {
    n: 14,
    key: key([dx('E11.9')], [px('99214', { modifiers: ['25'], links: ['E11.9'] })]),
    work: work([tag('E11.65'), tag('99214', { links: ['E11.65'] })]),
    earned: 1.1667,
    possible: 2,
    percent: 0.5833,
    passed: false,
    statuses: ['near', 'exact'],
  },
];

describe('grade: the worked examples of grading.md', () => {
  for (const v of VECTORS) {
    it(`example ${v.n}: ${v.earned} / ${v.possible} = ${v.percent}`, () => {
      const result = grade(note(), v.key, v.work, resolvePolicy(v.policy));
      assert.deepEqual(
        { earned: result.earned, possible: result.possible, percent: result.percent, passed: result.passed },
        { earned: v.earned, possible: v.possible, percent: v.percent, passed: v.passed },
      );
      assert.deepEqual(
        result.lines.map((l) => l.status),
        v.statuses,
      );
    });
  }

  it('example 8: the procedure line earns 0.9 and names the extra pointer', () => {
    const v = VECTORS[7];
    const proc = grade(note(), v.key, v.work, DEFAULT_POLICY).lines[2];
    assert.equal(proc.earned, 0.9);
    assert.deepEqual(proc.reasons, ['points to Z23, which the key does not link']);
  });

  it('example 12: each modifier line pairs with the key line of the same side', () => {
    const v = VECTORS[11];
    const lines = grade(note(), v.key, v.work, DEFAULT_POLICY).lines;
    assert.deepEqual(
      lines.map((l) => [l.expected?.modifiers, l.entered?.modifiers]),
      [
        [['RT'], ['RT']],
        [['LT'], ['LT']],
      ],
    );
  });
});

describe('grade: reasons for points lost', () => {
  const reasonsOf = (k: AnswerKey, w: WorkFile, policy: Partial<Policy> = {}) => grade(note(), k, w, resolvePolicy(policy)).lines.flatMap((l) => l.reasons);

  it('names a missing and an unexpected modifier', () => {
    const reasons = reasonsOf(key([], [px('99214', { modifiers: ['25'] })]), work([tag('99214', { modifiers: ['59'] })]));
    assert.deepEqual(reasons, ['modifier 25 missing', 'modifier 59 not expected']);
  });

  it('names wrong units', () => {
    assert.deepEqual(reasonsOf(key([], [px('J1100', { units: 2 })]), work([tag('J1100')])), ['units 1, expected 2']);
  });

  it('explains a near miss with the category and the expected code in dotted form', () => {
    assert.deepEqual(reasonsOf(key([dx('E11.9')]), work([dxTag('E1165')])), ['E11.65 is in the right category (E11) but the key expects E11.9']);
  });

  it('names the expected first-listed diagnosis when the sequence is wrong', () => {
    const result = grade(note(), key([dx('I10'), dx('E78.5')]), work([tag('E78.5'), tag('I10')]), DEFAULT_POLICY);
    assert.deepEqual(result.lines[0].reasons, ['first-listed diagnosis should be I10']);
    assert.deepEqual(result.sequence, { expectedFirst: 'I10', enteredFirst: 'E78.5', ok: false });
  });

  it('names pointers the key does not link and pointers that are missing', () => {
    const reasons = reasonsOf(key([dx('I10'), dx('Z23')], [px('99213', { links: ['I10'] })]), work([tag('I10'), tag('Z23'), tag('99213', { links: ['Z23'] })]));
    assert.deepEqual(reasons, ['points to Z23, which the key does not link', 'does not point to I10']);
  });

  it('names an extra code with its penalty and a missing code', () => {
    const reasons = reasonsOf(key([dx('J18.9'), dx('I10')]), work([tag('J18.9'), tag('E785')]));
    assert.deepEqual(reasons, ['missing: the key expects I10', 'E78.5 is not in the key (−0.5)']);
  });

  it('names unsupported evidence only when evidence carries weight', () => {
    const k = key([dx('E11.9', { evidence: ['type 2 diabetes'] })]);
    const w = work([tag('E11.9', { anchor: at('hyperlipidemia') })]);
    assert.deepEqual(reasonsOf(k, w), []);
    assert.deepEqual(reasonsOf(k, w, { evidenceWeight: 1 }), ['the tagged text does not support E11.9']);
  });
});

describe('grade: lines and details', () => {
  it('groups procedure tags of one code and modifier set: largest units, union of links, all tags', () => {
    const w = work([
      tag('I10'),
      tag('E78.5'),
      tag('96372', { id: 'a', units: 1, links: ['I10'], modifiers: ['59', 'RT'] }),
      tag('96372', { id: 'b', units: 3, links: ['e78.5'], modifiers: ['rt', '59'] }),
    ]);
    const k = key([dx('I10'), dx('E78.5')], [px('96372', { units: 3, modifiers: ['RT', '59'], links: ['I10', 'E78.5'] })]);
    const line = grade(note(), k, w, DEFAULT_POLICY).lines[2];
    assert.equal(line.status, 'exact');
    assert.deepEqual(line.entered, { system: 'CPT', code: '96372', modifiers: ['59', 'RT'], units: 3, links: ['I10', 'E78.5'] });
    assert.deepEqual(line.tagIds, ['a', 'b']);
    assert.equal(line.earned, 1);
  });

  it('keeps a code entered under the wrong system apart: J1100 as a diagnosis is not the HCPCS drug', () => {
    const result = grade(note(), key([], [px('J1100')]), work([dxTag('J11.00')]), DEFAULT_POLICY);
    assert.deepEqual(
      result.lines.map((l) => [l.kind, l.status]),
      [
        ['diagnosis', 'extra'],
        ['procedure', 'missing'],
      ],
    );
  });

  it('prefers an exact pair to a near miss for the same key line', () => {
    const result = grade(note(), key([dx('E11.9'), dx('E11.65')]), work([tag('E11.65'), tag('E11.9')]), DEFAULT_POLICY);
    // Pairing crosswise would give two near misses; straight pairs give 2 − 0.5 (sequence).
    assert.deepEqual(
      result.lines.map((l) => [l.status, l.entered?.code]),
      [
        ['exact', 'E11.9'],
        ['exact', 'E11.65'],
      ],
    );
    assert.equal(result.earned, 1.5);
  });

  it('marks evidence support on matched lines even when it carries no weight', () => {
    const k = key([dx('E11.9', { evidence: ['Type 2  Diabetes'] }), dx('J18.9', { evidence: ['pneumonia'] })]);
    const w = work([tag('E11.9', { anchor: at('diabetes') }), tag('J18.9', { anchor: at('lower lobe') })]);
    const result = grade(note(), k, w, DEFAULT_POLICY);
    assert.deepEqual(
      result.lines.map((l) => l.evidenceSupported),
      [true, false],
    );
    assert.equal(result.percent, 1);
  });

  it("counts a detached tag's code but not its old place as evidence", () => {
    const k = key([dx('E11.9', { evidence: ['diabetes'] })]);
    const w = work([tag('E11.9', { anchor: at('diabetes'), detached: true })]);
    const result = grade(note(), k, w, DEFAULT_POLICY);
    assert.equal(result.lines[0].status, 'exact');
    assert.equal(result.lines[0].evidenceSupported, false);
    assert.equal(result.percent, 1);
  });

  it('gives evidence its weight when the policy asks', () => {
    const k = key([dx('J18.9', { evidence: ['pneumonia'] })]);
    const w = work([tag('J18.9', { anchor: at('lower lobe') })]);
    assert.equal(grade(note(), k, w, resolvePolicy({ evidenceWeight: 1 })).percent, 0.5);
  });

  it('fills keyIndex and tagIds for Show Evidence and Show My Tag', () => {
    const result = grade(note(), key([dx('I10'), dx('J18.9')]), work([tag('I10', { id: 'x' }), tag('R05.1', { id: 'y' })]), DEFAULT_POLICY);
    assert.deepEqual(
      result.lines.map((l) => [l.status, l.keyIndex, l.tagIds]),
      [
        ['exact', 0, ['x']],
        ['missing', 1, undefined],
        ['extra', undefined, ['y']],
      ],
    );
  });

  it('leaves an optional key line nobody entered out of the lines', () => {
    const result = grade(note(), key([dx('I10')], [px('J1100', { optional: true })]), work([tag('I10')]), DEFAULT_POLICY);
    assert.deepEqual(
      result.lines.map((l) => l.status),
      ['exact'],
    );
    assert.equal(result.percent, 1);
  });

  it('weights lines by their points', () => {
    const result = grade(note(), key([dx('I10', { points: 3 }), dx('J18.9')]), work([tag('I10')]), DEFAULT_POLICY);
    assert.deepEqual([result.earned, result.possible, result.percent], [3, 4, 0.75]);
  });

  it('reports precision, recall and F1 per system over distinct codes', () => {
    const result = grade(note(), key([dx('I10'), dx('E78.5')], [px('99213')]), work([tag('I10'), tag('R51.9'), tag('99213')]), DEFAULT_POLICY);
    assert.deepEqual(result.metrics, {
      'ICD-10-CM': { precision: 0.5, recall: 0.5, f1: 0.5, right: 1, entered: 2, found: 1, expected: 2 },
      CPT: { precision: 1, recall: 1, f1: 1, right: 1, entered: 1, found: 1, expected: 1 },
    });
  });

  it('marks a case with no work as not attempted', () => {
    const result = grade(note(), key([dx('I10')]), undefined, DEFAULT_POLICY);
    assert.equal(result.attempted, false);
    assert.equal(result.earned, 0);
  });

  it('marks a case merely opened (a work file without tags) as not attempted', () => {
    assert.equal(grade(note(), key([dx('I10')]), work([]), DEFAULT_POLICY).attempted, false);
    assert.equal(grade(note(), key([dx('I10')]), work([tag('R51.9')]), DEFAULT_POLICY).attempted, true);
  });

  it('counts each line toward the area of its code system or CPT section (grading.md example)', () => {
    const k = key([dx('M17.11')], [px('20610', { modifiers: ['RT'] })]);
    const n = { ...note(), areas: ['Musculoskeletal System', 'ICD-10-CM'] };
    const pack = { root: '/p', manifest: { format: 1 as const, id: 'p', title: 'P' }, cases: [n], keys: new Map([['c1', k]]), glossary: [] };
    const result = gradePack(pack, new Map([['c1', work([tag('M17.11'), tag('20610')])]]), DEFAULT_POLICY);
    assert.deepEqual(
      result.areas.map((a) => [a.area, a.earned, a.possible]),
      [
        ['Musculoskeletal System', 0.8, 1],
        ['ICD-10-CM', 1, 1],
      ],
    );
  });
});

describe('resolvePolicy', () => {
  it('applies overrides in order over the defaults and ignores invalid values', () => {
    const policy = resolvePolicy({ passMark: 0.8, nearMiss: 2, partialCredit: 'no' as unknown as boolean }, undefined, {
      passMark: 0.6,
      extraPenalty: -1,
      modifierWeight: 0.5,
    });
    assert.deepEqual(policy, { ...DEFAULT_POLICY, passMark: 0.6, modifierWeight: 0.5 });
  });
});

describe('gradePack', () => {
  it('totals keyed cases overall and per area, in first-seen order', () => {
    const notes = [
      { ...note(), id: 'a', areas: ['Medicine', 'ICD-10-CM'] },
      { ...note(), id: 'b', areas: ['ICD-10-CM'] },
      { ...note(), id: 'c', areas: ['Radiology'] },
    ];
    const keys = new Map<string, AnswerKey>([
      ['a', { ...key([dx('I10')]), case: 'a' }],
      ['b', { ...key([dx('I10'), dx('J18.9')]), case: 'b' }],
    ]);
    const pack = { root: '/p', manifest: { format: 1 as const, id: 'p', title: 'P' }, cases: notes, keys, glossary: [] };
    const works = new Map<string, WorkFile>([['b', { ...work([tag('I10')]), case: 'b' }]]);
    const result = gradePack(pack, works, DEFAULT_POLICY);
    assert.deepEqual(
      result.cases.map((c) => [c.case, c.keyed, c.attempted, c.earned]),
      [
        ['a', true, false, 0],
        ['b', true, true, 1],
        ['c', false, false, 0],
      ],
    );
    assert.deepEqual([result.earned, result.possible, result.percent, result.passed], [1, 3, 0.3333, false]);
    // Diagnosis lines count toward ICD-10-CM only, not toward every area the case lists.
    assert.deepEqual(result.areas, [{ area: 'ICD-10-CM', earned: 1, possible: 3, percent: 0.3333 }]);
    assert.deepEqual(result.attempted, { cases: 1, earned: 1, possible: 2, percent: 0.5, passed: false });
    assert.equal(result.title, 'P');
  });

  it('rounds to 4 decimals', () => {
    assert.equal(round4(2 / 3), 0.6667);
    assert.equal(round4(-0.00001), 0);
  });
});
