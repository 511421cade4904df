// Agreement between two codings: percent agreement, F1 and Cohen's kappa at full code and category,
// checked against the hand-computed example in docs/grading.md ("Agreement").
import assert from 'node:assert/strict';
import { agree, cohensKappa, keyCoding, learnerAgreement, workCoding } from '../../src/core/agreement';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main';
import { nodeFs } from '../../src/node/nodeFs';
import { dx, key, px, tag, work } from './grade-fixtures';

const caseKey = (id: string, k: ReturnType<typeof key>) => ({ ...k, case: id, file: `keys/${id}.md` });
const A = keyCoding([caseKey('c1', key([dx('I10'), dx('E78.5')], [px('99213')])), caseKey('c2', key([dx('J06.9')], [px('99213')]))]);
const B = workCoding([
  { ...work([tag('I10'), tag('99213'), tag('99214')]), case: 'c1' },
  { ...work([tag('J06.9'), tag('99213')]), case: 'c2' },
]);

describe('agreement (docs/grading.md worked example)', () => {
  const r = agree(A, B);

  it('pools every (case, code) item: kappa 0.6 at full code, 0.75 at category', () => {
    assert.deepEqual(r.overall.code, { agreement: 0.6667, f1: 0.8, kappa: 0.6 });
    assert.deepEqual(r.overall.category, { agreement: 0.8, f1: 0.8889, kappa: 0.75 });
  });

  it('gives each case its figures and the lines the coders differ on', () => {
    const c1 = r.cases[0];
    assert.deepEqual([c1.case, c1.a, c1.b, c1.both], ['c1', 3, 3, 2]);
    assert.deepEqual(c1.code, { agreement: 0.5, f1: 0.6667, kappa: 0.1667 });
    assert.deepEqual([c1.onlyA, c1.onlyB], [['E785'], ['99214']]);
    assert.deepEqual(r.cases[1].code, { agreement: 1, f1: 1, kappa: 1 });
  });

  it('lists the same code with other modifiers', () => {
    const k = keyCoding([caseKey('c1', key([], [px('20610', { modifiers: ['RT'] })]))]);
    const w = workCoding([{ ...work([tag('20610', { modifiers: ['LT'] })]), case: 'c1' }]);
    assert.deepEqual(agree(k, w).cases[0].modifiers, ['20610-RT / 20610-LT']);
  });

  it('kappa is undefined when chance agreement is certain, and 1 for identical codings', () => {
    assert.equal(cohensKappa(0, 0, 0, 5), null);
    assert.equal(cohensKappa(3, 0, 0, 2), 1);
    assert.equal(agree(A, A).overall.code.kappa, 1);
  });
});

describe('casebook agree', () => {
  it('compares a key folder with a submission file and prints the figures of formats.md', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'casebook-agree-'));
    try {
      mkdirSync(path.join(dir, 'keys'));
      writeFileSync(path.join(dir, 'keys/c1.md'), '---\ncase: c1\ndiagnoses:\n  - code: I10\n  - code: E78.5\nprocedures:\n  - code: "99213"\n---\n');
      writeFileSync(path.join(dir, 'keys/c2.md'), '---\ncase: c2\ndiagnoses:\n  - code: J06.9\nprocedures:\n  - code: "99213"\n---\n');
      const t = (code: string, system: string) => ({ id: code, system, code, modifiers: [], units: 1, links: [] });
      const w = (id: string, tags: unknown[]) => ({ format: 1, case: id, noteSha256: '', updated: '2026-11-24T10:00:00.000Z', tags });
      writeFileSync(
        path.join(dir, 'b.json'),
        JSON.stringify({
          format: 1,
          pack: 'p',
          learner: 'B',
          exported: '2026-11-24T10:00:00.000Z',
          work: [w('c1', [t('I10', 'ICD-10-CM'), t('99213', 'CPT'), t('99214', 'CPT')]), w('c2', [t('J06.9', 'ICD-10-CM'), t('99213', 'CPT')])],
        }),
      );
      const out: string[] = [];
      const io = { out: (s: string) => out.push(s), err: (s: string) => out.push(s), fs: nodeFs, cwd: dir, env: {} };
      assert.equal(await main(['agree', 'keys', 'b.json', '--json'], io), 0);
      const report = JSON.parse(out.join(''));
      assert.deepEqual(report.cases[0].category, { agreement: 0.6667, f1: 0.8, kappa: 0.5 });
      assert.deepEqual(report.overall.code, { agreement: 0.6667, f1: 0.8, kappa: 0.6 });
      out.length = 0;
      assert.equal(await main(['agree', 'keys', 'nowhere'], io), 1);
      assert.equal(await main(['agree', 'keys'], io), 2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('learnerAgreement (a learner against the key, for the report)', () => {
  // The worked example's two cases plus c3 (key M17.11), which the learner opened but did not tag.
  const keys = [
    caseKey('c1', key([dx('I10'), dx('E78.5')], [px('99213')])),
    caseKey('c2', key([dx('J06.9')], [px('99213')])),
    caseKey('c3', key([dx('M17.11')])),
  ];
  const works = [
    { ...work([tag('I10'), tag('99213'), tag('99214')]), case: 'c1' },
    { ...work([tag('J06.9'), tag('99213')]), case: 'c2' },
    { ...work([]), case: 'c3' },
  ];
  const r = learnerAgreement(keys, works);

  it("compares only the cases attempted, with every key code of the pack in kappa's universe", () => {
    assert.deepEqual(
      r.cases.map((c) => c.case),
      ['c1', 'c2'],
    );
    // Full code: universe I10 E785 99213 J069 M1711 99214 = 6, N = 12; both 4, key only 1, learner only 1,
    // neither 6. po = 10/12, pe = (5·5 + 7·7)/144 = 74/144, kappa = (120 − 74)/(144 − 74) = 46/70.
    assert.deepEqual(r.overall.code, { agreement: 0.6667, f1: 0.8, kappa: 0.6571 });
    // Category: I10 E78 992 J06 M17 = 5, N = 10; both 4, key only 1 (E78), neither 5. po 0.9, pe 0.5, kappa 0.8.
    assert.deepEqual(r.overall.category, { agreement: 0.8, f1: 0.8889, kappa: 0.8 });
    // c1 alone: both 2, key only 1, learner only 1, neither 2: po 4/6, pe (3·3 + 3·3)/36 = 0.5, kappa 1/3.
    assert.deepEqual(r.cases[0].code, { agreement: 0.5, f1: 0.6667, kappa: 0.3333 });
  });

  it('differs from comparing the two cases alone: M17.11 counts as agreed not to apply there', () => {
    assert.equal(agree(A, B).overall.code.kappa, 0.6);
  });

  it('leaves out work on cases without a key (a released case)', () => {
    const other = learnerAgreement(keys, [...works, { ...work([tag('R51.9')]), case: 'no-key' }]);
    assert.deepEqual(
      other.cases.map((c) => c.case),
      ['c1', 'c2'],
    );
  });
});
