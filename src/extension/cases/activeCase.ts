// The case the learner is working on: the active editor's, else the last one they had open while its
// note stays open. Features listen to onDidChange to draw it (highlights, the Coding Sheet).
import * as vscode from 'vscode';
import type { CaseSessions, OpenCase } from './sessions';

/** Why the shown case was announced: the learner moved to it, or its work changed. */
export type ShowCause = 'focus' | 'work';

const NOTE_EDIT_DEBOUNCE_MS = 500;

export class ActiveCase implements vscode.Disposable {
  private lastUri: vscode.Uri | undefined;
  private shownCase: OpenCase | undefined;
  private noteEditTimer: NodeJS.Timeout | undefined;
  private readonly changed = new vscode.EventEmitter<{ case: OpenCase | undefined; cause: ShowCause }>();
  /** The case to show changed (or undefined: none), or its work did. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(private readonly sessions: CaseSessions) {
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor((e) => void this.update(e)),
      vscode.workspace.onDidCloseTextDocument((d) => sessions.forget(d.uri)),
      // An author edited a note that has tags: load the case again so the tags re-anchor to the new text.
      vscode.workspace.onDidChangeTextDocument((e) => void this.onNoteEdit(e)),
      sessions.onDidChange((c) => this.show(c, 'work')),
    );
  }

  /** The case shown last (in the Coding Sheet), if any. */
  get shown(): OpenCase | undefined {
    return this.shownCase;
  }

  /** The active editor's case, else the last one the learner had open. */
  async current(): Promise<OpenCase | undefined> {
    const editor = vscode.window.activeTextEditor;
    const c = editor ? await this.sessions.caseFor(editor.document) : undefined;
    if (c) return c;
    const last = this.lastUri?.toString();
    const doc = last && vscode.workspace.textDocuments.find((d) => d.uri.toString() === last);
    return doc ? this.sessions.caseFor(doc) : undefined;
  }

  /** Like current(), telling the learner what to do when there is no case. */
  async require(): Promise<OpenCase | undefined> {
    const c = await this.current();
    if (!c) void vscode.window.showInformationMessage('Open a case first: pick one in the Casebook view (Cases).');
    return c;
  }

  /** Follows the active editor: its case becomes the shown one; a non-case file keeps the last case while its note is open. */
  async update(editor: vscode.TextEditor | undefined): Promise<void> {
    const c = editor ? await this.sessions.caseFor(editor.document) : undefined;
    void vscode.commands.executeCommand('setContext', 'casebook.caseNoteActive', !!c);
    if (c) {
      this.lastUri = c.uri;
      this.show(c, 'focus');
    } else if (!editor || editor.document.uri.scheme === 'file') {
      const last = this.lastUri?.toString();
      if (!last || !vscode.workspace.textDocuments.some((d) => d.uri.toString() === last)) this.show(undefined, 'focus');
    }
  }

  private show(c: OpenCase | undefined, cause: ShowCause): void {
    this.shownCase = c;
    this.changed.fire({ case: c, cause });
  }

  private async onNoteEdit(e: vscode.TextDocumentChangeEvent): Promise<void> {
    if (e.contentChanges.length === 0 || !(await this.sessions.peek(e.document.uri))) return;
    clearTimeout(this.noteEditTimer);
    this.noteEditTimer = setTimeout(() => {
      this.sessions.forget(e.document.uri);
      void this.update(vscode.window.activeTextEditor);
    }, NOTE_EDIT_DEBOUNCE_MS);
  }

  dispose(): void {
    clearTimeout(this.noteEditTimer);
    for (const d of this.disposables) d.dispose();
  }
}
