// `casebook grade --record` writes the history as Grade Case does; `casebook progress` reads it back.
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/io';
import { nodeFs } from '../../src/node/nodeFs';
import type { Progress } from '../../src/core/progress';

const FILES: Record<string, string> = {
  'casebook.json': JSON.stringify({ format: 1, id: 'demo', title: 'Demo Pack' }),
  'cases/knee.md': '---\nid: knee\ntitle: Knee\nareas: [Musculoskeletal System, ICD-10-CM]\n---\nRight knee osteoarthritis, injected.\n',
  'cases/htn.md': '---\nid: htn\ntitle: BP\nareas: [Evaluation and Management, ICD-10-CM]\n---\nEssential hypertension.\n',
  'keys/knee.md':
    '---\ncase: knee\ndiagnoses:\n  - code: M17.11\n    why: Unilateral primary osteoarthritis, right knee.\nprocedures:\n  - code: "20610"\n    modifiers: [RT]\n---\nRationale.\n',
  'keys/htn.md': '---\ncase: htn\ndiagnoses:\n  - code: I10\n---\nRationale.\n',
  '.casebook/work/knee.json': JSON.stringify({
    format: 1,
    case: 'knee',
    noteSha256: '',
    updated: '2026-11-24T10:00:00.000Z',
    tags: [
      { id: 't1', system: 'ICD-10-CM', code: 'M17.12', modifiers: [], units: 1, links: [] },
      { id: 't2', system: 'CPT', code: '20610', modifiers: [], units: 1, links: [] },
    ],
  }),
};

async function run(cwd: string, ...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), fs: nodeFs, cwd, env: {} };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('casebook grade --record and casebook progress', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'casebook-progress-'));
    for (const [rel, text] of Object.entries(FILES)) {
      mkdirSync(path.dirname(path.join(dir, 'demo', rel)), { recursive: true });
      writeFileSync(path.join(dir, 'demo', rel), text);
    }
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('records one history line per attempted case, with its graded lines', async () => {
    assert.equal((await run(dir, 'grade', 'demo', '--record')).code, 0);
    const lines = readFileSync(path.join(dir, 'demo/.casebook/history.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => [l.case, l.percent]),
      [['knee', 0.65]],
    );
    assert.deepEqual(
      lines[0].lines.map((l: { errors: string[] }) => l.errors),
      [['specificity'], ['modifier']],
    );
  });

  it('prints the progress JSON: cases, areas, errors, journal, next', async () => {
    await run(dir, 'grade', 'demo', '--record');
    const { code, out } = await run(dir, 'progress', 'demo', '--json');
    assert.equal(code, 0);
    const p = JSON.parse(out) as Progress;
    assert.deepEqual(p.cases, { total: 2, attempted: 1, passed: 0 });
    assert.deepEqual(
      p.areas.map((a) => [a.area, a.attempts, a.latestPercent]),
      [
        ['Musculoskeletal System', 1, 0.8],
        ['Evaluation and Management', 0, 0],
        ['ICD-10-CM', 1, 0.5],
      ],
    );
    assert.equal(p.errors.specificity, 1);
    assert.deepEqual(
      p.journal.map((j) => [j.code, j.case, j.type, j.expected, j.count]),
      [
        ['M17.12', 'knee', 'specificity', 'M17.11', 1],
        ['20610', 'knee', 'modifier', '20610-RT', 1],
      ],
    );
    assert.deepEqual(p.next, ['htn', 'knee'], 'the new case first; the failed one is due tomorrow');
  });

  it("reads another learner's .casebook with --work, and exports the journal as CSV", async () => {
    await run(dir, 'grade', 'demo', '--record');
    const { out } = await run(dir, 'progress', 'demo', '--work', 'demo/.casebook', '--journal', 'csv');
    assert.match(out, /^case,code,type,expected,count,last,why\nknee,M17\.12,specificity,M17\.11,1,/);
    assert.equal((await run(dir, 'progress', 'demo', '--work', 'nowhere')).code, 1);
    assert.equal((await run(dir, 'progress', 'demo', '--journal', 'pdf')).code, 2);
  });
});
