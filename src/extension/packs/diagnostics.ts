// Pack problems in the Problems panel, live: while an author types in a case, key, question, exam or casebook.json,
// the pack is re-validated (debounced) with the unsaved buffers of its open files. Saved files are
// the registry's: it reloads the pack once, and its problems are shown as they are.
import * as path from 'path';
import * as vscode from 'vscode';
import { loadPack } from '../../core/pack';
import type { Problem } from '../../core/model';
import { nodeFs } from '../../node/nodeFs';
import type { CodeCheckFor, PackRegistry } from './registry';

const DEBOUNCE_MS = 400;

export class PackDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('casebook');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [this.collection];
  /** Files that had problems per pack, so fixed files are cleared. */
  private readonly shown = new Map<string, Set<string>>();

  constructor(
    private readonly registry: PackRegistry,
    private readonly codeCheckFor: CodeCheckFor,
  ) {
    this.disposables.push(
      // A save changes no content: the registry's reload of the saved files shows its problems.
      vscode.workspace.onDidChangeTextDocument((e) => (e.contentChanges.length ? void this.onEdit(e.document) : undefined)),
      registry.onDidChange((roots) => void this.showAll(roots)),
    );
  }

  private enabled(): boolean {
    return vscode.workspace.getConfiguration('casebook').get<boolean>('validateWhileTyping', true);
  }

  private async onEdit(document: vscode.TextDocument): Promise<void> {
    if (document.uri.scheme !== 'file' || !this.enabled()) return;
    if (!/\.(md|json|csv|yaml)$/.test(document.uri.fsPath)) return;
    const loaded = await this.registry.packFor(document.uri.fsPath);
    const root = loaded?.root ?? (path.basename(document.uri.fsPath) === 'casebook.json' ? path.dirname(document.uri.fsPath) : undefined);
    if (!root) return;
    clearTimeout(this.timers.get(root));
    this.timers.set(
      root,
      setTimeout(() => void this.validate(root), DEBOUNCE_MS),
    );
  }

  /** Shows the problems the registry found on disk for the reloaded packs (all when `roots` is undefined). */
  async showAll(roots?: string[]): Promise<void> {
    for (const loaded of await this.registry.all()) {
      if (roots && !roots.includes(loaded.root)) continue;
      clearTimeout(this.timers.get(loaded.root)); // the reload has the saved text already
      const dirty = vscode.workspace.textDocuments.some((d) => d.isDirty && d.uri.fsPath.startsWith(loaded.root + path.sep));
      if (dirty) await this.validate(loaded.root);
      else this.publish(loaded.root, loaded.problems);
    }
  }

  /** Validates a pack with open editors' unsaved text, and shows the result. */
  async validate(root: string): Promise<Problem[]> {
    const overrides = new Map<string, string>();
    for (const d of vscode.workspace.textDocuments) {
      if (d.uri.scheme === 'file' && d.uri.fsPath.startsWith(root + path.sep)) overrides.set(d.uri.fsPath, d.getText());
    }
    const { problems } = await loadPack(nodeFs, root, { overrides, checkCodeFor: this.codeCheckFor });
    this.publish(root, problems);
    return problems;
  }

  private publish(root: string, problems: Problem[]): void {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const p of problems) {
      const file = path.join(root, p.file);
      const line = Math.max(0, p.line - 1);
      const column = Math.max(0, p.column - 1);
      const d = new vscode.Diagnostic(
        new vscode.Range(line, column, line, column + 1),
        p.hint ? `${p.message} (${p.hint})` : p.message,
        p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
      );
      d.source = 'casebook';
      byFile.set(file, [...(byFile.get(file) ?? []), d]);
    }
    for (const file of this.shown.get(root) ?? []) if (!byFile.has(file)) this.collection.delete(vscode.Uri.file(file));
    for (const [file, list] of byFile) this.collection.set(vscode.Uri.file(file), widen(file, list));
    this.shown.set(root, new Set(byFile.keys()));
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const d of this.disposables) d.dispose();
  }
}

/** Widens each one-character range to the word at that place when the document is open, so the squiggle is visible. */
function widen(file: string, list: vscode.Diagnostic[]): vscode.Diagnostic[] {
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file);
  if (!doc) return list;
  for (const d of list) {
    const range = doc.validateRange(d.range);
    const word = doc.getWordRangeAtPosition(range.start, /[^\s"',:\[\]{}]+/);
    d.range = word ?? range;
  }
  return list;
}
