// Exporting a learner's work as a submission, with the one policy the editor and the command line
// share (docs/decisions.md): when any work file cannot be read, nothing is exported, because an
// instructor given a submission without that case could not tell it was left out.
import type { FileSystem } from './fs';
import type { Pack, Problem, Submission } from './model';
import { makeSubmission, readAllWork } from './submission';

export type ExportResult =
  | { submission: Submission; cases: number; problems: Problem[] }
  | { submission?: undefined; problems: Problem[] };

/** The submission of all work in the pack, or the problems that stop it (errors only stop it). */
export async function exportSubmission(fs: FileSystem, pack: Pack, learner: string, time: Date): Promise<ExportResult> {
  const { works, problems } = await readAllWork(fs, pack);
  if (problems.some((p) => p.severity === 'error')) return { problems };
  return { submission: makeSubmission(pack, learner, works, time), cases: works.size, problems };
}

/** The submission as written to disk. */
export function serializeSubmission(submission: Submission): string {
  return JSON.stringify(submission, null, 2) + '\n';
}
