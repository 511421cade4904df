// A class's folder of exported submissions, as `casebook grade --submissions` and
// `casebook exam grade --submissions` read it: one file at a time, a bad file skipped with the reason.
import path from 'path';
import { decodeText } from '../core/fs';
import type { Pack, Submission } from '../core/model';
import { formatProblem } from '../core/pack';
import { parseSubmission } from '../core/submission';
import type { CliIo } from './io';

/** The submission files (.json) of the folder, sorted; undefined, after saying why, when it is not a folder. */
export async function submissionFiles(io: CliIo, folder: string): Promise<string[] | undefined> {
  const kind = (await io.fs.stat(folder))?.kind;
  const real = kind === 'symlink' ? (await io.fs.stat(await io.fs.realpath(folder)))?.kind : kind;
  if (real !== 'directory') {
    io.err(`${folder}: not a folder; --submissions needs the folder holding the exported submission files (.json)`);
    return undefined;
  }
  return (await io.fs.readdir(folder))
    .filter((e) => (e.kind === 'file' || e.kind === 'symlink') && e.name.toLowerCase().endsWith('.json'))
    .map((e) => path.posix.join(folder, e.name))
    .sort();
}

/** One learner's submission for this pack, or undefined after printing why the file is skipped. */
export async function readSubmissionFor(io: CliIo, pack: Pack, file: string): Promise<Submission | undefined> {
  let text: string;
  try {
    text = decodeText(await io.fs.readFile(file));
  } catch (e) {
    io.err(`${file}: cannot be read (${(e as Error).message}); skipped`);
    return undefined;
  }
  const { submission, problems } = parseSubmission(text, file);
  if (!submission || problems.some((p) => p.severity === 'error')) {
    for (const p of problems) io.err(formatProblem(p));
    io.err(`${file}: not a valid submission; skipped (ask the learner to export it again)`);
    return undefined;
  }
  if (submission.pack !== pack.manifest.id) {
    io.err(`${file}: a submission for pack '${submission.pack}', not '${pack.manifest.id}'; skipped`);
    return undefined;
  }
  return submission;
}
