// The authoring feature (issue 16): Write Key From My Tags. An author codes a case by tagging it like a
// learner; this writes KEYS/ID.md from those tags (core/keyWriter). An existing key is never replaced
// silently: the author sees a diff of the current key and the new one, and is asked.
import * as path from 'path';
import * as vscode from 'vscode';
import { decodeText } from '../../core/fs';
import { keyFromWork } from '../../core/keyWriter';
import { packFolders } from '../../core/pack/paths';
import type { Problem } from '../../core/model';
import { atomicWriteText } from '../../core/work';
import { nodeFs } from '../../node/nodeFs';
import type { OpenCase } from '../cases/sessions';
import { caseUriArg } from '../commandArgs';
import { prompts } from '../prompts';
import type { Services } from '../services';

/** Scheme of the read-only document holding the key about to be written (the diff's right side). */
const PROPOSED_SCHEME = 'casebook-proposed-key';

export const REPLACE = 'Replace';

/** What the command did, for tests (executeCommand returns it). */
export interface WriteKeyResult {
  outcome: 'written' | 'cancelled' | 'unchanged' | 'nothing';
  /** The key file (absolute). */
  file?: string;
  /** Errors the reloaded pack reports for the key file (none when the key validates clean). */
  problems: Problem[];
}

/** The proposed keys shown in diffs, by URI. */
class ProposedKeys implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  show(relative: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: `/${relative}` });
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
    return uri;
  }

  forget(uri: vscode.Uri): void {
    this.texts.delete(uri.toString());
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  dispose(): void {
    this.changed.dispose();
  }
}

export function register(context: vscode.ExtensionContext, services: Services): void {
  const proposed = new ProposedKeys();
  context.subscriptions.push(
    proposed,
    vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, proposed),
    vscode.commands.registerCommand('casebook.writeKeyFromTags', async (arg?: unknown) => {
      const c = await caseOf(services, arg);
      return c ? writeKey(services, proposed, c) : undefined;
    }),
  );
}

/** The case of the editor the menu was opened on, else the active case. */
async function caseOf(services: Services, arg: unknown): Promise<OpenCase | undefined> {
  const uri = caseUriArg(arg);
  if (!uri) return services.active.require();
  const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) ?? (await vscode.workspace.openTextDocument(uri));
  const c = await services.sessions.caseFor(doc);
  if (!c) void vscode.window.showInformationMessage(`${path.basename(uri.fsPath)} is not a case note of a pack.`);
  return c;
}

async function writeKey(services: Services, proposed: ProposedKeys, c: OpenCase): Promise<WriteKeyResult> {
  const pack = (await services.registry.current(c.loaded.root))?.pack;
  if (!pack) return { outcome: 'nothing', problems: [] };
  if (c.session.work.tags.length === 0) {
    void vscode.window.showInformationMessage(
      `Tag "${c.note.title}" first: select the words that justify each code and tag them, as a learner would. The key is written from your tags.`,
    );
    return { outcome: 'nothing', problems: [] };
  }
  // The key's place: the pack's own key file for this case if it has one, else KEYS/ID.md (core's folder rule).
  const relative = pack.keys.get(c.note.id)?.file ?? path.posix.join(packFolders(pack.manifest).keys, `${c.note.id}.md`);
  const file = path.join(c.loaded.root, relative);
  const target = vscode.Uri.file(file);
  const text = keyFromWork(c.note, c.session.work);
  const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file);
  if (open?.isDirty) {
    void vscode.window.showWarningMessage(`${relative} has unsaved changes: save or revert them, then write the key again.`);
    return { outcome: 'nothing', file, problems: [] };
  }
  const existing = await vscode.workspace.fs.readFile(target).then(decodeText, () => undefined);
  if (existing === text) {
    await vscode.window.showTextDocument(target, { preview: false });
    void vscode.window.showInformationMessage(`${relative} already says exactly what your tags say.`);
    return { outcome: 'unchanged', file, problems: [] };
  }
  if (existing !== undefined) {
    const uri = proposed.show(relative, text);
    await vscode.commands.executeCommand('vscode.diff', target, uri, `${relative}: current ↔ from your tags`, { preview: true });
    const answer = await prompts.confirm(
      `Replace ${relative} with the key written from your tags?`,
      'The diff shows the current key (left) and the key from your tags (right). Replacing loses what only the current key has: its rationale, accepted codes, points and any edits.',
      REPLACE,
    );
    await closeDiffs(uri);
    proposed.forget(uri);
    if (answer !== REPLACE) return { outcome: 'cancelled', file, problems: [] };
  }
  await atomicWriteText(nodeFs, file.split(path.sep).join('/'), text);
  // Reload the pack now (not after the watcher's debounce), so the key is graded and validated at once.
  const loaded = await services.registry.current(c.loaded.root, [relative]);
  const problems = (loaded?.problems ?? []).filter((p) => p.file === relative && p.severity === 'error');
  await vscode.window.showTextDocument(target, { preview: false });
  const done = `${existing !== undefined ? 'replaced' : 'wrote'} ${relative} from your tags`;
  if (problems.length) void vscode.window.showWarningMessage(`Casebook ${done}, but it has ${problems.length} problem(s): see the Problems panel.`);
  else void vscode.window.showInformationMessage(`Casebook ${done}. Fill in the "why" of each line and the rationale (the TODOs).`);
  return { outcome: 'written', file, problems };
}

/** Closes the diff editors showing a proposed key. */
async function closeDiffs(proposed: vscode.Uri): Promise<void> {
  const tabs = vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.toString() === proposed.toString());
  if (tabs.length) await vscode.window.tabGroups.close(tabs);
}
