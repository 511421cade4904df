// The tagging feature: Tag Selection, Add Code, Edit Tag, Remove Tag, Undo; the highlights of tagged
// text and the hover on it.
import * as vscode from 'vscode';
import type { DecorationSpan } from '../../core/sheet';
import { NOTE_SCHEME } from '../cases/noteView';
import { openCaseFile } from '../cases/notes';
import { pickCaseUri } from '../cases/pickCase';
import type { OpenCase } from '../cases/sessions';
import { queryArg, tagRefArg } from '../commandArgs';
import type { Services } from '../services';
import { TagDecorations } from './decorations';
import { tagHover } from './hover';
import { tagLabel } from '../../core/sheet';
import { createTag, editTag, resolveTag } from './pickers';

export { shownCodeItems } from './pickers';

export function register(context: vscode.ExtensionContext, services: Services): { drawn(uri: vscode.Uri): DecorationSpan[] } {
  const { sessions, active, codeSets, registry } = services;
  const decorations = new TagDecorations();

  /** Draws a case in every editor that shows it (its learner view and an author's raw file share the work). */
  const drawIn = async (c: OpenCase | undefined) => {
    if (!c) return;
    const views = await sessions.siblings(c);
    for (const editor of vscode.window.visibleTextEditors) {
      const shown = views.find((v) => v.uri.toString() === editor.document.uri.toString());
      if (shown) decorations.draw(editor, shown);
    }
  };

  /** The case a tag command is about: the note named in the argument, else the one shown. */
  const caseOf = async (uri: vscode.Uri | undefined): Promise<OpenCase | undefined> => (uri && (await sessions.peek(uri))) || active.shown || active.require();

  context.subscriptions.push(
    decorations,
    active.onDidChange(({ case: c }) => void drawIn(c)),
    // The walkthrough's "tag" step ticks once a tag is made.
    sessions.onDidChange((c) => c.session.work.tags.length > 0 && void vscode.commands.executeCommand('setContext', 'casebook.hasTag', true)),
    vscode.window.onDidChangeVisibleTextEditors(async (editors) => {
      for (const e of editors) {
        const c = await sessions.peek(e.document.uri);
        if (c) decorations.draw(e, c);
      }
    }),
    vscode.languages.registerHoverProvider([{ scheme: 'file', language: 'markdown' }, { scheme: NOTE_SCHEME }], {
      provideHover: async (document, position) => {
        const c = await sessions.peek(document.uri);
        return c ? tagHover(c, document, position, codeSets) : undefined;
      },
    }),
    vscode.commands.registerCommand('casebook.tagSelection', async (arg?: unknown) => {
      const editor = vscode.window.activeTextEditor;
      const c = editor && (await sessions.caseFor(editor.document));
      if (!editor || !c) {
        void vscode.window.showInformationMessage('Tag Selection works in a case note: open a case from the Casebook view.');
        return;
      }
      const sel = editor.selection;
      const start = editor.document.offsetAt(sel.start) - c.offset;
      const end = editor.document.offsetAt(sel.end) - c.offset;
      if (sel.isEmpty || start < 0) {
        void vscode.window.showInformationMessage(
          start < 0
            ? 'Select words in the note itself, below the front matter.'
            : 'Select the words that justify the code first, or use Casebook: Add Code… to add a code without text.',
        );
        return;
      }
      await createTag(sessions, c, codeSets, { start, end }, queryArg(arg));
    }),
    vscode.commands.registerCommand('casebook.addCode', async (arg?: unknown) => {
      // In a case note (or its Coding Sheet's button) the code goes to that case; elsewhere, ask which.
      const editor = vscode.window.activeTextEditor;
      let c = editor && (await sessions.caseFor(editor.document));
      if (!c) {
        const uri = await pickCaseUri(registry, 'Casebook: add a code to which case?', active.shown);
        if (!uri) return;
        c = await sessions.caseFor((await openCaseFile(uri)).document);
      }
      if (c) await createTag(sessions, c, codeSets, undefined, queryArg(arg));
    }),
    vscode.commands.registerCommand('casebook.editTag', async (arg?: unknown) => {
      const ref = tagRefArg(arg);
      const c = await caseOf(ref.uri);
      const editor = vscode.window.activeTextEditor;
      const tag = c && (await resolveTag(c, ref.tagId, editor, 'edit'));
      if (!c || !tag) return;
      // The selection in the case's note, if any: Edit Tag can move the tag there.
      const inNote = editor && !editor.selection.isEmpty && (await sessions.peek(editor.document.uri))?.session === c.session;
      const start = inNote ? editor.document.offsetAt(editor.selection.start) - c.offset : -1;
      const end = inNote ? editor.document.offsetAt(editor.selection.end) - c.offset : -1;
      await editTag(sessions, c, codeSets, tag, start >= 0 && end > start ? { start, end, text: editor!.document.getText(editor!.selection) } : undefined);
    }),
    vscode.commands.registerCommand('casebook.removeTag', async (arg?: unknown) => {
      const ref = tagRefArg(arg);
      const c = await caseOf(ref.uri);
      const tag = c && (await resolveTag(c, ref.tagId, vscode.window.activeTextEditor, 'remove'));
      if (c && tag) await sessions.remove(c, [tag.id], tagLabel(tag));
    }),
    vscode.commands.registerCommand('casebook.undo', async () => {
      const c = await active.require();
      if (!c) return;
      if (!c.session.canUndo()) {
        void vscode.window.showInformationMessage('Nothing to undo in this case.');
        return;
      }
      await sessions.change(c, (s) => s.undo());
    }),
  );
  return { drawn: (uri) => decorations.drawn.get(uri.toString()) ?? [] };
}
