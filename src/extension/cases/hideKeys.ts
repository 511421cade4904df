// While practising, the answer keys stay out of sight: each pack's keys folder is added to the
// workspace folder's `files.exclude` and `search.exclude` (Explorer, Quick Open, Search). Only the
// workspace's own settings are touched, only patterns Casebook added are removed again, and
// `casebook.hideKeys: false` (for authors) shows the keys.
import * as path from 'path';
import * as vscode from 'vscode';
import { packFolders } from '../../core/pack';
import type { PackRegistry } from '../packs/registry';

const SECTIONS = ['files.exclude', 'search.exclude'] as const;
/** workspaceState: the patterns Casebook added, per workspace folder, so it removes only its own. */
const ADDED = 'casebook.hiddenKeyPatterns';

export function hideKeysWhilePractising(context: vscode.ExtensionContext, registry: PackRegistry): vscode.Disposable {
  let running = Promise.resolve();
  const apply = () => {
    running = running
      .then(() => update(context, registry))
      .catch((e: unknown) => {
        void vscode.window.showWarningMessage(`Casebook could not hide the answer keys in this workspace's settings: ${(e as Error).message}`);
      });
  };
  apply();
  return vscode.Disposable.from(
    registry.onDidChange(apply),
    vscode.workspace.onDidChangeWorkspaceFolders(apply),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('casebook.hideKeys')) apply();
    }),
  );
}

async function update(context: vscode.ExtensionContext, registry: PackRegistry): Promise<void> {
  const added = context.workspaceState.get<Record<string, string[]>>(ADDED, {});
  const packs = await registry.all();
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const hide = vscode.workspace.getConfiguration('casebook', folder.uri).get<boolean>('hideKeys', true);
    const wanted = hide
      ? keyPatterns(
          folder,
          packs.map((p) => ({ root: p.root, keys: packFolders(p.pack?.manifest).keys })),
        )
      : [];
    const mine = added[folder.uri.toString()] ?? [];
    const before = vscode.workspace.getConfiguration('files', folder.uri).inspect<Record<string, boolean>>('exclude')?.workspaceFolderValue ?? {};
    // A pattern the workspace had before Casebook came is the workspace's: never removed by Casebook.
    const ours = wanted.filter((p) => mine.includes(p) || !(p in before));
    for (const section of SECTIONS) {
      const [group, key] = section.split('.');
      const config = vscode.workspace.getConfiguration(group, folder.uri);
      const current = config.inspect<Record<string, boolean>>(key)?.workspaceFolderValue ?? {};
      const next = { ...current };
      for (const p of mine) if (!ours.includes(p)) delete next[p];
      for (const p of wanted) next[p] = true;
      if (JSON.stringify(next) !== JSON.stringify(current)) {
        await config.update(key, Object.keys(next).length ? next : undefined, vscode.ConfigurationTarget.WorkspaceFolder);
      }
    }
    added[folder.uri.toString()] = ours;
  }
  await context.workspaceState.update(ADDED, added);
}

/** The keys folders of the packs inside a workspace folder, as exclude globs relative to it. */
function keyPatterns(folder: vscode.WorkspaceFolder, packs: Array<{ root: string; keys: string }>): string[] {
  const patterns: string[] = [];
  for (const { root, keys } of packs) {
    const rel = path.relative(folder.uri.fsPath, path.join(root, keys));
    if (rel.startsWith('..') || path.isAbsolute(rel)) continue;
    patterns.push(rel.split(path.sep).join('/'));
  }
  return patterns.sort();
}
