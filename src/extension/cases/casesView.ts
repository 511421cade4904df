// The Cases view: packs → areas (in CPC order) → cases, each case with its difficulty and status
// (last score, in progress, new); overall progress in the view's description; follows the active case.
import * as path from 'path';
import * as vscode from 'vscode';
import type { CaseNote } from '../../core/model';
import { sortAreas } from '../../core/areas';
import { caseStatus } from '../../core/caseStatus';
import { escapeMd } from '../markdown';
import type { LoadedPack, PackRegistry } from '../packs/registry';

const NO_AREA = 'Other';

/** A node of the view; a pack node is also casebook.gradePack's argument (commandArgs.packRootArg). */
export type CasesNode =
  | { type: 'pack'; loaded: LoadedPack }
  | { type: 'area'; loaded: LoadedPack; area: string; cases: CaseNote[] }
  | { type: 'case'; loaded: LoadedPack; note: CaseNote };

/** "12 of 29 done": cases graded at least once, of the pack's cases. */
export function progressText(packs: LoadedPack[]): string {
  const cases = packs.flatMap((p) => (p.pack?.cases ?? []).map((n) => ({ p, n })));
  const done = cases.filter(({ p, n }) => p.lastScores.has(n.id)).length;
  return cases.length ? `${done} of ${cases.length} done` : '';
}

/** The Casebook view: packs → areas → cases. A case in several areas is listed under its first. */
export class CasesView implements vscode.TreeDataProvider<CasesNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<CasesNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  private refreshTimer: NodeJS.Timeout | undefined;

  constructor(private readonly registry: PackRegistry) {}

  /**
   * Redraws the whole tree (packs reloaded, or progress changed), once for a burst of changes: each
   * redraw replaces the rows, and a click on a row being replaced is lost (VS Code drops its command).
   */
  refresh(): void {
    clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => this.changed.fire(undefined), 150);
  }

  /** A redraw still pending when the extension stops is dropped, not fired on a disposed view. */
  dispose(): void {
    clearTimeout(this.refreshTimer);
    this.changed.dispose();
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
        const area = areaOf(note);
        byArea.set(area, [...(byArea.get(area) ?? []), note]);
      }
      return sortAreas(byArea.keys()).map((area) => ({ type: 'area', loaded: node.loaded, area, cases: byArea.get(area)! }));
    }
    if (node.type === 'area') return node.cases.map((note) => ({ type: 'case', loaded: node.loaded, note }));
    return [];
  }

  /** For reveal(): a case's area, an area's pack (none when the view shows a single pack's areas at the top). */
  async getParent(node: CasesNode): Promise<CasesNode | undefined> {
    if (node.type === 'case') {
      const area = areaOf(node.note);
      return { type: 'area', loaded: node.loaded, area, cases: (node.loaded.pack?.cases ?? []).filter((n) => areaOf(n) === area) };
    }
    if (node.type === 'area') return (await this.registry.all()).length === 1 ? undefined : { type: 'pack', loaded: node.loaded };
    return undefined;
  }

  getTreeItem(node: CasesNode): vscode.TreeItem {
    if (node.type === 'pack') {
      const { loaded } = node;
      const errors = loaded.problems.filter((p) => p.severity === 'error').length;
      const item = new vscode.TreeItem(loaded.pack?.manifest.title ?? path.basename(loaded.root), vscode.TreeItemCollapsibleState.Expanded);
      item.description = errors
        ? `${errors} problem${errors > 1 ? 's' : ''}`
        : loaded.pack && loaded.pack.keys.size === 0
          ? `no keys · ${progressText([loaded])}`
          : progressText([loaded]);
      item.tooltip = loaded.root;
      item.id = `pack:${loaded.root}`;
      item.contextValue = 'pack';
      item.iconPath = new vscode.ThemeIcon('book');
      return item;
    }
    if (node.type === 'area') {
      const item = new vscode.TreeItem(node.area, vscode.TreeItemCollapsibleState.Expanded);
      const done = node.cases.filter((n) => node.loaded.lastScores.has(n.id)).length;
      item.description = `${done}/${node.cases.length}`;
      item.tooltip = `${node.area}: ${done} of ${node.cases.length} cases done`;
      item.id = `area:${node.loaded.root}#${node.area}`;
      item.contextValue = 'area';
      return item;
    }
    const { note, loaded } = node;
    const status = caseStatus(loaded, note.id);
    // Difficulty leads the label so a long title cannot push it out of sight (descriptions are cut first).
    const item = new vscode.TreeItem(note.difficulty ? `${'★'.repeat(note.difficulty)} ${note.title}` : note.title, vscode.TreeItemCollapsibleState.None);
    item.description = status;
    const areas = loaded.pack?.manifest.showAreas && note.areas.length ? `${escapeMd(note.areas.join(', '))}\n\n` : '';
    item.tooltip = new vscode.MarkdownString(`**${escapeMd(note.title)}**\n\n${areas}Difficulty: ${note.difficulty ?? '–'} of 5 · ${status}`);
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

function areaOf(note: CaseNote): string {
  return note.areas[0] ?? NO_AREA;
}

/** The URI of a case note of a loaded pack. */
export function caseUri(loaded: LoadedPack, note: CaseNote): vscode.Uri {
  return vscode.Uri.file(path.join(loaded.root, note.file));
}
