// The tagging feature: Tag Selection, Add Code, Edit Tag, Remove Tag, Undo; the highlights of tagged
// text and the hover on it.
import * as vscode from 'vscode';
import type { DecorationSpan } from '../../core/sheet';
import type { OpenCase } from '../cases/sessions';
import { queryArg, tagRefArg } from '../commandArgs';
import type { Services } from '../services';
import { TagDecorations } from './decorations';
import { tagHover } from './hover';
import { createTag, editTag, resolveTag } from './pickers';

export { shownCodeItems } from './pickers';

export function register(context: vscode.ExtensionContext, services: Services): { drawn(uri: vscode.Uri): DecorationSpan[] } {
  const { sessions, active, codeSets } = services;
  const decorations = new TagDecorations();

  const drawIn = (c: OpenCase | undefined) => {
    for (const editor of vscode.window.visibleTextEditors) {
      if (c && editor.document.uri.toString() === c.uri.toString()) decorations.draw(editor, c);
    }
  };

  /** The case a tag command is about: the note named in the argument, else the one shown. */
  const caseOf = async (uri: vscode.Uri | undefined): Promise<OpenCase | undefined> =>
    (uri && (await sessions.peek(uri))) || active.shown || active.require();

  context.subscriptions.push(
    decorations,
    active.onDidChange(({ case: c }) => drawIn(c)),
    vscode.window.onDidChangeVisibleTextEditors(async (editors) => {
      for (const e of editors) {
        const c = await sessions.peek(e.document.uri);
        if (c) decorations.draw(e, c);
      }
    }),
    vscode.languages.registerHoverProvider(
      { scheme: 'file', language: 'markdown' },
      {
        provideHover: async (document, position) => {
          const c = await sessions.peek(document.uri);
          return c ? tagHover(c, document, position, codeSets) : undefined;
        },
      },
    ),
    vscode.commands.registerCommand('casebook.tagSelection', async (arg?: unknown) => {
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
      await createTag(sessions, c, codeSets, { start, end }, queryArg(arg));
    }),
    vscode.commands.registerCommand('casebook.addCode', async (arg?: unknown) => {
      const c = await active.require();
      if (c) await createTag(sessions, c, codeSets, undefined, queryArg(arg));
    }),
    vscode.commands.registerCommand('casebook.editTag', async (arg?: unknown) => {
      const ref = tagRefArg(arg);
      const c = await caseOf(ref.uri);
      const tag = c && (await resolveTag(c, ref.tagId, vscode.window.activeTextEditor, 'edit'));
      if (c && tag) await editTag(sessions, c, codeSets, tag);
    }),
    vscode.commands.registerCommand('casebook.removeTag', async (arg?: unknown) => {
      const ref = tagRefArg(arg);
      const c = await caseOf(ref.uri);
      const tag = c && (await resolveTag(c, ref.tagId, vscode.window.activeTextEditor, 'remove'));
      if (c && tag) await sessions.change(c, (s) => s.removeTag(tag.id));
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
