// Answer choices written as code combinations: "99214-25, 20610-RT, J3301 x4, M17.11".
// Items are joined by ", "; each is a code, optional modifiers each as -MM, optional units " xN".
// ICD-10-CM codes are always written with their dot (J11.00), so J1100 reads as HCPCS and 99214 as CPT;
// a three-character code (I10) is ICD-10-CM. Shapes come from core/codes, the one place that knows them.
import { SHAPE_EXAMPLES, hasShape, isModifier, procedureSystem } from '../codes';
import type { ChoiceCode } from './model';

const ITEM = /^([A-Za-z0-9.]+)((?:-[A-Za-z0-9]+)*)(?: [xX]([0-9]+))?$/;
/** Something a writer meant as a code: letters and digits (at least two digits, 4–9 long), maybe with modifiers or units. */
const CODE_LIKE = /^(?=(?:[^0-9]*[0-9]){2})[A-Za-z0-9.]{4,9}(?:-[A-Za-z0-9]{1,4})*(?:\s*[xX×*]\s*[0-9]+)?$/;

export type ItemParse = { code: ChoiceCode } | { error: string; hint: string };

/** The items of a choice as written: split on commas, trimmed. */
export function choiceItems(text: string): string[] {
  return text.split(',').map((s) => s.trim());
}

/** One item of a combination, or why it is not one. */
export function parseChoiceCode(item: string): ItemParse {
  const m = ITEM.exec(item.trim());
  if (!m) return { error: `"${item}" is not written as CODE, CODE-MM or CODE xN`, hint: 'write e.g. 99214-25, J3301 x4 or M17.11' };
  const code = m[1].toUpperCase();
  const modifiers = m[2]
    ? m[2]
        .slice(1)
        .split('-')
        .map((s) => s.toUpperCase())
    : [];
  const units = m[3] === undefined ? 1 : Number(m[3]);
  const system = code.includes('.') || /^[A-Z][0-9A-Z]{2}$/.test(code) ? 'ICD-10-CM' : procedureSystem(code);
  if (!system) {
    const hint = hasShape('ICD-10-CM', code)
      ? `ICD-10-CM codes are written with their dot here (e.g. ${code.slice(0, 3)}.${code.slice(3)})`
      : `CPT is ${SHAPE_EXAMPLES.CPT}; HCPCS is ${SHAPE_EXAMPLES.HCPCS}; ICD-10-CM is ${SHAPE_EXAMPLES['ICD-10-CM']}`;
    return { error: `"${code}" is not the shape of a CPT, HCPCS or ICD-10-CM code`, hint };
  }
  if (system === 'ICD-10-CM') {
    if (!hasShape(system, code) || !/^[A-Z][0-9A-Z]{2}(\.[0-9A-Z]{1,4})?$/.test(code)) {
      return { error: `"${code}" is not a valid ICD-10-CM code`, hint: `ICD-10-CM codes are ${SHAPE_EXAMPLES['ICD-10-CM']}` };
    }
    if (modifiers.length || units !== 1) return { error: `"${item}": ICD-10-CM codes take no modifiers or units`, hint: `write ${code} alone` };
  }
  const bad = modifiers.find((mm) => !isModifier(mm));
  if (bad !== undefined)
    return { error: `"${item}": "-${bad}" is not a modifier`, hint: 'a modifier is two letters or digits after a dash, e.g. -25, -RT, -XS' };
  if (units < 1) return { error: `"${item}": units must be 1 or more`, hint: 'write e.g. J3301 x4, or leave the units out for 1' };
  return { code: { system, code, modifiers, units } };
}

/** Whether an item looks like an attempt at a code (so a wrong shape is a mistake, not prose). */
export function looksLikeCode(item: string): boolean {
  return CODE_LIKE.test(item.trim());
}

export type ChoiceParse =
  | { kind: 'codes'; codes: ChoiceCode[] }
  | { kind: 'text' }
  /** Meant as a combination but some items have the wrong shape. */
  | { kind: 'bad'; errors: Array<{ item: string; error: string; hint: string }> };

/**
 * Reads a choice. `othersAreCodes`: another choice of the same question is a combination, so a
 * lone code-like item here (e.g. `9921`) is a code written wrong rather than text.
 */
export function parseChoice(text: string, othersAreCodes = false): ChoiceParse {
  const items = choiceItems(text);
  const parsed = items.map((item) => ({ item, result: parseChoiceCode(item) }));
  if (parsed.every((p) => 'code' in p.result)) return { kind: 'codes', codes: parsed.map((p) => (p.result as { code: ChoiceCode }).code) };
  const good = parsed.filter((p) => 'code' in p.result).length;
  const bad = parsed.filter((p) => 'error' in p.result);
  const meantAsCodes = bad.every((p) => looksLikeCode(p.item)) && (good > 0 || othersAreCodes);
  if (!meantAsCodes) return { kind: 'text' };
  return { kind: 'bad', errors: bad.map((p) => ({ item: p.item, ...(p.result as { error: string; hint: string }) })) };
}

/** A choice code as written in a combination: `99214-25`, `J3301 x4`. */
export function choiceCodeText(c: ChoiceCode): string {
  return `${c.code}${c.modifiers.map((m) => `-${m}`).join('')}${c.units !== 1 ? ` x${c.units}` : ''}`;
}
