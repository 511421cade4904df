// Attempts over time: PACK/.casebook/history.jsonl, one JSON line per graded attempt.
// Append-only in spirit; a bad line (hand edit, torn write from an old version) is skipped, never fatal.
import { posix } from 'path';
import { decodeText, type FileSystem } from './fs';
import type { CaseResult } from './model';
import { atomicWriteText } from './work';

export interface HistoryEntry {
  /** ISO time of the attempt. */
  time: string;
  case: string;
  earned: number;
  possible: number;
  /** 0..1 */
  percent: number;
  passed: boolean;
}

export function historyPath(packRoot: string): string {
  return posix.join(packRoot, '.casebook', 'history.jsonl');
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

/** The entries of history.jsonl in file order; lines that are not a valid entry are skipped. */
export function parseHistory(text: string): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    try {
      const value: unknown = JSON.parse(line);
      if (isEntry(value)) {
        entries.push({
          time: value.time,
          case: value.case,
          earned: value.earned,
          possible: value.possible,
          percent: value.percent,
          passed: value.passed,
        });
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

export async function readHistory(fs: FileSystem, packRoot: string): Promise<HistoryEntry[]> {
  const path = historyPath(packRoot);
  if (!(await fs.stat(path))) return [];
  return parseHistory(decodeText(await fs.readFile(path)));
}

/**
 * Adds the attempt to history.jsonl. The whole file is rewritten through a temporary file and a
 * rename, so a crash leaves either the old history or the new one, never half a line.
 */
export async function appendHistory(fs: FileSystem, packRoot: string, result: CaseResult, time: Date): Promise<void> {
  const path = historyPath(packRoot);
  let text = (await fs.stat(path)) ? decodeText(await fs.readFile(path)) : '';
  if (text && !text.endsWith('\n')) text += '\n';
  await atomicWriteText(fs, path, text + historyLine(result, time) + '\n');
}
