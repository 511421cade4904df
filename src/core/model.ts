// The domain's data types: packs, cases, keys, work and grades, named as a coder would.
// Pure types only; behaviour lives in the modules that own each concept.
import type { Attempt, ExamContent } from './exam/model';

export type CodeSystem = 'ICD-10-CM' | 'CPT' | 'HCPCS';
export const CODE_SYSTEMS: readonly CodeSystem[] = ['ICD-10-CM', 'CPT', 'HCPCS'];

/** A mistake in a pack (or other input file) that a person can fix. Lines and columns are 1-based. */
export interface Problem {
  /** Path relative to the pack folder, with forward slashes (e.g. `keys/chest-pain-01.md`). */
  file: string;
  line: number;
  column: number;
  severity: 'error' | 'warning';
  message: string;
  /** How to fix it, in plain words. */
  hint?: string;
}

/**
 * How a case's points are counted (docs/grading.md): `casebook`, points per key line with partial
 * credit and penalties; `practicode`, correct lines divided by the expected lines, or by the entered
 * lines when the learner over-codes.
 */
export type ScoringProfile = 'casebook' | 'practicode';
export const SCORING_PROFILES: readonly ScoringProfile[] = ['casebook', 'practicode'];

/** How a case is graded; defaults and meaning in docs/grading.md. */
export interface Policy {
  profile: ScoringProfile;
  passMark: number;
  partialCredit: boolean;
  nearMiss: number;
  modifierWeight: number;
  unitsWeight: number;
  linksWeight: number;
  evidenceWeight: number;
  extraPenalty: number;
  sequencePenalty: number;
}

export const DEFAULT_POLICY: Readonly<Policy> = Object.freeze({
  profile: 'casebook',
  passMark: 0.7,
  partialCredit: true,
  nearMiss: 0.5,
  modifierWeight: 0.25,
  unitsWeight: 0.1,
  linksWeight: 0.25,
  evidenceWeight: 0,
  extraPenalty: 0.5,
  sequencePenalty: 0.5,
});

/** casebook.json */
export interface Manifest {
  format: 1;
  id: string;
  title: string;
  version?: string;
  codeSetYear?: number;
  author?: string;
  license?: string;
  description?: string;
  grading?: Partial<Policy>;
  /** Learners see each case's `areas` in its note header and the Cases view tooltip (default false: areas can hint at the codes). */
  showAreas?: boolean;
  /** Sub-folder names, relative to the pack; default `cases`, `keys`, `codes`. */
  cases?: string;
  keys?: string;
  codes?: string;
}

export type Setting = 'outpatient' | 'inpatient' | 'emergency' | 'observation' | 'other';

/** A clinical note: cases/ID.md */
export interface CaseNote {
  id: string;
  title: string;
  setting?: Setting;
  specialty?: string;
  areas: string[];
  difficulty?: number;
  instructions?: string;
  /** Path relative to the pack folder. */
  file: string;
  /**
   * The note the learner codes: the file's text after the front matter, BOM removed,
   * line ends as in the file. Anchor offsets are UTF-16 indices into this string.
   */
  body: string;
  /** UTF-16 offset of `body` in the file text as VS Code shows it (BOM removed). */
  bodyOffset: number;
}

export type LineKind = 'diagnosis' | 'procedure';

/** One expected line of an answer key. */
export interface KeyLine {
  kind: LineKind;
  system: CodeSystem;
  /** As written in the key (trimmed, upper-cased). */
  code: string;
  modifiers: string[];
  units: number;
  /** Diagnosis pointers by code; `undefined` when the key does not grade links. */
  links?: string[];
  accept: string[];
  evidence: string[];
  why?: string;
  points: number;
  optional: boolean;
  /** 1-based line of this entry in the key file, for problems and navigation. */
  line: number;
}

/** keys/ID.md */
export interface AnswerKey {
  case: string;
  file: string;
  diagnoses: KeyLine[];
  procedures: KeyLine[];
  /**
   * Diagnoses any of which may be listed first, when no guideline fixes the order (`firstListed:` in
   * the key); undefined means the first of `diagnoses` only.
   */
  firstListed?: string[];
  /** The Markdown body of the key file. */
  rationale: string;
}

/** A row of codes/*.csv */
export interface GlossaryEntry {
  code: string;
  system: CodeSystem;
  description: string;
}

export interface Pack {
  /** Absolute path of the pack folder. */
  root: string;
  manifest: Manifest;
  cases: CaseNote[];
  /** Answer keys by case id; empty for a released pack. */
  keys: Map<string, AnswerKey>;
  glossary: GlossaryEntry[];
  /** Exam questions, their keys and exams (core/exam); absent when the pack has none. */
  exam?: ExamContent;
}

/** The result of reading a pack: the pack when the manifest could be read, and every problem found. */
export interface PackLoad {
  pack?: Pack;
  problems: Problem[];
}

// ---- the learner's work: .casebook/work/ID.json ----

export interface Anchor {
  /** UTF-16 offsets into the case body. */
  start: number;
  end: number;
  quote: string;
  prefix: string;
  suffix: string;
}

export interface Tag {
  id: string;
  system: CodeSystem;
  code: string;
  modifiers: string[];
  units: number;
  links: string[];
  anchor?: Anchor;
  /** Fields this version does not know are kept as they were. */
  [unknown: string]: unknown;
}

export interface WorkFile {
  format: 1;
  case: string;
  noteSha256: string;
  updated: string;
  tags: Tag[];
  [unknown: string]: unknown;
}

/** `casebook export`: all work of a pack, for an instructor. */
export interface Submission {
  format: 1;
  pack: string;
  packVersion?: string;
  learner: string;
  exported: string;
  work: WorkFile[];
  /** The learner's exam attempts (PACK/.casebook/exams/EXAM/ATTEMPT.json); absent in older submissions. */
  exams?: Attempt[];
}

// ---- grading results (the JSON of `casebook grade --json`) ----

export type LineStatus = 'exact' | 'accepted' | 'near' | 'missing' | 'extra' | 'optional';

export interface LineSummary {
  system: CodeSystem;
  code: string;
  modifiers: string[];
  units: number;
  links: string[];
}

/**
 * Why a line lost points, one named type per cause (docs/grading.md, "Error types"):
 * the code was not entered, not expected, of another category, of the right category but another
 * subcode or laterality, another 7th character; or the line's modifiers, units, pointers, place in
 * the claim (first-listed) or evidence were wrong.
 */
export type ErrorType = 'missing' | 'extra' | 'wrong-code' | 'specificity' | 'seventh-character' | 'modifier' | 'units' | 'pointer' | 'sequence' | 'evidence';
export const ERROR_TYPES: readonly ErrorType[] = [
  'missing',
  'extra',
  'wrong-code',
  'specificity',
  'seventh-character',
  'modifier',
  'units',
  'pointer',
  'sequence',
  'evidence',
];

/** Points a line lost for one cause. A line's errors add up to `possible − earned`. */
export interface LineError {
  type: ErrorType;
  points: number;
}

export interface LineResult {
  kind: LineKind;
  status: LineStatus;
  expected: LineSummary | null;
  entered: LineSummary | null;
  earned: number;
  possible: number;
  reasons: string[];
  /** The points lost, by cause; empty when nothing was lost. */
  errors: LineError[];
  /** On a `wrong-code` line: the learner's code entered in this line's place. */
  instead?: string;
  /** Whether the learner tagged any text for this line (false: a code added without selecting words). */
  textTagged?: boolean;
  /** Whether any learner anchor overlaps an evidence phrase of the key line; undefined when not applicable. */
  evidenceSupported?: boolean;
  /** Index of the key line in `diagnoses` / `procedures` (for Show Evidence); absent for extras. */
  keyIndex?: number;
  /** Ids of the learner's tags that make up this line (for Show My Tag); absent for missing lines. */
  tagIds?: string[];
}

export interface SystemMetrics {
  precision: number;
  recall: number;
  f1: number;
  /** Distinct codes: the learner's that were right, all the learner's, the key's found, all the key's. */
  right: number;
  entered: number;
  found: number;
  expected: number;
}

export interface CaseResult {
  case: string;
  title?: string;
  areas?: string[];
  attempted: boolean;
  keyed: boolean;
  earned: number;
  possible: number;
  percent: number;
  passed: boolean;
  lines: LineResult[];
  sequence?: { expectedFirst: string | null; enteredFirst: string | null; ok: boolean };
  /** The fraction the case passes at. */
  passMark?: number;
  /** The profile that graded the case, and what `possible` counts: the key's lines (expected), or the learner's (practicode, over-coded). */
  profile?: ScoringProfile;
  divisor?: 'expected' | 'entered';
  metrics?: Partial<Record<CodeSystem, SystemMetrics>>;
}

export interface AreaResult {
  area: string;
  earned: number;
  possible: number;
  percent: number;
}

export interface PackResult {
  format: 1;
  pack: string;
  /** The pack's title, for headings. */
  title?: string;
  earned: number;
  possible: number;
  percent: number;
  passed: boolean;
  areas: AreaResult[];
  cases: CaseResult[];
  /** The same totals over the attempted cases only. */
  attempted?: { cases: number; earned: number; possible: number; percent: number; passed: boolean };
  passMark?: number;
}
