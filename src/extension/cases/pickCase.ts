// Asking the learner which case: every case of the open packs, the one shown in the Coding Sheet first.
import * as vscode from 'vscode';
import type { PackRegistry } from '../packs/registry';
import { caseUri } from './casesView';
import type { OpenCase } from './sessions';

export async function pickCaseUri(registry: PackRegistry, title: string, shown?: OpenCase): Promise<vscode.Uri | undefined> {
  const items = (await registry.all()).flatMap((loaded) =>
    (loaded.pack?.cases ?? []).map((n) => {
      const uri = caseUri(loaded, n);
      const isShown = !!shown && shown.loaded.root === loaded.root && shown.note.id === n.id;
      return {
        label: n.title,
        // Areas only where the pack shows them to learners (they can hint at the codes).
        description: [isShown ? 'in the Coding Sheet' : '', n.id, loaded.pack!.manifest.showAreas ? n.areas.join(', ') : ''].filter(Boolean).join(' · '),
        detail: loaded.pack!.manifest.title,
        uri,
        isShown,
      };
    }),
  );
  if (!items.length) {
    void vscode.window.showInformationMessage('No case pack is open. Run Casebook: Open Pack Folder… first.');
    return undefined;
  }
  items.sort((a, b) => Number(b.isShown) - Number(a.isShown));
  return (await vscode.window.showQuickPick(items, { title, matchOnDescription: true }))?.uri;
}
