// Is a code valid in the chosen code-set year? Messages for the editor and the pack validator.
import type { CodeSystem } from '../model';
import { displayCode, normalizeCode } from '../codes';
import type { CodeSet } from './codeSet';
import type { CodeStore, YearChoice } from './store';

/** How a year is written for a system: ICD-10-CM years are fiscal years (FY2026 starts 1 October 2025). */
export function yearLabel(system: CodeSystem, year: number): string {
  return system === 'ICD-10-CM' ? `FY${year}` : String(year);
}

/**
 * A synchronous check over the sets the store has loaded (`await store.prepare(choice)` first).
 * Returns a message when the code is not valid in that year; undefined when it is, or when no set
 * of that system and year is loaded (CPT is checked only when the user imported their own CPT file).
 */
export function codeChecker(store: CodeStore, choice?: YearChoice): (system: CodeSystem, code: string) => string | undefined {
  return (system, code) => {
    const year = typeof choice === 'number' ? choice : choice?.[system];
    const set = store.loaded(system, year);
    return set ? checkCode(set, code) : undefined;
  };
}

/** The message for a code that is not valid in `set`'s year, or undefined. */
export function checkCode(set: CodeSet, code: string): string | undefined {
  const normal = normalizeCode(set.system, code);
  const shown = displayCode(set.system, normal);
  const year = yearLabel(set.system, set.year);
  const record = set.find(normal);
  if (record >= 0) {
    const status = set.status(record);
    if (status === 'billable') return undefined;
    if (status === 'discontinued') return `${shown} was discontinued on ${set.terminated(record)}: it is not valid in ${year}`;
    return `${shown} is a category, not a billable code in ${year}: add more characters`;
  }
  if (set.deletedCode(normal)) return `${shown} was deleted in ${year}`;
  if (set.hasSubcodes(normal)) return `${shown} is a category, not a billable code in ${year}: add more characters`;
  return `${shown} is not a${set.system === 'ICD-10-CM' ? 'n' : ''} ${set.system} code in ${year}`;
}
