// Code look-up for the UI: the pack's glossary plus the code sets the user imported (loaded lazily).
import type { CodeSystem, GlossaryEntry } from '../core/model';
import { displayCode, normalizeCode } from '../core/codes';
import { titleWords, type CodeHit as CoreCodeHit } from '../core/codeset';

/** A match shown in the UI: from a code set, or from the pack's glossary (which has no year). */
export type CodeHit = Pick<CoreCodeHit, 'code' | 'system' | 'title' | 'billable' | 'needsMoreCharacters'>;

export interface CodeLookup {
  search(query: string, options: { year?: number; limit: number; glossary?: GlossaryEntry[] }): Promise<CodeHit[]>;
  describe(system: CodeSystem, code: string, year?: number, glossary?: GlossaryEntry[]): string | undefined;
  /** A warning for a code that is not valid in the year (the learner may still tag it). */
  check(system: CodeSystem, code: string, year?: number): string | undefined;
}

/** Glossary matches: code prefix (dot or not), or every query word a prefix of a word of the description. */
export function searchGlossary(glossary: GlossaryEntry[] | undefined, query: string, limit: number): CodeHit[] {
  if (!glossary?.length) return [];
  const q = query.trim().toUpperCase();
  const qCode = q.replace('.', '');
  const words = titleWords(query);
  const byCode: CodeHit[] = [];
  const byWords: CodeHit[] = [];
  for (const e of glossary) {
    const hit = { code: displayCode(e.system, e.code), system: e.system, title: e.description, billable: true };
    if (normalizeCode(e.system, e.code).startsWith(qCode)) byCode.push(hit);
    else if (words.length) {
      const description = titleWords(e.description);
      if (words.every((w) => description.some((t) => t.startsWith(w)))) byWords.push(hit);
    }
  }
  return [...byCode, ...byWords].slice(0, limit);
}

export function describeFromGlossary(glossary: GlossaryEntry[] | undefined, system: CodeSystem, code: string): string | undefined {
  const n = normalizeCode(system, code);
  return glossary?.find((e) => e.system === system && normalizeCode(system, e.code) === n)?.description;
}
