// Exporting a learner's work as a submission, with the one policy the editor and the command line
// share (docs/decisions.md): when any work file or exam attempt cannot be read, nothing is exported,
// because an instructor given a submission without it could not tell it was left out.
import { readAllAttempts } from './exam/attempt';
import type { FileSystem } from './fs';
import type { Pack, Problem, Submission } from './model';
import { makeSubmission, readAllWork } from './submission';

export type ExportResult = { submission: Submission; cases: number; attempts: number; problems: Problem[] } | { submission?: undefined; problems: Problem[] };

/** The submission of all work and exam attempts in the pack, or the problems that stop it (errors only stop it). */
export async function exportSubmission(fs: FileSystem, pack: Pack, learner: string, time: Date): Promise<ExportResult> {
  const { works, problems } = await readAllWork(fs, pack);
  const attempts = await readAllAttempts(fs, pack.root);
  const all = [...problems, ...attempts.refused, ...attempts.unreadable.flatMap((u) => u.problems)];
  if (all.some((p) => p.severity === 'error')) return { problems: all };
  return { submission: makeSubmission(pack, learner, works, time, attempts.attempts), cases: works.size, attempts: attempts.attempts.length, problems: all };
}

/** The submission as written to disk. */
export function serializeSubmission(submission: Submission): string {
  return JSON.stringify(submission, null, 2) + '\n';
}
