// The exam in a real VS Code: Start Exam… opens the question view; two answers and a flag are saved
// at once; after a crash (the view and its memory gone, as Reload Window leaves them) the attempt comes
// back on the same question with its answers, flags and the same absolute clock; submitting shows the
// score report with per-area scores. The exam content is added to the scratch pack for this suite.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CasebookTestApi } from '../../src/extension/extension';
import { parseAttempt } from '../../src/core/exam/attempt';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri.fsPath;
}

/** The exam fixture's questions, keys and exams, copied into the scratch pack (its cases stay). */
function addExamContent(root: string): string[] {
  const fixture = path.join(process.env.CASEBOOK_REPO ?? path.resolve(__dirname, '../../..'), 'test', 'fixtures', 'packs', 'exam');
  const added: string[] = [];
  for (const dir of ['questions', 'exams']) {
    fs.cpSync(path.join(fixture, dir), path.join(root, dir), { recursive: true });
    added.push(path.join(root, dir));
  }
  for (const name of fs.readdirSync(path.join(fixture, 'keys')).filter((n) => n.startsWith('Q'))) {
    fs.copyFileSync(path.join(fixture, 'keys', name), path.join(root, 'keys', name));
    added.push(path.join(root, 'keys', name));
  }
  // The sample pack has no case uri-01: an exam of questions only, in two timed parts.
  fs.writeFileSync(
    path.join(root, 'exams', 'practice.yaml'),
    'id: practice\ntitle: Fixture practice exam\nminutes: 60\nparts:\n  - minutes: 30\n    items: [Q001, Q002]\n  - minutes: 30\n    items: [Q003, Q004]\nblueprint:\n  Evaluation and Management: 1\n  ICD-10-CM: 2\n  Medical Terminology: 1\n',
  );
  return added;
}

describe('Exam mode (real VS Code)', function () {
  this.timeout(90_000);
  let api: CasebookTestApi;
  let root: string;
  let added: string[] = [];

  before(async () => {
    const ext = vscode.extensions.getExtension<CasebookTestApi>('casebook.casebook');
    assert.ok(ext);
    api = await ext.activate();
    root = workspaceRoot();
    added = addExamContent(root);
    await vscode.commands.executeCommand('casebook.refresh');
    await until('the pack with its exams', async () => (await api.packs()).find((p) => p.pack?.exam?.exams.some((e) => e.id === 'practice')));
    const loaded = (await api.packs())[0];
    const examProblems = loaded.problems.filter((p) => /^(questions|exams)\/|^keys\/Q/.test(p.file));
    assert.deepStrictEqual(examProblems, [], 'the exam content is valid');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const p of added) fs.rmSync(p, { recursive: true, force: true });
    fs.rmSync(path.join(root, '.casebook', 'exams'), { recursive: true, force: true });
    await vscode.commands.executeCommand('casebook.refresh');
  });

  it('starts, saves two answers and a flag at once, comes back after a crash with the same question and clock, and submits into a report by area', async () => {
    await vscode.commands.executeCommand('casebook.startExam', { packRoot: root, exam: 'practice', mode: 'timed' });
    await until('the question view', () => api.exams.viewOpen() && api.exams.questionHtml().includes('Content-Security-Policy'));
    const html = api.exams.questionHtml();
    assert.match(html, /script-src &#39;nonce-/);
    assert.ok(!/ style="/.test(html), 'no inline style');
    assert.match(api.exams.statusText(), /^\$\(watch\) (0:29:5\d|0:30:00) left · 0\/4$/, 'part 1 has its own 30 minutes');

    await api.exams.post({ type: 'answer', item: 'Q001', letter: 'B' });
    await api.exams.post({ type: 'flag', item: 'Q001' });
    await api.exams.post({ type: 'next' });
    await api.exams.post({ type: 'answer', item: 'Q002', letter: 'A' });
    const before = api.exams.attempt()!;
    assert.strictEqual(before.current, 'Q002');

    // On disk already: a crash now loses nothing the learner did.
    const file = path.join(root, '.casebook', 'exams', 'practice', `${before.id}.json`);
    const onDisk = parseAttempt(fs.readFileSync(file, 'utf8'), file).attempt!;
    assert.deepStrictEqual(onDisk.answers, { Q001: 'B', Q002: 'A' });
    assert.deepStrictEqual(onDisk.flagged, ['Q001']);
    assert.strictEqual(onDisk.current, 'Q002');

    await api.exams.crashAndResume();
    await until('the question view again', () => api.exams.viewOpen());
    const after = api.exams.attempt()!;
    assert.strictEqual(after.id, before.id);
    assert.deepStrictEqual(after.answers, { Q001: 'B', Q002: 'A' });
    assert.deepStrictEqual(after.flagged, ['Q001']);
    assert.strictEqual(after.current, 'Q002', 'the same question');
    assert.strictEqual(after.deadline, before.deadline, 'the same absolute deadline');
    await until('the clock', () => /^\$\(watch\) 0:(29|28):\d\d left · 2\/4$/.test(api.exams.statusText()));

    // Leaving part 1 asks first; then submit (confirmations answered as the page would).
    await api.exams.post({ type: 'next' });
    assert.strictEqual(api.exams.attempt()!.part, 0, 'not left before the learner confirms');
    await api.exams.post({ type: 'submit' });
    const submitConfirm = await until('the submit question', () => lastConfirm(api));
    await api.exams.post({ type: 'confirmed', id: submitConfirm, yes: true });
    await until('the score report', () => api.exams.reportHtml().includes('By content area'));
    const report = api.exams.reportHtml();
    const areas = [
      ...report.matchAll(/<tr><th scope="row">([^<]+)<\/th><td data-label="Score">([^<]+)<\/td><td data-label="Percent" class="percent">([^<]+)</g),
    ].map((m) => `${m[1]}: ${m[2]} ${m[3]}`);
    assert.deepStrictEqual(areas, ['Evaluation and Management: 1 / 1 100%', 'ICD-10-CM: 0 / 2 0%', 'Medical Terminology: 0 / 1 0%']);
    assert.match(report, /data-percent="0.25">25%</);
    assert.match(report, /⚑ Flagged/);
    const done = parseAttempt(fs.readFileSync(file, 'utf8'), file).attempt!;
    assert.ok(done.submitted, 'submitted on disk');
  });
});

/** The id of the confirmation the page was last asked to show (read from the runner's posted messages). */
function lastConfirm(api: CasebookTestApi): string | undefined {
  return api.exams.lastConfirmId();
}
