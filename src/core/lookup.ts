// Code look-up over a pack's glossary and the imported code sets: the one merge the editor's quick
// pick, hover and sheet use (and the command line can). Glossary first: the author's words for a
// code win over the official title, and a code is listed once.
import { displayCode, normalizeCode } from './codes';
import type { CodeHit as CodeSetHit } from './codeset/search';
import { titleWords } from './codeset/text';
import type { CodeSystem, GlossaryEntry } from './model';

/** A match shown to the learner: from a code set, or from the pack's glossary (which has no year). */
export type CodeHit = Pick<CodeSetHit, 'code' | 'system' | 'title' | 'billable' | 'needsMoreCharacters'>;

/** One code across systems, for de-duplicating hits: `ICD-10-CM|E119`. */
export function codeIdentity(system: CodeSystem, code: string): string {
  return `${system}|${normalizeCode(system, code)}`;
}

/** Glossary matches: code prefix (dot or not), or every query word a prefix of a word of the description. */
export function searchGlossary(glossary: readonly GlossaryEntry[] | undefined, query: string, limit: number): CodeHit[] {
  if (!glossary?.length) return [];
  const qCode = query.trim().toUpperCase().replace('.', '');
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

export function describeFromGlossary(glossary: readonly GlossaryEntry[] | undefined, system: CodeSystem, code: string): string | undefined {
  const n = normalizeCode(system, code);
  return glossary?.find((e) => e.system === system && normalizeCode(system, e.code) === n)?.description;
}

/** Glossary hits, then code-set hits for codes the glossary did not list, at most `limit`. */
export function mergeHits(fromGlossary: readonly CodeHit[], fromCodeSets: readonly CodeHit[], limit: number): CodeHit[] {
  const seen = new Set(fromGlossary.map((h) => codeIdentity(h.system, h.code)));
  return [...fromGlossary, ...fromCodeSets.filter((h) => !seen.has(codeIdentity(h.system, h.code)))].slice(0, limit);
}
