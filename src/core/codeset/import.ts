// Importers for official code-set files: ICD-10-CM order and codes files (CDC/CMS), the HCPCS
// Level II fixed-width file (CMS, per its record layout) and plain code lists (CSV/TSV).
// Each works line by line so a big file can be fed as it is read.
import { parse as parseCsv } from 'csv-parse/sync';
import type { CodeSystem, Problem } from '../model';
import { hasShape, isCodeSystem, normalizeCode, procedureSystem } from '../codes';
import { type TextSource, firstLines, forEachLine } from './text';
import { type ImportedIndex, looksLikeIndexXml, parseIndexXml } from './indexTables';

export type CodeSetKind = 'icd10cm-order' | 'icd10cm-codes' | 'hcpcs-fixed' | 'code-list';
/** What a file holds: a code set, or an ICD-10-CM index table (XML). */
export type FileKind = CodeSetKind | 'icd10cm-index';

/** One code of an imported set. */
export interface CodeRecord {
  /** Normal form (upper case, ICD-10-CM without its dot). */
  code: string;
  /** The long title (descriptor). */
  title: string;
  /** False for ICD-10-CM category headers and for discontinued codes. */
  billable: boolean;
  /** Discontinued codes (HCPCS): the last date the code could be used, YYYY-MM-DD. */
  terminated?: string;
}

export interface ModifierRecord {
  code: string;
  title: string;
  terminated?: string;
}

/** What one file holds for one code system and year. */
export interface ImportedCodeSet {
  system: CodeSystem;
  year: number;
  kind: CodeSetKind;
  /** The file name it came from. */
  source: string;
  /** In the file's order. */
  records: CodeRecord[];
  modifiers: ModifierRecord[];
}

/** What a file looks like it is; `year` is undefined when neither its name nor its content tells. */
export interface DetectedKind {
  kind: FileKind;
  /** Undefined for a code list whose codes say their own system (or whose system must be asked). */
  system?: CodeSystem;
  year?: number;
}

export type ImportResult =
  { sets: ImportedCodeSet[]; indexes?: ImportedIndex[]; problem?: undefined } | { sets?: undefined; indexes?: undefined; problem: Problem };

export interface ImportOptions {
  /** The file name, for messages and for detecting kind and year. */
  fileName: string;
  /** Overrides what detection finds (or fills what it cannot). */
  kind?: FileKind;
  system?: CodeSystem;
  year?: number;
}

const ICD_ORDER_LINE = /^\d{5} [A-Z][0-9A-Z ]{6} [01] /;
const ICD_CODES_LINE = /^[A-Z][0-9A-Z]{2,6} +\S/;
const HCPCS_LINE = /^[A-Z0-9 ]{5}\d{5}[3478]/;

/**
 * What kind of code-set file this is, from its name and first lines, or undefined when it is not
 * one we import (an addenda file, a record layout, an XML index…).
 */
export function detectKind(fileName: string, firstLines: string[]): DetectedKind | undefined {
  const name = baseName(fileName).toLowerCase();
  const year = yearInName(name);
  const lines = firstLines.filter((l) => l.trim().length > 0);
  const first = lines[0] ?? '';
  if (!/\.xsd$/.test(name) && looksLikeIndexXml(firstLines.join('\n'))) return { kind: 'icd10cm-index', system: 'ICD-10-CM', year };
  if (/\.(xml|xsd|pdf|zip|json)$/.test(name) || /addenda|layout/.test(name)) return undefined;
  if (ICD_ORDER_LINE.test(first)) return { kind: 'icd10cm-order', system: 'ICD-10-CM', year };
  if (HCPCS_LINE.test(first) && first.length >= 91) return { kind: 'hcpcs-fixed', system: 'HCPCS', year };
  if (ICD_CODES_LINE.test(first) && !first.includes('\t')) return { kind: 'icd10cm-codes', system: 'ICD-10-CM', year };
  if (/[,\t]/.test(first)) {
    const system = /hcpcs|hcpc/.test(name) ? 'HCPCS' : /cpt/.test(name) ? 'CPT' : /icd/.test(name) ? 'ICD-10-CM' : undefined;
    return { kind: 'code-list', system, year };
  }
  return undefined;
}

/** A four-digit year 20xx standing alone in a file name (`icd10cm_order_2026.txt`, `HCPC2025_JAN…`). */
export function yearInName(name: string): number | undefined {
  const m = /(?:^|[^0-9])(20[0-9]{2})(?![0-9])/.exec(baseName(name));
  return m ? Number(m[1]) : undefined;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Imports one file of any supported kind, detecting kind and year unless given. */
export async function importCodeFile(source: TextSource, options: ImportOptions): Promise<ImportResult> {
  let kind = options.kind;
  let detected: DetectedKind | undefined;
  if (!kind || options.year === undefined) {
    let head: string;
    if (typeof source === 'string') head = source.slice(0, 4096);
    else if (source instanceof Uint8Array) head = new TextDecoder('utf-8').decode(source.subarray(0, 4096));
    else [head, source] = await peek(source);
    detected = detectKind(options.fileName, firstLines(head));
    kind ??= detected?.kind;
  }
  const file = options.fileName;
  if (!kind)
    return fail(
      file,
      1,
      1,
      'not a code-set file Casebook can import',
      'Import an ICD-10-CM order or codes file, an ICD-10-CM index table XML, the HCPCS fixed-width (ANWEB) file, or a code,description CSV.',
    );
  if (kind === 'icd10cm-index') return importIndexXml(source, file, options.year ?? detected?.year ?? yearInName(file));
  const year = options.year ?? detected?.year ?? yearInName(file);
  if (year === undefined) return fail(file, 1, 1, 'cannot tell which code-set year this file is for', 'Give the year (e.g. --year 2026).');
  switch (kind) {
    case 'icd10cm-order':
      return importIcdOrder(source, file, year);
    case 'icd10cm-codes':
      return importIcdCodes(source, file, year);
    case 'hcpcs-fixed':
      return importHcpcsFixed(source, file, year);
    case 'code-list':
      return importCodeList(source, file, year, options.system ?? detected?.system);
  }
}

/** An ICD-10-CM index table XML (Drugs, Neoplasms, External Causes): the whole file is read, then parsed. */
export async function importIndexXml(source: TextSource, file: string, year?: number): Promise<ImportResult> {
  let text = '';
  await forEachLine(source, (l) => {
    text += l + '\n';
  });
  const parsed = parseIndexXml(text, file, year);
  if (parsed.problem) return { problem: parsed.problem };
  return { sets: [], indexes: [parsed.index] };
}

/** The start of a stream (at least a line or two) and the same stream, whole, to read afterwards. */
async function peek(source: Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>): Promise<[string, AsyncIterable<string | Uint8Array>]> {
  const iterator = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
  const taken: (string | Uint8Array)[] = [];
  let head = '';
  while (head.length < 4096) {
    const next = await iterator.next();
    if (next.done) break;
    taken.push(next.value);
    head += typeof next.value === 'string' ? next.value : new TextDecoder('utf-8').decode(next.value, { stream: true });
  }
  async function* whole(): AsyncIterable<string | Uint8Array> {
    yield* taken;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return [head, whole()];
}

function fail(file: string, line: number, column: number, message: string, hint?: string): ImportResult {
  return { problem: { file, line, column, severity: 'error', message: `line ${line}: ${message}`, hint } };
}

function lineProblem(file: string, line: number, column: number, message: string, hint?: string): Problem {
  return { file, line, column, severity: 'error', message: `line ${line}: ${message}`, hint };
}

// A letter, then letters or digits: FY2026 added codes with a letter second (QA0 Neurodevelopmental…).
const ICD_CODE = /^[A-Z][0-9A-Z]{2,6}$/;

/**
 * ICD-10-CM order file, fixed width: order number (5), space, code (7), space, billable flag,
 * space, short title (60), space, long title. Category headers (flag 0) are kept as not billable.
 */
export async function importIcdOrder(source: TextSource, file: string, year: number): Promise<ImportResult> {
  const records: CodeRecord[] = [];
  let problem: Problem | undefined;
  const hint = 'Use the ICD-10-CM order file as published (icd10cm_order_YYYY.txt); download it again if it was cut short.';
  await forEachLine(source, (text, line) => {
    if (text.trim() === '' || text === '\x1a') return; // blank, or a DOS end-of-file mark
    if (!/^\d{5}$/.test(text.slice(0, 5))) problem = lineProblem(file, line, 1, 'expected a 5-digit order number at column 1', hint);
    else if (!ICD_CODE.test(text.slice(6, 13).trimEnd()) || text[5] !== ' ')
      problem = lineProblem(file, line, 7, 'expected an ICD-10-CM code at column 7', hint);
    else if (text[14] !== '0' && text[14] !== '1') problem = lineProblem(file, line, 15, 'expected a billable flag 0 or 1 at column 15', hint);
    else if (text.length < 78 || text.slice(77).trim() === '')
      problem = lineProblem(file, line, 78, 'expected the long title at column 78 (the line is cut short)', hint);
    if (problem) return false;
    records.push({ code: text.slice(6, 13).trimEnd(), title: text.slice(77).trim(), billable: text[14] === '1' });
  });
  if (problem) return { problem };
  if (records.length === 0) return fail(file, 1, 1, 'no codes found', hint);
  return { sets: [{ system: 'ICD-10-CM', year, kind: 'icd10cm-order', source: baseName(file), records, modifiers: [] }] };
}

/** ICD-10-CM codes file: code (no dot), spaces, long title. Every code in it is billable. */
export async function importIcdCodes(source: TextSource, file: string, year: number): Promise<ImportResult> {
  const records: CodeRecord[] = [];
  let problem: Problem | undefined;
  const hint = 'Use the ICD-10-CM codes file as published (icd10cm_codes_YYYY.txt): a code, spaces, then its title on each line.';
  await forEachLine(source, (text, line) => {
    if (text.trim() === '' || text === '\x1a') return; // blank, or a DOS end-of-file mark
    const m = /^([A-Z][0-9A-Z]{2,6})\s+(\S.*)$/.exec(text);
    if (!m) {
      problem = lineProblem(file, line, 1, 'expected an ICD-10-CM code, spaces, then its title', hint);
      return false;
    }
    records.push({ code: m[1], title: m[2].trim(), billable: true });
  });
  if (problem) return { problem };
  if (records.length === 0) return fail(file, 1, 1, 'no codes found', hint);
  return { sets: [{ system: 'ICD-10-CM', year, kind: 'icd10cm-codes', source: baseName(file), records, modifiers: [] }] };
}

/**
 * HCPCS Level II fixed-width file (record layout HCPCyyyy_recordlayout.txt): code in columns 1–5
 * (a modifier in 4–5), record id in column 11 (3 = first line of a code, 4 = more of its long
 * description, 7/8 the same for modifiers), long description 12–91, termination date 285–292.
 */
export async function importHcpcsFixed(source: TextSource, file: string, year: number): Promise<ImportResult> {
  const records: CodeRecord[] = [];
  const modifiers: ModifierRecord[] = [];
  const parts = new Map<CodeRecord | ModifierRecord, string[]>();
  let current: CodeRecord | ModifierRecord | undefined;
  let currentKind = '';
  let problem: Problem | undefined;
  const hint = 'Use the HCPCS fixed-width file as published (HCPCyyyy_…_ANWEB_….txt); download it again if it was cut short.';
  await forEachLine(source, (text, line) => {
    if (text.trim() === '' || text === '\x1a') return; // blank, or a DOS end-of-file mark
    const id = text[10];
    if (!/^\d{5}$/.test(text.slice(5, 10)) || !'3478'.includes(id ?? 'x')) {
      problem = lineProblem(file, line, 6, 'expected a sequence number in columns 6–10 and a record id 3, 4, 7 or 8 at column 11', hint);
      return false;
    }
    const isModifier = id === '7' || id === '8';
    const code = isModifier ? text.slice(3, 5) : text.slice(0, 5);
    if (isModifier ? !/^[0-9A-Z]{2}$/.test(code) : !/^[A-Z0-9]{5}$/.test(code)) {
      problem = lineProblem(file, line, isModifier ? 4 : 1, isModifier ? 'expected a modifier in columns 4–5' : 'expected a HCPCS code in columns 1–5', hint);
      return false;
    }
    const description = text.slice(11, 91).trim();
    if (id === '3' || id === '7') {
      if (text.length < 293) {
        problem = lineProblem(file, line, text.length + 1, `the record is cut short (${text.length} characters; the record layout has 320)`, hint);
        return false;
      }
      const end = text.slice(284, 292).trim();
      const entry: CodeRecord | ModifierRecord = isModifier ? { code, title: '' } : { code, title: '', billable: end === '' || end >= `${year}0101` };
      if (/^\d{8}$/.test(end)) entry.terminated = `${end.slice(0, 4)}-${end.slice(4, 6)}-${end.slice(6, 8)}`;
      if (isModifier) modifiers.push(entry);
      else records.push(entry as CodeRecord);
      parts.set(entry, [description]);
      current = entry;
      currentKind = id;
    } else {
      const expected = id === '4' ? '3' : '7';
      if (!current || currentKind !== expected || current.code !== code) {
        problem = lineProblem(file, line, 11, `a continuation line (record id ${id}) for ${code} does not follow the first line of ${code}`, hint);
        return false;
      }
      parts.get(current)!.push(description);
    }
  });
  if (problem) return { problem };
  if (records.length === 0 && modifiers.length === 0) return fail(file, 1, 1, 'no codes found', hint);
  // Long descriptions are split at 80 columns between words, or right after a hyphen or slash
  // ("stage iii b-" + "iv"): join with one space, or none after a hyphen or slash that ends a word.
  for (const [entry, pieces] of parts) {
    entry.title = pieces.filter((p) => p !== '').reduce((text, piece) => (text === '' ? piece : /\S[-/]$/.test(text) ? text + piece : `${text} ${piece}`), '');
  }
  return { sets: [{ system: 'HCPCS', year, kind: 'hcpcs-fixed', source: baseName(file), records, modifiers }] };
}

const CODE_HEADERS = ['code', 'hcpcs', 'hcpcs_code', 'cpt', 'cpt_code', 'icd', 'icd10', 'icd-10-cm'];
const MODIFIER_HEADERS = ['modifier', 'mod'];
const TITLE_HEADERS = ['long_description', 'long description', 'description', 'descriptor', 'title', 'long_title', 'name', 'short_description'];

/**
 * A plain list: `code,description` or `code,system,description`, comma- or tab-separated, with or
 * without a header row (a header may name other columns, e.g. the HCPCS TSV's long_description and
 * termination_date). The system is given, named in a column, or inferred from each code's shape;
 * a file mixing systems gives one set per system.
 */
export async function importCodeList(source: TextSource, file: string, year: number, system?: CodeSystem): Promise<ImportResult> {
  let text = '';
  await forEachLine(source, (l) => {
    text += l + '\n';
  });
  const firstLine = text.slice(0, text.indexOf('\n') + 1);
  const delimiter = firstLine.includes('\t') ? '\t' : ',';
  let rows: string[][];
  try {
    rows = parseCsv(text, { delimiter, relax_column_count: true, skip_empty_lines: false, trim: true, quote: delimiter === '\t' ? false : '"' });
  } catch (e) {
    const err = e as { lines?: number; message: string };
    return fail(file, err.lines ?? 1, 1, `not a valid CSV file: ${err.message}`, 'Save the list as CSV: code,description or code,system,description.');
  }
  const hint = 'Each line should be code,description or code,system,description (a header row is optional).';
  const header = rows[0]?.map((h) => h.toLowerCase());
  let codeColumn = 0;
  let systemColumn = -1;
  let titleColumn = 1;
  let endColumn = -1;
  let modifierList = false;
  let firstRow = 0;
  if (header && header.some((h) => CODE_HEADERS.includes(h) || MODIFIER_HEADERS.includes(h))) {
    firstRow = 1;
    modifierList = !header.some((h) => CODE_HEADERS.includes(h));
    codeColumn = header.findIndex((h) => (modifierList ? MODIFIER_HEADERS : CODE_HEADERS).includes(h));
    systemColumn = header.indexOf('system');
    titleColumn = TITLE_HEADERS.map((t) => header.indexOf(t)).find((i) => i >= 0) ?? -1;
    endColumn = header.findIndex((h) => h === 'termination_date' || h === 'end_date');
    if (titleColumn < 0) return fail(file, 1, 1, 'the header row names no description column', 'Name the columns code,system,description.');
  } else if ((rows[0]?.length ?? 0) >= 3) {
    systemColumn = 1;
    titleColumn = 2;
  }
  const bySystem = new Map<CodeSystem, CodeRecord[]>();
  const modifiers: ModifierRecord[] = [];
  for (let i = firstRow; i < rows.length; i++) {
    const row = rows[i];
    const line = i + 1;
    if (row.every((c) => c === '')) continue;
    const raw = row[codeColumn] ?? '';
    const title = row[titleColumn] ?? '';
    if (title === '') return { problem: lineProblem(file, line, 1, `expected a description for ${raw || 'the code'}`, hint) };
    const end = endColumn >= 0 ? (row[endColumn] ?? '').replace(/-/g, '') : '';
    const terminated = /^\d{8}$/.test(end) ? `${end.slice(0, 4)}-${end.slice(4, 6)}-${end.slice(6, 8)}` : undefined;
    if (modifierList) {
      if (!/^[0-9A-Z]{2}$/i.test(raw)) return { problem: lineProblem(file, line, 1, `expected a two-character modifier, found '${raw}'`, hint) };
      modifiers.push({ code: raw.toUpperCase(), title, ...(terminated ? { terminated } : {}) });
      continue;
    }
    const named = systemColumn >= 0 ? row[systemColumn] : undefined;
    if (named !== undefined && named !== '' && !isCodeSystem(named)) {
      return { problem: lineProblem(file, line, 1, `unknown code system '${named}'`, 'Write ICD-10-CM, CPT or HCPCS.') };
    }
    const codeSystem = (named || undefined) ?? system ?? procedureSystem(raw) ?? (hasShape('ICD-10-CM', raw) ? 'ICD-10-CM' : undefined);
    if (!codeSystem || !hasShape(codeSystem, raw)) {
      return {
        problem: lineProblem(
          file,
          line,
          1,
          `'${raw}' is not ${codeSystem === 'ICD-10-CM' ? 'an ICD-10-CM' : codeSystem ? `a ${codeSystem}` : 'a CPT, HCPCS or ICD-10-CM'} code`,
          hint,
        ),
      };
    }
    const billable = terminated === undefined || terminated >= `${year}-01-01`;
    const list = bySystem.get(codeSystem) ?? [];
    list.push({ code: normalizeCode(codeSystem, raw), title, billable, ...(terminated ? { terminated } : {}) });
    bySystem.set(codeSystem, list);
  }
  const source_ = baseName(file);
  const sets: ImportedCodeSet[] = [...bySystem].map(([s, records]) => ({ system: s, year, kind: 'code-list', source: source_, records, modifiers: [] }));
  if (modifiers.length > 0) sets.push({ system: system ?? 'HCPCS', year, kind: 'code-list', source: source_, records: [], modifiers });
  if (sets.length === 0) return fail(file, 1, 1, 'no codes found', hint);
  return { sets };
}
