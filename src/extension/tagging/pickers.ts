// Tagging: select text → quick pick a code → modifiers, units, pointers → a Tag in the work file.
import * as vscode from 'vscode';
import { codeIdentity } from '../../core/lookup';
import { displayCode, isDiagnosisSystem, isModifier, normalizeDiagnosis, normalizeModifier, systemsByShape, SHAPE_EXAMPLES } from '../../core/codes';
import { modifiersFor } from '../../core/modifiers';
import { buildSheet, tagLabel, tagsAt } from '../../core/sheet';
import type { CodeSystem, Tag } from '../../core/model';
import type { CaseSessions, OpenCase } from '../cases/sessions';
import type { CodeLookup } from '../codesets/codeSets';

const SYSTEM_LABEL: Record<CodeSystem, string> = {
  'ICD-10-CM': 'ICD-10-CM diagnosis',
  CPT: 'CPT procedure or service',
  HCPCS: 'HCPCS Level II supply, drug or service',
};

/** The rows (label and description) and title of the quick pick Casebook showed last, for the test API. */
export const shownCodeItems: { rows: string[]; title: string; value: string } = { rows: [], title: '', value: '' };

function record(title: string, items: readonly vscode.QuickPickItem[], value = ''): void {
  shownCodeItems.title = title;
  shownCodeItems.value = value;
  shownCodeItems.rows = items.filter((i) => i.kind !== vscode.QuickPickItemKind.Separator).map((i) => `${i.label} ${i.description ?? ''}`.trim());
}

interface CodeItem extends vscode.QuickPickItem {
  system?: CodeSystem;
  code?: string;
}

/** Asks for a code: typing searches the pack's glossary and imported code sets, and a typed code of valid shape can always be used. */
export async function pickCode(c: OpenCase, lookup: CodeLookup, initial = ''): Promise<{ system: CodeSystem; code: string } | undefined> {
  const qp = vscode.window.createQuickPick<CodeItem>();
  qp.title = 'Casebook: code for the selected text';
  qp.placeholder = 'Type a code (E11.9, 99213, J1100) or words of its description';
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  qp.value = initial;
  // Matching and ranking are ours (glossary and code sets, by title words in any order): every row is
  // alwaysShow, so VS Code's own filter on the label cannot hide a word match, and it must not re-sort.
  (qp as unknown as { sortByLabel: boolean }).sortByLabel = false;
  const year = c.loaded.pack?.manifest.codeSetYear;
  let generation = 0;
  const update = async (value: string) => {
    const mine = ++generation;
    let items: CodeItem[] = typedItems(value);
    const query = value.trim();
    // The typed code can be accepted at once; matches join it when the search answers.
    qp.items = items;
    record(qp.title!, items, `typed:${value}`);
    if (query) {
      qp.busy = true;
      const found = await lookup.search(query, { year, limit: 30, glossary: c.loaded.pack?.glossary });
      const haveSets = await lookup.ready(year);
      if (mine !== generation) return;
      qp.busy = false;
      // The system where the typed code exists comes first (Q4010: HCPCS, not ICD-10-CM Q40.10).
      items = rankTyped(items, (i) => lookup.check(i.system!, i.code!, year));
      const seen = new Set(items.map((i) => codeIdentity(i.system!, i.code!)));
      for (const hit of found) {
        const id = codeIdentity(hit.system, hit.code);
        const typed = items.find((i) => codeIdentity(i.system!, i.code!) === id);
        if (typed) {
          typed.detail = hit.title;
          if (hit.needsMoreCharacters) typed.description = `${hit.code} needs more characters`;
          continue;
        }
        if (seen.has(id)) continue;
        seen.add(id);
        items.push({
          label: hit.code,
          description: hit.needsMoreCharacters
            ? `${hit.system} · ${hit.code} needs more characters`
            : hit.billable
              ? hit.system
              : `${hit.system} · not billable`,
          detail: hit.title,
          system: hit.system,
          code: hit.code,
          alwaysShow: true,
        });
      }
      if (items.length === 0) items.push(nothingFound(query, haveSets));
    }
    qp.items = items;
    record(qp.title!, items, value);
  };
  qp.onDidChangeValue((v) => void update(v));
  void update(initial);
  qp.show();
  const picked = await new Promise<CodeItem | undefined>((resolve) => {
    qp.onDidAccept(() => {
      const item = qp.selectedItems[0] ?? qp.activeItems[0];
      if (item?.system) resolve(item);
      else if (qp.value.trim()) qp.items = [{ label: `$(error) ${shapeMessage(qp.value)}`, alwaysShow: true }, ...qp.items.filter((i) => i.system)];
    });
    qp.onDidHide(() => resolve(undefined));
  });
  qp.dispose();
  if (!picked?.system || !picked.code) return undefined;
  const warning = lookup.check(picked.system, picked.code, year);
  if (warning) {
    const choice = await confirmInvalid(warning);
    if (choice === 'fix') return pickCode(c, lookup, displayCode(picked.system, picked.code));
    if (choice !== 'anyway') return undefined;
  }
  return { system: picked.system, code: displayCode(picked.system, picked.code) };
}

/** A code not valid in the year: going back to fix it is the default (Enter); tagging it anyway is a choice. */
async function confirmInvalid(warning: string): Promise<'fix' | 'anyway' | undefined> {
  const items = [
    { label: '$(arrow-left) Change the code', description: 'back to the code search', choice: 'fix' as const },
    { label: '$(warning) Tag it anyway', description: 'grading will judge it', choice: 'anyway' as const },
  ];
  const title = `Casebook: ${warning}`;
  const pick = vscode.window.showQuickPick(items, { title, placeHolder: `${warning}. Change it, or tag it anyway?` });
  record(title, items);
  return (await pick)?.choice;
}

/** Typed codes in order: valid in the loaded sets first, then unknown (no set), then invalid. */
function rankTyped(items: CodeItem[], check: (i: CodeItem) => string | undefined): CodeItem[] {
  const rank = (i: CodeItem) => {
    const warning = check(i);
    return warning === undefined ? 0 : 1;
  };
  return items
    .map((item, index) => ({ item, index, rank: rank(item) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ item }) => item);
}

/** The row for a search that found nothing: says so, and what to try. */
function nothingFound(query: string, haveSets: boolean): CodeItem {
  return {
    label: `$(info) Nothing matches "${query}"`,
    description: haveSets ? '' : 'no code sets imported',
    // Short enough for the quick pick's width: longer details are cut off.
    detail: haveSets
      ? 'Try fewer words, the start of a word (osteoarth knee), or a code (M17.11).'
      : 'Type a code (E11.9, 99213, J1100), or import code sets to search by words.',
    alwaysShow: true,
  };
}

/** The code as typed, once per code system whose shape it has: J1100 is both a HCPCS code and ICD-10-CM J11.00. */
function typedItems(value: string): CodeItem[] {
  const v = value.trim().toUpperCase();
  if (!v) return [];
  return systemsByShape(v).map((system) => ({
    label: displayCode(system, v),
    description: `use as ${SYSTEM_LABEL[system]}`,
    system,
    code: v,
    alwaysShow: true,
  }));
}

function shapeMessage(value: string): string {
  const v = value.trim();
  return `"${v}" is not a code: ICD-10-CM is ${SHAPE_EXAMPLES['ICD-10-CM']}; CPT is ${SHAPE_EXAMPLES.CPT}; HCPCS is ${SHAPE_EXAMPLES.HCPCS}.`;
}

/** Modifiers for a procedure line: those that usually apply to this kind of code first (core/modifiers). */
export async function pickModifiers(system: CodeSystem, code: string, current: string[] = []): Promise<string[] | undefined> {
  const qp = vscode.window.createQuickPick<vscode.QuickPickItem>();
  qp.canSelectMany = true;
  qp.title = `Casebook: modifiers for ${code} (none is fine)`;
  qp.placeholder = 'Tick modifiers, or type others separated by spaces or commas (e.g. 59 XS), then Enter';
  const choices = modifiersFor(system, code);
  const known = new Set(choices.map((m) => m.modifier));
  const toItem = (m: { modifier: string; description: string }) => ({ label: m.modifier, description: m.description });
  const fitting = choices.filter((m) => m.fits).map(toItem);
  const separator = (label: string): vscode.QuickPickItem => ({ label, kind: vscode.QuickPickItemKind.Separator });
  const items: vscode.QuickPickItem[] = [
    ...current.filter((m) => !known.has(m)).map((m) => ({ label: m, description: 'entered before' })),
    ...(fitting.length ? [separator('usual for this kind of code'), ...fitting, separator('other modifiers')] : []),
    ...choices.filter((m) => !m.fits).map(toItem),
  ];
  qp.items = items;
  record(qp.title, items);
  qp.selectedItems = items.filter((i) => i.kind !== vscode.QuickPickItemKind.Separator && current.includes(i.label));
  const title = qp.title;
  qp.onDidChangeValue((v) => {
    const bad = typedModifiers(v).filter((m) => !isModifier(m));
    qp.title = bad.length && !qp.selectedItems.length ? `${bad.join(', ')}: a modifier is two letters or digits (25, 59, RT)` : title;
  });
  qp.show();
  const result = await new Promise<string[] | undefined>((resolve) => {
    qp.onDidAccept(() => {
      const selected = qp.selectedItems.map((i) => i.label);
      const typed = typedModifiers(qp.value);
      const valid = typed.filter(isModifier);
      // With ticks, typed text may just have filtered the list; without, it must be modifiers.
      if (!selected.length && valid.length < typed.length) return;
      resolve([...new Set([...selected, ...valid])]);
    });
    qp.onDidHide(() => resolve(undefined));
  });
  qp.dispose();
  return result;
}

function typedModifiers(value: string): string[] {
  return value
    .split(/[\s,]+/)
    .map(normalizeModifier)
    .filter(Boolean);
}

export async function pickUnits(current = 1): Promise<number | undefined> {
  const value = await vscode.window.showInputBox({
    title: 'Casebook: units of service',
    prompt: 'How many units (a whole number, 1 or more)',
    value: String(current),
    validateInput: (v) => (/^\s*[1-9][0-9]{0,3}\s*$/.test(v) ? undefined : 'Units are a whole number from 1 to 9999.'),
  });
  return value === undefined ? undefined : Number(value.trim());
}

/** Diagnosis pointers: which tagged diagnoses this procedure line is for. */
export async function pickLinks(c: OpenCase, current: string[] = []): Promise<string[] | undefined> {
  const sheet = buildSheet(c.session.work);
  if (sheet.diagnoses.length === 0) return [];
  const chosen = new Set(current.map(normalizeDiagnosis));
  // A single diagnosis is what the line is for, nearly always: ticked already.
  const only = sheet.diagnoses.length === 1 && current.length === 0;
  const items = sheet.diagnoses.map((d) => ({ label: `${d.letter}  ${d.code}`, code: d.code, picked: only || chosen.has(normalizeDiagnosis(d.code)) }));
  record(
    'Casebook: diagnosis pointers for this line',
    items.map((i) => ({ ...i, description: i.picked ? 'ticked' : '' })),
  );
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: 'Casebook: diagnosis pointers for this line',
    placeHolder: 'Tick the diagnoses this service was for (first-listed first), then Enter',
  });
  if (!picked) return undefined;
  return picked.map((p) => p.code);
}

/** Full flow for a new tag; returns false when the learner cancelled. */
export async function createTag(sessions: CaseSessions, c: OpenCase, lookup: CodeLookup, range?: { start: number; end: number }, query = ''): Promise<boolean> {
  const code = await pickCode(c, lookup, query);
  if (!code) return false;
  let modifiers: string[] = [];
  let units = 1;
  let links: string[] = [];
  if (!isDiagnosisSystem(code.system)) {
    const m = await pickModifiers(code.system, code.code);
    if (m === undefined) return false;
    modifiers = m;
    const u = await pickUnits();
    if (u === undefined) return false;
    units = u;
    const l = await pickLinks(c);
    if (l === undefined) return false;
    links = l;
  }
  await sessions.change(c, (s) => s.addTag({ ...code, modifiers, units, links, ...range }));
  return true;
}

/** Edits a part of a tag; `selection` (body offsets, in the case's note) offers to move the tag there. */
export async function editTag(
  sessions: CaseSessions,
  c: OpenCase,
  lookup: CodeLookup,
  tag: Tag,
  selection?: { start: number; end: number; text: string },
): Promise<void> {
  const isProcedure = !isDiagnosisSystem(tag.system);
  const quote = (text: string) => `“${text.replace(/\s+/g, ' ').trim().slice(0, 50)}”`;
  const parts = [
    ...(selection ? [{ label: 'Text', description: `move to the selected text ${quote(selection.text)}`, part: 'text' }] : []),
    { label: 'Code', description: tag.code, part: 'code' },
    ...(isProcedure
      ? [
          { label: 'Modifiers', description: tag.modifiers.join(', ') || 'none', part: 'modifiers' },
          { label: 'Units', description: String(tag.units), part: 'units' },
          { label: 'Diagnosis pointers', description: tag.links.join(', ') || 'none', part: 'links' },
        ]
      : []),
  ];
  const choice = await vscode.window.showQuickPick(parts, { title: `Casebook: edit ${tag.code}`, placeHolder: 'What do you want to change?' });
  if (!choice) return;
  if (choice.part === 'text' && selection) {
    await sessions.change(c, (s) => s.moveTag(tag.id, selection.start, selection.end));
  } else if (choice.part === 'code') {
    const code = await pickCode(c, lookup, tag.code);
    if (code) await sessions.change(c, (s) => s.editTag(tag.id, code));
  } else if (choice.part === 'modifiers') {
    const modifiers = await pickModifiers(tag.system, tag.code, tag.modifiers);
    if (modifiers) await sessions.change(c, (s) => s.editTag(tag.id, { modifiers }));
  } else if (choice.part === 'units') {
    const units = await pickUnits(tag.units);
    if (units) await sessions.change(c, (s) => s.editTag(tag.id, { units }));
  } else {
    const links = await pickLinks(c, tag.links);
    if (links) await sessions.change(c, (s) => s.editTag(tag.id, { links }));
  }
}

/** The tag a command is about: the one given, else the one under the cursor, else the learner picks. */
export async function resolveTag(c: OpenCase, id: string | undefined, editor: vscode.TextEditor | undefined, verb: string): Promise<Tag | undefined> {
  const tags = c.session.work.tags;
  if (id) return tags.find((t) => t.id === id);
  if (editor && editor.document.uri.toString() === c.uri.toString()) {
    const under = tagsAt(c.session.work, editor.document.offsetAt(editor.selection.active) - c.offset);
    if (under.length === 1) return under[0];
  }
  if (tags.length === 0) {
    void vscode.window.showInformationMessage('This case has no tags yet. Select text and run Casebook: Tag Selection.');
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    tags.map((t) => ({ label: tagLabel(t), description: t.anchor ? `“${t.anchor.quote.slice(0, 60)}”` : 'no text', tag: t })),
    { title: `Casebook: ${verb} which tag?` },
  );
  return picked?.tag;
}
