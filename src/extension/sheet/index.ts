// The Coding Sheet feature: the view that follows the shown case, and its row commands (reorder
// diagnoses, show a tag in the note).
import * as vscode from 'vscode';
import { revealInNote } from '../cases/notes';
import { diagnosisArg, lineArg, tagRefArg } from '../commandArgs';
import type { Services } from '../services';
import { SheetView } from './sheetView';

export function register(context: vscode.ExtensionContext, { active, sessions, codeSets }: Services): void {
  const sheet = new SheetView(codeSets);
  const view = vscode.window.createTreeView('casebook.sheet', { treeDataProvider: sheet });

  const moveDiagnosis = async (row: unknown, direction: 'up' | 'down' | 'first') => {
    const c = active.shown ?? (await active.current());
    const code = diagnosisArg(row);
    if (c && code) await sessions.change(c, (s) => s.moveDiagnosis(code, direction));
  };

  context.subscriptions.push(
    view,
    active.onDidChange(({ case: c, cause }) => {
      sheet.show(c);
      view.message =
        c && c.session.work.tags.length === 0 ? `${c.note.title}: no codes yet. Select words in the note and press Ctrl+Alt+T, or use Add Code.` : undefined;
      view.description = c?.note.title;
      void vscode.commands.executeCommand('setContext', 'casebook.canUndo', !!c?.session.canUndo());
      // Descriptions for the sheet and hovers, when code sets are imported (loads once, then cached).
      if (c && cause === 'focus') {
        codeSets.prepare(c.loaded.pack?.manifest.codeSetYear).then(
          (loaded) => loaded && sheet.show(c),
          () => undefined, // unreadable code sets: the sheet shows codes without descriptions
        );
      }
    }),
    vscode.commands.registerCommand('casebook.moveDiagnosisUp', (row?: unknown) => moveDiagnosis(row, 'up')),
    vscode.commands.registerCommand('casebook.moveDiagnosisDown', (row?: unknown) => moveDiagnosis(row, 'down')),
    vscode.commands.registerCommand('casebook.makeFirstListed', (row?: unknown) => moveDiagnosis(row, 'first')),
    vscode.commands.registerCommand('casebook.removeLine', async (row?: unknown) => {
      // A whole line (Delete on the selected row, or its context menu): every tag of it, as one change.
      const line = lineArg(row ?? view.selection[0]);
      const c = active.shown ?? (await active.current());
      if (c && line) await sessions.remove(c, line.tagIds, line.label);
    }),
    vscode.commands.registerCommand('casebook.editLine', async (row?: unknown) => {
      await vscode.commands.executeCommand('casebook.editTag', row ?? view.selection[0]);
    }),
    vscode.commands.registerCommand('casebook.showTag', async (arg?: unknown) => {
      const { tagId } = tagRefArg(arg);
      const c = active.shown ?? (await active.current());
      const tag = c?.session.work.tags.find((t) => t.id === tagId);
      if (c && tag?.anchor && !tag.detached) await revealInNote(c, tag.anchor.start, tag.anchor.end);
    }),
  );
}
