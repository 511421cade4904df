// The coding sheet as a coder thinks of it: diagnoses lettered A, B, C… in sequence, then the
// procedure lines (grouped as the grader groups them) with modifiers, units and diagnosis pointers.
// Also the highlight spans for the note, with their inline labels.
import { isDetached } from './anchor';
import { claimLineKey, diagnosisSequence, modifierSet } from './claim';
import { displayCode, displayDiagnosis, isDiagnosisSystem, normalizeCode, normalizeDiagnosis } from './codes';
import type { CodeSystem, Tag, WorkFile } from './model';

export interface SheetDiagnosis {
  letter: string;
  code: string;
  tagIds: string[];
  /** Some tag of this diagnosis lost its text when the note changed. */
  detached: boolean;
}

export interface SheetProcedure {
  system: CodeSystem;
  code: string;
  modifiers: string[];
  units: number;
  /** Diagnosis letters in link order; a link to a code not on the sheet is shown as the code. */
  pointers: string[];
  tagIds: string[];
  /** Some tag of this line lost its text when the note changed. */
  detached: boolean;
}

export interface Sheet {
  diagnoses: SheetDiagnosis[];
  procedures: SheetProcedure[];
  /** Every detached tag, diagnoses and procedures alike. */
  detached: Tag[];
}

/** A, B, … Z, AA, AB, … (as spreadsheet columns). */
export function diagnosisLetter(index: number): string {
  let letter = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    letter = String.fromCharCode(65 + ((n - 1) % 26)) + letter;
  }
  return letter;
}

/** Letter of each normalized diagnosis code, in sequence (order of first appearance). */
function diagnosisLetters(tags: readonly Tag[]): Map<string, string> {
  return new Map(diagnosisSequence(tags).map((code, i) => [code, diagnosisLetter(i)]));
}

function pointersFor(links: readonly string[], letters: Map<string, string>): string[] {
  const pointers: string[] = [];
  for (const link of links) {
    const pointer = letters.get(normalizeDiagnosis(link)) ?? displayDiagnosis(link);
    if (!pointers.includes(pointer)) pointers.push(pointer);
  }
  return pointers;
}

export function buildSheet(work: WorkFile): Sheet {
  const letters = diagnosisLetters(work.tags);
  const diagnoses = new Map<string, SheetDiagnosis>();
  const procedures = new Map<string, SheetProcedure & { links: string[] }>();
  for (const tag of work.tags) {
    const code = normalizeCode(tag.system, tag.code);
    const detached = isDetached(tag);
    if (isDiagnosisSystem(tag.system)) {
      const line = diagnoses.get(code);
      if (line) {
        line.tagIds.push(tag.id);
        line.detached ||= detached;
      } else {
        const letter = letters.get(code) as string;
        diagnoses.set(code, { letter, code: displayCode(tag.system, code), tagIds: [tag.id], detached });
      }
      continue;
    }
    // The grader's procedure line (core/claim): same system, code and set of modifiers; units max, links union.
    const modifiers = modifierSet(tag.modifiers);
    const key = claimLineKey(tag.system, tag.code, tag.modifiers);
    const line = procedures.get(key);
    if (line) {
      line.units = Math.max(line.units, tag.units);
      line.links.push(...tag.links);
      line.tagIds.push(tag.id);
      line.detached ||= detached;
    } else {
      procedures.set(key, {
        system: tag.system,
        code: displayCode(tag.system, code),
        modifiers,
        units: tag.units,
        pointers: [],
        links: [...tag.links],
        tagIds: [tag.id],
        detached,
      });
    }
  }
  return {
    diagnoses: [...diagnoses.values()],
    procedures: [...procedures.values()].map(({ links, ...line }) => ({ ...line, pointers: pointersFor(links, letters) })),
    detached: work.tags.filter(isDetached),
  };
}

/** A highlighted range of the note and the label shown after it. */
export interface DecorationSpan {
  tagId: string;
  system: CodeSystem;
  start: number;
  end: number;
  label: string;
}

/** "E11.9" for a diagnosis; "99214-25 ×2 → A,B" for a procedure (modifiers, units when not 1, pointers). */
function label(tag: Tag, letters: Map<string, string>): string {
  const code = displayCode(tag.system, tag.code);
  if (isDiagnosisSystem(tag.system)) return code;
  let text = code;
  for (const modifier of modifierSet(tag.modifiers)) text += `-${modifier}`;
  if (tag.units !== 1) text += ` ×${tag.units}`;
  const pointers = pointersFor(tag.links, letters);
  if (pointers.length > 0) text += ` → ${pointers.join(',')}`;
  return text;
}

/**
 * One span per anchored, attached tag, sorted by start (then end, then tag id). Spans are never
 * merged, so tags on the same or touching text each keep their own label.
 */
export function decorationSpans(work: WorkFile): DecorationSpan[] {
  const letters = diagnosisLetters(work.tags);
  const spans: DecorationSpan[] = [];
  for (const tag of work.tags) {
    if (!tag.anchor || isDetached(tag)) continue;
    spans.push({ tagId: tag.id, system: tag.system, start: tag.anchor.start, end: tag.anchor.end, label: label(tag, letters) });
  }
  return spans.sort((a, b) => a.start - b.start || a.end - b.end || (a.tagId < b.tagId ? -1 : a.tagId > b.tagId ? 1 : 0));
}

/**
 * The anchored, attached tags whose text holds `offset` (a body offset of the cursor or the mouse).
 * The end is inclusive: a caret just after tagged text (where a selection leaves it) is on that tag,
 * as the highlight's closed range shows. The hover and the edit/remove commands both ask this.
 */
export function tagsAt(work: WorkFile, offset: number): Tag[] {
  return work.tags.filter((t) => t.anchor && !isDetached(t) && t.anchor.start <= offset && offset <= t.anchor.end);
}

/** The letter each diagnosis code (normalized) has on the sheet, for showing pointers. */
export function diagnosisLetterOf(work: WorkFile): (code: string) => string | undefined {
  const letters = diagnosisLetters(work.tags);
  return (code) => letters.get(normalizeDiagnosis(code));
}

/** A tag as one short label for lists: code, modifiers, units when not 1 (`99214-25 ×2`). */
export function tagLabel(t: Tag): string {
  const mods = t.modifiers.length ? `-${t.modifiers.join('-')}` : '';
  const units = t.units !== 1 ? ` ×${t.units}` : '';
  return `${t.code}${mods}${units}`;
}
