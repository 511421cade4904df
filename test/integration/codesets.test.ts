// Code sets in a real VS Code: import the official FY2026 ICD-10-CM order file and HCPCS 2025,
// and the FY2025 External Cause Index, then type in the tag quick pick and Find Code and see ranked matches.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CasebookTestApi } from '../../src/extension/extension';

const CODESETS = process.env.CASEBOOK_CODESETS ?? path.resolve(process.env.CASEBOOK_REPO ?? process.cwd(), '..', 'shared', 'codesets');
const ORDER = path.join(CODESETS, 'icd10cm', 'fy2026', 'icd10cm_order_2026.txt');
const HCPCS = path.join(CODESETS, 'hcpcs', '2025', 'HCPC2025_JAN_ANWEB_12172024.txt');
const EINDEX = path.join(CODESETS, 'icd10cm', 'fy2025', 'icd-10-cm-eindex-2025.xml');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Code sets in the tag quick pick (real VS Code)', function () {
  this.timeout(60_000);
  let api: CasebookTestApi;

  before(async function () {
    if (!fs.existsSync(ORDER) || !fs.existsSync(HCPCS) || !fs.existsSync(EINDEX)) {
      console.log(`SKIP: the official code-set files are not at ${CODESETS} (set CASEBOOK_CODESETS).`);
      this.skip();
    }
    api = await vscode.extensions.getExtension<CasebookTestApi>('casebook.casebook')!.activate();
    await vscode.commands.executeCommand('casebook.importCodeSet', [ORDER, HCPCS, EINDEX]);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  async function rowsFor(query: string, expectFirst: string): Promise<string[]> {
    const folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    await vscode.commands.executeCommand('casebook.openCase', vscode.Uri.file(path.join(folder, 'cases', 'knee-injection.md')));
    const editor = vscode.window.activeTextEditor!;
    const at = editor.document.getText().indexOf('osteoarthritis');
    editor.selection = new vscode.Selection(editor.document.positionAt(at), editor.document.positionAt(at + 'osteoarthritis'.length));
    void vscode.commands.executeCommand('casebook.tagSelection', { query });
    const end = Date.now() + 15_000;
    let rows: string[] = [];
    while (Date.now() < end) {
      rows = api.codePickRows();
      if (rows.some((r) => r.startsWith(expectFirst))) break;
      await sleep(100);
    }
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await sleep(200);
    return rows;
  }

  it('ranks title-word prefixes in any order: "knee prim osteoarth right" puts M17.11 first', async () => {
    const rows = await rowsFor('knee prim osteoarth right', 'M17.11');
    assert.ok(rows[0]?.startsWith('M17.11'), JSON.stringify(rows.slice(0, 5)));
  });

  it('finds a code typed without its dot, and offers both lists for J1100', async () => {
    const rows = await rowsFor('m1711', 'M17.11');
    assert.ok(rows[0]?.startsWith('M17.11'), JSON.stringify(rows.slice(0, 5)));
    const j = await rowsFor('J1100', 'J1100');
    assert.ok(
      j.some((r) => r.startsWith('J1100') && r.includes('HCPCS')),
      JSON.stringify(j.slice(0, 5)),
    );
    assert.ok(
      j.some((r) => r.startsWith('J11.00') && r.includes('ICD-10-CM')),
      JSON.stringify(j.slice(0, 5)),
    );
  });

  it('offers I10 first for "htn" (an abbreviation a coder types)', async () => {
    const rows = await rowsFor('htn', 'I10');
    assert.ok(rows[0]?.startsWith('I10 '), JSON.stringify(rows.slice(0, 5)));
  });

  it('Find Code: "dog bite" shows the External Cause Index path and W54.0XXA, and choosing a category shows its children', async () => {
    void vscode.commands.executeCommand('casebook.findCode', { query: 'dog bite' });
    let rows: string[] = [];
    for (const end = Date.now() + 15_000; Date.now() < end; await sleep(100)) {
      rows = api.findCodeRows();
      if (rows.some((r) => r.startsWith('W54.0XXA'))) break;
    }
    const bite = rows.find((r) => r.startsWith('W54.0XXA'));
    assert.ok(bite && /External Cause Index: .*W54\.0-/.test(bite), JSON.stringify(rows.slice(0, 5)));
    // Drill down: a category header opens the codes below it.
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await sleep(200);
    void vscode.commands.executeCommand('casebook.findCode', { query: 'E11.6' });
    for (const end = Date.now() + 15_000; Date.now() < end; await sleep(100)) {
      rows = api.findCodeRows();
      if (rows[0]?.startsWith('E11.6 ')) break;
    }
    assert.ok(rows[0]?.startsWith('E11.6 ') && /needs more characters/.test(rows[0]), JSON.stringify(rows.slice(0, 3)));
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    for (const end = Date.now() + 15_000; Date.now() < end; await sleep(100)) {
      rows = api.findCodeRows();
      if (rows[0]?.includes('Back to the search')) break;
    }
    assert.ok(rows[0]?.includes('Back to the search'), JSON.stringify(rows.slice(0, 3)));
    assert.ok(
      rows.some((r) => r.startsWith('E11.65 ') && /billable/.test(r)),
      JSON.stringify(rows.slice(0, 8)),
    );
    assert.ok(
      rows.some((r) => r.startsWith('E11.61 ') && /needs more characters/.test(r)),
      JSON.stringify(rows.slice(0, 8)),
    );
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await sleep(200);
  });

  it('shows category headers as needing more characters', async () => {
    const rows = await rowsFor('E11.6', 'E11.6');
    assert.ok(
      rows.some((r) => r.startsWith('E11.6 ') && /needs more characters/.test(r)),
      JSON.stringify(rows.slice(0, 5)),
    );
  });
});
