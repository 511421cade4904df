// Attempts over time: PACK/.casebook/history.jsonl, one JSON line per graded attempt.
// Append-only in spirit; a bad line (hand edit, torn write from an old version) is skipped, never fatal.
import type { FileSystem } from './fs';
import { learnerPath, readLearnerFile, writeLearnerFile } from './learnerState';
import { isCodeSystem } from './codes';
import {
  ERROR_TYPES,
  type Problem,
  type CaseResult,
  type CodeSystem,
  type ErrorType,
  type LineKind,
  type LineResult,
  type LineStatus,
  type LineSummary,
} from './model';

/** One graded line of an attempt, as kept in the history: what was expected and entered, what it cost. */
export interface HistoryLine {
  kind: LineKind;
  system: CodeSystem;
  status: LineStatus;
  /** Claim text, e.g. `20610-RT`, `J3301 x4`, `E11.9`; null for an extra line. */
  expected: string | null;
  /** Claim text of the learner's line; null for a missing line. */
  entered: string | null;
  earned: number;
  possible: number;
  /** The error types of the points lost (docs/grading.md), largest first. */
  errors: ErrorType[];
  /** On a wrong-code line, the learner's code in its place. */
  instead?: string;
}

export interface HistoryEntry {
  /** ISO time of the attempt. */
  time: string;
  case: string;
  earned: number;
  possible: number;
  /** 0..1 */
  percent: number;
  passed: boolean;
  /** The graded lines (absent in history written before lines were kept). */
  lines?: HistoryLine[];
}

/** A line as a claim shows it: code, `-MM` per modifier, ` xN` when more than one unit. */
export function claimText(line: LineSummary): string {
  return `${line.code}${line.modifiers.map((m) => `-${m}`).join('')}${line.units > 1 ? ` x${line.units}` : ''}`;
}

function historyLineOf(line: LineResult): HistoryLine {
  const out: HistoryLine = {
    kind: line.kind,
    system: (line.expected ?? line.entered)!.system,
    status: line.status,
    expected: line.expected ? claimText(line.expected) : null,
    entered: line.entered ? claimText(line.entered) : null,
    earned: line.earned,
    possible: line.possible,
    errors: [...line.errors].sort((a, b) => b.points - a.points).map((e) => e.type),
  };
  if (line.instead) out.instead = line.instead;
  return out;
}

const HISTORY = ['history.jsonl'];

export function historyPath(packRoot: string): string {
  return learnerPath(packRoot, ...HISTORY);
}

/** One line of history.jsonl (without its line end). */
export function historyLine(result: CaseResult, time: Date): string {
  const entry: HistoryEntry = {
    time: time.toISOString(),
    case: result.case,
    earned: result.earned,
    possible: result.possible,
    percent: result.percent,
    passed: result.passed,
    lines: result.lines.map(historyLineOf),
  };
  return JSON.stringify(entry);
}

function isEntry(value: unknown): value is HistoryEntry {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  const isNumber = (n: unknown) => typeof n === 'number' && Number.isFinite(n);
  return (
    typeof e.time === 'string' &&
    typeof e.case === 'string' &&
    isNumber(e.earned) &&
    isNumber(e.possible) &&
    isNumber(e.percent) &&
    typeof e.passed === 'boolean'
  );
}

const STATUSES: readonly string[] = ['exact', 'accepted', 'near', 'missing', 'extra', 'optional'];

/** A history line's graded lines, or undefined when absent or not of the expected shape (kept out, never fatal). */
function readLines(value: unknown): HistoryLine[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const lines: HistoryLine[] = [];
  for (const raw of value) {
    if (typeof raw !== 'object' || raw === null) continue;
    const l = raw as Record<string, unknown>;
    const code = (v: unknown) => (typeof v === 'string' ? v : null);
    if ((l.kind !== 'diagnosis' && l.kind !== 'procedure') || !STATUSES.includes(l.status as string)) continue;
    if (!isCodeSystem(l.system)) continue;
    const line: HistoryLine = {
      kind: l.kind,
      system: l.system,
      status: l.status as LineStatus,
      expected: code(l.expected),
      entered: code(l.entered),
      earned: typeof l.earned === 'number' ? l.earned : 0,
      possible: typeof l.possible === 'number' ? l.possible : 0,
      errors: Array.isArray(l.errors) ? l.errors.filter((e): e is ErrorType => ERROR_TYPES.includes(e as ErrorType)) : [],
    };
    if (typeof l.instead === 'string') line.instead = l.instead;
    lines.push(line);
  }
  return lines;
}

/** The entries of history.jsonl in file order; lines that are not a valid entry are skipped. */
export function parseHistory(text: string): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    try {
      const value: unknown = JSON.parse(line);
      if (isEntry(value)) {
        const entry: HistoryEntry = {
          time: value.time,
          case: value.case,
          earned: value.earned,
          possible: value.possible,
          percent: value.percent,
          passed: value.passed,
        };
        const lines = readLines(value.lines);
        if (lines) entry.lines = lines;
        entries.push(entry);
      }
    } catch {
      // A torn or hand-edited line: skip it, keep the rest.
    }
  }
  return entries;
}

/** The attempts of one case, oldest first. */
export function caseHistory(entries: HistoryEntry[], caseId: string): HistoryEntry[] {
  return entries.filter((e) => e.case === caseId);
}

/**
 * The pack's history. Nothing is read when history.jsonl is not safely inside the pack (a linked
 * .casebook, core/learnerState) or cannot be read: no entries, and the problem saying why.
 */
export async function readHistory(fs: FileSystem, packRoot: string): Promise<{ entries: HistoryEntry[]; problem?: Problem }> {
  const read = await readLearnerFile(fs, packRoot, HISTORY);
  if ('text' in read) return { entries: parseHistory(read.text) };
  if ('missing' in read) return { entries: [] };
  return { entries: [], problem: 'unsafe' in read ? read.unsafe : read.problem };
}

/**
 * Adds the attempt to history.jsonl. The whole file is rewritten through a temporary file and a
 * rename, so a crash leaves either the old history or the new one, never half a line. Refused (the
 * Problem, nothing written) when history.jsonl is not safely inside the pack; I/O failures reject.
 */
export async function appendHistory(fs: FileSystem, packRoot: string, result: CaseResult, time: Date): Promise<Problem | undefined> {
  const read = await readLearnerFile(fs, packRoot, HISTORY);
  if ('unsafe' in read) return read.unsafe;
  // An unreadable history is not replaced by a new one without it.
  if ('problem' in read) throw new Error(`${read.problem.file} ${read.problem.message}`);
  let text = 'text' in read ? read.text : '';
  if (text && !text.endsWith('\n')) text += '\n';
  return writeLearnerFile(fs, packRoot, HISTORY, text + historyLine(result, time) + '\n');
}
