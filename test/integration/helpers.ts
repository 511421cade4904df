// Shared by the integration tests: the test API, the scratch pack, polling, opening a case in its
// learner view, selecting a phrase of the note and answering quick inputs.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CasebookTestApi } from '../../src/extension/extension';
import { findEvidence } from '../../src/core/evidence';
import { parseWorkFile } from '../../src/core/work';

export async function api(): Promise<CasebookTestApi> {
  const ext = vscode.extensions.getExtension<CasebookTestApi>('casebook.casebook');
  assert.ok(ext, 'the Casebook extension is installed');
  return ext.activate();
}

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return folder.uri.fsPath;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` returns a value (not undefined/false), or fails with `what`. */
export async function until<T>(what: string, check: () => T | undefined | false | Promise<T | undefined | false>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

export function caseFile(id: string): string {
  return path.join(workspaceRoot(), 'cases', `${id}.md`);
}

/** Opens a case as a learner does (the Cases view's command) and waits for its learner view. */
export async function openCase(id: string): Promise<vscode.TextEditor> {
  await vscode.commands.executeCommand('casebook.openCase', vscode.Uri.file(caseFile(id)));
  const editor = await until('the case editor', () => {
    const e = vscode.window.activeTextEditor;
    return e && e.document.uri.scheme === 'casebook-note' && e.document.uri.path.endsWith(`/cases/${id}.case`) ? e : undefined;
  });
  const a = await api();
  await until('the case to load', () => a.bodyOffset(editor.document.uri));
  return editor;
}

/** Selects the first place an evidence phrase occurs in the note body (body offsets + the view's header). */
export async function selectPhrase(editor: vscode.TextEditor, phrase: string): Promise<void> {
  const bodyStart = await until('the case to load', () => api().then((a) => a.bodyOffset(editor.document.uri)));
  const text = editor.document.getText();
  const [place] = findEvidence(text.slice(bodyStart), phrase);
  assert.ok(place, `"${phrase}" is in the note`);
  editor.selection = new vscode.Selection(editor.document.positionAt(bodyStart + place.start), editor.document.positionAt(bodyStart + place.end));
}

/**
 * Accepts each quick input the command shows (the quick pick's active item, or an input box's value)
 * until the command finishes. Accepting while nothing is showing does nothing, so a slow machine
 * only makes this loop turn more often.
 */
export async function acceptAll(command: Thenable<unknown>): Promise<void> {
  let finished = false;
  const done = Promise.resolve(command).finally(() => (finished = true));
  const end = Date.now() + 30_000;
  while (!finished && Date.now() < end) {
    await sleep(300);
    if (!finished) await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }
  await done;
}

export function workOnDisk(id: string) {
  const file = path.join(workspaceRoot(), '.casebook', 'work', `${id}.json`);
  if (!fs.existsSync(file)) return undefined;
  return parseWorkFile(fs.readFileSync(file, 'utf8'), file).work;
}
