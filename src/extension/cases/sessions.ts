// Open cases: for a case note in an editor, its pack, its parsed note and the learner's work session.
// Every change to the work is saved at once (atomically, by core/work) and announced. A case can be
// open twice (an author's raw file and the learner view): both share one WorkSession, so neither
// saves over the other's tags.
import * as path from 'path';
import * as vscode from 'vscode';
import { caseFileOf, parseCase } from '../../core/pack';
import { loadWork, saveWork, workPath } from '../../core/work';
import { WorkSession } from '../../core/session';
import type { CaseNote, Problem, WorkFile } from '../../core/model';
import { nodeFs } from '../../node/nodeFs';
import type { LoadedPack, PackRegistry } from '../packs/registry';
import { caseFileText, caseFileUri, isNoteView, isPreview } from './noteView';

export interface OpenCase {
  /** The document the learner works in: the note view, or (for an author) the case file itself. */
  uri: vscode.Uri;
  /** Where the note body starts in that document: body offsets (tags) + offset = document offsets. */
  offset: number;
  loaded: LoadedPack;
  note: CaseNote;
  session: WorkSession;
  workFile: string;
}

export class CaseSessions implements vscode.Disposable {
  private readonly open = new Map<string, Promise<OpenCase | undefined>>();
  /** Saves run one after another per case, so the file on disk always ends as the newest state. */
  private readonly saving = new Map<string, Promise<void>>();
  /** One session per work file while any of its documents is open, with the body it was anchored on. */
  private readonly sessions = new Map<string, { body: string; session: WorkSession; users: Set<string> }>();
  /** The refusal last shown per work file, so a refused save is said once, not on every tag. */
  private readonly refusals = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<OpenCase>();
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly registry: PackRegistry,
    /** Where the body starts in a note view (the header's length), from the note view provider. */
    private readonly noteViewOffset: (uri: vscode.Uri) => Promise<number>,
  ) {}

  /** The case for a document, loading its work on first use; undefined when the file is not a case note of a pack. */
  async caseFor(document: vscode.TextDocument): Promise<OpenCase | undefined> {
    if (document.uri.scheme !== 'file' && !(isNoteView(document.uri) && !isPreview(document.uri))) return undefined;
    const key = document.uri.toString();
    let entry = this.open.get(key);
    if (!entry) {
      entry = this.load(document);
      this.open.set(key, entry);
      entry.then(
        (c) => {
          if (!c) this.open.delete(key); // not a case (yet): ask again next time
        },
        () => this.open.delete(key),
      );
    }
    return entry;
  }

  /** The case already loaded for a document, without loading. */
  async peek(uri: vscode.Uri): Promise<OpenCase | undefined> {
    return this.open.get(uri.toString());
  }

  private async load(document: vscode.TextDocument): Promise<OpenCase | undefined> {
    const fileUri = caseFileUri(document.uri);
    const file = fileUri.fsPath;
    const loaded = await this.registry.packFor(file);
    if (!loaded?.pack) return undefined;
    const rel = path.relative(loaded.root, file).split(path.sep).join('/');
    if (!caseFileOf(loaded.pack.manifest, rel)) return undefined;
    const noteView = isNoteView(document.uri);
    const { note } = parseCase(noteView ? await caseFileText(fileUri).catch(() => '') : document.getText(), rel);
    if (!note) return undefined;
    const offset = noteView ? await this.noteViewOffset(document.uri) : note.bodyOffset;
    const workFile = workPath(loaded.root, note.id);
    const key = document.uri.toString();
    const shared = this.sessions.get(workFile);
    if (shared && shared.body === note.body) {
      shared.users.add(key);
      return { uri: document.uri, offset, loaded, note, session: shared.session, workFile };
    }
    await this.saving.get(workFile); // a save still under way must land before the file is read again
    const result = await loadWork(nodeFs, loaded.root, note.id, note.body);
    if (result.refused) this.refusedToSave(workPath(loaded.root, note.id), result.refused, 'read');
    if (result.trimmed && result.movedAside) {
      void vscode.window.showWarningMessage(
        `Part of your saved work for "${note.title}" was nested too deeply to keep (${result.problems?.[0]?.message ?? 'too deep'}). Your tags and everything else are kept; the original file was kept as ${path.basename(result.movedAside)}. Nothing was deleted.`,
      );
    } else if (result.movedAside) {
      void vscode.window.showWarningMessage(
        `Casebook could not read your saved work for "${note.title}", so it was kept as ${path.basename(result.movedAside)} and you start fresh. Nothing was deleted.`,
      );
    }
    if (result.detached > 0) {
      void vscode.window.showInformationMessage(
        `The note "${note.title}" changed since you tagged it: ${result.detached} tag(s) could not find their text and are listed as detached in the Coding Sheet.`,
      );
    }
    const opened: OpenCase = { uri: document.uri, offset, loaded, note, session: new WorkSession(result.work, note.body), workFile };
    // A new body (an author's edit) starts a new session; documents on the old one load again when used.
    if (shared) for (const user of shared.users) if (user !== key) this.open.delete(user);
    this.sessions.set(workFile, { body: note.body, session: opened.session, users: new Set([key]) });
    if (result.reanchored > 0 || result.detached > 0 || result.trimmed) await this.save(opened);
    return opened;
  }

  /** Applies a change to the work, saves it and tells the views. */
  async change(c: OpenCase, edit: (session: WorkSession) => void): Promise<void> {
    edit(c.session);
    await this.save(c);
    this.changed.fire(c);
  }

  /** Removes tags as one change and offers to undo it (a notification button). */
  async remove(c: OpenCase, ids: string[], what: string): Promise<void> {
    if (!ids.length) return;
    await this.change(c, (s) => s.removeTags(ids));
    const removed = c.session.work;
    void vscode.window.showInformationMessage(`Removed ${what}.`, 'Undo').then(async (choice) => {
      // Undo only while the removal is still the last change to this case.
      if (choice === 'Undo' && c.session.work === removed) await this.change(c, (s) => s.undo());
      else if (choice === 'Undo') void vscode.window.showInformationMessage(`The case changed since ${what} was removed: use Casebook: Undo Last Change.`);
    });
  }

  /**
   * Says once (until a save succeeds again) that the work's place is not safely inside the pack.
   * The tags stay in the session; every change tries to save again.
   */
  private refusedToSave(workFile: string, problem: Problem, what: 'read' | 'save'): void {
    const said = `${problem.file}: ${problem.message}`;
    if (this.refusals.get(workFile) === said) return;
    this.refusals.set(workFile, said);
    const done = what === 'read' ? 'did not read or save your work there' : 'did not save your work';
    void vscode.window.showErrorMessage(
      `Casebook ${done}: ${problem.message}. Your tags are kept in memory while the case is open. To fix: ${problem.hint ?? 'make .casebook a plain folder of the pack'}, then make any change to save again.`,
    );
  }

  private save(c: OpenCase): Promise<void> {
    const work: WorkFile = { ...c.session.work, updated: new Date().toISOString() };
    const previous = this.saving.get(c.workFile) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(() => saveWork(nodeFs, c.loaded.root, work))
      .then((refused) => {
        if (refused) this.refusedToSave(c.workFile, refused, 'save');
        else this.refusals.delete(c.workFile);
      })
      .catch((e) => {
        void vscode.window.showErrorMessage(
          `Casebook could not save your work to ${c.workFile}: ${(e as Error).message}. Your tags are still in memory; free disk space or fix permissions, then make any change to save again.`,
        );
      });
    this.saving.set(c.workFile, next);
    return next;
  }

  /** Forgets a case (its document closed, or its pack changed). Work is on disk already. */
  forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.open.delete(key);
    for (const [workFile, shared] of this.sessions) {
      if (shared.users.delete(key) && shared.users.size === 0) this.sessions.delete(workFile);
    }
  }

  forgetAll(): void {
    this.open.clear();
    this.sessions.clear();
  }

  /** The open cases that share a case's work session (the same case in another editor). */
  async siblings(c: OpenCase): Promise<OpenCase[]> {
    const all = await Promise.all([...this.open.values()]);
    return all.filter((o): o is OpenCase => !!o && o.session === c.session);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
