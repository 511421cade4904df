// The Cases view: packs → areas → cases, each case with its status (last score, in progress, new).
import * as path from 'path';
import * as vscode from 'vscode';
import type { CaseNote } from '../../core/model';
import { caseStatus } from '../../core/caseStatus';
import { escapeMd } from '../markdown';
import type { LoadedPack, PackRegistry } from '../packs/registry';

const NO_AREA = 'Other';

/** A node of the view; a pack node is also casebook.gradePack's argument (commandArgs.packRootArg). */
export type CasesNode =
  | { type: 'pack'; loaded: LoadedPack }
  | { type: 'area'; loaded: LoadedPack; area: string; cases: CaseNote[] }
  | { type: 'case'; loaded: LoadedPack; note: CaseNote };

/** The Casebook view: packs → areas → cases. A case in several areas is listed under its first. */
export class CasesView implements vscode.TreeDataProvider<CasesNode> {
  private readonly changed = new vscode.EventEmitter<CasesNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly registry: PackRegistry) {}

  /** Redraws the whole tree (packs reloaded, or progress changed). */
  refresh(): void {
    this.changed.fire(undefined);
  }

  async getChildren(node?: CasesNode): Promise<CasesNode[]> {
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

  getTreeItem(node: CasesNode): vscode.TreeItem {
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
      arguments: [caseUri(loaded, note)],
    };
    return item;
  }
}

/** The URI of a case note of a loaded pack. */
export function caseUri(loaded: LoadedPack, note: CaseNote): vscode.Uri {
  return vscode.Uri.file(path.join(loaded.root, note.file));
}
