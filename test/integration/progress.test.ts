// Progress in a real VS Code: a case graded twice with different mistakes fills the Missed-Code
// Journal view (refreshed from the history), which exports to Markdown and CSV; Practise Next opens
// the case it chose; the dashboard opens with the learner's areas and a nonce CSP.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { acceptAll, api, openCase, until, workspaceRoot } from './helpers';

const CASE = 'office-visit-sinusitis';

function historyLines(): Array<{ case: string; lines?: Array<{ expected: string | null; errors: string[] }> }> {
  const file = path.join(workspaceRoot(), '.casebook', 'history.jsonl');
  return fs.existsSync(file)
    ? fs
        .readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
    : [];
}

async function gradeOnce(): Promise<void> {
  const before = historyLines().length;
  await vscode.commands.executeCommand('casebook.gradeCase');
  await until('the attempt in the history', () => historyLines().length === before + 1);
}

describe('Progress: journal, Practise Next, dashboard (real VS Code)', function () {
  this.timeout(90_000);

  it('grades a case twice with different mistakes and the journal view lists them', async () => {
    const a = await api();
    await vscode.commands.executeCommand('workbench.view.extension.casebook');
    const note = (await openCase(CASE)).document.uri;

    // Attempt 1: the wrong fifth character for the sinusitis, no hypertension.
    await acceptAll(vscode.commands.executeCommand('casebook.addCode', { query: 'J01.01' }));
    await acceptAll(vscode.commands.executeCommand('casebook.addCode', { query: '99213' }));
    await until('two tags', async () => (await a.work(note))?.tags.length === 2);
    await gradeOnce();
    const first = historyLines().at(-1)!;
    assert.strictEqual(first.case, CASE);
    assert.ok(
      first.lines?.some((l) => l.expected === 'J01.00' && l.errors.includes('specificity')),
      JSON.stringify(first.lines),
    );

    const rows1 = await until('the journal after the first attempt', async () => {
      const rows = await a.progress.journalRows();
      return rows.some((r) => r.label === 'J01.01') ? rows : undefined;
    });
    const sinus = rows1.find((r) => r.label === 'J01.01')!;
    assert.match(sinus.description, /specificity · key J01\.00 · ×1/);
    assert.match(sinus.group, /sinus/i, 'grouped under the case title');
    assert.match(sinus.tooltip, /reason for the visit/, "the first sentence of the key line's why is on hover");
    assert.ok(
      rows1.some((r) => r.label === 'I10' && /missing/.test(r.description)),
      rows1.map((r) => `${r.label} ${r.description}`).join('\n'),
    );

    // Attempt 2: the sinusitis left out, the hypertension coded.
    const wrong = (await a.work(note))!.tags.find((t) => t.code === 'J01.01')!;
    await vscode.commands.executeCommand('casebook.removeTag', { tagId: wrong.id, uri: note.toString() });
    await acceptAll(vscode.commands.executeCommand('casebook.addCode', { query: 'I10' }));
    await until('the new tags', async () => {
      const codes = (await a.work(note))?.tags.map((t) => t.code).sort();
      return codes?.join() === '99213,I10';
    });
    await gradeOnce();

    const rows2 = await until('the journal to count the second miss', async () => {
      const rows = await a.progress.journalRows();
      return rows.some((r) => r.label === 'J01.00' && r.description.includes('×2')) ? rows : undefined;
    });
    const again = rows2.find((r) => r.label === 'J01.00')!;
    assert.match(again.description, /^missing · key J01\.00 · ×2$/, 'one entry for the key line, counted twice, now missing');
    assert.ok(
      rows2.some((r) => r.label === 'I10'),
      'I10 right once since its miss: still listed',
    );
    assert.ok(!rows2.some((r) => r.label === 'J01.01'), 'the same key line is one entry, not two');

    await vscode.commands.executeCommand('casebook.journalGroupByType');
    const byType = await a.progress.journalRows();
    assert.strictEqual(byType.find((r) => r.label === 'J01.00')?.group, 'missing');
    assert.match(byType.find((r) => r.label === 'J01.00')!.description, new RegExp(`^${CASE} · `));
    await vscode.commands.executeCommand('casebook.journalGroupByCase');
  });

  it('exports the journal to Markdown and CSV', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casebook-journal-'));
    try {
      await vscode.commands.executeCommand('casebook.exportJournal', { path: path.join(dir, 'journal.md') });
      const md = fs.readFileSync(path.join(dir, 'journal.md'), 'utf8');
      assert.match(md, /^# Missed-code journal: Casebook Sample Pack/);
      assert.match(md, new RegExp(`\\| ${CASE} \\| J01\\.00 \\| missing \\| J01\\.00 \\| 2 \\|`));
      await vscode.commands.executeCommand('casebook.exportJournal', path.join(dir, 'journal.csv'));
      const csv = fs.readFileSync(path.join(dir, 'journal.csv'), 'utf8').split('\n');
      assert.strictEqual(csv[0], 'case,code,type,expected,count,last,why');
      assert.ok(
        csv.some((l) => l.startsWith(`${CASE},J01.00,missing,J01.00,2,`)),
        csv.join('\n'),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Practise Next opens the case it chose, as the Cases view does, and says why', async () => {
    const a = await api();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('casebook.practiseNext');
    const pick = await until('a pick', () => a.progress.lastPick());
    // Every other case was graded today (not due for a day): the one never graded comes first.
    const graded = new Set(historyLines().map((h) => h.case));
    assert.ok(!graded.has(pick.case), `${pick.case} was never graded`);
    assert.match(pick.why, /^New case\./);
    // Opened as the Cases view opens a case: the learner's view of the note.
    const editor = await until('the chosen case in the editor', () => {
      const e = vscode.window.activeTextEditor;
      return e && e.document.uri.scheme === 'casebook-note' && e.document.uri.path.endsWith(`/cases/${pick.case}.case`) ? e : undefined;
    });
    assert.strictEqual(editor.document.languageId, 'casebook-note');
  });

  it('opens the progress dashboard with the learner’s areas, a nonce CSP and only the extension’s media', async () => {
    const a = await api();
    await vscode.commands.executeCommand('casebook.showProgress');
    const html = await until('the dashboard', () => (a.progress.dashboardHtml().includes('Score by content area') ? a.progress.dashboardHtml() : undefined));
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/i.exec(html)?.[1]?.replace(/&#39;/g, "'");
    assert.ok(csp);
    assert.match(csp, /^default-src 'none'; style-src [^;]*'nonce-[^']+'; script-src 'nonce-[^']+';/);
    const charts = [...html.matchAll(/<span class="area-name">([^<]+)<\/span>/g)].map((m) => m[1]);
    // office-visit-sinusitis: ICD-10-CM lines and its E/M line; knee-injection was graded by the learner suite too.
    for (const area of ['Evaluation and Management', 'ICD-10-CM']) assert.ok(charts.includes(area), `a chart for ${area} in ${charts.join(', ')}`);
    assert.match(html, /<th scope="row">missing<\/th>/, 'error types by week');
    assert.match(html, new RegExp(`data-action="openCase" data-case="${CASE}"`), 'the journal links back to the case');
    assert.match(html, /Exam attempts/);
    assert.doesNotMatch(html, /\sstyle=|\son[a-z]+=/i);
    assert.doesNotMatch(html, /(?:src|href)="https?:\/\/(?![^"]*vscode-(?:cdn|resource))/i, 'no remote resources');
  });
});
