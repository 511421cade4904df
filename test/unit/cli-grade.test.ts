import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { main } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/io';
import { nodeFs } from '../../src/node/nodeFs';
import type { PackResult } from '../../src/core/model';

// A small pack on disk: two keyed cases and one without a key.
const NOTE_A = 'Chief complaint: cough and fever. Assessment: pneumonia of the right lower lobe.';
const NOTE_B = 'Follow-up of essential hypertension and hyperlipidemia.';

function writePack(root: string, rationale = 'The note supports **pneumonia**.'): void {
  const files: Record<string, string> = {
    'casebook.json': JSON.stringify({ format: 1, id: 'demo', title: 'Demo Pack', version: '1.0.0', grading: { passMark: 0.7 } }),
    'cases/pneumonia.md': `---\nid: pneumonia\ntitle: Cough and fever\nareas: [Evaluation and Management, ICD-10-CM]\n---\n${NOTE_A}\n`,
    'cases/htn.md': `---\nid: htn\ntitle: Blood pressure check\nareas: [ICD-10-CM]\n---\n${NOTE_B}\n`,
    'cases/unkeyed.md': `---\nid: unkeyed\ntitle: No key yet\nareas: [Medicine]\n---\nA note.\n`,
    'keys/pneumonia.md':
      '---\ncase: pneumonia\ndiagnoses:\n  - code: J18.9\n    evidence: ["pneumonia"]\n    why: Pneumonia, unspecified organism.\n' +
      'procedures:\n  - code: "99213"\n    links: [J18.9]\n---\n' +
      rationale +
      '\n',
    'keys/htn.md': '---\ncase: htn\ndiagnoses:\n  - code: I10\n  - code: E78.5\n---\nBoth are chronic.\n',
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
}

function tagJson(code: string, system: string, extra: Record<string, unknown> = {}) {
  return { id: `t-${code}`, system, code, modifiers: [], units: 1, links: [], ...extra };
}

function workJson(caseId: string, tags: unknown[]) {
  return { format: 1, case: caseId, noteSha256: '', updated: '2026-11-24T10:00:00.000Z', tags };
}

const GOOD_WORK = [
  workJson('pneumonia', [tagJson('J18.9', 'ICD-10-CM'), tagJson('99213', 'CPT', { links: ['J18.9'] })]),
  workJson('htn', [tagJson('E78.5', 'ICD-10-CM'), tagJson('I10', 'ICD-10-CM')]),
];

function writeWork(root: string, works: unknown[]): void {
  mkdirSync(path.join(root, '.casebook/work'), { recursive: true });
  for (const w of works as Array<{ case: string }>) writeFileSync(path.join(root, '.casebook/work', `${w.case}.json`), JSON.stringify(w));
}

async function run(cwd: string, ...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), fs: nodeFs, cwd, env: {} };
  const code = await main(argv, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('casebook grade', () => {
  let dir: string;
  let pack: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'casebook-grade-'));
    pack = path.join(dir, 'demo');
    writePack(pack);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the PackResult JSON with --json and exits 0', async () => {
    writeWork(pack, GOOD_WORK);
    const { code, out } = await run(dir, 'grade', 'demo', '--json');
    assert.equal(code, 0);
    const result = JSON.parse(out) as PackResult;
    assert.deepEqual(Object.keys(result), ['format', 'pack', 'earned', 'possible', 'percent', 'passed', 'areas', 'cases', 'attempted', 'passMark', 'title']);
    assert.deepEqual([result.format, result.pack, result.earned, result.possible, result.percent, result.passed], [1, 'demo', 3.5, 4, 0.875, true]);
    // Areas in CPC order; each line counts toward the area of its code system or CPT section.
    assert.deepEqual(result.areas, [
      { area: 'Evaluation and Management', earned: 1, possible: 1, percent: 1 },
      { area: 'ICD-10-CM', earned: 2.5, possible: 3, percent: 0.8333 },
    ]);
    assert.deepEqual(
      result.cases.map((c) => [c.case, c.keyed, c.attempted, c.percent]),
      [
        ['htn', true, true, 0.75],
        ['pneumonia', true, true, 1],
        ['unkeyed', false, false, 0],
      ],
    );
    const line = result.cases[1].lines[0];
    assert.deepEqual(Object.keys(line).slice(0, 7), ['kind', 'status', 'expected', 'entered', 'earned', 'possible', 'reasons']);
    assert.deepEqual(result.cases[0].sequence, { expectedFirst: 'I10', enteredFirst: 'E78.5', ok: false });
    assert.match(out, /^\{\n {2}"format": 1,/);
  });

  it('limits the result to one case with --case, totals included', async () => {
    writeWork(pack, GOOD_WORK);
    const { code, out } = await run(dir, 'grade', 'demo', '--case', 'htn', '--json');
    assert.equal(code, 0);
    const result = JSON.parse(out) as PackResult;
    assert.deepEqual(
      result.cases.map((c) => c.case),
      ['htn'],
    );
    assert.deepEqual([result.earned, result.possible, result.percent], [1.5, 2, 0.75]);
  });

  it('prints a readable summary: each case, its lines and reasons, then the pack and its areas', async () => {
    writeWork(pack, GOOD_WORK);
    const { code, out } = await run(dir, 'grade', 'demo');
    assert.equal(code, 0);
    assert.match(out, /^htn {2}75% {2}PASS/m);
    assert.match(out, /first-listed diagnosis should be I10/);
    assert.match(out, /^demo: 3\.5 \/ 4 = 87\.5% {2}PASS$/m);
    // Each line counts toward the area of its code system or CPT section (grading.md, "Areas").
    assert.match(out, /^ {2}Evaluation and Management: 1 \/ 1 = 100%\n {2}ICD-10-CM: 2\.5 \/ 3 = 83\.3%$/m);
  });

  it('grades cases without work as not attempted (0 points)', async () => {
    const { code, out } = await run(dir, 'grade', 'demo', '--json');
    assert.equal(code, 0);
    const result = JSON.parse(out) as PackResult;
    assert.deepEqual([result.earned, result.possible], [0, 4]);
    assert.ok(result.cases.every((c) => !c.attempted));
  });

  it('grades a submission file given with --work', async () => {
    const submission = { format: 1, pack: 'demo', learner: 'Ann', exported: '2026-11-24T10:00:00.000Z', work: GOOD_WORK };
    writeFileSync(path.join(dir, 'ann.json'), JSON.stringify(submission));
    const { code, out } = await run(dir, 'grade', 'demo', '--work', 'ann.json', '--json');
    assert.equal(code, 0);
    assert.equal((JSON.parse(out) as PackResult).earned, 3.5);
  });

  it('grades a folder of work files given with --work', async () => {
    writeWork(pack, GOOD_WORK);
    const { code, out } = await run(dir, 'grade', 'demo', '--work', 'demo/.casebook/work', '--case', 'pneumonia', '--json');
    assert.equal(code, 0);
    assert.equal((JSON.parse(out) as PackResult).percent, 1);
    const missing = await run(dir, 'grade', 'demo', '--work', 'nowhere');
    assert.equal(missing.code, 1);
    assert.match(missing.err, /nowhere: no such file or folder/);
  });

  it('refuses a submission for another pack', async () => {
    writeFileSync(path.join(dir, 'other.json'), JSON.stringify({ format: 1, pack: 'other', learner: 'Ann', exported: 'x', work: [] }));
    const { code, err } = await run(dir, 'grade', 'demo', '--work', 'other.json');
    assert.equal(code, 1);
    assert.match(err, /for pack 'other', not 'demo'/);
  });

  it('exits 1 naming the file when a work file is invalid', async () => {
    writeWork(pack, GOOD_WORK);
    writeFileSync(path.join(pack, '.casebook/work/htn.json'), '{ "format": 1, "case": ');
    const { code, err } = await run(dir, 'grade', 'demo');
    assert.equal(code, 1);
    assert.match(err, /\.casebook\/work\/htn\.json:\d+:\d+: error: /);
  });

  it('exits 1 with the pack errors as path:line:col lines when the pack is invalid', async () => {
    writeFileSync(path.join(pack, 'keys/htn.md'), '---\ncase: htn\ndiagnoses:\n  - code: NOTACODE\n---\n');
    const { code, err } = await run(dir, 'grade', 'demo');
    assert.equal(code, 1);
    assert.match(err, /^keys\/htn\.md:\d+:\d+: error: /m);
  });

  it('exits 1 with a clear message for a pack without keys', async () => {
    rmSync(path.join(pack, 'keys'), { recursive: true });
    const { code, err } = await run(dir, 'grade', 'demo');
    assert.equal(code, 1);
    assert.match(err, /no answer keys/);
  });

  it('exits 2 for bad usage', async () => {
    assert.equal((await run(dir, 'grade')).code, 2);
    assert.equal((await run(dir, 'grade', 'demo', '--bogus')).code, 2);
    assert.equal((await run(dir, 'grade', 'demo', '--submissions', 'subs')).code, 2);
    assert.equal((await run(dir, 'grade', 'demo', '--case', 'nope')).code, 2);
  });
});

describe('casebook grade --submissions', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'casebook-class-'));
    writePack(path.join(dir, 'demo'), 'Hostile: <script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3))');
    mkdirSync(path.join(dir, 'subs'));
    const sub = (learner: string, work: unknown[]) => ({ format: 1, pack: 'demo', learner, exported: '2026-11-24T10:00:00.000Z', work });
    writeFileSync(path.join(dir, 'subs/1.json'), JSON.stringify(sub('Ann Lee', GOOD_WORK)));
    writeFileSync(path.join(dir, 'subs/2.json'), JSON.stringify(sub('=HYPERLINK("x"), Bob', [GOOD_WORK[1]])));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes gradebook.csv with one column per area and guards formulas', async () => {
    const { code } = await run(dir, 'grade', 'demo', '--submissions', 'subs', '--out', 'out');
    assert.equal(code, 0);
    const text = readFileSync(path.join(dir, 'out/gradebook.csv'), 'utf8');
    const rows: string[][] = parseCsv(text);
    assert.deepEqual(rows, [
      ['learner', 'percent', 'passed', 'Evaluation and Management', 'ICD-10-CM', 'disputes'],
      ['Ann Lee', '0.8750', 'true', '1.0000', '0.8333', '0'],
      ['\'=HYPERLINK("x"), Bob', '0.3750', 'false', '0.0000', '0.5000', '0'],
    ]);
  });

  it('writes one static HTML report per learner: no script, hostile rationale inert', async () => {
    await run(dir, 'grade', 'demo', '--submissions', 'subs', '--out', 'out');
    assert.deepEqual(readdirSync(path.join(dir, 'out')).sort(), ['Ann-Lee.html', 'HYPERLINK-x-Bob.html', 'analytics.html', 'gradebook.csv', 'items.csv']);
    const html = readFileSync(path.join(dir, 'out/Ann-Lee.html'), 'utf8');
    assert.doesNotMatch(html, /<script/i);
    assert.doesNotMatch(html, /<img/i);
    assert.doesNotMatch(html, /href="javascript:/i);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.match(html, /Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:"/);
    assert.match(html, /<style>[^<]*--cb-fg/);
    assert.match(html, /Cough and fever/);
  });

  it('writes items.csv and analytics.html: per key line exact, partial, missed, and the disputes', async () => {
    const disputed = { ...GOOD_WORK[1], disputes: [{ line: 'diagnosis I10', note: 'I think <b>I10</b> is wrong', time: '2026-11-24T10:00:00.000Z' }] };
    writeFileSync(
      path.join(dir, 'subs/2.json'),
      JSON.stringify({ format: 1, pack: 'demo', learner: 'Bob', exported: '2026-11-24T10:00:00.000Z', work: [disputed] }),
    );
    await run(dir, 'grade', 'demo', '--submissions', 'subs', '--out', 'out');
    const items = parseCsv<Record<string, string>>(readFileSync(path.join(dir, 'out/items.csv'), 'utf8'), { columns: true });
    const row = (c: string, l: string) => items.find((r) => r.case === c && r.line === l)!;
    // Ann: pneumonia exact (J18.9, 99213); htn I10 and E78.5 in the wrong order. Bob: htn only, same order.
    assert.deepEqual([row('pneumonia', 'D1').learners, row('pneumonia', 'D1').exact], ['1', '1']);
    assert.deepEqual(
      [row('htn', 'D1').learners, row('htn', 'D1').exact, row('htn', 'D1').partial, row('htn', 'D1').error_types, row('htn', 'D1').disputes],
      ['2', '0', '2', 'sequence:2', '1'],
    );
    assert.deepEqual([row('htn', 'D2').exact, row('htn', 'D2').missed], ['2', '0']);
    const html = readFileSync(path.join(dir, 'out/analytics.html'), 'utf8');
    assert.match(html, /I think &lt;b&gt;I10&lt;\/b&gt; is wrong/);
    assert.doesNotMatch(html, /<script|<b>I10/);
    const gradebook: string[][] = parseCsv(readFileSync(path.join(dir, 'out/gradebook.csv'), 'utf8'));
    assert.equal(gradebook[2][5], '1', 'disputes column');
    // Bob's own report shows his note next to the line, and his agreement with the key.
    const bob = readFileSync(path.join(dir, 'out/Bob.html'), 'utf8');
    assert.match(bob, /class="dispute-note">I think &lt;b&gt;I10&lt;\/b&gt; is wrong<\/p>/);
    assert.match(bob, /<h2>Agreement with the key<\/h2>[\s\S]*Over the 1 case attempted/);
  });

  it('skips a bad submission, naming it, and exits 1 at the end', async () => {
    writeFileSync(path.join(dir, 'subs/3.json'), '{"format": 1, "pack": "demo"}');
    const { code, err } = await run(dir, 'grade', 'demo', '--submissions', 'subs', '--out', 'out');
    assert.equal(code, 1);
    assert.match(err, /subs\/3\.json/);
    const rows: string[][] = parseCsv(readFileSync(path.join(dir, 'out/gradebook.csv'), 'utf8'));
    assert.equal(rows.length, 3);
  });

  it('lists a 20,000-deep submission and grades every other learner (issue 17 item 2)', async () => {
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    writeFileSync(
      path.join(dir, 'subs/0-deep.json'),
      `{"format":1,"pack":"demo","learner":"Deep","exported":"2026-11-24T10:00:00.000Z","work":[],"x":${deep}}`,
    );
    const { code, err } = await run(dir, 'grade', 'demo', '--submissions', 'subs', '--out', 'out');
    assert.equal(code, 1);
    assert.match(err, /subs\/0-deep\.json:1:\d+: error: .*x\[0\]\[0\].*nested more than 64 levels deep/);
    const rows: string[][] = parseCsv(readFileSync(path.join(dir, 'out/gradebook.csv'), 'utf8'));
    assert.deepEqual(
      rows.map((r) => r[0]),
      ['learner', 'Ann Lee', '\'=HYPERLINK("x"), Bob'],
    );
  });
});

describe('casebook release and export', () => {
  let dir: string;
  let pack: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'casebook-release-'));
    pack = path.join(dir, 'demo');
    writePack(pack);
    writeWork(pack, GOOD_WORK);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('copies the pack without keys/ and .casebook/ (nor .git/, whose history holds the keys)', async () => {
    mkdirSync(path.join(pack, '.git'));
    writeFileSync(path.join(pack, '.git/HEAD'), 'ref: refs/heads/main\n');
    const { code } = await run(dir, 'release', 'demo', '--out', 'released');
    assert.equal(code, 0);
    assert.deepEqual(readdirSync(path.join(dir, 'released')).sort(), ['casebook.json', 'cases']);
    assert.deepEqual(readdirSync(path.join(dir, 'released/cases')).sort(), ['htn.md', 'pneumonia.md', 'unkeyed.md']);
    assert.equal(readFileSync(path.join(dir, 'released/cases/htn.md'), 'utf8'), readFileSync(path.join(pack, 'cases/htn.md'), 'utf8'));
    // The copy is a valid released pack: grading it says there are no keys.
    const graded = await run(dir, 'grade', 'released');
    assert.equal(graded.code, 1);
    assert.match(graded.err, /no answer keys/);
  });

  it('warns about files that look like answers: keys-backup/, *.key.md.bak, key files in a hidden folder (issue 17 item 7)', async () => {
    for (const file of ['keys-backup/htn.md', 'cases/htn.key.md.bak', '.old/answer-key.md', '.cache/keys/htn.md']) {
      mkdirSync(path.join(pack, path.dirname(file)), { recursive: true });
      writeFileSync(path.join(pack, file), 'E11.9');
    }
    const { code, err } = await run(dir, 'release', 'demo', '--out', 'released');
    assert.equal(code, 0);
    const warned = err
      .split('\n')
      .filter((l) => l.startsWith('warning: '))
      .map((l) => l.split(' ')[1]);
    assert.deepEqual(warned.sort(), ['.cache/keys/htn.md', '.old/answer-key.md', 'cases/htn.key.md.bak', 'keys-backup/htn.md']);
    const plain = await run(dir, 'release', 'demo', '--out', 'released-2');
    assert.doesNotMatch(plain.err, /warning: cases\/htn\.md/);
  });

  it('refuses an --out inside the pack, or a non-empty one', async () => {
    const inside = await run(dir, 'release', 'demo', '--out', 'demo/copy');
    assert.equal(inside.code, 1);
    assert.match(inside.err, /inside the pack/);
    assert.equal(existsSync(path.join(pack, 'copy')), false);
    mkdirSync(path.join(dir, 'full'));
    writeFileSync(path.join(dir, 'full/x.txt'), 'x');
    const full = await run(dir, 'release', 'demo', '--out', 'full');
    assert.equal(full.code, 1);
    assert.match(full.err, /not empty/);
  });

  it('refuses links that leave the pack or lead into its keys', async () => {
    writeFileSync(path.join(dir, 'secret.txt'), 'secret');
    symlinkSync(path.join(dir, 'secret.txt'), path.join(pack, 'cases/outside.txt'));
    const out = await run(dir, 'release', 'demo', '--out', 'r1');
    assert.equal(out.code, 1);
    assert.match(out.err, /cases\/outside\.txt: a link that leaves the pack/);
    assert.equal(existsSync(path.join(dir, 'r1')), false);
    rmSync(path.join(pack, 'cases/outside.txt'));
    symlinkSync(path.join(pack, 'keys/htn.md'), path.join(pack, 'cases/answers.txt'));
    const leak = await run(dir, 'release', 'demo', '--out', 'r2');
    assert.equal(leak.code, 1);
    assert.match(leak.err, /cases\/answers\.txt: a link into keys\/htn\.md/);
  });

  it('exits 2 without --out', async () => {
    assert.equal((await run(dir, 'release', 'demo')).code, 2);
    assert.equal((await run(dir, 'export', 'demo')).code, 2);
  });

  it('exports the work as a submission that grades the same as the work itself', async () => {
    const { code } = await run(dir, 'export', 'demo', '--learner', 'Ann Lee');
    assert.equal(code, 0);
    const file = path.join(dir, 'demo-Ann-Lee.json');
    const submission = JSON.parse(readFileSync(file, 'utf8'));
    assert.deepEqual(Object.keys(submission), ['format', 'pack', 'packVersion', 'learner', 'exported', 'work']);
    assert.deepEqual([submission.pack, submission.packVersion, submission.learner], ['demo', '1.0.0', 'Ann Lee']);
    assert.deepEqual(
      submission.work.map((w: { case: string }) => w.case),
      ['htn', 'pneumonia'],
    );
    const fromWork = JSON.parse((await run(dir, 'grade', 'demo', '--json')).out);
    const fromSubmission = JSON.parse((await run(dir, 'grade', 'demo', '--work', file, '--json')).out);
    assert.deepEqual(fromSubmission, fromWork);
  });

  it('exports to the file given with --out', async () => {
    const { code } = await run(dir, 'export', 'demo', '--learner', 'Bo', '--out', 'sub/bo.json');
    assert.equal(code, 0);
    assert.equal(JSON.parse(readFileSync(path.join(dir, 'sub/bo.json'), 'utf8')).learner, 'Bo');
  });
});
