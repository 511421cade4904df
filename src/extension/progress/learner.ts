// The learner's history of each pack, read once per change (the registry says when progress or a
// pack changed), and what the progress feature derives from it through core/progress.
import * as vscode from 'vscode';
import { resolvePolicy } from '../../core/grade';
import { readHistory, type HistoryEntry } from '../../core/history';
import { missedCodes, practiseNext, type JournalEntry, type NextCase } from '../../core/progress';
import { nodeFs } from '../../node/nodeFs';
import type { LoadedPack, PackRegistry } from '../packs/registry';

export class LearnerProgress implements vscode.Disposable {
  private readonly histories = new Map<string, Promise<HistoryEntry[]>>();
  private readonly changed = new vscode.EventEmitter<void>();
  /** The history or a pack changed: views and the dashboard redraw. */
  readonly onDidChange = this.changed.event;
  private readonly disposables: vscode.Disposable[] = [this.changed];

  constructor(registry: PackRegistry) {
    const forget = () => {
      this.histories.clear();
      this.changed.fire();
    };
    this.disposables.push(registry.onDidChangeProgress(forget), registry.onDidChange(forget));
  }

  /** The pack's graded attempts of its own cases, oldest first in file order (an unreadable file: none). */
  history(loaded: LoadedPack): Promise<HistoryEntry[]> {
    let h = this.histories.get(loaded.root);
    if (!h) {
      const ids = new Set(loaded.pack?.cases.map((c) => c.id));
      h = readHistory(nodeFs, loaded.root).then(
        ({ entries }) => entries.filter((e) => ids.has(e.case)),
        () => [],
      );
      this.histories.set(loaded.root, h);
    }
    return h;
  }

  async journal(loaded: LoadedPack): Promise<JournalEntry[]> {
    return loaded.pack ? missedCodes(await this.history(loaded), loaded.pack.keys) : [];
  }

  /** The pass mark grading uses: the casebook.passMark setting, else the pack's policy (as grading/grading.ts). */
  passMark(loaded: LoadedPack): number {
    const setting = vscode.workspace.getConfiguration('casebook').get<number | null>('passMark');
    return resolvePolicy(loaded.pack?.manifest.grading, typeof setting === 'number' ? { passMark: setting } : undefined).passMark;
  }

  async next(loaded: LoadedPack, now = new Date()): Promise<NextCase[]> {
    return loaded.pack ? practiseNext(loaded.pack, await this.history(loaded), now, this.passMark(loaded)) : [];
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
