// The curated look-up vocabulary (data/*.json, bundled): abbreviations, lay terms and drug names,
// each with the title words it stands for and, optionally, the usual code when it is searched alone.
import type { CodeSystem } from '../model';
import { normalizeCode } from '../codes';
import { titleWords } from './text';
import abbreviations from './data/abbreviations.json';
import layTerms from './data/lay-terms.json';
import drugs from './data/drugs.json';

/** One entry as written in a data file. */
export interface TermEntry {
  term: string;
  means: string[];
  icd?: string[];
  hcpcs?: string[];
}

export interface TermFile {
  format: 1;
  about?: string;
  entries: TermEntry[];
}

/** A word the expansion requires: exact, or (written with a trailing `*`) any word starting with it. */
export interface ExpansionWord {
  text: string;
  prefix: boolean;
}

/** What a typed term stands for, ready to search. */
export interface Expansion {
  /** The term's words as typed (normal form). */
  key: string;
  source: 'abbreviation' | 'lay term' | 'drug';
  /** Alternatives: each a list of words that must all be in a title. Empty: the term carries no meaning. */
  means: ExpansionWord[][];
  /** Codes to offer first when the term is searched (normal form). */
  codes: { system: CodeSystem; code: string }[];
}

/** Words that carry no meaning in a search (dropped), and ones that only rank (titles with them first). */
export const STOP_WORDS = new Set(['a', 'an', 'the', 'of', 'and', 'or', 'in', 'on', 'at', 'by', 'for', 'from', 'is', 'as', 'per', 'than', 'patient']);
export const RANKING_WORDS = new Set(['with', 'without', 'due', 'to']);

/** The key of a term: its title words but stop words, each less one trailing "s" (plural) when longer than three letters. */
export function termKey(words: string[]): string {
  return words
    .filter((w) => !STOP_WORDS.has(w))
    .map(singular)
    .join(' ');
}

export function singular(word: string): string {
  return word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

/** Checks a data file's shape; the messages name the entry. */
export function checkTermFile(name: string, file: unknown): string[] {
  const errors: string[] = [];
  const f = file as Partial<TermFile>;
  if (!f || f.format !== 1 || !Array.isArray(f.entries)) return [`${name}: expected {"format": 1, "entries": [...]}`];
  f.entries.forEach((e, i) => {
    const where = `${name} entry ${i + 1} (${JSON.stringify(e?.term)})`;
    if (typeof e?.term !== 'string' || titleWords(e.term).length === 0) errors.push(`${where}: term must be words`);
    if (!Array.isArray(e?.means) || e.means.some((m) => typeof m !== 'string')) errors.push(`${where}: means must be a list of strings`);
    for (const key of ['icd', 'hcpcs'] as const) {
      const codes = e?.[key];
      if (codes !== undefined && (!Array.isArray(codes) || codes.some((c) => typeof c !== 'string'))) errors.push(`${where}: ${key} must be a list of codes`);
    }
  });
  return errors;
}

function expansionsOf(file: TermFile, source: Expansion['source']): Expansion[] {
  return file.entries.map((e) => ({
    key: termKey(titleWords(e.term)),
    source,
    means: e.means.map((m) =>
      m
        .split(/\s+/)
        .flatMap((w) => {
          const prefix = w.endsWith('*');
          return titleWords(prefix ? w.slice(0, -1) : w).map((text) => ({ text, prefix }));
        })
        .filter((w) => !STOP_WORDS.has(w.text)),
    ),
    codes: [
      ...(e.icd ?? []).map((c) => ({ system: 'ICD-10-CM' as const, code: normalizeCode('ICD-10-CM', c) })),
      ...(e.hcpcs ?? []).map((c) => ({ system: 'HCPCS' as const, code: normalizeCode('HCPCS', c) })),
    ],
  }));
}

/** The vocabulary search uses: a term's key to its expansion (a later file's entry adds to an earlier one's). */
export class Vocabulary {
  private readonly byKey = new Map<string, Expansion>();
  /** The longest term in words, to bound phrase matching. */
  readonly longest: number;
  /** Single-word keys of five or more letters, for misspelt terms. */
  readonly singleWords: string[];

  constructor(files: { file: TermFile; source: Expansion['source'] }[]) {
    let longest = 1;
    for (const { file, source } of files) {
      for (const e of expansionsOf(file, source)) {
        const earlier = this.byKey.get(e.key);
        if (earlier) {
          earlier.means.push(...e.means);
          earlier.codes.push(...e.codes);
        } else this.byKey.set(e.key, e);
        longest = Math.max(longest, e.key.split(' ').length);
      }
    }
    this.longest = longest;
    this.singleWords = [...this.byKey.keys()].filter((k) => !k.includes(' ') && k.length >= 5);
  }

  get(key: string): Expansion | undefined {
    return this.byKey.get(key);
  }

  get size(): number {
    return this.byKey.size;
  }
}

let shipped: Vocabulary | undefined;

/** The vocabulary shipped with Casebook (built once). */
export function shippedVocabulary(): Vocabulary {
  return (shipped ??= new Vocabulary([
    { file: abbreviations as TermFile, source: 'abbreviation' },
    { file: layTerms as TermFile, source: 'lay term' },
    { file: drugs as TermFile, source: 'drug' },
  ]));
}

/** The shipped data files, for tests and docs. */
export const SHIPPED_TERM_FILES: Record<string, TermFile> = {
  'abbreviations.json': abbreviations as TermFile,
  'lay-terms.json': layTerms as TermFile,
  'drugs.json': drugs as TermFile,
};
