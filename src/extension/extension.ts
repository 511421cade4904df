// activate(): wires commands, views and providers to the core. Registers and returns; no work up front.
import * as path from 'path';
import * as vscode from 'vscode';
import { makeSubmission, readAllWork } from '../core/submission';
import { atomicWriteText } from '../core/work';
import type { DecorationSpan } from '../core/sheet';
import type { WorkFile } from '../core/model';
import { nodeFs } from '../node/nodeFs';
import { CaseSessions, OpenCase } from './cases';
import { CodeSets, findCodeRows } from './codesetService';
import { PackDiagnostics } from './diagnostics';
import { CasesView, LoadedPack, PackRegistry } from './packs';
import { Grading, revealInNote } from './grading';
import { diagnosisCodeOfRow, SheetView, tagIdOfRow } from './sheet';
import { createTag, editTag, resolveTag, shownCodeItems, tagHover, TagDecorations } from './tagging';

/** What tests can read (returned by activate). */
export interface CasebookTestApi {
  decorations(uri: vscode.Uri): DecorationSpan[];
  work(uri: vscode.Uri): Promise<WorkFile | undefined>;
  reportHtml(): string;
  /** The rows the tag quick pick showed last. */
  codePickRows(): string[];
  findCodeRows(): string[];
  packs(): Promise<LoadedPack[]>;
  diagnostics: vscode.DiagnosticCollection;
}

export function activate(context: vscode.ExtensionContext): CasebookTestApi {
  const registry = new PackRegistry();
  const sessions = new CaseSessions(registry);
  const codeSets = new CodeSets(context.globalStorageUri.fsPath);
  const decorations = new TagDecorations();
  const sheet = new SheetView(codeSets);
  const diagnostics = new PackDiagnostics(registry, async (year) => ((await codeSets.prepare(year)) ? codeSets.checker(year) : undefined));
  const casesView = new CasesView(registry);
  const sheetView = vscode.window.createTreeView('casebook.sheet', { treeDataProvider: sheet });
  let lastCaseUri: vscode.Uri | undefined;
  let noteEditTimer: NodeJS.Timeout | undefined;

  /** The case the learner is working on: the active editor's, else the last one they had open. */
  const currentCase = async (): Promise<OpenCase | undefined> => {
    const editor = vscode.window.activeTextEditor;
    const c = editor ? await sessions.caseFor(editor.document) : undefined;
    if (c) return c;
    const doc = lastCaseUri && vscode.workspace.textDocuments.find((d) => d.uri.toString() === lastCaseUri!.toString());
    return doc ? sessions.caseFor(doc) : undefined;
  };
  const requireCase = async (): Promise<OpenCase | undefined> => {
    const c = await currentCase();
    if (!c) void vscode.window.showInformationMessage('Open a case first: pick one in the Casebook view (Cases).');
    return c;
  };

  const redraw = (c: OpenCase | undefined) => {
    for (const editor of vscode.window.visibleTextEditors) {
      if (c && editor.document.uri.toString() === c.uri.toString()) decorations.draw(editor, c);
    }
    sheet.show(c);
    sheetView.message = c && c.session.work.tags.length === 0 ? `${c.note.title}: no codes yet. Select words in the note and press Ctrl+Alt+T, or use Add Code.` : undefined;
    sheetView.description = c?.note.title;
    void vscode.commands.executeCommand('setContext', 'casebook.canUndo', !!c?.session.canUndo());
  };

  const onActiveEditor = async (editor: vscode.TextEditor | undefined) => {
    const c = editor ? await sessions.caseFor(editor.document) : undefined;
    void vscode.commands.executeCommand('setContext', 'casebook.caseNoteActive', !!c);
    if (c) {
      lastCaseUri = c.uri;
      redraw(c);
      // Descriptions for hovers and the sheet, when code sets are imported (loads once, then cached).
      void codeSets.prepare(c.loaded.pack?.manifest.codeSetYear).then((loaded) => loaded && sheet.show(c));
    } else if (!editor || editor.document.uri.scheme === 'file') {
      // Focus moved to a non-case file: keep the sheet on the last case only while its note is open.
      if (!lastCaseUri || !vscode.workspace.textDocuments.some((d) => d.uri.toString() === lastCaseUri!.toString())) redraw(undefined);
    }
  };

  const grading = new Grading(context.extensionUri, registry, sessions, codeSets);

  async function openCaseFile(uri: vscode.Uri): Promise<vscode.TextEditor> {
    const editor = await vscode.window.showTextDocument(uri, { preview: false });
    // The note is the exercise: protect it from accidental edits (Toggle Read-only in Session undoes this).
    await vscode.commands.executeCommand('workbench.action.files.setActiveEditorReadonlyInSession');
    return editor;
  }

  const command = (id: string, run: (...args: any[]) => unknown) => vscode.commands.registerCommand(id, run);

  context.subscriptions.push(
    registry,
    sessions,
    decorations,
    diagnostics,
    grading,
    codeSets,
    vscode.window.createTreeView('casebook.cases', { treeDataProvider: casesView, showCollapseAll: true }),
    sheetView,
    vscode.window.onDidChangeActiveTextEditor((e) => void onActiveEditor(e)),
    vscode.window.onDidChangeVisibleTextEditors(async (editors) => {
      for (const e of editors) {
        const c = await sessions.peek(e.document.uri);
        if (c) decorations.draw(e, c);
      }
    }),
    vscode.workspace.onDidCloseTextDocument((d) => sessions.forget(d.uri)),
    // An author edited a note that has tags: load the case again so the tags re-anchor to the new text.
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length === 0) return;
      void sessions.peek(e.document.uri).then((c) => {
        if (!c) return;
        clearTimeout(noteEditTimer);
        noteEditTimer = setTimeout(() => {
          sessions.forget(e.document.uri);
          void onActiveEditor(vscode.window.activeTextEditor);
        }, 500);
      });
    }),
    sessions.onDidChange((c) => redraw(c)),
    vscode.languages.registerHoverProvider({ scheme: 'file', language: 'markdown' }, {
      provideHover: async (document, position) => {
        const c = await sessions.peek(document.uri);
        return c ? tagHover(c, document, position, codeSets) : undefined;
      },
    }),

    command('casebook.refresh', () => {
      registry.refresh();
    }),
    command('casebook.openPack', async () => {
      const [folder] = (await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Open Pack' })) ?? [];
      if (!folder) return;
      const manifest = await nodeFs.stat(path.join(folder.fsPath, 'casebook.json'));
      if (!manifest) {
        void vscode.window.showErrorMessage(`${folder.fsPath} has no casebook.json, so it is not a case pack. Pick the folder that holds casebook.json.`);
        return;
      }
      await openFolder(folder);
    }),
    command('casebook.openSamplePack', async () => {
      // The learner writes work into the pack, so practise on a copy, not inside the installed extension.
      const target = vscode.Uri.joinPath(context.globalStorageUri, 'sample');
      if (!(await nodeFs.stat(path.join(target.fsPath, 'casebook.json')))) {
        await vscode.workspace.fs.copy(vscode.Uri.joinPath(context.extensionUri, 'practice', 'sample'), target, { overwrite: true });
      }
      await openFolder(target);
    }),
    command('casebook.openCase', async (arg?: vscode.Uri) => {
      let uri = arg instanceof vscode.Uri ? arg : undefined;
      if (!uri) {
        const items = (await registry.all()).flatMap((loaded) =>
          (loaded.pack?.cases ?? []).map((n) => ({
            label: n.title,
            description: `${n.id} · ${n.areas.join(', ')}`,
            detail: loaded.pack!.manifest.title,
            uri: vscode.Uri.file(path.join(loaded.root, n.file)),
          })),
        );
        if (!items.length) {
          void vscode.window.showInformationMessage('No case pack is open. Run Casebook: Open Pack Folder… first.');
          return;
        }
        uri = (await vscode.window.showQuickPick(items, { title: 'Casebook: open case', matchOnDescription: true }))?.uri;
      }
      if (uri) await openCaseFile(uri);
    }),
    // An optional { query } starts the code quick pick with that text (for key bindings and tests).
    command('casebook.tagSelection', async (arg?: { query?: string }) => {
      const editor = vscode.window.activeTextEditor;
      const c = editor && (await sessions.caseFor(editor.document));
      if (!editor || !c) {
        void vscode.window.showInformationMessage('Tag Selection works in a case note: open a case from the Casebook view.');
        return;
      }
      const sel = editor.selection;
      const start = editor.document.offsetAt(sel.start) - c.note.bodyOffset;
      const end = editor.document.offsetAt(sel.end) - c.note.bodyOffset;
      if (sel.isEmpty || start < 0) {
        void vscode.window.showInformationMessage(
          start < 0 ? 'Select words in the note itself, below the front matter.' : 'Select the words that justify the code first, or use Casebook: Add Code… to add a code without text.',
        );
        return;
      }
      await createTag(sessions, c, codeSets, { start, end }, typeof arg?.query === 'string' ? arg.query : '');
    }),
    command('casebook.addCode', async (arg?: { query?: string }) => {
      const c = await requireCase();
      if (c) await createTag(sessions, c, codeSets, undefined, typeof arg?.query === 'string' ? arg.query : '');
    }),
    command('casebook.editTag', async (arg?: unknown) => {
      const c = await caseOfArg(arg);
      const tag = c && (await resolveTag(c, tagIdOfRow(arg), vscode.window.activeTextEditor, 'edit'));
      if (c && tag) await editTag(sessions, c, codeSets, tag);
    }),
    command('casebook.removeTag', async (arg?: unknown) => {
      const c = await caseOfArg(arg);
      const tag = c && (await resolveTag(c, tagIdOfRow(arg), vscode.window.activeTextEditor, 'remove'));
      if (c && tag) await sessions.change(c, (s) => s.removeTag(tag.id));
    }),
    command('casebook.undo', async () => {
      const c = await requireCase();
      if (!c) return;
      if (!c.session.canUndo()) {
        void vscode.window.showInformationMessage('Nothing to undo in this case.');
        return;
      }
      await sessions.change(c, (s) => s.undo());
    }),
    command('casebook.moveDiagnosisUp', (row) => moveDiagnosis(row, 'up')),
    command('casebook.moveDiagnosisDown', (row) => moveDiagnosis(row, 'down')),
    command('casebook.makeFirstListed', (row) => moveDiagnosis(row, 'first')),
    command('casebook.showTag', async (arg?: { tagId?: string }) => {
      const c = sheet.case ?? (await currentCase());
      const tag = c?.session.work.tags.find((t) => t.id === arg?.tagId);
      if (c && tag?.anchor && !tag.detached) await revealInNote(c, tag.anchor.start, tag.anchor.end);
    }),
    command('casebook.gradeCase', async () => {
      const c = await requireCase();
      if (c) await grading.gradeCase(c.loaded.root, c.note.id);
    }),
    command('casebook.gradePack', async (arg?: { loaded?: LoadedPack }) => {
      const c = await currentCase();
      const packs = await registry.all();
      const root = arg?.loaded?.root ?? c?.loaded.root ?? (packs.length === 1 ? packs[0].root : await pickPackRoot(packs));
      if (root) await grading.gradePack(root);
    }),
    command('casebook.exportSubmission', async () => {
      const c = await currentCase();
      const packs = (await registry.all()).filter((p) => p.pack);
      const root = c?.loaded.root ?? (packs.length === 1 ? packs[0].root : await pickPackRoot(packs));
      const loaded = root ? packs.find((p) => p.root === root) : undefined;
      if (!loaded?.pack) return;
      const learner = await vscode.window.showInputBox({
        title: 'Casebook: export submission',
        prompt: 'Your name as your instructor knows it',
        value: context.globalState.get<string>('learnerName') ?? '',
        validateInput: (v) => (v.trim() ? undefined : 'Enter a name.'),
      });
      if (!learner) return;
      await context.globalState.update('learnerName', learner.trim());
      const safe = `${loaded.pack.manifest.id}-${learner.trim().replace(/[^A-Za-z0-9._-]+/g, '-')}.json`;
      const target = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.file(path.join(path.dirname(loaded.root), safe)), filters: { 'Casebook submission': ['json'] } });
      if (!target) return;
      const { works, problems } = await readAllWork(nodeFs, loaded.pack);
      const submission = makeSubmission(loaded.pack, learner.trim(), works, new Date());
      await atomicWriteText(nodeFs, target.fsPath, JSON.stringify(submission, null, 2) + '\n');
      const skipped = problems.length ? ` ${problems.length} unreadable work file(s) were left out: ${problems.map((p) => p.file).join(', ')}.` : '';
      void vscode.window.showInformationMessage(`Exported ${works.size} case(s) to ${target.fsPath}.${skipped}`);
    }),
    // Optional paths skip the file dialog (for tests and scripted set-up).
    command('casebook.importCodeSet', (paths?: unknown) => codeSets.importInteractive(Array.isArray(paths) ? paths.map(String) : undefined)),
    command('casebook.findCode', (arg?: { query?: string }) => codeSets.findInteractive(arg?.query ?? '')),
    command('casebook.diffCodeSets', async () => codeSets.diffInteractive((await registry.all()).flatMap((p) => [...(p.pack?.keys.values() ?? [])]))),
  );

  async function caseOfArg(arg: unknown): Promise<OpenCase | undefined> {
    const uri = (arg as { uri?: string } | undefined)?.uri;
    if (uri) {
      const c = await sessions.peek(vscode.Uri.parse(uri));
      if (c) return c;
    }
    return sheet.case ?? requireCase();
  }

  async function moveDiagnosis(row: unknown, direction: 'up' | 'down' | 'first'): Promise<void> {
    const c = sheet.case ?? (await currentCase());
    const code = diagnosisCodeOfRow(row);
    if (c && code) await sessions.change(c, (s) => s.moveDiagnosis(code, direction));
  }

  async function pickPackRoot(packs: LoadedPack[]): Promise<string | undefined> {
    const picked = await vscode.window.showQuickPick(
      packs.map((p) => ({ label: p.pack?.manifest.title ?? path.basename(p.root), description: p.root, root: p.root })),
      { title: 'Casebook: which pack?' },
    );
    return picked?.root;
  }

  void onActiveEditor(vscode.window.activeTextEditor);

  return {
    decorations: (uri) => decorations.drawn.get(uri.toString()) ?? [],
    work: async (uri) => (await sessions.peek(uri))?.session.work,
    reportHtml: () => grading.report.html,
    codePickRows: () => shownCodeItems.rows,
    findCodeRows: () => findCodeRows.rows,
    packs: () => registry.all(),
    diagnostics: diagnostics.collection,
  };
}

async function openFolder(folder: vscode.Uri): Promise<void> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.some((f) => f.uri.fsPath === folder.fsPath)) return;
  if (folders.length === 0) await vscode.commands.executeCommand('vscode.openFolder', folder);
  else vscode.workspace.updateWorkspaceFolders(folders.length, 0, { uri: folder });
}

export function deactivate(): void {}
