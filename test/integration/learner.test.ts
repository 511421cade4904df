// The learner's loop in a real VS Code: the Cases view's packs, opening a note, tagging through the
// real quick pick, persistence, reordering in the sheet, grading into the report webview.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { acceptAll, api, openCase, selectPhrase, sleep, until, workOnDisk, workspaceRoot } from './helpers';

const CASE = 'knee-injection';

describe('Learner loop (real VS Code)', function () {
  this.timeout(60_000);

  before(async () => {
    fs.rmSync(path.join(workspaceRoot(), '.casebook'), { recursive: true, force: true });
  });

  it('lists the sample pack and its three cases', async () => {
    const a = await api();
    const packs = await until('packs', async () => {
      const p = await a.packs();
      return p.length ? p : undefined;
    });
    assert.strictEqual(packs.length, 1);
    assert.deepStrictEqual(packs[0].pack?.cases.map((c) => c.id).sort(), ['dexamethasone-injection', 'knee-injection', 'office-visit-sinusitis']);
    await vscode.commands.executeCommand('workbench.view.extension.casebook');
  });

  it('opens a case note as a clean, read-only learner view with a header', async () => {
    const editor = await openCase(CASE);
    const text = editor.document.getText();
    assert.match(text, /osteoarthritis/i);
    assert.ok(text.startsWith('Planned steroid injection of the right knee\n'), text.slice(0, 80));
    assert.match(text, /\nInstructions: Code the procedure/);
    assert.doesNotMatch(text, /^---$|areas:|HCPCS Level II|Musculoskeletal/m, 'no front matter and no areas (the sample pack does not show them)');
    assert.strictEqual(editor.document.languageId, 'casebook-note');
    assert.strictEqual(vscode.workspace.fs.isWritableFileSystem('casebook-note'), false, 'the view is read-only, also after a reload');
    assert.strictEqual(vscode.workspace.getConfiguration('editor', editor.document).get('wordWrap'), 'on', 'case notes soft-wrap');
    const header = (await (await api()).bodyOffset(editor.document.uri))!;
    assert.ok(text.slice(header).startsWith('PROCEDURE NOTE'), 'the body starts where the header ends');
  });

  it('tags a selection through the real quick pick and saves it', async () => {
    const a = await api();
    const editor = await openCase(CASE);
    await selectPhrase(editor, 'primary osteoarthritis of the right knee');
    await acceptAll(vscode.commands.executeCommand('casebook.tagSelection', { query: 'M17.11' }));
    const work = await until('the tag in the work file', () => (workOnDisk(CASE)?.tags.length ? workOnDisk(CASE) : undefined));
    const [tag] = work.tags;
    assert.strictEqual(tag.system, 'ICD-10-CM');
    assert.strictEqual(tag.code, 'M17.11');
    assert.strictEqual(tag.anchor?.quote.toLowerCase().replace(/\s+/g, ' '), 'primary osteoarthritis of the right knee');
    const spans = await until('decorations', () => (a.decorations(editor.document.uri).length ? a.decorations(editor.document.uri) : undefined));
    assert.strictEqual(spans[0].label, 'M17.11');
  });

  it('shows the tag on hover with Edit and Remove links', async () => {
    const editor = await openCase(CASE);
    await selectPhrase(editor, 'primary osteoarthritis of the right knee');
    const hovers = await until('a Casebook hover', async () => {
      const list = await vscode.commands.executeCommand<vscode.Hover[]>(
        'vscode.executeHoverProvider',
        editor.document.uri,
        editor.selection.start.translate(0, 2),
      );
      const text = list.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : (c as vscode.MarkdownString).value))).join('\n');
      return text.includes('casebook.editTag') ? text : undefined;
    });
    assert.match(hovers, /M17\\?\.11/);
    assert.match(hovers, /ICD-10-CM/);
    assert.match(hovers, /command:casebook\.removeTag\?/);
  });

  it('tags a procedure: code, modifiers, units and pointers in turn', async () => {
    const editor = await openCase(CASE);
    await selectPhrase(editor, 'Injection of the right knee joint, without imaging guidance');
    // Code, then modifiers (none ticked), units (1), pointers (none ticked).
    await acceptAll(vscode.commands.executeCommand('casebook.tagSelection', { query: '20610' }));
    const work = await until('the procedure tag', () => workOnDisk(CASE)?.tags.find((t) => t.code === '20610'));
    assert.strictEqual(work.system, 'CPT');
    assert.strictEqual(work.units, 1);
  });

  it('reorders diagnoses from the coding sheet and the work file follows', async () => {
    const a = await api();
    const editor = await openCase(CASE);
    await selectPhrase(editor, 'primary osteoarthritis of the right knee');
    await acceptAll(vscode.commands.executeCommand('casebook.addCode', { query: 'Z79.899' }));
    const before = await until('two diagnoses', () => {
      const w = workOnDisk(CASE);
      return w && w.tags.filter((t) => t.system === 'ICD-10-CM').length === 2 ? w : undefined;
    });
    assert.deepStrictEqual(
      before.tags.filter((t) => t.system === 'ICD-10-CM').map((t) => t.code),
      ['M17.11', 'Z79.899'],
    );
    const work = await a.work(editor.document.uri);
    const tagIds = work!.tags.filter((t) => t.code === 'Z79.899').map((t) => t.id);
    await vscode.commands.executeCommand('casebook.makeFirstListed', { type: 'diagnosis', d: { code: 'Z79.899', tagIds } });
    const after = await until('the new order on disk', () => {
      const w = workOnDisk(CASE);
      const dx = w?.tags.filter((t) => t.system === 'ICD-10-CM').map((t) => t.code);
      return dx?.[0] === 'Z79.899' ? dx : undefined;
    });
    assert.deepStrictEqual(after, ['Z79.899', 'M17.11']);
    await vscode.commands.executeCommand('casebook.undo');
    await until('undo restored the order', () => workOnDisk(CASE)?.tags.filter((t) => t.system === 'ICD-10-CM')[0]?.code === 'M17.11');
  });

  it('brings the tags back when the note is closed and opened again', async () => {
    const a = await api();
    await openCase(CASE);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await sleep(500);
    const editor = await openCase(CASE);
    const spans = await until('decorations after reopening', () => {
      const s = a.decorations(editor.document.uri);
      return s.length >= 2 ? s : undefined;
    });
    assert.ok(spans.some((s) => s.label.startsWith('M17.11')));
    assert.ok(spans.some((s) => s.label.startsWith('20610')));
  });

  it('re-anchors tags when an author edits the note above them', async () => {
    const a = await api();
    const uri = vscode.Uri.file(path.join(workspaceRoot(), 'cases', 'dexamethasone-injection.md'));
    const editor = await vscode.window.showTextDocument(uri, { preview: false }); // as an author opens it: editable
    await selectPhrase(editor, 'Allergic contact dermatitis due to poison ivy');
    await acceptAll(vscode.commands.executeCommand('casebook.tagSelection', { query: 'L23.7' }));
    const before = await until('the tag', async () => (await a.work(uri))?.tags[0]?.anchor);
    const text = editor.document.getText();
    const bodyStart = text.indexOf('\n---', 3) + 5;
    const inserted = 'ADDENDUM: seen with a chaperone.\n';
    assert.ok(await editor.edit((b) => b.insert(editor.document.positionAt(bodyStart), inserted)));
    const after = await until('the tag to move with its text', async () => {
      const anchor = (await a.work(uri))?.tags[0]?.anchor;
      return anchor && anchor.start !== before.start ? anchor : undefined;
    });
    assert.strictEqual(after.start, before.start + inserted.length);
    assert.strictEqual(after.quote, before.quote);
    await until('the highlight to follow', () => a.decorations(uri).some((d) => d.start === after.start));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  it('grades the case into a report webview with a nonce CSP and the expected rows', async () => {
    const a = await api();
    await openCase(CASE);
    const loads = a.packLoads();
    await vscode.commands.executeCommand('casebook.gradeCase');
    const html = await until('the report', () => (a.reportHtml().includes('M17.11') ? a.reportHtml() : undefined));
    assert.strictEqual(a.packLoads(), loads, 'grading an unchanged case loads no pack (nor re-validates every pack)');
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/i.exec(html)?.[1]?.replace(/&#39;/g, "'");
    assert.ok(csp, 'the report has a CSP meta tag');
    assert.match(csp, /default-src 'none'/);
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    assert.ok(nonce, 'scripts are allowed by nonce only');
    assert.match(html, new RegExp(`<script nonce="${nonce.replace(/[+/=]/g, (c) => '\\' + c)}"`));
    assert.ok(html.includes('20610'), 'the procedure row is there');
    assert.ok(html.includes('J3301'), 'the missing drug line is listed');
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline event handlers');
    const history = fs
      .readFileSync(path.join(workspaceRoot(), '.casebook', 'history.jsonl'), 'utf8')
      .trim()
      .split('\n');
    assert.strictEqual(JSON.parse(history[history.length - 1]).case, CASE);
    // The Cases view's status comes from the history without reloading the pack.
    const last = await until('the last score in the Cases view', async () => (await a.packs())[0]?.lastScores.get(CASE));
    assert.strictEqual(last.percent, JSON.parse(history[history.length - 1]).percent);
  });

  it('grades the whole pack with a per-area table', async () => {
    const a = await api();
    await vscode.commands.executeCommand('casebook.gradePack');
    const html = await until('the pack report', () =>
      a.reportHtml().includes('Musculoskeletal System') && !a.reportHtml().includes('Show Evidence') ? a.reportHtml() : undefined,
    );
    for (const title of ['Established patient with sinus pressure', 'Evaluation and Management', 'Medicine']) {
      assert.ok(html.includes(title), `the pack report names ${title}`);
    }
    assert.match(html, /<svg[^>]*>/, 'the area bars are drawn in SVG');
    assert.doesNotMatch(html, /(?:src|href)="https?:\/\/(?![^"]*vscode-(?:cdn|resource))/i, "no remote resources, only the extension's own media");
  });
});

describe('Problems panel for a broken pack (real VS Code)', function () {
  this.timeout(60_000);

  it('shows a broken key in the Problems panel and clears it when fixed', async () => {
    const a = await api();
    const keyFile = path.join(workspaceRoot(), 'keys', 'office-visit-sinusitis.md');
    const good = fs.readFileSync(keyFile, 'utf8');
    const uri = vscode.Uri.file(keyFile);
    try {
      fs.writeFileSync(keyFile, good.replace(/case: office-visit-sinusitis/, 'case: office-visit-sinusitis\nbogus: [unclosed'));
      const problems = await until('a Problems entry', () => {
        const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'casebook' && x.severity === vscode.DiagnosticSeverity.Error);
        return d.length ? d : undefined;
      });
      assert.ok(problems[0].range.start.line >= 0);
      fs.writeFileSync(keyFile, good);
      await until('the entry to clear', () => vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'casebook').length === 0);
      void a;
    } finally {
      fs.writeFileSync(keyFile, good);
    }
  });

  it('validates unsaved edits while the author types', async () => {
    const keyFile = path.join(workspaceRoot(), 'keys', 'knee-injection.md');
    const uri = vscode.Uri.file(keyFile);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const edit = new vscode.WorkspaceEdit();
    const text = doc.getText();
    const at = text.indexOf('code: M17.11');
    edit.replace(uri, new vscode.Range(doc.positionAt(at), doc.positionAt(at + 'code: M17.11'.length)), 'code: M1');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const problems = await until('a Problems entry for the unsaved edit', () => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'casebook' && x.severity === vscode.DiagnosticSeverity.Error);
      return d.length ? d : undefined;
    });
    assert.ok(
      problems.some((p) => /M1\b|shape|link/i.test(p.message)),
      problems.map((p) => p.message).join('\n'),
    );
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await until(
      'the entry to clear after revert',
      () => vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'casebook' && x.severity === vscode.DiagnosticSeverity.Error).length === 0,
    );
  });
});
