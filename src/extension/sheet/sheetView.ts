// The coding sheet: the claim as a coder thinks of it — diagnoses A, B, C… then procedure lines with
// modifiers, units and pointers, and detached tags. Follows the active case note.
import * as vscode from 'vscode';
import { buildSheet, tagLabel, type SheetDiagnosis, type SheetProcedure } from '../../core/sheet';
import { DIAGNOSIS_SYSTEM, normalizeDiagnosis } from '../../core/codes';
import type { Tag } from '../../core/model';
import type { OpenCase } from '../cases/sessions';
import type { CodeLookup } from '../codesets/codeSets';

/** A row of the sheet; rows are also the arguments of its inline commands (read by commandArgs.ts). */
export type Row =
  | { type: 'section'; label: string; children: Row[] }
  | { type: 'diagnosis'; d: SheetDiagnosis; first: boolean }
  | { type: 'procedure'; p: SheetProcedure }
  | { type: 'detached'; tag: Tag };

export class SheetView implements vscode.TreeDataProvider<Row> {
  private readonly changed = new vscode.EventEmitter<Row | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private current: OpenCase | undefined;

  constructor(private readonly lookup: CodeLookup) {}

  show(c: OpenCase | undefined): void {
    this.current = c;
    this.changed.fire(undefined);
  }

  get case(): OpenCase | undefined {
    return this.current;
  }

  getChildren(row?: Row): Row[] {
    if (row) return row.type === 'section' ? row.children : [];
    const c = this.current;
    if (!c) return [];
    const sheet = buildSheet(c.session.work);
    const rows: Row[] = [];
    if (sheet.diagnoses.length) {
      rows.push({ type: 'section', label: 'Diagnoses', children: sheet.diagnoses.map((d, i) => ({ type: 'diagnosis', d, first: i === 0 })) });
    }
    if (sheet.procedures.length) {
      rows.push({ type: 'section', label: 'Procedures and services', children: sheet.procedures.map((p) => ({ type: 'procedure', p })) });
    }
    if (sheet.detached.length) {
      rows.push({ type: 'section', label: 'Detached (text no longer in the note)', children: sheet.detached.map((tag) => ({ type: 'detached', tag })) });
    }
    return rows;
  }

  getTreeItem(row: Row): vscode.TreeItem {
    const year = this.current?.loaded.pack?.manifest.codeSetYear;
    const glossary = this.current?.loaded.pack?.glossary;
    if (row.type === 'section') {
      const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.Expanded);
      item.contextValue = 'section';
      return item;
    }
    if (row.type === 'diagnosis') {
      const { d } = row;
      const item = new vscode.TreeItem(`${d.letter}  ${d.code}`);
      const description = this.lookup.describe(DIAGNOSIS_SYSTEM, d.code, year, glossary);
      item.description = [row.first ? 'first-listed' : '', description ?? ''].filter(Boolean).join(' · ');
      item.tooltip = description ? `${d.code}: ${description}` : d.code;
      item.contextValue = 'diagnosis';
      item.id = `dx:${normalizeDiagnosis(d.code)}`;
      item.iconPath = new vscode.ThemeIcon('symbol-key', new vscode.ThemeColor('casebook.diagnosisBorder'));
      item.command = revealCommand(d.tagIds[0]);
      return item;
    }
    if (row.type === 'procedure') {
      const { p } = row;
      const mods = p.modifiers.length ? `-${p.modifiers.join('-')}` : '';
      const item = new vscode.TreeItem(`${p.code}${mods}`);
      const description = this.lookup.describe(p.system, p.code, year, glossary);
      item.description = [`×${p.units}`, p.pointers.length ? `→ ${p.pointers.join(',')}` : 'no pointers', description ?? ''].filter(Boolean).join('  ');
      item.tooltip = `${p.system} ${p.code}${mods}, units ${p.units}, pointers ${p.pointers.join(', ') || 'none'}${description ? `\n${description}` : ''}`;
      item.contextValue = 'procedure';
      item.id = `px:${p.system}:${p.code}${mods}`;
      item.iconPath = new vscode.ThemeIcon('symbol-event', new vscode.ThemeColor(p.system === 'HCPCS' ? 'casebook.hcpcsBorder' : 'casebook.procedureBorder'));
      item.command = revealCommand(p.tagIds[0]);
      return item;
    }
    const item = new vscode.TreeItem(tagLabel(row.tag));
    item.description = row.tag.anchor ? `was “${row.tag.anchor.quote.slice(0, 50)}”` : '';
    item.tooltip = 'The note changed and this tag\u2019s text could not be found. Edit or remove it; it is kept until you do.';
    item.contextValue = 'detached';
    item.id = `detached:${row.tag.id}`;
    item.iconPath = new vscode.ThemeIcon('warning');
    return item;
  }
}

function revealCommand(tagId: string | undefined): vscode.Command | undefined {
  return tagId ? { command: 'casebook.showTag', title: 'Show in Note', arguments: [{ tagId }] } : undefined;
}
