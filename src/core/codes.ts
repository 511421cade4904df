// Code systems, their shapes and normal forms. The one place that knows what a code looks like.
import type { CodeSystem } from './model';

// ICD-10-CM allows a letter second only before a digit: FY2026 added QA0 (e.g. QA0.0101), which the
// v1 design table missed. Two letters after the first (COLLES, FALL) are a word, never a code.
const SHAPES: Record<CodeSystem, RegExp> = {
  'ICD-10-CM': /^[A-Z](?:[0-9][0-9A-Z]|[A-Z][0-9])(\.?[0-9A-Z]{1,4})?$/,
  CPT: /^[0-9]{4}[0-9AFMTU]$/,
  HCPCS: /^[A-V][0-9]{4}$/,
};
const MODIFIER_SHAPE = /^[0-9A-Z]{2}$/;

/** What a valid code of each system looks like, for messages. */
export const SHAPE_EXAMPLES: Record<CodeSystem, string> = {
  'ICD-10-CM': 'a letter, a digit (or a letter then a digit), a letter or digit, then up to 4 more after an optional dot (E11.9, S52.521A, QA0.0101)',
  CPT: 'five characters: four digits then a digit or A, F, M, T or U (99213, 3074F, 0042T)',
  HCPCS: 'a letter A–V then four digits (J1100, G0439)',
};

/** Trim and upper-case; for ICD-10-CM also drop the dot. `e11.9`, `E119` and `E11.9` are the same code. */
export function normalizeCode(system: CodeSystem, code: string): string {
  const c = code.trim().toUpperCase();
  return system === 'ICD-10-CM' ? c.replace('.', '') : c;
}

export function normalizeModifier(modifier: string): string {
  return modifier.trim().toUpperCase();
}

export function hasShape(system: CodeSystem, code: string): boolean {
  return SHAPES[system].test(code.trim().toUpperCase());
}

export function isModifier(modifier: string): boolean {
  return MODIFIER_SHAPE.test(normalizeModifier(modifier));
}

/** The usual printed form: ICD-10-CM with its dot after the third character. */
export function displayCode(system: CodeSystem, code: string): string {
  const c = normalizeCode(system, code);
  return system === 'ICD-10-CM' && c.length > 3 ? `${c.slice(0, 3)}.${c.slice(3)}` : c;
}

/** The category a near miss is judged by: 3 characters for ICD-10-CM, 4 for CPT and HCPCS. */
export function category(system: CodeSystem, code: string): string {
  return normalizeCode(system, code).slice(0, system === 'ICD-10-CM' ? 3 : 4);
}

/** The systems whose shape a code has (J1100 has two: HCPCS, and ICD-10-CM written without its dot). */
export function systemsByShape(code: string): CodeSystem[] {
  return (Object.keys(SHAPES) as CodeSystem[]).filter((s) => hasShape(s, code));
}

/** A procedure line's system from its shape: CPT or HCPCS, or undefined when it has neither. */
export function procedureSystem(code: string): CodeSystem | undefined {
  if (hasShape('CPT', code)) return 'CPT';
  if (hasShape('HCPCS', code)) return 'HCPCS';
  return undefined;
}

export function isCodeSystem(value: unknown): value is CodeSystem {
  return value === 'ICD-10-CM' || value === 'CPT' || value === 'HCPCS';
}

/** The system of diagnoses (and of the diagnosis pointers of procedure lines). */
export const DIAGNOSIS_SYSTEM: CodeSystem = 'ICD-10-CM';

/** Diagnoses are ICD-10-CM; everything else is a procedure or service line. */
export function isDiagnosisSystem(system: CodeSystem): boolean {
  return system === DIAGNOSIS_SYSTEM;
}

/** A diagnosis code (or a pointer to one) in normal form: `e11.9` → `E119`. */
export function normalizeDiagnosis(code: string): string {
  return normalizeCode(DIAGNOSIS_SYSTEM, code);
}

/** A diagnosis code (or a pointer to one) in its printed form: `e119` → `E11.9`. */
export function displayDiagnosis(code: string): string {
  return displayCode(DIAGNOSIS_SYSTEM, code);
}
