// Showing case notes in editors: open one read-only, select a range of it, add a pack folder.
import * as vscode from 'vscode';
import { caseFileUri, isPreview, NOTE_LANGUAGE, noteViewUri } from './noteView';
import type { OpenCase } from './sessions';

/** Opens a case as the exercise: its read-only learner view (header and note, no front matter). */
export async function openCaseFile(uri: vscode.Uri, options: { preview?: boolean; viewColumn?: vscode.ViewColumn } = {}): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(noteViewUri(caseFileUri(uri), options.preview));
  const shown = doc.languageId === NOTE_LANGUAGE ? doc : await vscode.languages.setTextDocumentLanguage(doc, NOTE_LANGUAGE);
  return vscode.window.showTextDocument(shown, { preview: !!options.preview, viewColumn: options.viewColumn });
}

/** The open document of a case file: its learner view first, else the file itself (an author's). */
export function caseDocument(file: vscode.Uri): vscode.TextDocument | undefined {
  const docs = vscode.workspace.textDocuments.filter((d) => !isPreview(d.uri) && caseFileUri(d.uri).fsPath === file.fsPath);
  return docs.find((d) => d.uri.scheme !== 'file') ?? docs[0];
}

/** Selects body offsets [start, end) of a case note in its editor (opening it if needed) and scrolls to them. */
export async function revealInNote(c: OpenCase, start: number, end: number): Promise<void> {
  const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === c.uri.toString());
  const editor = await vscode.window.showTextDocument(c.uri, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One, preserveFocus: false });
  const range = new vscode.Range(editor.document.positionAt(c.offset + start), editor.document.positionAt(c.offset + end));
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
