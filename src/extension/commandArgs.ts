// Command arguments, typed: each argument shape a command accepts has one parser here, so a command
// body never guesses from `unknown`. Shapes come from the palette (nothing), the sheet's rows and
// buttons, the Cases view's nodes, the hover's links (JSON, so URIs arrive as text) and tests.
import * as vscode from 'vscode';

/** A tag a command is about: its id, and the note it is in when known. */
export interface TagRef {
  tagId?: string;
  uri?: vscode.Uri;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function uriOf(value: unknown): vscode.Uri | undefined {
  if (value instanceof vscode.Uri) return value;
  const s = text(value);
  return s ? vscode.Uri.parse(s) : undefined;
}

/** casebook.openCase: the note's URI (Cases view, report, tests); nothing → the learner picks. */
export function caseUriArg(arg: unknown): vscode.Uri | undefined {
  return arg instanceof vscode.Uri ? arg : undefined;
}

/** casebook.tagSelection / addCode: `{ query }` starts the code quick pick with that text. */
export function queryArg(arg: unknown): string {
  return (isObject(arg) && text(arg.query)) || '';
}

/**
 * casebook.editTag / removeTag / showTag: a tag id; `{ tagId, uri? }` (hover links, sheet rows'
 * commands); or a Coding Sheet row, whose first tag is meant.
 */
export function tagRefArg(arg: unknown): TagRef {
  if (typeof arg === 'string') return { tagId: text(arg) };
  if (!isObject(arg)) return {};
  if ('tagId' in arg) return { tagId: text(arg.tagId), uri: uriOf(arg.uri) };
  const first = (line: unknown) => (isObject(line) && Array.isArray(line.tagIds) ? text(line.tagIds[0]) : undefined);
  switch (arg.type) {
    case 'diagnosis':
      return { tagId: first(arg.d) };
    case 'procedure':
      return { tagId: first(arg.p) };
    case 'detached':
      return { tagId: isObject(arg.tag) ? text(arg.tag.id) : undefined };
    default:
      return {};
  }
}

/** casebook.removeLine: a Coding Sheet row → all its tags and how to name it; nothing when not a line. */
export function lineArg(arg: unknown): { tagIds: string[]; label: string } | undefined {
  if (!isObject(arg)) return undefined;
  const line = arg.type === 'diagnosis' ? arg.d : arg.type === 'procedure' ? arg.p : undefined;
  if (isObject(line) && Array.isArray(line.tagIds)) {
    const mods = Array.isArray(line.modifiers) && line.modifiers.length ? `-${line.modifiers.join('-')}` : '';
    return { tagIds: line.tagIds.filter((id): id is string => typeof id === 'string'), label: `${text(line.code) ?? 'the line'}${mods}` };
  }
  if (arg.type === 'detached' && isObject(arg.tag) && text(arg.tag.id)) return { tagIds: [text(arg.tag.id)!], label: `${text(arg.tag.code) ?? 'the tag'}` };
  return undefined;
}

/** casebook.moveDiagnosisUp / Down / makeFirstListed: a sheet diagnosis row → its code. */
export function diagnosisArg(arg: unknown): string | undefined {
  return isObject(arg) && arg.type === 'diagnosis' && isObject(arg.d) ? text(arg.d.code) : undefined;
}

/** casebook.gradePack: a Cases view pack node → its root. */
export function packRootArg(arg: unknown): string | undefined {
  return isObject(arg) && isObject(arg.loaded) ? text(arg.loaded.root) : undefined;
}

/** casebook.previewAsLearner: a Cases view case node → the case file. */
export function caseNodeArg(arg: unknown): vscode.Uri | undefined {
  if (!isObject(arg) || arg.type !== 'case' || !isObject(arg.loaded) || !isObject(arg.note)) return undefined;
  const root = text(arg.loaded.root);
  const file = text(arg.note.file);
  return root && file ? vscode.Uri.joinPath(vscode.Uri.file(root), file) : undefined;
}

/** casebook.importCodeSet: file paths (tests, scripted set-up) that skip the file dialog. */
export function pathsArg(arg: unknown): string[] | undefined {
  return Array.isArray(arg) ? arg.map(String) : undefined;
}

/** casebook.practiseNext / showProgress: `{ packRoot }` (the dashboard, tests) or a Cases view pack node; nothing → choosePack. */
export function packRefArg(arg: unknown): string | undefined {
  return packRootArg(arg) ?? (isObject(arg) ? text(arg.packRoot) : undefined);
}

/** casebook.exportJournal: where to write (a path, or `{ path, packRoot? }`: tests skip the save dialog) and which pack. */
export function journalExportArg(arg: unknown): { path?: string; packRoot?: string } {
  if (typeof arg === 'string') return { path: text(arg) };
  if (!isObject(arg)) return {};
  return { path: text(arg.path), packRoot: packRefArg(arg) };
}
