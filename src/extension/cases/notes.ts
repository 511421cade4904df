// Showing case notes in editors: open one read-only, select a range of it, add a pack folder.
import * as vscode from 'vscode';
import type { OpenCase } from './sessions';

/** Opens a case note as the exercise: protected from accidental edits (Toggle Read-only in Session undoes this). */
export async function openCaseFile(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const editor = await vscode.window.showTextDocument(uri, { preview: false });
  await vscode.commands.executeCommand('workbench.action.files.setActiveEditorReadonlyInSession');
  return editor;
}

/** Selects body offsets [start, end) of a case note in its editor (opening it if needed) and scrolls to them. */
export async function revealInNote(c: OpenCase, start: number, end: number): Promise<void> {
  const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === c.uri.toString());
  const editor = await vscode.window.showTextDocument(c.uri, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One, preserveFocus: false });
  const range = new vscode.Range(editor.document.positionAt(c.note.bodyOffset + start), editor.document.positionAt(c.note.bodyOffset + end));
  editor.selection = new vscode.Selection(range.start, range.end);
  editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

/** Adds a pack folder to the workspace (or opens it when the window has none). */
export async function openFolder(folder: vscode.Uri): Promise<void> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.some((f) => f.uri.fsPath === folder.fsPath)) return;
  if (folders.length === 0) await vscode.commands.executeCommand('vscode.openFolder', folder);
  else vscode.workspace.updateWorkspaceFolders(folders.length, 0, { uri: folder });
}
