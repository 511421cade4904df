// Tagging: select text → quick pick a code → modifiers, units, pointers → a Tag in the work file.
import * as vscode from 'vscode';
import { codeIdentity } from '../../core/lookup';
import { displayCode, isDiagnosisSystem, isModifier, normalizeDiagnosis, normalizeModifier, systemsByShape, SHAPE_EXAMPLES } from '../../core/codes';
import { COMMON_MODIFIERS } from '../../core/modifiers';
import { buildSheet, tagLabel, tagsAt } from '../../core/sheet';
import type { CodeSystem, Tag } from '../../core/model';
import type { CaseSessions, OpenCase } from '../cases/sessions';
import type { CodeLookup } from '../codesets/codeSets';

const SYSTEM_LABEL: Record<CodeSystem, string> = {
  'ICD-10-CM': 'ICD-10-CM diagnosis',
  CPT: 'CPT procedure or service',
  HCPCS: 'HCPCS Level II supply, drug or service',
};

/** The rows the code quick pick showed last (label and description), for the test API. */
export const shownCodeItems: { rows: string[] } = { rows: [] };

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
  qp.value = initial;
  // Ranking is ours (code sets); VS Code must not re-filter or re-sort it.
  (qp as unknown as { sortByLabel: boolean }).sortByLabel = false;
  const year = c.loaded.pack?.manifest.codeSetYear;
  let generation = 0;
  const update = async (value: string) => {
    const mine = ++generation;
    const items: CodeItem[] = typedItems(value);
    const query = value.trim();
    // The typed code can be accepted at once; matches join it when the search answers.
    qp.items = items;
    if (query) {
      qp.busy = true;
      const found = await lookup.search(query, { year, limit: 30, glossary: c.loaded.pack?.glossary });
      if (mine !== generation) return;
      qp.busy = false;
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
          description: hit.needsMoreCharacters ? `${hit.system} · ${hit.code} needs more characters` : hit.billable ? hit.system : `${hit.system} · not billable`,
          detail: hit.title,
          system: hit.system,
          code: hit.code,
        });
      }
    }
    qp.items = items;
    shownCodeItems.rows = items.map((i) => `${i.label} ${i.description ?? ''}`.trim());
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
    const choice = await vscode.window.showWarningMessage(warning, { modal: false }, 'Tag Anyway', 'Choose Another');
    if (choice === 'Choose Another') return pickCode(c, lookup, picked.code);
    if (choice !== 'Tag Anyway') return undefined;
  }
  return { system: picked.system, code: displayCode(picked.system, picked.code) };
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

export async function pickModifiers(current: string[] = []): Promise<string[] | undefined> {
  const qp = vscode.window.createQuickPick<vscode.QuickPickItem>();
  qp.canSelectMany = true;
  qp.title = 'Casebook: modifiers (none is fine)';
  qp.placeholder = 'Tick modifiers, or type others separated by spaces or commas (e.g. 59 XS), then Enter';
  const known = new Set(COMMON_MODIFIERS.map(([m]) => m));
  const items: vscode.QuickPickItem[] = [
    ...current.filter((m) => !known.has(m)).map((m) => ({ label: m, description: 'entered before' })),
    ...COMMON_MODIFIERS.map(([label, description]) => ({ label, description })),
  ];
  qp.items = items;
  qp.selectedItems = items.filter((i) => current.includes(i.label));
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
  return value.split(/[\s,]+/).map(normalizeModifier).filter(Boolean);
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
  const items = sheet.diagnoses.map((d) => ({ label: `${d.letter}  ${d.code}`, code: d.code, picked: chosen.has(normalizeDiagnosis(d.code)) }));
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
    const m = await pickModifiers();
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

export async function editTag(sessions: CaseSessions, c: OpenCase, lookup: CodeLookup, tag: Tag): Promise<void> {
  const isProcedure = !isDiagnosisSystem(tag.system);
  const parts = [
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
  if (choice.part === 'code') {
    const code = await pickCode(c, lookup, tag.code);
    if (code) await sessions.change(c, (s) => s.editTag(tag.id, code));
  } else if (choice.part === 'modifiers') {
    const modifiers = await pickModifiers(tag.modifiers);
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
    const under = tagsAt(c.session.work, editor.document.offsetAt(editor.selection.active) - c.note.bodyOffset);
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
