// A case's status in the Cases view: the last graded attempt of each case
// (from history.jsonl) and the cases with saved work. Paths come from history.ts and work.ts.
import type { FileSystem } from './fs';
import { readHistory, type HistoryEntry } from './history';
import { listLearnerFolder } from './learnerState';
import type { Problem } from './model';

export interface CaseProgress {
  /** Last graded attempt per case id. */
  lastScores: Map<string, HistoryEntry>;
  /** Case ids with a saved work file. */
  inProgress: Set<string>;
  /** Why some progress could not be read (e.g. a .casebook that links outside the pack). */
  progressProblems: Problem[];
}

/** Reads a pack's progress; missing or unreadable files count as no progress (never throws). */
export async function readProgress(fs: FileSystem, packRoot: string): Promise<CaseProgress> {
  const lastScores = new Map<string, HistoryEntry>();
  const inProgress = new Set<string>();
  const problems: Problem[] = [];
  // Unreadable history or work folder: no scores / nothing in progress shown, and the problem kept.
  const history = await readHistory(fs, packRoot);
  for (const entry of history.entries) lastScores.set(entry.case, entry);
  if (history.problem) problems.push(history.problem);
  const work = await listLearnerFolder(fs, packRoot, ['work']);
  if ('problem' in work) {
    if (!problems.some((p) => p.file === work.problem.file)) problems.push(work.problem);
  } else {
    for (const entry of work.entries) {
      if (entry.kind === 'file' && entry.name.endsWith('.json')) inProgress.add(entry.name.slice(0, -'.json'.length));
    }
  }
  return { lastScores, inProgress, progressProblems: problems };
}

/** A case's status line in the Cases view: its last score, else whether work was started. */
export function caseStatus(progress: CaseProgress, caseId: string): string {
  const last = progress.lastScores.get(caseId);
  if (last) return `${Math.round(last.percent * 100)}% ${last.passed ? 'passed' : 'not passed'}`;
  return progress.inProgress.has(caseId) ? 'in progress' : 'new';
}
