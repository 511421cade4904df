// The packs of the open workspace, loaded once per change: a file event reloads only the pack it
// belongs to (after a short debounce), and a save of work or history re-reads only progress.
import * as path from 'path';
import * as vscode from 'vscode';
import { findPacks, loadPack, type LoadOptions } from '../../core/pack';
import { readProgress, type CaseProgress } from '../../core/caseStatus';
import type { Pack, Problem } from '../../core/model';
import { nodeFs } from '../../node/nodeFs';

export interface LoadedPack extends CaseProgress {
  root: string;
  pack?: Pack;
  /** The pack's problems, with the real-code check when code sets are imported. */
  problems: Problem[];
  /** Date.now() when the load started: files changed later make the pack stale. */
  loadedAt: number;
}

/** The real-code check for a pack's code-set year, when code sets are imported (from CodeSets). */
export type CodeCheckFor = (year?: number) => Promise<LoadOptions['checkCode']>;

const DEBOUNCE_MS = 300;

export class PackRegistry implements vscode.Disposable {
  private loading: Promise<LoadedPack[]> | undefined;
  private readonly changed = new vscode.EventEmitter<string[] | undefined>();
  /** Packs were reloaded: the roots that changed, or undefined when all of them may have. */
  readonly onDidChange = this.changed.event;
  private readonly progressChanged = new vscode.EventEmitter<void>();
  /** Only the learner's progress changed (work saved, a case graded): statuses, not packs. */
  readonly onDidChangeProgress = this.progressChanged.event;
  private readonly disposables: vscode.Disposable[] = [this.changed, this.progressChanged];
  private refreshTimer: NodeJS.Timeout | undefined;
  private progressTimer: NodeJS.Timeout | undefined;
  /** Roots with a file change not loaded yet; `rescan` when packs may have appeared or gone. */
  private readonly dirty = new Set<string>();
  private rescan = false;
  /** How many times a pack was loaded since activation (for the test API: churn is visible). */
  loads = 0;

  constructor(private readonly codeCheckFor: CodeCheckFor) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/{casebook.json,*.md,*.csv,*.json,*.yaml,history.jsonl}');
    const onFile = (uri: vscode.Uri) => void this.onFile(uri);
    this.disposables.push(
      watcher,
      watcher.onDidCreate(onFile),
      watcher.onDidChange(onFile),
      watcher.onDidDelete(onFile),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.refresh()),
    );
  }

  private async onFile(uri: vscode.Uri): Promise<void> {
    // Not pack content: tools' folders, and .vscode/settings.json, which hiding the keys writes (a reload
    // then would rebuild the Cases view under a learner's click).
    if (uri.scheme !== 'file' || /\/(node_modules|\.git|\.vscode)\//.test(uri.path)) return;
    // Work and history live in .casebook/: a save after every tag must not reload and re-validate the pack.
    if (uri.path.includes('/.casebook/')) return this.scheduleProgress();
    const loaded = this.loading && (await this.packFor(uri.fsPath));
    if (path.basename(uri.fsPath) === 'casebook.json' && loaded?.root !== path.dirname(uri.fsPath)) this.rescan = true;
    else if (loaded) this.dirty.add(loaded.root);
    else return; // not in a pack (nor a new one)
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.applyChanges(), DEBOUNCE_MS);
  }

  /** Re-reads the learner's progress of every loaded pack soon (one read for a burst of saves). */
  scheduleProgress(): void {
    clearTimeout(this.progressTimer);
    this.progressTimer = setTimeout(() => void this.reloadProgress(), DEBOUNCE_MS);
  }

  private async reloadProgress(): Promise<void> {
    for (const loaded of this.loading ? await this.loading : []) Object.assign(loaded, await readProgress(nodeFs, loaded.root));
    this.progressChanged.fire();
  }

  /** Forgets every pack and finds them again (the Refresh command, a workspace folder added). */
  refresh(): void {
    clearTimeout(this.refreshTimer);
    this.dirty.clear();
    this.rescan = false;
    this.loading = undefined;
    this.changed.fire(undefined);
  }

  /** Loads what changed now, instead of after the debounce. */
  private applyChanges(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    if (this.rescan || !this.loading) return this.refresh();
    const roots = [...this.dirty];
    this.dirty.clear();
    if (roots.length === 0) return;
    const before = this.loading;
    this.loading = before.then((packs) => Promise.all(packs.map(async (p) => (roots.includes(p.root) ? this.loadOne(p.root) : p))));
    this.changed.fire(roots);
  }

  /**
   * The pack of `root` as it is on disk now: pending changes are loaded at once, and so is a pack
   * whose `files` (relative paths) changed after it was loaded and before a watcher said so.
   */
  async current(root: string, files: string[] = []): Promise<LoadedPack | undefined> {
    if (this.refreshTimer) this.applyChanges();
    let loaded = await this.packFor(path.join(root, 'casebook.json'));
    if (!loaded) return undefined;
    const stale = await Promise.all(
      ['casebook.json', ...files].map((f) =>
        vscode.workspace.fs.stat(vscode.Uri.file(path.join(root, f))).then(
          (s) => s.mtime >= loaded!.loadedAt,
          () => true, // gone since the load: the pack changed
        ),
      ),
    );
    if (stale.some(Boolean)) {
      this.dirty.add(loaded.root);
      this.applyChanges();
      loaded = await this.packFor(path.join(root, 'casebook.json'));
    }
    return loaded;
  }

  async all(): Promise<LoadedPack[]> {
    this.loading ??= this.loadAll();
    return this.loading;
  }

  /** The pack whose folder holds `file` (deepest match). */
  async packFor(file: string): Promise<LoadedPack | undefined> {
    const packs = await this.all();
    return packs.filter((p) => file === p.root || file.startsWith(p.root + path.sep)).sort((a, b) => b.root.length - a.root.length)[0];
  }

  private async loadAll(): Promise<LoadedPack[]> {
    const roots = new Set<string>();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      for (const root of await findPacks(nodeFs, folder.uri.fsPath)) roots.add(root);
    }
    return Promise.all([...roots].sort().map((root) => this.loadOne(root)));
  }

  private async loadOne(root: string): Promise<LoadedPack> {
    this.loads++;
    const loadedAt = Date.now();
    const { pack, problems } = await loadPack(nodeFs, root, { checkCodeFor: this.codeCheckFor });
    return { root, pack, problems, loadedAt, ...(await readProgress(nodeFs, root)) };
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    clearTimeout(this.progressTimer);
    for (const d of this.disposables) d.dispose();
  }
}
