// A learner's notes against the key ("I disagree because …"), one per graded line, kept in the work
// file under `disputes` (docs/formats.md) so they travel in submissions to the instructor.
import { claimText } from './history';
import type { LineResult, WorkFile } from './model';

export interface Dispute {
  /** The line it is about: its kind and the key's claim text (the learner's, for an extra line). */
  line: string;
  note: string;
  /** ISO time it was written. */
  time: string;
}

/** Longest note kept: a dispute is a paragraph, not an essay. */
export const DISPUTE_MAX = 2000;

/** The identity of a graded line a dispute is about, e.g. `procedure 20610-RT` or `extra diagnosis R51.9`. */
export function disputeLine(line: LineResult): string {
  if (line.expected) return `${line.kind} ${claimText(line.expected)}`;
  return `extra ${line.kind} ${line.entered ? claimText(line.entered) : ''}`.trim();
}

/** The disputes of a work file; entries not of the expected shape are left out, never fatal. */
export function readDisputes(work: WorkFile | undefined): Dispute[] {
  const raw = work?.disputes;
  return Array.isArray(raw) ? raw.filter(isDispute) : [];
}

function isDispute(d: unknown): d is Dispute {
  if (typeof d !== 'object' || d === null) return false;
  const o = d as Record<string, unknown>;
  return typeof o.line === 'string' && typeof o.note === 'string' && typeof o.time === 'string';
}

/**
 * The work with the learner's note on a line set (an empty note removes it). Other fields, and the
 * disputes on other lines, are kept as they are.
 */
export function withDispute(work: WorkFile, line: string, note: string, time: Date): WorkFile {
  const text = note.trim().slice(0, DISPUTE_MAX);
  // Entries this version cannot read stay as they were; only this line's note is replaced.
  const raw: unknown[] = Array.isArray(work.disputes) ? work.disputes : work.disputes === undefined ? [] : [work.disputes];
  const others = raw.filter((d) => !(isDispute(d) && d.line === line));
  const disputes = text ? [...others, { line, note: text, time: time.toISOString() }] : others;
  return { ...work, disputes };
}
