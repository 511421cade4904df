// Which pack a pack command is about: the one given, the current case's, the only one, or the learner picks.
import * as path from 'path';
import * as vscode from 'vscode';
import type { Services } from '../services';
import type { LoadedPack } from './registry';

export async function choosePack({ registry, active }: Services, given?: string): Promise<LoadedPack | undefined> {
  const packs = (await registry.all()).filter((p) => p.pack);
  const root = given ?? (await active.current())?.loaded.root;
  if (root) return packs.find((p) => p.root === root);
  if (packs.length <= 1) return packs[0];
  const picked = await vscode.window.showQuickPick(
    packs.map((p) => ({ label: p.pack?.manifest.title ?? path.basename(p.root), description: p.root, loaded: p })),
    { title: 'Casebook: which pack?' },
  );
  return picked?.loaded;
}
