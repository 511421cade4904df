// A case's status in the Cases view: the last graded attempt of each case
// (from history.jsonl) and the cases with saved work. Paths come from history.ts and work.ts.
import { posix } from 'path';
import type { FileSystem } from './fs';
import { readHistory, type HistoryEntry } from './history';
import { workPath } from './work';

export interface CaseProgress {
  /** Last graded attempt per case id. */
  lastScores: Map<string, HistoryEntry>;
  /** Case ids with a saved work file. */
  inProgress: Set<string>;
}

/** Reads a pack's progress; missing or unreadable files count as no progress (never throws). */
export async function readProgress(fs: FileSystem, packRoot: string): Promise<CaseProgress> {
  const lastScores = new Map<string, HistoryEntry>();
  const inProgress = new Set<string>();
  try {
    for (const entry of await readHistory(fs, packRoot)) lastScores.set(entry.case, entry);
  } catch {
    // unreadable history: no scores shown (grading will say why when it appends)
  }
  const workFolder = posix.dirname(workPath(packRoot, 'any'));
  try {
    if ((await fs.stat(workFolder))?.kind === 'directory') {
      for (const entry of await fs.readdir(workFolder)) {
        if (entry.kind === 'file' && entry.name.endsWith('.json')) inProgress.add(entry.name.slice(0, -'.json'.length));
      }
    }
  } catch {
    // unreadable work folder: nothing shown as in progress
  }
  return { lastScores, inProgress };
}

/** A case's status line in the Cases view: its last score, else whether work was started. */
export function caseStatus(progress: CaseProgress, caseId: string): string {
  const last = progress.lastScores.get(caseId);
  if (last) return `${Math.round(last.percent * 100)}% ${last.passed ? 'passed' : 'not passed'}`;
  return progress.inProgress.has(caseId) ? 'in progress' : 'new';
}
