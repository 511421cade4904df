// The cases feature: open a pack (a folder, or the sample), open a case (picked or from the Cases view).
import * as path from 'path';
import * as vscode from 'vscode';
import { nodeFs } from '../../node/nodeFs';
import { caseUriArg } from '../commandArgs';
import type { Services } from '../services';
import { caseUri, CasesView } from './casesView';
import { openCaseFile, openFolder } from './notes';

export function register(context: vscode.ExtensionContext, { registry }: Services): void {
  const casesView = new CasesView(registry);
  context.subscriptions.push(
    vscode.window.createTreeView('casebook.cases', { treeDataProvider: casesView, showCollapseAll: true }),
    registry.onDidChange(() => casesView.refresh()),
    registry.onDidChangeProgress(() => casesView.refresh()),
    vscode.commands.registerCommand('casebook.openPack', openPack),
    vscode.commands.registerCommand('casebook.openSamplePack', () => openSamplePack(context)),
    vscode.commands.registerCommand('casebook.openCase', async (arg?: unknown) => {
      const uri = caseUriArg(arg) ?? (await pickCase());
      if (uri) await openCaseFile(uri);
    }),
  );

  async function pickCase(): Promise<vscode.Uri | undefined> {
    const items = (await registry.all()).flatMap((loaded) =>
      (loaded.pack?.cases ?? []).map((n) => ({
        label: n.title,
        description: `${n.id} · ${n.areas.join(', ')}`,
        detail: loaded.pack!.manifest.title,
        uri: caseUri(loaded, n),
      })),
    );
    if (!items.length) {
      void vscode.window.showInformationMessage('No case pack is open. Run Casebook: Open Pack Folder… first.');
      return undefined;
    }
    return (await vscode.window.showQuickPick(items, { title: 'Casebook: open case', matchOnDescription: true }))?.uri;
  }
}

async function openPack(): Promise<void> {
  const [folder] = (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Open Pack' })) ?? [];
  if (!folder) return;
  if (!(await nodeFs.stat(path.join(folder.fsPath, 'casebook.json')))) {
    void vscode.window.showErrorMessage(`${folder.fsPath} has no casebook.json, so it is not a case pack. Pick the folder that holds casebook.json.`);
    return;
  }
  await openFolder(folder);
}

/** The learner writes work into the pack, so they practise on a copy, not inside the installed extension. */
async function openSamplePack(context: vscode.ExtensionContext): Promise<void> {
  const target = vscode.Uri.joinPath(context.globalStorageUri, 'sample');
  if (!(await nodeFs.stat(path.join(target.fsPath, 'casebook.json')))) {
    await vscode.workspace.fs.copy(vscode.Uri.joinPath(context.extensionUri, 'practice', 'sample'), target, { overwrite: true });
  }
  await openFolder(target);
}
