// The ICD-10-CM index tables, searched like the books: the Table of Drugs and Chemicals, the
// Neoplasm Table and the External Cause of Injuries Index (and the Index to Diseases, which has the
// same schema), imported from the official XML. An entry is found by the words of its index path
// ("Bite, bitten by › dog"); its code is resolved to the billable codes of the Tabular set searched
// (W54.0 → W54.0XXA, W54.0XXD, W54.0XXS), and a table row gives the code of each column asked for.
import type { Problem } from '../model';
import { normalizeCode } from '../codes';
import type { CodeSet } from './codeSet';
import type { QueryPart } from './search';
import { encounterOf } from './rank';
import { STOP_WORDS, RANKING_WORDS } from './terms';
import { titleWords } from './text';
import { readXml, type XmlError } from './xml';

export type IndexTableName = 'drugs' | 'neoplasms' | 'external-causes' | 'diseases';

export const INDEX_TABLE_TITLES: Record<IndexTableName, string> = {
  drugs: 'Table of Drugs and Chemicals',
  neoplasms: 'Neoplasm Table',
  'external-causes': 'External Cause Index',
  diseases: 'Index to Diseases and Injuries',
};

/** One entry: a main term or a subterm, under its parent. */
export interface IndexRow {
  /** The parent row's position, or -1 for a main term. */
  p: number;
  /** The title as printed, nonessential modifiers in their parentheses. */
  t: string;
  /** The code (External Cause Index, Index to Diseases). */
  c?: string;
  /** Table cells (Drugs, Neoplasms), one per column after the first; '' where the table has none. */
  x?: string[];
  /** "see" or "see also" cross-reference. */
  s?: string;
}

/** An imported index file, as stored (format documented in docs/formats.md). */
export interface ImportedIndex {
  format: 1;
  kind: 'icd10cm-index';
  table: IndexTableName;
  year: number;
  source: string;
  /** Column headings after the first (the table cells' meaning). */
  columns: string[];
  rows: IndexRow[];
}

/** Where an index hit comes from, for the UI: "External Cause Index: Bite, bitten by › dog W54.0-". */
export interface IndexHitInfo {
  table: string;
  year: number;
  path: string[];
  /** The code as the index gives it ("W54.0-" when it needs more characters). */
  code: string;
  /** The table column (Drugs, Neoplasms). */
  column?: string;
}

/** The index path as the books print it: "Bite, bitten by › dog W54.0-" (with the column for a table cell). */
export function indexPath(info: IndexHitInfo): string {
  return `${info.path.join(' › ')} ${info.code}${info.column ? ` (${info.column})` : ''}`;
}

const ELEMENTS = new Set([
  'ICD10CM.index',
  'version',
  'title',
  'indexHeading',
  'head',
  'letter',
  'mainTerm',
  'term',
  'nemod',
  'see',
  'seeAlso',
  'code',
  'seecat',
  'subcat',
  'manif',
  'warning',
  'cell',
  'diff',
  'unc',
  'old',
  'new',
]);
/** Elements whose text is collected; text in other elements (nemod, new…) goes to the nearest of these. */
const COLLECTED = new Set(['version', 'title', 'head', 'see', 'seeAlso', 'code', 'cell', 'seecat', 'subcat']);

/** Parses an index XML file; a Problem names the file and line when it is cut short or not the index schema. */
export function parseIndexXml(
  text: string,
  file: string,
  year?: number,
): { index: ImportedIndex; problem?: undefined } | { problem: Problem; index?: undefined } {
  const hint =
    'Use the ICD-10-CM index XML as published by CDC (icd-10-cm-drug-YYYY.xml, icd-10-cm-neoplasm-YYYY.xml, icd-10-cm-eindex-YYYY.xml); download it again if it was cut short.';
  const rows: IndexRow[] = [];
  const heads: string[] = [];
  let rootTitle = '';
  let version = '';
  const open: { name: string; row?: number; col?: number; text: string }[] = [];
  const rowStack: number[] = [];
  const stop = (line: number, column: number, message: string): never => {
    // readXml's protocol: a handler stops the reader by throwing an XmlError value, which it returns.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    throw { line, column, message } satisfies XmlError;
  };
  const error = readXml(text, {
    open(name, attributes, line, column) {
      const parent = open[open.length - 1];
      if (!parent && name !== 'ICD10CM.index') {
        stop(
          line,
          column,
          name === 'ICD10CM.tabular'
            ? 'this is the Tabular List XML, not an index table: import the order file for the Tabular codes'
            : `expected <ICD10CM.index> (the root of the ICD-10-CM index XML), found <${name}>`,
        );
      }
      if (!ELEMENTS.has(name)) stop(line, column, `<${name}> is not part of the ICD-10-CM index schema`);
      const entry: { name: string; row?: number; col?: number; text: string } = { name, text: '' };
      if (name === 'mainTerm' || name === 'term') {
        const inside = parent?.name;
        if (name === 'mainTerm' ? inside !== 'letter' : inside !== 'mainTerm' && inside !== 'term') stop(line, column, `<${name}> inside <${inside}>`);
        if (name === 'term' && !/^[1-9]$/.test(attributes.level ?? '')) stop(line, column, '<term> needs a level attribute 1–9');
        rows.push({ p: rowStack.length ? rowStack[rowStack.length - 1] : -1, t: '' });
        rowStack.push(rows.length - 1);
        entry.row = rows.length - 1;
      }
      if (name === 'cell' || name === 'head') {
        const col = Number(attributes.col);
        if (!Number.isInteger(col) || col < 1 || col > 9) stop(line, column, `<${name}> needs a col attribute 1–9`);
        entry.col = col;
      }
      open.push(entry);
    },
    close(name) {
      const entry = open.pop()!;
      const value = entry.text.replace(/\s+/g, ' ').trim();
      const parent = open[open.length - 1];
      const row = rowStack.length ? rows[rowStack[rowStack.length - 1]] : undefined;
      if (COLLECTED.has(name) && parent && !COLLECTED.has(parent.name)) {
        if (name === 'version' && parent.name === 'ICD10CM.index') version = value;
        else if (name === 'title' && parent.name === 'ICD10CM.index') rootTitle = value;
        else if (name === 'head' && entry.col) heads[entry.col - 1] = value;
        else if (row && (parent.name === 'mainTerm' || parent.name === 'term')) {
          if (name === 'title') row.t = value;
          else if (name === 'code') row.c = value;
          else if (name === 'see' || name === 'seeAlso') row.s = `${name === 'see' ? 'see' : 'see also'} ${value}`;
          else if (name === 'cell' && entry.col && entry.col > 1) {
            row.x ??= [];
            row.x[entry.col - 2] = value === '-' || value === '--' ? '' : value;
          }
        }
      } else if (COLLECTED.has(name) && parent) parent.text += ` ${value} `;
      if (name === 'mainTerm' || name === 'term') rowStack.pop();
    },
    text(t) {
      for (let i = open.length - 1; i >= 0; i--) {
        if (COLLECTED.has(open[i].name)) {
          // Nonessential modifiers follow the title word with a space: "Abandonment (causing…)".
          open[i].text += open[open.length - 1].name === 'nemod' ? ` ${t} ` : t;
          return;
        }
      }
    },
  });
  const name = file.slice(file.lastIndexOf('/') + 1);
  if (error) return { problem: { file, line: error.line, column: error.column, severity: 'error', message: `line ${error.line}: ${error.message}`, hint } };
  if (rows.length === 0) return { problem: { file, line: 1, column: 1, severity: 'error', message: 'line 1: no index entries (mainTerm) found', hint } };
  const first = heads[0]?.toLowerCase() ?? '';
  const table: IndexTableName =
    first === 'substance' ? 'drugs' : first === 'neoplasm' ? 'neoplasms' : /external cause/i.test(rootTitle) ? 'external-causes' : 'diseases';
  const fileYear = year ?? (/^\d{4}$/.test(version) ? Number(version) : undefined);
  if (fileYear === undefined)
    return {
      problem: {
        file,
        line: 1,
        column: 1,
        severity: 'error',
        message: 'line 1: cannot tell which year this index is for',
        hint: 'Give the year (e.g. --year 2025).',
      },
    };
  for (const row of rows) if (row.x) for (let i = 0; i < heads.length - 1; i++) row.x[i] ??= '';
  return { index: { format: 1, kind: 'icd10cm-index', table, year: fileYear, source: name, columns: heads.slice(1), rows } };
}

/** Whether a file's start looks like an ICD-10-CM index XML file. */
export function looksLikeIndexXml(head: string): boolean {
  return /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<ICD10CM\.index[\s>]/.test(head.replace(/^\uFEFF/, ''));
}

/** Checks a stored index's shape before it is used (a damaged file is reported, never half-used). */
export function checkStoredIndex(value: unknown): value is ImportedIndex {
  const v = value as ImportedIndex;
  return (
    !!v &&
    v.format === 1 &&
    v.kind === 'icd10cm-index' &&
    typeof v.table === 'string' &&
    v.table in INDEX_TABLE_TITLES &&
    Number.isInteger(v.year) &&
    Array.isArray(v.columns) &&
    Array.isArray(v.rows) &&
    v.rows.every((r, i) => r && typeof r.t === 'string' && Number.isInteger(r.p) && r.p < i && r.p >= -1)
  );
}

// ---------------------------------------------------------------------------------------------
// Search

/** Column choice words: which cells of a table row a query asks for. */
const DRUG_COLUMNS: [RegExp, number[]][] = [
  [/^(adverse|effect|reaction|side)$/, [4]],
  [/^(underdosing|underdose|underdosed|noncompliance)$/, [5]],
  [/^(intentional|self|harm|suicide|suicidal)$/, [1]],
  [/^(assault)$/, [2]],
  [/^(undetermined)$/, [3]],
  [/^(poisoning|poisoned|overdose|accidental|toxic|toxicity|od|ingestion)$/, [0]],
];
const NEOPLASM_COLUMNS: [RegExp, number[]][] = [
  [/^(secondary|metastatic|metastasis|metastases|mets|spread)$/, [1]],
  [/^(situ)$/, [2]],
  [/^(benign)$/, [3]],
  [/^(uncertain)$/, [4]],
  [/^(malignant|malignancy|cancer|carcinoma|ca|primary|sarcoma)$/, [0, 1]],
  [/^(neoplasm|neoplastic|tumor|tumour|mass|growth|lesion|behavior|unspecified)$/, []],
];
/** Words of the neoplasm table's own main term, which every row has. */
const NEOPLASM_TOP = new Set(['neoplasm', 'neoplastic']);
const ROWS_PER_TABLE = 3;
/** Matching entries ranked per table at most (the shallowest when more match). */
const MATCH_LIMIT = 256;
const CODES_PER_CELL = 3;

export interface IndexMatch {
  set: CodeSet;
  record: number;
  /** Order among index hits (row, then pass, then cell). */
  rank: number;
  /** Path words the query did not ask for. */
  extra: number;
  /** A close entry (no more unasked words than the query has words, less one) ranks above title matches. */
  strong: boolean;
  info: IndexHitInfo;
}

/** A loaded index with a word index over the words of each row's whole path. */
export class LoadedIndex {
  readonly table: IndexTableName;
  readonly title: string;
  readonly year: number;
  readonly columns: string[];
  readonly rows: IndexRow[];
  /** Sorted distinct words of every path. */
  private readonly words: string[];
  /** Per word id, the rows whose path has it. */
  private readonly postings: Uint32Array[];
  /** Per row, the sorted word ids of its path. */
  private readonly pathWords: Uint32Array[];
  private readonly depth: Uint8Array;

  constructor(index: ImportedIndex) {
    this.table = index.table;
    this.title = INDEX_TABLE_TITLES[index.table];
    this.year = index.year;
    this.columns = index.columns;
    this.rows = index.rows;
    const own = index.rows.map((r) => [...new Set(titleWords(r.t))].filter((w) => !STOP_WORDS.has(w)));
    const all = new Set<string>();
    for (const ws of own) for (const w of ws) all.add(w);
    this.words = [...all].sort();
    const id = new Map(this.words.map((w, i) => [w, i]));
    const lists: number[][] = this.words.map(() => []);
    this.depth = new Uint8Array(index.rows.length);
    const paths: Uint32Array[] = [];
    index.rows.forEach((r, i) => {
      const ids = new Set(own[i].map((w) => id.get(w)!));
      if (r.p >= 0) {
        for (const parentId of paths[r.p]) ids.add(parentId);
        this.depth[i] = Math.min(255, this.depth[r.p] + 1);
      }
      const sorted = Uint32Array.from(ids).sort();
      for (const w of sorted) lists[w].push(i);
      paths.push(sorted);
    });
    this.pathWords = paths;
    this.postings = lists.map((l) => Uint32Array.from(l));
  }

  path(row: number): string[] {
    const path: string[] = [];
    for (let r = row; r >= 0; r = this.rows[r].p) path.unshift(this.rows[r].t);
    return path;
  }

  private range(prefix: string, exact: boolean): [number, number] {
    let lo = 0;
    let hi = this.words.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.words[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    if (exact) return lo < this.words.length && this.words[lo] === prefix ? [lo, lo + 1] : [lo, lo];
    let end = lo;
    while (end < this.words.length && this.words[end].startsWith(prefix)) end++;
    return [lo, end];
  }

  /** Rows whose path has every required part (a part: alternatives of words, each word a range). */
  matchRows(required: [number, number][][][]): number[] {
    if (required.length === 0) return [];
    const count = ([lo, hi]: [number, number]) => {
      let n = 0;
      for (let w = lo; w < hi; w++) n += this.postings[w].length;
      return n;
    };
    // Candidates: rows with the rarest part's words (the union over its alternatives).
    const size = (alternatives: [number, number][][]) => alternatives.reduce((n, a) => n + Math.min(...a.map(count)), 0);
    let rarest = required[0];
    for (const part of required) if (size(part) < size(rarest)) rarest = part;
    const candidates: number[] = [];
    for (const alternative of rarest) {
      let best: [number, number] | undefined;
      let bestCount = Infinity;
      for (const [lo, hi] of alternative) {
        let n = 0;
        for (let w = lo; w < hi; w++) n += this.postings[w].length;
        if (n < bestCount) [best, bestCount] = [[lo, hi], n];
      }
      if (!best) continue;
      for (let w = best[0]; w < best[1]; w++) for (const r of this.postings[w]) candidates.push(r);
    }
    candidates.sort((a, b) => a - b);
    let rows: number[] = [];
    for (let k = 0; k < candidates.length; k++) {
      const row = candidates[k];
      if (row !== candidates[k - 1] && this.hasEvery(row, required)) rows.push(row);
    }
    // A common word (accident, injury) matches thousands of subterms: keep the shallowest, whose paths say least beyond it.
    if (rows.length > MATCH_LIMIT) {
      let top = 255;
      for (const row of rows) top = Math.min(top, this.depth[row]);
      rows = rows.filter((row) => this.depth[row] <= top + 1).slice(0, MATCH_LIMIT);
    }
    return rows.sort((a, b) => a - b);
  }

  /** Whether the row's path has, for every part, every word of one of its alternatives (loops: this runs per candidate row). */
  private hasEvery(row: number, required: [number, number][][][]): boolean {
    const words = this.pathWords[row];
    for (const alternatives of required) {
      let found = false;
      for (let a = 0; a < alternatives.length && !found; a++) {
        found = true;
        for (const range of alternatives[a]) {
          let has = false;
          for (let k = 0; k < words.length && !has; k++) has = words[k] >= range[0] && words[k] < range[1];
          if (!has) {
            found = false;
            break;
          }
        }
      }
      if (!found) return false;
    }
    return true;
  }

  /** Path words (less stop words and the table's own top words) not in any of the given ranges. */
  extraWords(row: number, asked: [number, number][]): number {
    let extra = 0;
    for (const id of this.pathWords[row]) {
      const w = this.words[id];
      if (RANKING_WORDS.has(w) || (this.table === 'neoplasms' && NEOPLASM_TOP.has(w))) continue;
      if (!asked.some(([lo, hi]) => id >= lo && id < hi)) extra++;
    }
    return extra;
  }

  /** The index's answers to a query, resolved against the ICD-10-CM set. */
  search(parts: QueryPart[], set: CodeSet): IndexMatch[] {
    const choosers = this.table === 'drugs' ? DRUG_COLUMNS : this.table === 'neoplasms' ? NEOPLASM_COLUMNS : [];
    const columns: number[] = [];
    let chose = false;
    const required: [number, number][][][] = [];
    const asked: [number, number][] = [];
    const sides: string[] = [];
    for (const part of parts) {
      if (part.ranking) continue;
      const literal = part.words.filter((w) => !STOP_WORDS.has(w));
      const meanings = part.expansion?.means.map((m) => m.map((w) => w.text)) ?? [];
      // A part naming a column ("adverse", "cancer" → malignant neoplasm) chooses cells, it does not find rows.
      const chooses = (ws: string[]) => ws.length > 0 && ws.every((w) => choosers.some(([re]) => re.test(w)));
      const choice = [literal, ...meanings].find(chooses);
      if (choice) {
        chose = true;
        for (const w of choice) for (const [re, cols] of choosers) if (re.test(w)) columns.push(...cols);
        continue;
      }
      if (part.relaxable) {
        sides.push(...literal);
        continue;
      }
      const alternatives: [number, number][][] = [];
      // Typed letters that are an abbreviation, or very short, must be a whole word of the entry (pe is not Pecazine).
      if (!part.misspelt) alternatives.push(literal.map((w) => this.range(w, !!part.expansion || w.length < 3)));
      for (const m of part.expansion?.means ?? []) if (m.length) alternatives.push(m.map((w) => this.range(w.text, !w.prefix)));
      const usable = alternatives.filter((a) => a.length > 0 && a.every(([lo, hi]) => lo < hi));
      if (usable.length === 0) return [];
      required.push(usable);
      for (const a of usable) asked.push(...a);
    }
    if (this.table === 'neoplasms' && !chose) return [];
    const rows = this.matchRows(required)
      .filter((r) => this.rows[r].c || this.rows[r].x?.some((c) => c))
      .map((r) => ({ r, extra: this.extraWords(r, asked) }))
      .sort((a, b) => a.extra - b.extra || this.depth[a.r] - this.depth[b.r] || a.r - b.r)
      .slice(0, ROWS_PER_TABLE);
    const order = columns.length ? [...new Set(columns)] : this.columns.map((_, i) => i);
    const out: IndexMatch[] = [];
    rows.forEach(({ r, extra }, rowRank) => {
      const row = this.rows[r];
      const cells: { code: string; column?: string }[] = row.x
        ? order.filter((i) => row.x![i]).map((i) => ({ code: row.x![i], column: this.columns[i] }))
        : row.c
          ? [{ code: row.c }]
          : [];
      const resolved = cells.map((cell) => resolveCode(set, cell.code, sides));
      const printed = cells.map((cell) =>
        cell.code.endsWith('-') || set.billable(set.find(normalizeCode('ICD-10-CM', cell.code))) ? cell.code : `${cell.code}-`,
      );
      const path = this.path(r);
      for (let pass = 0; pass < CODES_PER_CELL; pass++) {
        resolved.forEach((records, cellIndex) => {
          const record = records[pass];
          if (record === undefined) return;
          const cell = cells[cellIndex];
          const info: IndexHitInfo = { table: this.title, year: this.year, path, code: printed[cellIndex] };
          if (cell.column) info.column = cell.column;
          out.push({ set, record, rank: rowRank * 1000 + pass * 100 + cellIndex, extra, strong: extra <= Math.max(0, required.length - 1), info });
        });
      }
    });
    return out;
  }
}

/**
 * The billable codes an index code stands for in the Tabular set: itself when billable, else its
 * billable subcodes, the side asked for first, then initial encounter before subsequent and sequela.
 */
export function resolveCode(set: CodeSet, printed: string, sides: string[] = []): number[] {
  const code = normalizeCode('ICD-10-CM', printed.replace(/-+$/, ''));
  const record = set.find(code);
  if (record >= 0 && set.billable(record)) return [record];
  const below = set.codesWithPrefix(code, 400).filter((r) => set.billable(r) && set.codeLength(r) > code.length);
  const sideIds = sides.map((s) => set.wordId(s));
  // One number per code: the side asked for (0) or not (3), plus the encounter order (0–2).
  const key = (r: number) => (sideIds.every((id) => id >= 0 && set.hasWord(r, id)) ? 0 : 3) + encounterOf(set, r);
  return below
    .map((r) => ({ r, key: key(r), code: set.code(r) }))
    .sort((a, b) => a.key - b.key || (a.code < b.code ? -1 : 1))
    .map((x) => x.r);
}

/** Searches every loaded index against the ICD-10-CM set among `sets`. */
export function searchIndexes(indexes: LoadedIndex[], sets: CodeSet[], parts: QueryPart[], _limit: number): IndexMatch[] {
  const icd = sets.find((s) => s.system === 'ICD-10-CM');
  if (!icd) return [];
  return indexes.flatMap((index) => index.search(parts, icd));
}
