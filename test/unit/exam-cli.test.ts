// `casebook exam grade` (one attempt, and a class of submissions) and exam attempts in submissions.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { main } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/io';
import type { ExamScore } from '../../src/core/exam/model';
import { parseSubmission } from '../../src/core/submission';
import { nodeFs } from '../../src/node/nodeFs';
import { removeTempPacks, tempDir, tempPack } from '../fixtures/packs/tempPack';

const EXAM_PACK = path.join(__dirname, '../fixtures/packs/exam');

async function run(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), fs: nodeFs, cwd, env: {} };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

function attempt(answers: Record<string, string>, extra: Record<string, unknown> = {}) {
  return {
    format: 1,
    exam: 'practice',
    started: '2026-12-01T09:00:00.000Z',
    deadline: '2026-12-01T10:00:00.000Z',
    submitted: '2026-12-01T09:40:00.000Z',
    answers,
    flagged: ['Q002'],
    seconds: { Q001: 300, Q002: 120 },
    ...extra,
  };
}

function writeAttempt(root: string, id: string, data: unknown): string {
  const file = path.join(root, '.casebook/exams/practice', `${id}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data));
  return file;
}

describe('casebook exam grade', () => {
  after(removeTempPacks);

  it('prints the score JSON of an attempt file: areas in first-seen order, blank answers 0', async () => {
    const root = tempPack({}, EXAM_PACK);
    const file = writeAttempt(root, 'a1', attempt({ Q001: 'B', Q002: 'A', Q003: 'B' }));
    const r = await run(root, 'exam', 'grade', '.', '--exam', 'practice', '--answers', file, '--json');
    assert.equal(r.code, 0, r.err);
    const score = JSON.parse(r.out) as ExamScore;
    assert.deepEqual(Object.keys(score), ['exam', 'earned', 'possible', 'percent', 'passed', 'areas', 'items']);
    assert.deepEqual(
      { exam: score.exam, earned: score.earned, possible: score.possible, percent: score.percent, passed: score.passed },
      { exam: 'practice', earned: 2, possible: 5, percent: 0.4, passed: false },
    );
    assert.deepEqual(
      score.areas.map((a) => a.area),
      ['Evaluation and Management', 'ICD-10-CM', 'Medical Terminology'],
    );
    assert.deepEqual(score.items[3], { id: 'Q004', area: 'ICD-10-CM', answer: null, correct: 'B', status: 'blank' });
    assert.deepEqual(score.items[1], { id: 'Q002', area: 'ICD-10-CM', answer: 'A', correct: 'C', status: 'wrong' });
  });

  it('prints a readable table by area, and grades case items from the pack work', async () => {
    const root = tempPack({}, EXAM_PACK);
    mkdirSync(path.join(root, '.casebook/work'), { recursive: true });
    writeFileSync(
      path.join(root, '.casebook/work/uri-01.json'),
      JSON.stringify({
        format: 1,
        case: 'uri-01',
        noteSha256: '',
        updated: '',
        tags: [
          { id: 't', system: 'ICD-10-CM', code: 'J06.9', modifiers: [], units: 1, links: [] },
          { id: 'u', system: 'ICD-10-CM', code: 'Z23', modifiers: [], units: 1, links: [] },
          { id: 'v', system: 'CPT', code: '99213', modifiers: [], units: 1, links: ['J06.9'] },
        ],
      }),
    );
    const file = writeAttempt(root, 'a1', attempt({ Q001: 'B', Q002: 'C', Q003: 'B', Q004: 'B' }));
    const r = await run(root, 'exam', 'grade', '.', '--answers', file);
    assert.equal(r.code, 2, 'two exams: --exam is needed (bad usage)');
    const ok = await run(root, 'exam', 'grade', '.', '--exam', 'practice', '--answers', file);
    assert.equal(ok.code, 0, ok.err);
    const lines = ok.out.split('\n');
    assert.equal(lines[0], 'Fixture practice exam (practice): 5 / 5 = 100%  PASS (pass mark 70%)');
    assert.match(ok.out, /^Evaluation and Management\s+2 \/ 2\s+100%$/m);
    assert.match(ok.out, /^ICD-10-CM\s+2 \/ 2\s+100%$/m);
    assert.match(ok.out, /^5 correct, 0 wrong, 0 blank$/m);
  });

  it('exits 2 for bad usage and an unknown exam, 1 for a damaged attempt or another exam’s attempt', async () => {
    const root = tempPack({}, EXAM_PACK);
    assert.equal((await run(root, 'exam', 'grade', '.')).code, 2);
    assert.equal((await run(root, 'exam', 'mark', '.')).code, 2);
    assert.equal((await run(root, 'exam', 'grade', '.', '--exam', 'nope', '--answers', 'x.json')).code, 2);
    assert.equal((await run(root, 'exam', 'grade', '.', '--exam', 'practice', '--answers', 'x.json', '--submissions', 'd', '--out', 'o')).code, 2);
    const broken = writeAttempt(root, 'bad', '{"format":1,');
    const r = await run(root, 'exam', 'grade', '.', '--exam', 'practice', '--answers', broken);
    assert.equal(r.code, 1);
    assert.match(r.err, /not valid JSON/);
    const other = writeAttempt(root, 'other', attempt({}, { exam: 'quick' }));
    assert.equal((await run(root, 'exam', 'grade', '.', '--exam', 'practice', '--answers', other)).code, 1);
    assert.equal((await run(root, 'exam', 'grade', '.', '--exam', 'practice', '--answers', 'missing.json')).code, 1);
  });

  it('refuses a pack with errors (exit 1) and a released pack without keys', async () => {
    const broken = tempPack({ 'exams/quick.yaml': 'id: quick\ntitle: Q\nitems: [Q404]\n' }, EXAM_PACK);
    const a = writeAttempt(broken, 'a1', attempt({}));
    const r = await run(broken, 'exam', 'grade', '.', '--exam', 'practice', '--answers', a);
    assert.equal(r.code, 1);
    assert.match(r.err, /exams\/quick\.yaml:3:9: error: item Q404 does not exist/);
    const released = tempPack({ keys: null }, EXAM_PACK);
    const b = writeAttempt(released, 'a1', attempt({}));
    const s = await run(released, 'exam', 'grade', '.', '--exam', 'practice', '--answers', b);
    assert.equal(s.code, 1);
    assert.match(s.err, /no answer keys/);
  });

  it('exports attempts in the submission, and reads older submissions without them', async () => {
    const root = tempPack({}, EXAM_PACK);
    writeAttempt(root, '20261201T090000Z', attempt({ Q001: 'B' }, { id: '20261201T090000Z' }));
    const out = path.join(tempDir(), 'sub.json');
    const r = await run(root, 'export', '.', '--learner', 'Ana', '--out', out);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /1 exam attempt/);
    const text = readFileSync(out, 'utf8');
    const { submission, problems } = parseSubmission(text, 'sub.json');
    assert.deepEqual(problems, []);
    assert.deepEqual(
      submission!.exams!.map((a) => [a.exam, a.id, a.answers]),
      [['practice', '20261201T090000Z', { Q001: 'B' }]],
    );
    const old = JSON.parse(text);
    delete old.exams;
    const parsedOld = parseSubmission(JSON.stringify(old), 'old.json');
    assert.deepEqual(parsedOld.problems, []);
    assert.equal(parsedOld.submission!.exams, undefined);
    const bad = parseSubmission(JSON.stringify({ ...old, exams: [{ format: 1, exam: 'practice', answers: 3 }] }), 'bad.json');
    assert.match(bad.problems[0].message, /^exams\[0\]: answers must be/);
  });

  it('scores a class: gradebook.csv with one column per area (formulas made inert) and one static report per learner', async () => {
    const root = tempPack({}, EXAM_PACK);
    const subs = tempDir();
    const sub = (learner: string, exams: unknown[]) => ({ format: 1, pack: 'fixture-exam', learner, exported: '2026-12-01T12:00:00.000Z', work: [], exams });
    writeFileSync(
      path.join(subs, 'ana.json'),
      JSON.stringify(
        sub('Ana <b>', [
          attempt({ Q001: 'A' }, { id: 'first', started: '2026-11-30T09:00:00.000Z' }),
          attempt({ Q001: 'B', Q002: 'C', Q003: 'B', Q004: 'B' }, { id: 'second' }),
        ]),
      ),
    );
    writeFileSync(path.join(subs, 'eve.json'), JSON.stringify(sub('=HYPERLINK("x")', [attempt({ Q003: 'B' }, { id: 'e1' })])));
    writeFileSync(
      path.join(subs, 'old.json'),
      JSON.stringify({ format: 1, pack: 'fixture-exam', learner: 'Old', exported: '2026-12-01T12:00:00.000Z', work: [] }),
    );
    const outDir = path.join(tempDir(), 'out');
    const r = await run(root, 'exam', 'grade', '.', '--exam', 'practice', '--submissions', subs, '--out', outDir);
    assert.equal(r.code, 0, r.err);
    const rows: string[][] = parseCsv(readFileSync(path.join(outDir, 'gradebook.csv'), 'utf8'));
    assert.deepEqual(rows[0], ['learner', 'attempt', 'submitted', 'percent', 'passed', 'Evaluation and Management', 'ICD-10-CM', 'Medical Terminology']);
    assert.deepEqual(rows[1], ['Ana <b>', 'second', '2026-12-01T09:40:00.000Z', '0.8000', 'true', '0.5000', '1.0000', '1.0000']);
    assert.deepEqual(rows[2], ['\'=HYPERLINK("x")', 'e1', '2026-12-01T09:40:00.000Z', '0.2000', 'false', '0.0000', '0.0000', '1.0000']);
    assert.deepEqual(rows[3], ['Old', '', '', '', '', '', '', '']);
    assert.deepEqual(readdirSync(outDir).sort(), ['Ana-b.html', 'HYPERLINK-x.html', 'analytics.html', 'gradebook.csv', 'items.csv']);
    // Item analysis over the two scored learners (Ana 80%, Eve 20%): Q003 both right, Q001 only Ana.
    const items = parseCsv<Record<string, string>>(readFileSync(path.join(outDir, 'items.csv'), 'utf8'), { columns: true });
    const q = (id: string) => items.find((r) => r.type === 'question' && r.line === id)!;
    assert.deepEqual([q('Q001').learners, q('Q001').difficulty, q('Q001').discrimination, q('Q001').options], ['2', '0.5', '1', 'B:1; blank:1']);
    assert.deepEqual([q('Q003').difficulty, q('Q003').discrimination], ['1', '']);
    assert.match(readFileSync(path.join(outDir, 'analytics.html'), 'utf8'), /Exam questions/);
    const html = readFileSync(path.join(outDir, 'Ana-b.html'), 'utf8');
    assert.ok(!/<script/i.test(html), 'a static report runs no script');
    assert.match(html, /Learner: Ana &lt;b&gt;/);
    assert.match(html, /class="percent overall" data-percent="0.8">80%<\/span>/);
    assert.match(html, /Attempts at this exam/);
    assert.ok(existsSync(path.join(outDir, 'HYPERLINK-x.html')));
  });

  it('lists a 20,000-deep submission and scores every other learner (issue 17 item 2)', async () => {
    const root = tempPack({}, EXAM_PACK);
    const subs = tempDir();
    writeFileSync(
      path.join(subs, 'ana.json'),
      JSON.stringify({
        format: 1,
        pack: 'fixture-exam',
        learner: 'Ana',
        exported: '2026-12-01T12:00:00.000Z',
        work: [],
        exams: [attempt({ Q001: 'B' }, { id: 'a1' })],
      }),
    );
    writeFileSync(
      path.join(subs, 'deep.json'),
      `{"format":1,"pack":"fixture-exam","learner":"Deep","exported":"2026-12-01T12:00:00.000Z","work":[],"exams":${'['.repeat(20_000)}${']'.repeat(20_000)}}`,
    );
    const outDir = path.join(tempDir(), 'out');
    const r = await run(root, 'exam', 'grade', '.', '--exam', 'practice', '--submissions', subs, '--out', outDir);
    assert.equal(r.code, 1);
    assert.match(r.err, /deep\.json:1:\d+: error: .*exams\[0\].*nested more than 64 levels deep/);
    const rows: string[][] = parseCsv(readFileSync(path.join(outDir, 'gradebook.csv'), 'utf8'));
    assert.deepEqual(
      rows.map((row) => row[0]),
      ['learner', 'Ana'],
    );
  });
});
