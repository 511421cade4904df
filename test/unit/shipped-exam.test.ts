// Every pack in practice/ that has exam questions must be a trustworthy practice exam: every question
// keyed with one of its choices, every exam's blueprint adding up, and every code in every choice real:
// ICD-10-CM billable in FY2026, HCPCS Level II in the 2025 file and not terminated, CPT of the right
// shape, modifiers known. The same checks run on a fixture and on a broken copy of it, so they can fail.
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { hasShape, normalizeCode } from '../../src/core/codes';
import type { Pack } from '../../src/core/model';
import { formatProblem, loadPack } from '../../src/core/pack';
import { examItems } from '../../src/core/exam/exam';
import { CPC_AREAS } from '../../src/core/exam/model';
import { nodeFs } from '../../src/node/nodeFs';
import { removeTempPacks, tempPack } from '../fixtures/packs/tempPack';
import { CODESETS, codeSetsPresent, hcpcsProblem, knownModifier, officialCodes } from './official-codes';

const PRACTICE = path.resolve(__dirname, '../../practice');
const EXAM_FIXTURE = path.resolve(__dirname, '../fixtures/packs/exam');
/** Problems with the exam content of a pack, as lines; empty when it is a sound practice exam. */
function examDefects(pack: Pack, checkCodes: boolean): string[] {
  const bad: string[] = [];
  const exam = pack.exam!;
  for (const q of exam.questions) {
    const key = exam.questionKeys.get(q.id);
    if (!key) bad.push(`${q.id}: no key`);
    else if (!q.choices.some((c) => c.letter === key.answer)) bad.push(`${q.id}: answer ${key.answer} is not a choice`);
    if (key && !key.rationale.trim()) bad.push(`${q.id}: the key has no rationale`);
    if (!CPC_AREAS.includes(q.area)) bad.push(`${q.id}: area "${q.area}" is not a CPC content area`);
    if (q.choices.length < 4) bad.push(`${q.id}: ${q.choices.length} choices, the CPC exam has 4`);
    for (const c of q.choices) {
      for (const code of c.codes ?? []) {
        const where = `${q.id} ${c.letter}${key?.answer === c.letter ? ' (the answer)' : ''}: ${code.code}`;
        if (!hasShape(code.system, code.code)) bad.push(`${where} is not ${code.system} shaped`);
        if (!checkCodes) continue;
        if (code.system === 'ICD-10-CM' && !officialCodes().icd10cm.has(normalizeCode('ICD-10-CM', code.code))) bad.push(`${where} is not billable in FY2026`);
        const hcpcs = code.system === 'HCPCS' ? hcpcsProblem(code.code) : undefined;
        if (hcpcs) bad.push(`${where} ${hcpcs}`);
        for (const m of code.modifiers) if (!knownModifier(code.code, m)) bad.push(`${where} modifier ${m} is unknown`);
      }
    }
  }
  const areaOf = new Map(exam.questions.map((q) => [q.id, q.area]));
  for (const cases of pack.cases) areaOf.set(cases.id, cases.areas[0] ?? 'Other');
  for (const e of exam.exams) {
    const items = examItems(e);
    if (new Set(items).size !== items.length) bad.push(`${e.id}: duplicate items`);
    for (const item of items) if (!areaOf.has(item)) bad.push(`${e.id}: item ${item} does not exist`);
    if (!e.blueprint) {
      bad.push(`${e.id}: no blueprint`);
      continue;
    }
    const total = e.blueprint.reduce((s, b) => s + b.count, 0);
    if (total !== items.length) bad.push(`${e.id}: the blueprint adds up to ${total}, the exam has ${items.length} items`);
    for (const { area, count } of e.blueprint) {
      const actual = items.filter((i) => areaOf.get(i) === area).length;
      if (actual !== count) bad.push(`${e.id}: blueprint ${area} ${count}, items ${actual}`);
    }
  }
  return bad;
}

const examPacks = fs
  .readdirSync(PRACTICE, { withFileTypes: true })
  .filter((d) => d.isDirectory() && fs.existsSync(path.join(PRACTICE, d.name, 'casebook.json')) && fs.existsSync(path.join(PRACTICE, d.name, 'questions')))
  .map((d) => d.name)
  .sort();

describe('shipped exams (practice/* with questions/)', () => {
  after(removeTempPacks);

  it('the checks pass on the exam fixture and catch a broken copy of it', async function () {
    const good = (await loadPack(nodeFs, EXAM_FIXTURE.split(path.sep).join('/'))).pack!;
    assert.deepStrictEqual(
      examDefects(good, codeSetsPresent).filter((d) => !/choices, the CPC exam has 4/.test(d)),
      [],
    );
    const broken = (
      await loadPack(
        nodeFs,
        tempPack(
          {
            'keys/Q003.md': null,
            'questions/Q002.md': '---\nid: Q002\narea: ICD-10-CM\nchoices:\n  A: "J11.0"\n  B: "J10.1"\n  C: "J11.1"\n  D: "J0000"\n---\nStem.\n',
            'exams/practice.yaml': 'id: practice\ntitle: P\nitems: [Q001, Q002]\nblueprint:\n  ICD-10-CM: 2\n',
          },
          EXAM_FIXTURE,
        ),
      )
    ).pack!;
    const defects = examDefects(broken, codeSetsPresent);
    assert.ok(defects.includes('Q003: no key'), defects.join('\n'));
    assert.ok(defects.includes('practice: blueprint ICD-10-CM 2, items 1'), defects.join('\n'));
    if (codeSetsPresent) {
      assert.ok(defects.includes('Q002 A: J11.0 is not billable in FY2026'), defects.join('\n'));
      assert.ok(defects.includes('Q002 D: J0000 is not in the HCPCS 2025 file'), defects.join('\n'));
    }
  });

  if (examPacks.length === 0) {
    it('has no pack with questions yet (practice/cpc-exam is checked here once it exists)');
  }

  for (const name of examPacks) {
    describe(`practice/${name}`, () => {
      const root = path.join(PRACTICE, name).split(path.sep).join('/');
      let pack: Pack;
      let problems: string[];
      before(async () => {
        const load = await loadPack(nodeFs, root);
        assert.ok(load.pack?.exam, `practice/${name} could not be read:\n${load.problems.map(formatProblem).join('\n')}`);
        pack = load.pack;
        problems = load.problems.map(formatProblem);
      });

      it('passes casebook validate with no errors or warnings', () => {
        assert.deepStrictEqual(problems, []);
      });

      it('has an exam; every question is keyed with one of its choices, four choices, a CPC area and a rationale; every blueprint adds up', () => {
        assert.ok(pack.exam!.exams.length > 0, 'no exams/ID.yaml');
        assert.deepStrictEqual(examDefects(pack, false), []);
      });

      it('uses only real codes in every choice: ICD-10-CM billable in FY2026, HCPCS of 2025 not terminated, known modifiers', function () {
        if (!codeSetsPresent) {
          console.log(`    code sets not found at ${CODESETS} (set CASEBOOK_CODESETS): skipping the code-set checks`);
          this.skip();
        }
        assert.deepStrictEqual(examDefects(pack, true), []);
      });
    });
  }
});
