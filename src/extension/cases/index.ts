// The cases feature: open a pack (a folder, or the sample), open a case (picked or from the Cases
// view) in its read-only learner view, Preview as Learner, and the Cases view that follows the case.
import * as path from 'path';
import * as vscode from 'vscode';
import { nodeFs } from '../../node/nodeFs';
import { caseNodeArg, caseUriArg } from '../commandArgs';
import type { Services } from '../services';
import { caseUri, CasesView, progressText, type CasesNode } from './casesView';
import { hideKeysWhilePractising } from './hideKeys';
import { caseFileUri, NOTE_SCHEME } from './noteView';
import { openCaseFile, openFolder } from './notes';
import { pickCaseUri } from './pickCase';
import { guidedStart } from './walkthrough';

export function register(context: vscode.ExtensionContext, { registry, active, noteViews }: Services): void {
  const casesView = new CasesView(registry);
  const tree = vscode.window.createTreeView('casebook.cases', { treeDataProvider: casesView, showCollapseAll: true });
  const describe = async () => {
    tree.description = progressText(await registry.all());
  };
  context.subscriptions.push(
    tree,
    casesView,
    vscode.workspace.registerFileSystemProvider(NOTE_SCHEME, noteViews, { isReadonly: true, isCaseSensitive: true }),
    registry.onDidChange(() => {
      casesView.refresh();
      void describe();
    }),
    registry.onDidChangeProgress(() => {
      casesView.refresh();
      void describe();
    }),
    // The view follows the case being worked on.
    active.onDidChange(({ case: c, cause }) => {
      if (!c || cause !== 'focus' || !tree.visible) return;
      const node: CasesNode = { type: 'case', loaded: c.loaded, note: c.note };
      tree.reveal(node, { select: true, focus: false, expand: true }).then(undefined, () => undefined); // not listed (yet): nothing to show
    }),
    hideKeysWhilePractising(context, registry),
    guidedStart(context, registry),
    vscode.commands.registerCommand('casebook.openPack', openPack),
    vscode.commands.registerCommand('casebook.openSamplePack', () => openSamplePack(context)),
    vscode.commands.registerCommand('casebook.openCase', async (arg?: unknown) => {
      const uri = caseUriArg(arg) ?? (await pickCaseUri(registry, 'Casebook: open case'));
      if (uri) await openCaseFile(uri);
    }),
    vscode.commands.registerCommand('casebook.previewAsLearner', async (arg?: unknown) => {
      const uri =
        caseNodeArg(arg) ?? caseUriArg(arg) ?? (await activeCaseFile()) ?? (await pickCaseUri(registry, 'Casebook: preview which case as a learner?'));
      if (uri) await openCaseFile(uri, { preview: true, viewColumn: vscode.ViewColumn.Beside });
    }),
  );
  void describe();

  /** The case file of the active editor (an author's raw note, or a learner view), if it is a case. */
  async function activeCaseFile(): Promise<vscode.Uri | undefined> {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc) return undefined;
    const file = caseFileUri(doc.uri);
    const loaded = await registry.packFor(file.fsPath);
    const note = loaded?.pack?.cases.find((n) => path.join(loaded.root, n.file) === file.fsPath);
    return loaded && note ? caseUri(loaded, note) : undefined;
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
