// The learner's edits on one case's work, with undo. Every change makes a new WorkFile (the old
// one is never mutated), so undo is a stack of earlier values and the caller can save after each change.
import { randomBytes } from 'crypto';
import { makeAnchor } from './anchor';
import { diagnosisSequence } from './claim';
import { displayCode, displayDiagnosis, isCodeSystem, isDiagnosisSystem, normalizeCode, normalizeDiagnosis, normalizeModifier } from './codes';
import { withDispute } from './disputes';
import type { CodeSystem, Tag, WorkFile } from './model';

/** Undo goes back this many changes. */
const UNDO_DEPTH = 200;

export interface NewTag {
  system: CodeSystem;
  code: string;
  modifiers?: string[];
  units?: number;
  links?: string[];
  /** The selected text, as UTF-16 offsets into the note; both or neither. */
  start?: number;
  end?: number;
}

export type TagChanges = Partial<Pick<Tag, 'system' | 'code' | 'modifiers' | 'units' | 'links'>>;

export class WorkSession {
  private current: WorkFile;
  private readonly undoStack: WorkFile[] = [];

  constructor(
    work: WorkFile,
    private readonly body: string,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.current = work;
  }

  get work(): WorkFile {
    return this.current;
  }

  addTag(input: NewTag): Tag {
    const system = checkSystem(input.system);
    if ((input.start === undefined) !== (input.end === undefined)) {
      throw new RangeError('a tag is anchored by both start and end, or by neither');
    }
    const tag: Tag = {
      id: this.newId(),
      system,
      code: cleanCode(system, input.code),
      modifiers: cleanModifiers(input.modifiers ?? []),
      units: checkUnits(input.units ?? 1),
      links: cleanLinks(input.links ?? []),
    };
    if (input.start !== undefined && input.end !== undefined) tag.anchor = makeAnchor(this.body, input.start, input.end);
    this.change([...this.current.tags, tag]);
    return tag;
  }

  /**
   * Changes a tag's code, modifiers, units or links. When a diagnosis code changes and no other
   * tag carries the old code, links to the old code follow it to the new one.
   */
  editTag(id: string, changes: TagChanges): WorkFile {
    const old = this.find(id);
    const system = changes.system !== undefined ? checkSystem(changes.system) : old.system;
    const edited: Tag = { ...old, system };
    if (changes.code !== undefined || changes.system !== undefined) edited.code = cleanCode(system, changes.code ?? old.code);
    if (changes.modifiers !== undefined) edited.modifiers = cleanModifiers(changes.modifiers);
    if (changes.units !== undefined) edited.units = checkUnits(changes.units);
    if (changes.links !== undefined) edited.links = cleanLinks(changes.links);

    let tags = this.current.tags.map((t) => (t.id === id ? edited : t));
    if (isDiagnosisSystem(old.system) && !hasDiagnosis(tags, old.code)) {
      const renamed = isDiagnosisSystem(edited.system) ? edited.code : undefined;
      tags = retargetLinks(tags, old.code, renamed);
    }
    return this.change(tags);
  }

  /** Removes a tag; links to its diagnosis go too when no other tag carries that code. */
  removeTag(id: string): WorkFile {
    const removed = this.find(id);
    let tags = this.current.tags.filter((t) => t.id !== id);
    if (isDiagnosisSystem(removed.system) && !hasDiagnosis(tags, removed.code)) {
      tags = retargetLinks(tags, removed.code, undefined);
    }
    return this.change(tags);
  }

  /** Anchors a tag to other text of the note (Edit Tag → Text); a detached tag is attached again. */
  moveTag(id: string, start: number, end: number): WorkFile {
    const { detached: _detached, ...old } = this.find(id);
    return this.change(this.current.tags.map((t) => (t.id === id ? { ...old, anchor: makeAnchor(this.body, start, end) } : t)));
  }

  /** Removes several tags (a whole coding-sheet line) as one change, so one undo brings them all back. */
  removeTags(ids: readonly string[]): WorkFile {
    const gone = ids.map((id) => this.find(id));
    let tags = this.current.tags.filter((t) => !ids.includes(t.id));
    for (const removed of gone) {
      if (isDiagnosisSystem(removed.system) && !hasDiagnosis(tags, removed.code)) tags = retargetLinks(tags, removed.code, undefined);
    }
    return this.change(tags);
  }

  /**
   * Moves a diagnosis in the sequence (the order in which ICD-10-CM codes first appear in `tags`)
   * by moving all of its tags as one block; the other tags keep their relative order.
   * Moving the first diagnosis up or the last down changes nothing.
   */
  moveDiagnosis(code: string, direction: 'up' | 'down' | 'first'): WorkFile {
    const tags = this.current.tags;
    const sequence = diagnosisSequence(tags);
    const key = normalizeDiagnosis(code);
    const index = sequence.indexOf(key);
    if (index < 0) throw new Error(`no diagnosis ${displayDiagnosis(code)} on the coding sheet`);
    const isMoved = (t: Tag) => isDiagnosisSystem(t.system) && normalizeCode(t.system, t.code) === key;
    const block = tags.filter(isMoved);
    const rest = tags.filter((t) => !isMoved(t));
    const firstTagOf = (diagnosis: string) => rest.findIndex((t) => isDiagnosisSystem(t.system) && normalizeCode(t.system, t.code) === diagnosis);

    let insertAt: number;
    if (direction === 'down') {
      if (index === sequence.length - 1) return this.current;
      insertAt = firstTagOf(sequence[index + 1]) + 1; // just after the next diagnosis first appears
    } else {
      if (index === 0) return this.current;
      insertAt = firstTagOf(sequence[direction === 'first' ? 0 : index - 1]); // just before it
    }
    return this.change([...rest.slice(0, insertAt), ...block, ...rest.slice(insertAt)]);
  }

  /**
   * Sets the learner's note against the key on a graded line (`disputeLine`), or removes it when the
   * note is empty. Not an undoable change: Undo Last Change is for the coding and never takes a note back.
   */
  setDispute(line: string, note: string): WorkFile {
    this.current = withDispute(this.current, line, note, this.clock());
    return this.current;
  }

  /** Goes back to the state before the last change; false when there is nothing to undo. Disputes stay as they are. */
  undo(): boolean {
    const previous = this.undoStack.pop();
    if (!previous) return false;
    const { disputes: _older, ...rest } = previous;
    const disputes = this.current.disputes;
    this.current = { ...rest, updated: this.clock().toISOString(), ...(disputes !== undefined ? { disputes } : {}) };
    return true;
  }

  canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  private change(tags: Tag[]): WorkFile {
    this.undoStack.push(this.current);
    if (this.undoStack.length > UNDO_DEPTH) this.undoStack.shift();
    this.current = { ...this.current, updated: this.clock().toISOString(), tags };
    return this.current;
  }

  private find(id: string): Tag {
    const tag = this.current.tags.find((t) => t.id === id);
    if (!tag) throw new Error(`no tag ${id} in the work of case ${this.current.case}`);
    return tag;
  }

  /** "t-" and 4 random hex digits, longer in the unlikely case those are taken. */
  private newId(): string {
    const taken = new Set(this.current.tags.map((t) => t.id));
    for (let bytes = 2; ; bytes++) {
      for (let attempt = 0; attempt < 16; attempt++) {
        const id = `t-${randomBytes(bytes).toString('hex')}`;
        if (!taken.has(id)) return id;
      }
    }
  }
}

export { diagnosisSequence } from './claim';

function hasDiagnosis(tags: readonly Tag[], code: string): boolean {
  const key = normalizeDiagnosis(code);
  return tags.some((t) => isDiagnosisSystem(t.system) && normalizeCode(t.system, t.code) === key);
}

/** Points links to `from` at `to` instead, or drops them when `to` is undefined. */
function retargetLinks(tags: Tag[], from: string, to: string | undefined): Tag[] {
  const key = normalizeDiagnosis(from);
  return tags.map((t) => {
    if (!t.links.some((l) => normalizeDiagnosis(l) === key)) return t;
    const links = t.links.flatMap((l) => (normalizeDiagnosis(l) === key ? (to ? [to] : []) : [l]));
    return { ...t, links: cleanLinks(links) };
  });
}

function checkSystem(system: CodeSystem): CodeSystem {
  if (!isCodeSystem(system)) throw new Error(`unknown code system ${String(system)}: use ICD-10-CM, CPT or HCPCS`);
  return system;
}

function cleanCode(system: CodeSystem, code: string): string {
  if (code.trim() === '') throw new Error('a tag needs a code');
  return displayCode(system, code);
}

function cleanModifiers(modifiers: string[]): string[] {
  return unique(modifiers.map(normalizeModifier).filter((m) => m !== ''));
}

/** Links are diagnosis codes, kept in their printed form, each once. */
function cleanLinks(links: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const link of links) {
    const key = normalizeDiagnosis(link);
    if (key === '' || seen.has(key)) continue;
    seen.add(key);
    out.push(displayDiagnosis(link));
  }
  return out;
}

function checkUnits(units: number): number {
  if (!Number.isInteger(units) || units < 1) throw new RangeError(`units must be a whole number of 1 or more, not ${units}`);
  return units;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
