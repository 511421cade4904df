// The learner's view of a case note: a read-only `casebook-note:` document whose text is a header
// (title, setting, instructions) and the note body, without the front matter (core/noteView). Being a
// read-only file system it stays read-only after Reload Window. `?preview` is Preview as Learner: the
// same text with no work session (no tags, nothing of the author's).
import * as path from 'path';
import * as vscode from 'vscode';
import { parseCase } from '../../core/pack';
import { decodeText } from '../../core/fs';
import { renderNoteView } from '../../core/noteView';
import type { PackRegistry } from '../packs/registry';

export const NOTE_SCHEME = 'casebook-note';
/** The language of note views: soft-wrapped by default (package.json configurationDefaults). */
export const NOTE_LANGUAGE = 'casebook-note';
const NOTE_EXT = '.case';
const PREVIEW = 'preview';

/** The note view of a case file (`cases/knee.md` → `casebook-note:/…/cases/knee.case`). */
export function noteViewUri(file: vscode.Uri, preview = false): vscode.Uri {
  return file.with({ scheme: NOTE_SCHEME, path: file.path.replace(/\.md$/i, '') + NOTE_EXT, query: preview ? PREVIEW : '' });
}

export function isNoteView(uri: vscode.Uri): boolean {
  return uri.scheme === NOTE_SCHEME;
}

export function isPreview(uri: vscode.Uri): boolean {
  return isNoteView(uri) && uri.query === PREVIEW;
}

/** The case file a document shows: itself for a file, the file behind a note view. */
export function caseFileUri(uri: vscode.Uri): vscode.Uri {
  return isNoteView(uri) ? vscode.Uri.file(uri.path.slice(0, -NOTE_EXT.length) + '.md') : uri;
}

/** The case file's text as the editor has it (unsaved author edits included), else from disk. */
export async function caseFileText(file: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file.fsPath);
  return open ? open.getText() : decodeText(await vscode.workspace.fs.readFile(file));
}

/** Renders note views; read-only. A change to the case file on disk is announced for its views. */
export class NoteViewProvider implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  /** The note views read so far, by case file path. */
  private readonly served = new Map<string, Set<string>>();
  private readonly watcher = vscode.workspace.createFileSystemWatcher('**/*.md', true, false, true);

  constructor(private readonly registry: PackRegistry) {
    this.watcher.onDidChange((file) => {
      const views = this.served.get(file.fsPath);
      if (views) this.changed.fire([...views].map((v) => ({ type: vscode.FileChangeType.Changed, uri: vscode.Uri.parse(v) })));
    });
  }

  /** The text of a note view and where its body starts. */
  async render(uri: vscode.Uri): Promise<{ text: string; bodyOffset: number }> {
    const file = caseFileUri(uri);
    const loaded = await this.registry.packFor(file.fsPath);
    let text: string;
    try {
      text = await caseFileText(file);
    } catch {
      throw vscode.FileSystemError.FileNotFound(uri);
    }
    const rel = loaded ? path.relative(loaded.root, file.fsPath).split(path.sep).join('/') : path.basename(file.fsPath);
    const { note } = parseCase(text, rel);
    if (!note) return { text: stripFrontMatter(text), bodyOffset: 0 }; // broken front matter: the author sees it in Problems
    return renderNoteView(note, { showAreas: loaded?.pack?.manifest.showAreas });
  }

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined); // one watcher for all views (above)
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    let info: vscode.FileStat;
    try {
      info = await vscode.workspace.fs.stat(caseFileUri(uri));
    } catch {
      throw vscode.FileSystemError.FileNotFound(uri);
    }
    if (info.type !== vscode.FileType.File) throw vscode.FileSystemError.FileNotFound(uri);
    const size = new TextEncoder().encode((await this.render(uri)).text).length;
    return { type: vscode.FileType.File, ctime: info.ctime, mtime: info.mtime, size, permissions: vscode.FilePermission.Readonly };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const file = caseFileUri(uri).fsPath;
    const views = this.served.get(file) ?? new Set<string>();
    views.add(uri.toString());
    this.served.set(file, views);
    return new TextEncoder().encode((await this.render(uri)).text);
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }

  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  writeFile(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  dispose(): void {
    this.watcher.dispose();
    this.changed.dispose();
  }
}

function stripFrontMatter(text: string): string {
  return text.replace(/^\uFEFF?---\r?\n[\s\S]*?\r?\n---\r?\n/, '');
}
