// Year-over-year changes of one code system: codes added, deleted (no longer billable) and retitled.
import type { AnswerKey, CodeSystem } from '../model';
import { displayCode, normalizeCode } from '../codes';
import type { CodeSet } from './codeSet';

export interface CodeSetDiff {
  system: CodeSystem;
  old: number;
  new: number;
  added: { code: string; title: string }[];
  deleted: { code: string; title: string }[];
  retitled: { code: string; oldTitle: string; newTitle: string }[];
}

/**
 * Compares the billable codes of two years (as the CMS addenda do): a code is added when it is
 * billable in the new year only, deleted when billable in the old year only (a code that became a
 * category header counts as deleted), retitled when its long title changed. Codes in display form, sorted.
 */
export function diffCodeSets(oldSet: CodeSet, newSet: CodeSet): CodeSetDiff {
  const oldTitles = billableTitles(oldSet);
  const newTitles = billableTitles(newSet);
  const system = newSet.system;
  const diff: CodeSetDiff = { system, old: oldSet.year, new: newSet.year, added: [], deleted: [], retitled: [] };
  for (const [code, title] of newTitles) {
    const before = oldTitles.get(code);
    if (before === undefined) diff.added.push({ code: displayCode(system, code), title });
    else if (before !== title) diff.retitled.push({ code: displayCode(system, code), oldTitle: before, newTitle: title });
  }
  for (const [code, title] of oldTitles) {
    if (!newTitles.has(code)) diff.deleted.push({ code: displayCode(system, code), title });
  }
  const byCode = (a: { code: string }, b: { code: string }) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
  diff.added.sort(byCode);
  diff.deleted.sort(byCode);
  diff.retitled.sort(byCode);
  return diff;
}

function billableTitles(set: CodeSet): Map<string, string> {
  const titles = new Map<string, string>();
  for (let i = 0; i < set.count; i++) if (set.billable(i)) titles.set(set.code(i), set.title(i));
  return titles;
}

/** Key lines (diagnoses, procedures and their `accept` codes) that use a code the diff deleted. */
export function deletedCodesUsed(diff: CodeSetDiff, keys: AnswerKey[]): Array<{ case: string; file: string; line: number; code: string }> {
  const deleted = new Set(diff.deleted.map((d) => normalizeCode(diff.system, d.code)));
  const uses: Array<{ case: string; file: string; line: number; code: string }> = [];
  for (const key of keys) {
    for (const keyLine of [...key.diagnoses, ...key.procedures]) {
      if (keyLine.system !== diff.system) continue;
      for (const code of [keyLine.code, ...keyLine.accept]) {
        if (deleted.has(normalizeCode(diff.system, code))) {
          uses.push({ case: key.case, file: key.file, line: keyLine.line, code: displayCode(diff.system, code) });
        }
      }
    }
  }
  return uses;
}
