// The hover on tagged text: each tag's code, description, modifiers, units and pointers, with Edit and Remove links.
import * as vscode from 'vscode';
import { isDiagnosisSystem } from '../../core/codes';
import { diagnosisLetterOf, tagsAt } from '../../core/sheet';
import type { OpenCase } from '../cases/sessions';
import type { CodeLookup } from '../codesets/codeSets';
import { commandLink, commandMarkdown, escapeMd } from '../markdown';

export function tagHover(c: OpenCase, document: vscode.TextDocument, position: vscode.Position, lookup: CodeLookup): vscode.Hover | undefined {
  const tags = tagsAt(c.session.work, document.offsetAt(position) - c.offset);
  if (tags.length === 0) return undefined;
  const letterOf = diagnosisLetterOf(c.session.work);
  const md = commandMarkdown(['casebook.editTag', 'casebook.removeTag']);
  md.supportThemeIcons = true;
  const year = c.loaded.pack?.manifest.codeSetYear;
  for (const t of tags) {
    const description = lookup.describe(t.system, t.code, year, c.loaded.pack?.glossary);
    md.appendMarkdown(`**${escapeMd(t.code)}** · ${t.system}`);
    if (description) md.appendMarkdown(` — ${escapeMd(description)}`);
    md.appendMarkdown('\n\n');
    if (!isDiagnosisSystem(t.system)) {
      const pointers = t.links.map((l) => letterOf(l) ?? l);
      md.appendMarkdown(
        `Modifiers: ${escapeMd(t.modifiers.join(', ') || 'none')} · Units: ${t.units} · Pointers: ${escapeMd(pointers.join(', ') || 'none')}\n\n`,
      );
    }
    const ref = { tagId: t.id, uri: c.uri.toString() }; // commandArgs.tagRefArg reads it back
    md.appendMarkdown(
      `${commandLink('$(edit) Edit', 'casebook.editTag', [ref], 'Edit this tag')} · ${commandLink('$(trash) Remove', 'casebook.removeTag', [ref], 'Remove this tag')}\n\n`,
    );
    md.appendMarkdown('---\n\n');
  }
  const first = tags[0].anchor!;
  return new vscode.Hover(md, new vscode.Range(document.positionAt(c.offset + first.start), document.positionAt(c.offset + first.end)));
}
