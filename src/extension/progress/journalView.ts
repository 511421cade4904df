// The Missed-Code Journal view: every code the learner missed, got wrong or over-coded (core/progress
// missedCodes), grouped by case or by error type; hover for the why, click to open the case.
import * as path from 'path';
import * as vscode from 'vscode';
import type { JournalEntry } from '../../core/progress';
import { escapeMd } from '../markdown';
import type { LoadedPack, PackRegistry } from '../packs/registry';
import type { LearnerProgress } from './learner';

export type JournalGrouping = 'case' | 'type';

export type JournalNode =
  | { type: 'pack'; loaded: LoadedPack }
  | { type: 'group'; loaded: LoadedPack; by: JournalGrouping; key: string; entries: JournalEntry[] }
  | { type: 'entry'; loaded: LoadedPack; entry: JournalEntry };

export class JournalView implements vscode.TreeDataProvider<JournalNode> {
  private readonly changed = new vscode.EventEmitter<JournalNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly registry: PackRegistry,
    private readonly learner: LearnerProgress,
    public grouping: JournalGrouping,
  ) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(node?: JournalNode): Promise<JournalNode[]> {
    if (!node) {
      const packs = (await this.registry.all()).filter((p) => p.pack && p.pack.keys.size > 0);
      const withEntries = (await Promise.all(packs.map(async (loaded) => ((await this.learner.journal(loaded)).length ? loaded : undefined)))).filter(
        (p): p is LoadedPack => p !== undefined,
      );
      // One pack: its groups are the top level (as in the Cases view).
      if (withEntries.length === 1) return this.getChildren({ type: 'pack', loaded: withEntries[0] });
      return withEntries.map((loaded) => ({ type: 'pack', loaded }));
    }
    if (node.type === 'pack') {
      const groups = new Map<string, JournalEntry[]>();
      for (const entry of await this.learner.journal(node.loaded)) {
        const key = this.grouping === 'case' ? entry.case : entry.type;
        groups.set(key, [...(groups.get(key) ?? []), entry]);
      }
      const list = [...groups].map(([key, entries]): JournalNode => ({ type: 'group', loaded: node.loaded, by: this.grouping, key, entries }));
      // Error types: the most frequent first; cases: in pack order.
      if (this.grouping === 'type') list.sort((a, b) => total(b) - total(a));
      else {
        const order = new Map(node.loaded.pack?.cases.map((c, i) => [c.id, i]));
        list.sort((a, b) => (a.type === 'group' && b.type === 'group' ? (order.get(a.key) ?? 1e9) - (order.get(b.key) ?? 1e9) : 0));
      }
      return list;
    }
    if (node.type === 'group') return [...node.entries].sort((a, b) => b.count - a.count).map((entry) => ({ type: 'entry', loaded: node.loaded, entry }));
    return [];
  }

  getTreeItem(node: JournalNode): vscode.TreeItem {
    if (node.type === 'pack') {
      const item = new vscode.TreeItem(node.loaded.pack?.manifest.title ?? path.basename(node.loaded.root), vscode.TreeItemCollapsibleState.Expanded);
      item.tooltip = node.loaded.root;
      item.iconPath = new vscode.ThemeIcon('book');
      item.contextValue = 'journalPack';
      return item;
    }
    if (node.type === 'group') {
      const title = node.by === 'case' ? (node.loaded.pack?.cases.find((c) => c.id === node.key)?.title ?? node.key) : node.key;
      const item = new vscode.TreeItem(title, vscode.TreeItemCollapsibleState.Expanded);
      item.description =
        node.by === 'case' ? `${node.key} · ${node.entries.length}` : `${node.entries.length} code${node.entries.length === 1 ? '' : 's'}, ${total(node)}×`;
      item.id = `journal:${node.loaded.root}#${node.by}:${node.key}`;
      item.contextValue = 'journalGroup';
      item.iconPath = new vscode.ThemeIcon(node.by === 'case' ? 'file' : 'warning');
      return item;
    }
    const { entry, loaded } = node;
    const expected = entry.expected ? `key ${entry.expected}` : 'not in the key';
    const item = new vscode.TreeItem(entry.code, vscode.TreeItemCollapsibleState.None);
    item.description = `${this.grouping === 'type' ? `${entry.case} · ` : `${entry.type} · `}${expected} · ×${entry.count}`;
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${escapeMd(entry.code)}** — ${escapeMd(entry.type)}\n\n`);
    md.appendMarkdown(`Case: ${escapeMd(entry.case)}  \nKey expects: ${escapeMd(entry.expected ?? '(not in the key: over-coded)')}  \n`);
    md.appendMarkdown(`Missed ${entry.count} time${entry.count === 1 ? '' : 's'}, last ${escapeMd(entry.last.slice(0, 10))}`);
    if (entry.why) md.appendMarkdown(`\n\n${escapeMd(entry.why)}`);
    item.tooltip = md;
    item.accessibilityInformation = { label: `${entry.code}, ${entry.type}, case ${entry.case}, ${expected}, missed ${entry.count} times` };
    item.id = `journal:${loaded.root}#${entry.case}#${entry.expected ?? `+${entry.code}`}`;
    item.contextValue = 'journalEntry';
    item.iconPath = new vscode.ThemeIcon(entry.expected === null ? 'diff-added' : entry.type === 'missing' ? 'circle-slash' : 'error');
    const note = loaded.pack?.cases.find((c) => c.id === entry.case);
    if (note) item.command = { command: 'casebook.openCase', title: 'Open Case', arguments: [vscode.Uri.file(path.join(loaded.root, note.file))] };
    return item;
  }
}

function total(node: JournalNode): number {
  return node.type === 'group' ? node.entries.reduce((n, e) => n + e.count, 0) : 0;
}
