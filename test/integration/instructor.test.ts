// Instructor tools in a real VS Code (issue 16): an author tags a case and writes its key from the
// tags (it validates clean and grades the author's work at 100%); an existing key is replaced only when
// the author says so; a learner's dispute sent from the report lands in the work file and in an export.
// Works on its own copy of a sample case (instr-demo) and removes it afterwards: the learner suite
// counts the sample's cases.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { WriteKeyResult } from '../../src/extension/authoring';
import { exportSubmission, serializeSubmission } from '../../src/core/export';
import { parseSubmission } from '../../src/core/submission';
import { parseWorkFile } from '../../src/core/work';
import { nodeFs } from '../../src/node/nodeFs';
import { acceptAll, api, openCase, selectPhrase, sleep, until, workspaceRoot as root } from './helpers';

const CASE = 'instr-demo';
const keyFile = () => path.join(root(), 'keys', `${CASE}.md`);
const workFile = () => path.join(root(), '.casebook', 'work', `${CASE}.json`);

describe('Instructor tools (real VS Code)', function () {
  this.timeout(90_000);
  let editor: vscode.TextEditor;

  before(async () => {
    const source = fs.readFileSync(path.join(root(), 'cases', 'knee-injection.md'), 'utf8');
    fs.writeFileSync(path.join(root(), 'cases', `${CASE}.md`), source.replace(/^id: knee-injection$/m, `id: ${CASE}`));
    const a = await api();
    await until('the new case in its pack', async () => (await a.packs())[0]?.pack?.cases.some((c) => c.id === CASE));
    editor = await openCase(CASE);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const f of [path.join(root(), 'cases', `${CASE}.md`), keyFile(), workFile()]) fs.rmSync(f, { force: true });
    const a = await api();
    await until('the pack without the demo case', async () => {
      const cases = (await a.packs())[0]?.pack?.cases;
      return cases && !cases.some((c) => c.id === CASE);
    });
  });

  it("writes the key from the author's tags: no problem for it, and it grades the author's work at 100%", async () => {
    const a = await api();
    await selectPhrase(editor, 'primary osteoarthritis of the right knee');
    await acceptAll(vscode.commands.executeCommand('casebook.tagSelection', { query: 'M17.11' }));
    await selectPhrase(editor, 'Injection of the right knee joint, without imaging guidance');
    await acceptAll(vscode.commands.executeCommand('casebook.tagSelection', { query: '20610' }));
    await until('two tags', async () => (await a.work(editor.document.uri))?.tags.length === 2);
    assert.ok(!fs.existsSync(keyFile()), 'no key before');

    const result = await vscode.commands.executeCommand<WriteKeyResult>('casebook.writeKeyFromTags');
    assert.strictEqual(result.outcome, 'written');
    assert.deepStrictEqual(result.problems, []);
    const text = fs.readFileSync(keyFile(), 'utf8');
    assert.match(text, /^---\ncase: instr-demo\ndiagnoses:\n {2}- code: M17\.11\n {4}evidence:\n {6}- primary osteoarthritis of the right knee/i);
    assert.match(text, /procedures:\n {2}- code: "20610"/);
    // The pack reloaded with the key, and neither it nor the Problems panel has anything to say about it.
    const loaded = (await a.packs())[0];
    assert.ok(loaded.pack?.keys.has(CASE), 'the reloaded pack has the key');
    assert.deepStrictEqual(
      loaded.problems.filter((p) => p.file === `keys/${CASE}.md`),
      [],
    );
    await sleep(500);
    assert.deepStrictEqual(
      vscode.languages.getDiagnostics(vscode.Uri.file(keyFile())).filter((d) => d.source === 'casebook'),
      [],
    );

    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('casebook.gradeCase');
    const html = await until('the report of the demo case', () => (a.reportHtml().includes(`<p class="case-id">${CASE}</p>`) ? a.reportHtml() : undefined));
    assert.match(html, /<span class="earned">2 \/ 2<\/span> <span class="percent">100%<\/span>/);
    assert.match(
      html,
      /<th scope="row">Full code<\/th><td data-label="Agreement">100%<\/td><td data-label="F1">100%<\/td>/,
      'agreement with the key in the report',
    );
  });

  it('asks before replacing an existing key: Cancel leaves the file as it was, Replace writes it', async () => {
    const a = await api();
    const edited = fs.readFileSync(keyFile(), 'utf8').replace(/## Rationale\n/, "## Rationale\n\nThe author's own words.\n");
    fs.writeFileSync(keyFile(), edited);
    await vscode.window.showTextDocument(editor.document);
    const asked = a.prompts.asked().length;
    a.prompts.answer(undefined); // Cancel
    const cancelled = await vscode.commands.executeCommand<WriteKeyResult>('casebook.writeKeyFromTags', editor.document.uri);
    assert.strictEqual(cancelled.outcome, 'cancelled');
    assert.deepStrictEqual(a.prompts.asked().slice(asked), [`Replace keys/${CASE}.md with the key written from your tags?`]);
    assert.strictEqual(fs.readFileSync(keyFile(), 'utf8'), edited, 'the key is unchanged');
    const diffs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff);
    assert.deepStrictEqual(diffs, [], 'the diff is closed after the answer');

    await vscode.window.showTextDocument(editor.document);
    a.prompts.answer('Replace');
    const replaced = await vscode.commands.executeCommand<WriteKeyResult>('casebook.writeKeyFromTags', editor.document.uri);
    assert.strictEqual(replaced.outcome, 'written');
    assert.doesNotMatch(fs.readFileSync(keyFile(), 'utf8'), /The author's own words/);
  });

  it('keeps a dispute sent from the report in the work file, next to its line, and in an exported submission', async () => {
    const a = await api();
    await vscode.window.showTextDocument(editor.document);
    await vscode.commands.executeCommand('casebook.gradeCase');
    await until('the report with its dispute buttons', () => a.reportHtml().includes('data-action="dispute" data-line="diagnosis M17.11"'));
    const before = await until('the work on disk', () =>
      fs.existsSync(workFile()) ? parseWorkFile(fs.readFileSync(workFile(), 'utf8'), workFile()).work : undefined,
    );

    a.prompts.answer('I disagree because the note says primary, not secondary, osteoarthritis.');
    await a.reportMessage({ type: 'dispute', line: 'diagnosis M17.11' });
    const work = await until('the dispute on disk', () => {
      const w = parseWorkFile(fs.readFileSync(workFile(), 'utf8'), workFile()).work;
      return Array.isArray(w?.disputes) && w.disputes.length ? w : undefined;
    });
    assert.deepStrictEqual(work.tags, before?.tags, 'the tags are untouched');
    assert.deepStrictEqual(
      (work.disputes as Array<{ line: string; note: string }>).map((d) => [d.line, d.note]),
      [['diagnosis M17.11', 'I disagree because the note says primary, not secondary, osteoarthritis.']],
    );
    const html = await until('the note in the report', () => (a.reportHtml().includes('class="dispute-note"') ? a.reportHtml() : undefined));
    assert.match(html, /class="dispute-note">I disagree because the note says primary, not secondary, osteoarthritis\.<\/p>/);
    assert.match(html, /data-line="diagnosis M17\.11">Edit My Note…/);

    // A line not in the report is refused (the page is not trusted); nothing is asked.
    const asked = a.prompts.asked().length;
    await a.reportMessage({ type: 'dispute', line: 'diagnosis Z00.00' });
    assert.strictEqual(a.prompts.asked().length, asked);

    // Export Submission's policy (core/export), as the command runs it, keeps the note.
    const pack = (await a.packs())[0].pack!;
    const exported = await exportSubmission(nodeFs, pack, 'Tess Tester', new Date());
    const { submission } = parseSubmission(serializeSubmission(exported.submission!), 'tess.json');
    const demo = submission?.work.find((w) => w.case === CASE);
    assert.deepStrictEqual(
      (demo?.disputes as Array<{ line: string }>).map((d) => d.line),
      ['diagnosis M17.11'],
    );
  });
});
