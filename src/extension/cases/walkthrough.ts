// The guided start: Casebook's walkthrough opens once, on the first run after install (not in the
// test host), and its steps tick on what the learner did (context keys set by the features:
// casebook.hasPack here, hasCodeSets, hasTag and gradeSeen in codesets, tagging and grading).
import * as vscode from 'vscode';
import type { PackRegistry } from '../packs/registry';

const OPENED = 'casebook.walkthroughOpened';
export const WALKTHROUGH_ID = 'casebook.casebook#casebook.start';

export function guidedStart(context: vscode.ExtensionContext, registry: PackRegistry): vscode.Disposable {
  const hasPack = async () => {
    const packs = await registry.all();
    void vscode.commands.executeCommand(
      'setContext',
      'casebook.hasPack',
      packs.some((p) => p.pack),
    );
  };
  void hasPack();
  if (!context.globalState.get<boolean>(OPENED) && context.extensionMode !== vscode.ExtensionMode.Test) {
    void context.globalState.update(OPENED, true);
    void vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH_ID, false);
  }
  return registry.onDidChange(() => void hasPack());
}
