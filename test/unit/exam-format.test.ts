// Exam content: questions, question keys and exams as files (formats.md, "Exams"), and every validation
// rule of issue 13 with a good and a bad fixture.
import assert from 'assert';
import path from 'path';
import { loadPack, formatProblem, type LoadOptions } from '../../src/core/pack';
import { parseChoice, parseChoiceCode } from '../../src/core/exam/choices';
import { parseExam } from '../../src/core/exam/exam';
import { isQuestionKeyText, parseQuestion, parseQuestionKey } from '../../src/core/exam/question';
import { nodeFs } from '../../src/node/nodeFs';
import { removeTempPacks, tempPack, type PackFiles } from '../fixtures/packs/tempPack';

export const EXAM_PACK = path.join(__dirname, '../fixtures/packs/exam');

async function problemsOf(files: PackFiles, options?: LoadOptions, base: string | null = EXAM_PACK): Promise<string[]> {
  const { problems } = await loadPack(nodeFs, tempPack(files, base), options);
  for (const p of problems) assert.ok(p.hint, `every problem says how to fix it: ${formatProblem(p)}`);
  return problems.map(formatProblem);
}

const question = (fields: string, stem = 'Which code?') => `---\n${fields}---\n${stem}\n`;

describe('exam formats', () => {
  after(removeTempPacks);

  it('loads the exam fixture without problems: questions, keys, exams and a case item', async () => {
    const { pack, problems } = await loadPack(nodeFs, EXAM_PACK.split(path.sep).join('/'));
    assert.deepStrictEqual(problems.map(formatProblem), []);
    assert.ok(pack?.exam);
    assert.deepStrictEqual(
      pack.exam.questions.map((q) => q.id),
      ['Q001', 'Q002', 'Q003', 'Q004'],
    );
    assert.deepStrictEqual(
      [...pack.exam.questionKeys].map(([id, k]) => `${id}=${k.answer}`),
      ['Q001=B', 'Q002=C', 'Q003=B', 'Q004=B'],
    );
    // Question keys are not case keys.
    assert.deepStrictEqual([...pack.keys.keys()], ['uri-01']);
    const practice = pack.exam.exams.find((e) => e.id === 'practice')!;
    assert.deepStrictEqual(practice.parts, [
      { minutes: 30, items: ['Q001', 'Q002'] },
      { minutes: 30, items: ['Q003', 'Q004', 'uri-01'] },
    ]);
    assert.strictEqual(practice.minutes, 60);
    assert.deepStrictEqual(practice.blueprint, [
      { area: 'Evaluation and Management', count: 2 },
      { area: 'ICD-10-CM', count: 2 },
      { area: 'Medical Terminology', count: 1 },
    ]);
    const quick = pack.exam.exams.find((e) => e.id === 'quick')!;
    assert.deepStrictEqual(
      { minutes: quick.minutes, passMark: quick.passMark, shuffle: quick.shuffleChoices, parts: quick.parts },
      { minutes: 240, passMark: 0.7, shuffle: true, parts: [{ items: ['Q002', 'Q003', 'Q001'] }] },
    );
  });

  it('reads a question: id, area, difficulty, choices A–D as text or code combinations, the stem', () => {
    const text = question(
      'id: Q9\narea: Radiology\ndifficulty: 3\nchoices:\n  A: "71046-26, R05.9"\n  B: 71046\n  C: Two views of the chest\n  D: "G0008 x2"\n',
      'A *stem*.',
    );
    const { question: q, problems } = parseQuestion(text, 'questions/Q9.md');
    assert.deepStrictEqual(problems, []);
    assert.ok(q);
    assert.deepStrictEqual(
      { id: q.id, area: q.area, difficulty: q.difficulty, stem: q.stem },
      { id: 'Q9', area: 'Radiology', difficulty: 3, stem: 'A *stem*.\n' },
    );
    assert.deepStrictEqual(
      q.choices.map((c) => [c.letter, c.text, c.codes?.map((x) => `${x.system}:${x.code}${x.modifiers.map((m) => '-' + m).join('')}x${x.units}`)]),
      [
        ['A', '71046-26, R05.9', ['CPT:71046-26x1', 'ICD-10-CM:R05.9x1']],
        ['B', '71046', ['CPT:71046x1']],
        ['C', 'Two views of the chest', undefined],
        ['D', 'G0008 x2', ['HCPCS:G0008x2']],
      ],
    );
  });

  it('tells question keys from case keys by their front matter', () => {
    assert.strictEqual(isQuestionKeyText('---\nquestion: Q1\nanswer: B\n---\n'), true);
    assert.strictEqual(isQuestionKeyText('---\ncase: uri-01\ndiagnoses: []\n---\n'), false);
    assert.strictEqual(isQuestionKeyText('no front matter'), false);
    const { key, problems } = parseQuestionKey('---\nquestion: Q1\nanswer: b\n---\nBecause.\n', 'keys/Q1.md');
    assert.deepStrictEqual(problems, []);
    assert.deepStrictEqual(key, { question: 'Q1', answer: 'B', rationale: 'Because.\n', file: 'keys/Q1.md' });
  });

  it('reads the code-combination grammar: codes, -MM modifiers, xN units; ICD-10-CM always with its dot', () => {
    const shown = (t: string) => {
      const p = parseChoice(t);
      return p.kind === 'codes' ? p.codes.map((c) => `${c.system} ${c.code} [${c.modifiers.join(',')}] ${c.units}`) : p.kind;
    };
    assert.deepStrictEqual(shown('J11.00'), ['ICD-10-CM J11.00 [] 1']);
    assert.deepStrictEqual(shown('J1100'), ['HCPCS J1100 [] 1']);
    assert.deepStrictEqual(shown('I10'), ['ICD-10-CM I10 [] 1']);
    assert.deepStrictEqual(shown('99214-25-57, 0042T'), ['CPT 99214 [25,57] 1', 'CPT 0042T [] 1']);
    assert.deepStrictEqual(shown('J3301 x4'), ['HCPCS J3301 [] 4']);
    assert.strictEqual(shown('Report the E/M service, then the procedure'), 'text');
    assert.strictEqual(shown('2025'), 'text', 'a lone number among text choices is text');
    assert.strictEqual(parseChoice('2025', true).kind, 'bad', 'but among code combinations it is a code written wrong');
    assert.ok('error' in parseChoiceCode('E119'), 'ICD-10-CM without its dot is not accepted');
    assert.ok('error' in parseChoiceCode('M17.11-RT'), 'ICD-10-CM takes no modifiers');
    assert.ok('error' in parseChoiceCode('99214-2'), 'a modifier has two characters');
  });

  it('reads an exam file: defaults for minutes, passMark and shuffleChoices', () => {
    const { exam, problems } = parseExam('id: e\ntitle: E\nitems: [Q1, Q2]\n', 'exams/e.yaml');
    assert.deepStrictEqual(problems, []);
    assert.deepStrictEqual(exam, {
      id: 'e',
      title: 'E',
      minutes: 240,
      parts: [{ items: ['Q1', 'Q2'] }],
      passMark: 0.7,
      shuffleChoices: false,
      file: 'exams/e.yaml',
    });
  });

  it('reports an exam with both parts and items, a part without items, and bad values with places', () => {
    const { problems } = parseExam(
      'id: x\ntitle: E\nminutes: 0\npassMark: 70\nshuffleChoices: yes\nitems: [Q1]\nparts:\n  - minutes: 10\n    items: []\n',
      'exams/e.yaml',
    );
    assert.deepStrictEqual(problems.map(formatProblem), [
      'exams/e.yaml:1:5: error: id "x" must equal the file name "e"',
      'exams/e.yaml:3:10: error: minutes must be a whole number from 1 to 1440, not 0',
      'exams/e.yaml:4:11: error: passMark must be a fraction from 0 to 1, not 70',
      'exams/e.yaml:5:17: error: shuffleChoices must be true or false, not yes',
      'exams/e.yaml:6:1: error: an exam has either parts or items, not both',
      'exams/e.yaml:9:5: error: part 1 has no items',
    ]);
  });

  it('accepts a pack with questions and exams and no cases', async () => {
    const found = await problemsOf({ cases: null, 'keys/uri-01.md': null, 'exams/practice.yaml': 'id: practice\ntitle: P\nitems: [Q001, Q002, Q003, Q004]\n' });
    assert.deepStrictEqual(found, []);
  });

  // ---- the validation rules: each with a good and a bad fixture ----

  const rules: Array<{ rule: string; good: PackFiles; bad: PackFiles; expected: string[] }> = [
    {
      rule: 'an answer that is not one of the choices',
      good: { 'keys/Q004.md': '---\nquestion: Q004\nanswer: C\n---\nWhy.\n' },
      bad: { 'keys/Q004.md': '---\nquestion: Q004\nanswer: D\n---\nWhy.\n' },
      expected: ['keys/Q004.md:3:9: error: answer D is not one of the choices of Q004 (A, B, C)'],
    },
    {
      rule: 'an exam item that does not exist',
      good: { 'exams/quick.yaml': 'id: quick\ntitle: Q\nitems: [Q002, uri-01]\n' },
      bad: { 'exams/quick.yaml': 'id: quick\ntitle: Q\nitems: [Q002, Q099]\n' },
      expected: ['exams/quick.yaml:3:15: error: item Q099 does not exist: no questions/Q099.md and no case Q099'],
    },
    {
      rule: 'a duplicate item',
      good: { 'exams/quick.yaml': 'id: quick\ntitle: Q\nitems:\n  - Q002\n  - Q003\n' },
      bad: { 'exams/quick.yaml': 'id: quick\ntitle: Q\nitems:\n  - Q002\n  - Q003\n  - Q002\n' },
      expected: ['exams/quick.yaml:6:5: error: Q002 is listed twice'],
    },
    {
      rule: 'a blueprint that does not add up',
      good: { 'exams/quick.yaml': 'id: quick\ntitle: Q\nitems: [Q001, Q002, Q004]\nblueprint:\n  Evaluation and Management: 1\n  ICD-10-CM: 2\n' },
      bad: { 'exams/quick.yaml': 'id: quick\ntitle: Q\nitems: [Q001, Q002, Q004]\nblueprint:\n  Evaluation and Management: 2\n  ICD-10-CM: 2\n' },
      expected: [
        'exams/quick.yaml:4:1: error: the blueprint adds up to 4 items, the exam has 3',
        'exams/quick.yaml:5:3: error: the blueprint gives Evaluation and Management 2 items, the exam has 1',
      ],
    },
    {
      rule: 'a blueprint without a line for an area of the items',
      good: { 'exams/quick.yaml': 'id: quick\ntitle: Q\nitems: [Q002, Q003]\nblueprint:\n  ICD-10-CM: 1\n  Medical Terminology: 1\n' },
      bad: { 'exams/quick.yaml': 'id: quick\ntitle: Q\nitems: [Q002, Q003]\nblueprint:\n  ICD-10-CM: 1\n' },
      expected: [
        'exams/quick.yaml:4:1: error: the blueprint has no line for Medical Terminology, which has 1 item',
        'exams/quick.yaml:4:1: error: the blueprint adds up to 1 items, the exam has 2',
      ],
    },
    {
      rule: 'a question without a key (warning)',
      good: {
        'questions/Q005.md': question('id: Q005\narea: Anatomy\nchoices:\n  A: Femur\n  B: Tibia\n'),
        'keys/Q005.md': '---\nquestion: Q005\nanswer: A\n---\nWhy.\n',
      },
      bad: { 'questions/Q005.md': question('id: Q005\narea: Anatomy\nchoices:\n  A: Femur\n  B: Tibia\n') },
      expected: ['questions/Q005.md:1:1: warning: no answer key: keys/Q005.md does not exist'],
    },
    {
      rule: 'a question without a key inside an exam of a keyed pack (error)',
      good: { 'keys/Q003.md': '---\nquestion: Q003\nanswer: B\n---\nWhy.\n' },
      bad: { 'keys/Q003.md': null },
      expected: [
        'exams/practice.yaml:10:13: error: Q003 has no answer key (keys/Q003.md), so this exam cannot be scored',
        'exams/quick.yaml:3:15: error: Q003 has no answer key (keys/Q003.md), so this exam cannot be scored',
        'questions/Q003.md:1:1: warning: no answer key: keys/Q003.md does not exist',
      ],
    },
    {
      rule: 'codes in choices of the wrong shape',
      good: { 'questions/Q004.md': question('id: Q004\narea: ICD-10-CM\nchoices:\n  A: "E11.9"\n  B: "E11.65"\n  C: "E11.8, Z79.4"\n') },
      bad: { 'questions/Q004.md': question('id: Q004\narea: ICD-10-CM\nchoices:\n  A: "E11.9"\n  B: "E11.65"\n  C: "E11.8, Z794"\n  D: "9921"\n') },
      expected: [
        'questions/Q004.md:7:6: error: choice C: "Z794" is not the shape of a CPT, HCPCS or ICD-10-CM code',
        'questions/Q004.md:8:6: error: choice D: "9921" is not the shape of a CPT, HCPCS or ICD-10-CM code',
      ],
    },
    {
      rule: 'a key for a question that does not exist',
      good: {},
      bad: { 'keys/Q077.md': '---\nquestion: Q077\nanswer: A\n---\nWhy.\n' },
      expected: ['keys/Q077.md:1:1: error: no question for this key: questions/Q077.md does not exist'],
    },
    {
      rule: 'a question whose id is not its file name, or without area or choices',
      good: {
        'questions/Q005.md': question('id: Q005\narea: Anatomy\nchoices:\n  A: Femur\n  B: Tibia\n'),
        'keys/Q005.md': '---\nquestion: Q005\nanswer: A\n---\nWhy.\n',
      },
      bad: { 'questions/Q005.md': question('id: Q5\nchoices:\n  A: Femur\n  C: Tibia\n'), 'keys/Q005.md': '---\nquestion: Q005\nanswer: A\n---\nWhy.\n' },
      expected: [
        'questions/Q005.md:1:1: error: area is required',
        'questions/Q005.md:2:5: error: id "Q5" must equal the file name "Q005"',
        'questions/Q005.md:4:3: error: choices must be lettered from A without gaps, not A, C',
      ],
    },
  ];

  for (const { rule, good, bad, expected } of rules) {
    it(`rule: ${rule} — good fixture passes, bad fixture is reported with file, line and fix`, async () => {
      assert.deepStrictEqual(await problemsOf(good), [], 'good fixture');
      assert.deepStrictEqual(await problemsOf(bad), expected, 'bad fixture');
    });
  }

  it('checks every choice code against imported code sets when a checker is given', async () => {
    const checkCode: LoadOptions['checkCode'] = (system, code) => (code === 'M17.11' ? `${code} is not billable (test)` : undefined);
    const found = await problemsOf({}, { checkCode });
    assert.deepStrictEqual(found, [
      'questions/Q001.md:7:6: error: choice B M17.11: M17.11 is not billable (test)',
      'questions/Q001.md:8:6: error: choice C M17.11: M17.11 is not billable (test)',
      'questions/Q001.md:9:6: error: choice D M17.11: M17.11 is not billable (test)',
    ]);
  });

  it('reports nothing about keys in a released pack (no keys folder)', async () => {
    assert.deepStrictEqual(await problemsOf({ keys: null }), []);
  });
});
