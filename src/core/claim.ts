// How tags become claim lines, the one rule the coding sheet and the grader share: a diagnosis line per
// distinct ICD-10-CM code, in the order codes first appear (the diagnosis sequence); a procedure line
// per system, code and set of modifiers.
import { isDiagnosisSystem, normalizeCode, normalizeModifier } from './codes';
import type { CodeSystem, Tag } from './model';

/** Distinct normalized diagnosis codes in the order they first appear: A, B, C… on the sheet. */
export function diagnosisSequence(tags: readonly Pick<Tag, 'system' | 'code'>[]): string[] {
  const seen = new Set<string>();
  for (const t of tags) if (isDiagnosisSystem(t.system)) seen.add(normalizeCode(t.system, t.code));
  return [...seen];
}

/** Modifiers in normal form, each once, first-seen order. */
export function modifierSet(modifiers: readonly string[]): string[] {
  const out: string[] = [];
  for (const m of modifiers) {
    const n = normalizeModifier(m);
    if (n && !out.includes(n)) out.push(n);
  }
  return out;
}

/** The claim line a tag belongs to: tags with the same key are one line (units max, links union). */
export function claimLineKey(system: CodeSystem, code: string, modifiers: readonly string[]): string {
  const normal = normalizeCode(system, code);
  return isDiagnosisSystem(system) ? `D ${normal}` : `P ${system} ${normal} ${[...modifierSet(modifiers)].sort().join(',')}`;
}
