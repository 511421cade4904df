// Tagging: select text → quick pick a code → modifiers, units, pointers → a Tag in the work file.
// Also the highlights (one colour per code system, the code shown after the text) and the hover.
import * as vscode from 'vscode';
import { displayCode, isModifier, normalizeCode, normalizeModifier, systemsByShape, SHAPE_EXAMPLES } from '../core/codes';
import { buildSheet, decorationSpans, DecorationSpan } from '../core/sheet';
import type { CodeSystem, Tag } from '../core/model';
import { CaseSessions, OpenCase } from './cases';
import type { CodeLookup } from './codesets';
import { escapeMd } from './packs';

/** Common modifiers, described in our own words (not AMA text). */
export const COMMON_MODIFIERS: ReadonlyArray<[string, string]> = [
  ['25', 'Separate, significant E/M on the day of a procedure'],
  ['59', 'Distinct procedural service'],
  ['XS', 'Separate structure or organ'],
  ['XE', 'Separate encounter'],
  ['XP', 'Separate practitioner'],
  ['XU', 'Unusual non-overlapping service'],
  ['26', 'Professional component only'],
  ['TC', 'Technical component only'],
  ['RT', 'Right side'],
  ['LT', 'Left side'],
  ['50', 'Bilateral procedure'],
  ['51', 'Multiple procedures'],
  ['52', 'Reduced service'],
  ['53', 'Discontinued procedure'],
  ['57', 'Decision for surgery'],
  ['24', 'Unrelated E/M during a postoperative period'],
  ['58', 'Staged or related procedure in the global period'],
  ['76', 'Repeat procedure, same physician'],
  ['77', 'Repeat procedure, another physician'],
  ['78', 'Unplanned return to the operating room'],
  ['79', 'Unrelated procedure in the postoperative period'],
  ['22', 'Increased procedural service'],
  ['80', 'Assistant surgeon'],
  ['AA', 'Anesthesia performed personally by the anesthesiologist'],
  ['QK', 'Medical direction of 2–4 anesthesia procedures'],
  ['QX', 'CRNA service with medical direction'],
  ['QZ', 'CRNA service without medical direction'],
  ['P1', 'Anesthesia: normal healthy patient'],
  ['P2', 'Anesthesia: mild systemic disease'],
  ['P3', 'Anesthesia: severe systemic disease'],
  ['F1', 'Left hand, second digit'],
  ['TA', 'Left foot, great toe'],
  ['E1', 'Upper left eyelid'],
  ['GA', 'Waiver of liability on file'],
  ['JZ', 'No drug amount discarded'],
  ['JW', 'Drug amount discarded'],
  ['95', 'Synchronous telemedicine service'],
];

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
    const typedCount = items.length;
    let found: Awaited<ReturnType<CodeLookup['search']>> = [];
    const query = value.trim();
    // The typed code can be accepted at once; matches join it when the search answers.
    qp.items = items;
    if (query) {
      qp.busy = true;
      found = await lookup.search(query, { year, limit: 30, glossary: c.loaded.pack?.glossary });
      if (mine !== generation) return;
      qp.busy = false;
      const seen = new Set(items.map((i) => `${i.system}|${normalizeCode(i.system!, i.code!)}`));
      for (const hit of found) {
        const id = `${hit.system}|${normalizeCode(hit.system, hit.code)}`;
        const typed = items.find((i) => `${i.system}|${normalizeCode(i.system!, i.code!)}` === id);
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
    // A typed code the code sets do not have (HTN has the shape of an ICD-10-CM code) stays usable, after the matches.
    if (found.length && !found.some((hit) => items.slice(0, typedCount).some((t) => t.system === hit.system && normalizeCode(hit.system, hit.code) === normalizeCode(t.system!, t.code!)))) {
      items.push(...items.splice(0, typedCount));
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
  const chosen = new Set(current.map((l) => normalizeCode('ICD-10-CM', l)));
  const items = sheet.diagnoses.map((d) => ({ label: `${d.letter}  ${d.code}`, code: d.code, picked: chosen.has(normalizeCode('ICD-10-CM', d.code)) }));
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
  if (code.system !== 'ICD-10-CM') {
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
  const isProcedure = tag.system !== 'ICD-10-CM';
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
export async function resolveTag(c: OpenCase, arg: unknown, editor: vscode.TextEditor | undefined, verb: string): Promise<Tag | undefined> {
  const tags = c.session.work.tags;
  const id = typeof arg === 'string' ? arg : (arg as { tagId?: string } | undefined)?.tagId;
  if (id) return tags.find((t) => t.id === id);
  if (editor && editor.document.uri.toString() === c.uri.toString()) {
    const offset = editor.document.offsetAt(editor.selection.active) - c.note.bodyOffset;
    const under = tags.filter((t) => t.anchor && !t.detached && t.anchor.start <= offset && offset <= t.anchor.end);
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

export function tagLabel(t: Tag): string {
  const mods = t.modifiers.length ? `-${t.modifiers.join('-')}` : '';
  const units = t.units !== 1 ? ` ×${t.units}` : '';
  return `${t.code}${mods}${units}`;
}

// ---- highlights and hover ----

const COLORS: Record<CodeSystem, string> = { 'ICD-10-CM': 'diagnosis', CPT: 'procedure', HCPCS: 'hcpcs' };

export class TagDecorations implements vscode.Disposable {
  private readonly types = new Map<CodeSystem, vscode.TextEditorDecorationType>();
  /** What was last drawn per document (for the test API and the hover). */
  readonly drawn = new Map<string, DecorationSpan[]>();

  constructor() {
    for (const system of Object.keys(COLORS) as CodeSystem[]) {
      const name = COLORS[system];
      this.types.set(
        system,
        vscode.window.createTextEditorDecorationType({
          backgroundColor: new vscode.ThemeColor(`casebook.${name}Background`),
          border: '1px solid',
          borderColor: new vscode.ThemeColor(`casebook.${name}Border`),
          borderRadius: '2px',
          rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
        }),
      );
    }
  }

  draw(editor: vscode.TextEditor, c: OpenCase | undefined): void {
    const spans = c ? decorationSpans(c.session.work) : [];
    this.drawn.set(editor.document.uri.toString(), spans);
    const bySystem = new Map<CodeSystem, vscode.DecorationOptions[]>();
    const bodyOffset = c?.note.bodyOffset ?? 0;
    for (const span of spans) {
      const range = new vscode.Range(editor.document.positionAt(bodyOffset + span.start), editor.document.positionAt(bodyOffset + span.end));
      const list = bySystem.get(span.system) ?? [];
      list.push({
        range,
        renderOptions: {
          after: {
            contentText: ` ${span.label}`,
            color: new vscode.ThemeColor('casebook.tagLabelForeground'),
            fontStyle: 'italic',
            margin: '0 0.3em 0 0',
          },
        },
      });
      bySystem.set(span.system, list);
    }
    for (const [system, type] of this.types) editor.setDecorations(type, bySystem.get(system) ?? []);
  }

  dispose(): void {
    for (const t of this.types.values()) t.dispose();
  }
}

export function tagHover(c: OpenCase, document: vscode.TextDocument, position: vscode.Position, lookup: CodeLookup): vscode.Hover | undefined {
  const offset = document.offsetAt(position) - c.note.bodyOffset;
  const tags = c.session.work.tags.filter((t) => t.anchor && !t.detached && t.anchor.start <= offset && offset < t.anchor.end);
  if (tags.length === 0) return undefined;
  const sheet = buildSheet(c.session.work);
  const letterOf = new Map(sheet.diagnoses.map((d) => [normalizeCode('ICD-10-CM', d.code), d.letter]));
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = { enabledCommands: ['casebook.editTag', 'casebook.removeTag'] };
  md.supportThemeIcons = true;
  const year = c.loaded.pack?.manifest.codeSetYear;
  for (const t of tags) {
    const description = lookup.describe(t.system, t.code, year, c.loaded.pack?.glossary);
    md.appendMarkdown(`**${escapeMd(t.code)}** · ${t.system}`);
    if (description) md.appendMarkdown(` — ${escapeMd(description)}`);
    md.appendMarkdown('\n\n');
    if (t.system !== 'ICD-10-CM') {
      const pointers = t.links.map((l) => letterOf.get(normalizeCode('ICD-10-CM', l)) ?? l);
      md.appendMarkdown(`Modifiers: ${escapeMd(t.modifiers.join(', ') || 'none')} · Units: ${t.units} · Pointers: ${escapeMd(pointers.join(', ') || 'none')}\n\n`);
    }
    const arg = encodeURIComponent(JSON.stringify([{ tagId: t.id, uri: c.uri.toString() }]));
    md.appendMarkdown(`[$(edit) Edit](command:casebook.editTag?${arg} "Edit this tag") · [$(trash) Remove](command:casebook.removeTag?${arg} "Remove this tag")\n\n`);
    md.appendMarkdown('---\n\n');
  }
  const first = tags[0].anchor!;
  return new vscode.Hover(md, new vscode.Range(document.positionAt(c.note.bodyOffset + first.start), document.positionAt(c.note.bodyOffset + first.end)));
}

