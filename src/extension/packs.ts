// The packs of the open workspace and the Casebook view (cases grouped by area, with status).
import * as path from 'path';
import * as vscode from 'vscode';
import { findPacks, loadPack } from '../core/pack';
import { parseHistory, HistoryEntry } from '../core/history';
import type { CaseNote, Pack, Problem } from '../core/model';
import { decodeText } from '../core/fs';
import { nodeFs } from '../node/nodeFs';

export interface LoadedPack {
  root: string;
  pack?: Pack;
  problems: Problem[];
  /** Last graded attempt per case id. */
  lastScores: Map<string, HistoryEntry>;
  /** Case ids with a saved work file that has tags. */
  inProgress: Set<string>;
}

const NO_AREA = 'Other';

/** Knows every pack in the workspace; reloads lazily when files change. */
export class PackRegistry implements vscode.Disposable {
  private packs: LoadedPack[] | undefined;
  private loading: Promise<LoadedPack[]> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** The packs themselves changed (manifest, cases, keys, glossary): they are reloaded. */
  readonly onDidChange = this.changed.event;
  private readonly progressChanged = new vscode.EventEmitter<void>();
  /** Only the learner's progress changed (work saved, a case graded): statuses, not packs. */
  readonly onDidChangeProgress = this.progressChanged.event;
  private readonly disposables: vscode.Disposable[] = [this.changed, this.progressChanged];
  private refreshTimer: NodeJS.Timeout | undefined;
  private progressTimer: NodeJS.Timeout | undefined;

  constructor() {
    const watcher = vscode.workspace.createFileSystemWatcher('**/{casebook.json,*.md,*.csv,*.json,*.yaml,history.jsonl}');
    const onFile = (uri: vscode.Uri) => {
      if (uri.path.includes('/node_modules/') || uri.path.includes('/.git/')) return;
      // Work and history live in .casebook/: a save after every tag must not reload and re-validate the pack.
      if (uri.path.includes('/.casebook/')) this.scheduleProgress();
      else this.scheduleRefresh();
    };
    this.disposables.push(
      watcher,
      watcher.onDidCreate(onFile),
      watcher.onDidChange(onFile),
      watcher.onDidDelete(onFile),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.refresh()),
    );
  }

  /** Reloads soon; many file events in a burst (git checkout, a save of work) make one reload. */
  private scheduleRefresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.refresh(), 300);
  }

  /** Re-reads the learner's progress of every loaded pack soon (one read for a burst of saves). */
  scheduleProgress(): void {
    clearTimeout(this.progressTimer);
    this.progressTimer = setTimeout(async () => {
      for (const loaded of this.packs ?? []) Object.assign(loaded, await readProgress(loaded.root));
      this.progressChanged.fire();
    }, 300);
  }

  refresh(): void {
    this.packs = undefined;
    this.loading = undefined;
    this.changed.fire();
  }

  async all(): Promise<LoadedPack[]> {
    if (this.packs) return this.packs;
    if (!this.loading) {
      const loading = this.load();
      this.loading = loading;
      loading.then((packs) => {
        if (this.loading === loading) this.packs = packs;
      });
    }
    return this.loading;
  }

  /** The pack whose folder holds `file` (deepest match). */
  async packFor(file: string): Promise<LoadedPack | undefined> {
    const packs = await this.all();
    return packs
      .filter((p) => file === p.root || file.startsWith(p.root + path.sep))
      .sort((a, b) => b.root.length - a.root.length)[0];
  }

  private async load(): Promise<LoadedPack[]> {
    const roots = new Set<string>();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      for (const root of await findPacks(nodeFs, folder.uri.fsPath)) roots.add(root);
    }
    const loaded: LoadedPack[] = [];
    for (const root of [...roots].sort()) {
      const { pack, problems } = await loadPack(nodeFs, root);
      loaded.push({ root, pack, problems, ...(await readProgress(root)) });
    }
    return loaded;
  }

  dispose(): void {
    clearTimeout(this.refreshTimer);
    clearTimeout(this.progressTimer);
    for (const d of this.disposables) d.dispose();
  }
}

async function readProgress(root: string): Promise<Pick<LoadedPack, 'lastScores' | 'inProgress'>> {
  const lastScores = new Map<string, HistoryEntry>();
  const inProgress = new Set<string>();
  try {
    const text = decodeText(await nodeFs.readFile(path.join(root, '.casebook', 'history.jsonl')));
    for (const entry of parseHistory(text)) lastScores.set(entry.case, entry);
  } catch {
    // no history yet
  }
  try {
    for (const entry of await nodeFs.readdir(path.join(root, '.casebook', 'work'))) {
      if (entry.kind === 'file' && entry.name.endsWith('.json')) inProgress.add(entry.name.slice(0, -5));
    }
  } catch {
    // no work yet
  }
  return { lastScores, inProgress };
}

type Node =
  | { type: 'pack'; loaded: LoadedPack }
  | { type: 'area'; loaded: LoadedPack; area: string; cases: CaseNote[] }
  | { type: 'case'; loaded: LoadedPack; note: CaseNote };

export function caseStatus(loaded: LoadedPack, caseId: string): string {
  const last = loaded.lastScores.get(caseId);
  if (last) return `${Math.round(last.percent * 100)}% ${last.passed ? 'passed' : 'not passed'}`;
  return loaded.inProgress.has(caseId) ? 'in progress' : 'new';
}

/** The Casebook view: packs → areas → cases. A case in several areas is listed under its first. */
export class CasesView implements vscode.TreeDataProvider<Node> {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly registry: PackRegistry) {
    registry.onDidChange(() => this.changed.fire(undefined));
    registry.onDidChangeProgress(() => this.changed.fire(undefined));
  }

  async getChildren(node?: Node): Promise<Node[]> {
    if (!node) {
      const packs = await this.registry.all();
      if (packs.length === 1) return this.getChildren({ type: 'pack', loaded: packs[0] });
      return packs.map((loaded) => ({ type: 'pack', loaded }));
    }
    if (node.type === 'pack') {
      const byArea = new Map<string, CaseNote[]>();
      for (const note of node.loaded.pack?.cases ?? []) {
        const area = note.areas[0] ?? NO_AREA;
        byArea.set(area, [...(byArea.get(area) ?? []), note]);
      }
      return [...byArea].map(([area, cases]) => ({ type: 'area', loaded: node.loaded, area, cases }));
    }
    if (node.type === 'area') return node.cases.map((note) => ({ type: 'case', loaded: node.loaded, note }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.type === 'pack') {
      const { loaded } = node;
      const errors = loaded.problems.filter((p) => p.severity === 'error').length;
      const item = new vscode.TreeItem(loaded.pack?.manifest.title ?? path.basename(loaded.root), vscode.TreeItemCollapsibleState.Expanded);
      item.description = errors ? `${errors} problem${errors > 1 ? 's' : ''}` : loaded.pack && loaded.pack.keys.size === 0 ? 'no keys' : '';
      item.tooltip = loaded.root;
      item.contextValue = 'pack';
      item.iconPath = new vscode.ThemeIcon('book');
      return item;
    }
    if (node.type === 'area') {
      const item = new vscode.TreeItem(node.area, vscode.TreeItemCollapsibleState.Expanded);
      item.description = `${node.cases.length}`;
      item.contextValue = 'area';
      return item;
    }
    const { note, loaded } = node;
    const status = caseStatus(loaded, note.id);
    const item = new vscode.TreeItem(note.title, vscode.TreeItemCollapsibleState.None);
    const stars = note.difficulty ? '★'.repeat(note.difficulty) : '';
    item.description = [stars, status].filter(Boolean).join('  ');
    item.tooltip = new vscode.MarkdownString(
      `**${escapeMd(note.title)}**\n\n${escapeMd(note.areas.join(', '))}\n\nDifficulty: ${note.difficulty ?? '–'} · ${status}`,
    );
    item.accessibilityInformation = { label: `${note.title}, difficulty ${note.difficulty ?? 'not set'}, ${status}` };
    item.id = `${loaded.root}#${note.id}`;
    item.contextValue = 'case';
    const last = loaded.lastScores.get(note.id);
    item.iconPath = last
      ? new vscode.ThemeIcon(last.passed ? 'pass' : 'error', new vscode.ThemeColor(last.passed ? 'testing.iconPassed' : 'testing.iconFailed'))
      : new vscode.ThemeIcon(status === 'new' ? 'circle-large-outline' : 'edit');
    item.command = {
      command: 'casebook.openCase',
      title: 'Open Case',
      arguments: [vscode.Uri.file(path.join(loaded.root, note.file))],
    };
    return item;
  }
}

export function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!<>|]/g, '\\$&');
}
