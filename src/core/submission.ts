// A submission: all of a learner's work on a pack in one JSON file, for an instructor
// (`casebook export` writes it; `casebook grade --work FILE.json` and `--submissions` read it).
import { posix } from 'path';
import { LineCounter, parseDocument } from 'yaml';
import { decodeText, stripBom, type FileSystem } from './fs';
import type { Pack, Problem, Submission, WorkFile } from './model';
import { findTooDeep, tooDeepMessage } from './jsonDepth';
import { learnerPath, listLearnerFolder, unsafeLearnerPath } from './learnerState';
import { parseWorkFile, reanchorWork } from './work';
import { attemptId, parseAttempt } from './exam/attempt';
import type { Attempt } from './exam/model';

function problem(file: string, message: string, place: { line: number; column: number } = { line: 1, column: 1 }, hint?: string): Problem {
  return { file, line: place.line, column: place.column, severity: 'error', message, hint };
}

/** Puts each work on its case's current note, as the editor would (evidence checks use the anchors). */
function onCurrentNotes(works: Map<string, WorkFile>, pack: Pack): Map<string, WorkFile> {
  const bodies = new Map(pack.cases.map((c) => [c.id, c.body]));
  const out = new Map<string, WorkFile>();
  for (const [id, work] of works) {
    const body = bodies.get(id);
    out.set(id, body === undefined ? work : reanchorWork(work, body).work);
  }
  return out;
}

/**
 * Reads every PACK/.casebook/work/*.json. Each valid file is keyed by its `case`; a file that cannot
 * be parsed, or names another case than its file name, is reported and left out.
 */
export async function readAllWork(fs: FileSystem, pack: Pack): Promise<{ works: Map<string, WorkFile>; problems: Problem[] }> {
  // The containment rule (core/learnerState): a linked .casebook or work/ is refused, not read.
  const listed = await listLearnerFolder(fs, pack.root, ['work']);
  if ('problem' in listed) return { works: new Map(), problems: [listed.problem] };
  const refused: Problem[] = [];
  for (const e of listed.entries.filter((e) => e.kind === 'symlink' && e.name.endsWith('.json'))) {
    const problem = await unsafeLearnerPath(fs, pack.root, ['work', e.name], 'file');
    if (problem) refused.push(problem);
  }
  const read = await readWorkFolder(fs, pack, learnerPath(pack.root, 'work'));
  return { works: read.works, problems: [...refused, ...read.problems] };
}

/** Like readAllWork, for any folder of work files (`casebook grade --work DIR`). */
export async function readWorkFolder(fs: FileSystem, pack: Pack, folder: string): Promise<{ works: Map<string, WorkFile>; problems: Problem[] }> {
  const works = new Map<string, WorkFile>();
  const problems: Problem[] = [];
  const inPack = folder.startsWith(pack.root + '/');
  const shown = (name: string) => (inPack ? posix.relative(pack.root, posix.join(folder, name)) : posix.join(folder, name));
  if ((await fs.stat(folder))?.kind !== 'directory') return { works, problems };
  const names = (await fs.readdir(folder))
    .filter((e) => e.kind === 'file' && e.name.endsWith('.json'))
    .map((e) => e.name)
    .sort();
  for (const name of names) {
    const file = shown(name);
    let parsed: { work?: WorkFile; problems: Problem[] };
    try {
      parsed = parseWorkFile(decodeText(await fs.readFile(posix.join(folder, name))), file);
    } catch (e) {
      parsed = { problems: [problem(file, `cannot be read: ${(e as Error).message}`)] };
    }
    problems.push(...parsed.problems);
    if (!parsed.work) continue;
    const stem = name.slice(0, -'.json'.length);
    if (parsed.work.case !== stem) {
      problems.push(problem(file, `holds the work of case ${parsed.work.case}, not ${stem}`, undefined, `rename it to ${parsed.work.case}.json`));
      continue;
    }
    works.set(parsed.work.case, parsed.work);
  }
  return { works: onCurrentNotes(works, pack), problems };
}

/**
 * The learner's work as one submission, cases in pack order (work of unknown cases after, by id), with
 * their exam attempts (by exam, oldest first) when there are any.
 */
export function makeSubmission(pack: Pack, learner: string, works: Map<string, WorkFile>, time: Date, attempts: Attempt[] = []): Submission {
  const order = new Map(pack.cases.map((c, i) => [c.id, i]));
  const rank = (id: string) => order.get(id) ?? Number.MAX_SAFE_INTEGER;
  const work = [...works.values()].sort((a, b) => rank(a.case) - rank(b.case) || (a.case < b.case ? -1 : a.case > b.case ? 1 : 0));
  // Field order as in formats.md; packVersion only when the manifest has one.
  return {
    format: 1,
    pack: pack.manifest.id,
    ...(pack.manifest.version !== undefined ? { packVersion: pack.manifest.version } : {}),
    learner,
    exported: time.toISOString(),
    work,
    ...(attempts.length ? { exams: attempts } : {}),
  };
}

function jsonErrorPlace(text: string, error: Error): { line: number; column: number } {
  const lineColumn = /line (\d+) column (\d+)/.exec(error.message);
  if (lineColumn) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  const position = /position (\d+)/.exec(error.message);
  const offset = position ? Number(position[1]) : /end of JSON input/.test(error.message) ? text.length : undefined;
  if (offset === undefined) return { line: 1, column: 1 };
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/**
 * Where JSON paths start in the text (JSON is YAML, and the YAML parser keeps ranges). The text is
 * parsed once, on the first question: a class's submissions can hold thousands of work items.
 */
function placeFinder(text: string): (path: Array<string | number>) => { line: number; column: number } {
  let parsed: { doc: ReturnType<typeof parseDocument>; lines: LineCounter } | undefined | null;
  return (path) => {
    try {
      if (parsed === undefined) {
        const lines = new LineCounter();
        parsed = { doc: parseDocument(text, { lineCounter: lines }), lines };
      }
      const node = parsed?.doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
      if (parsed && node?.range) {
        const { line, col } = parsed.lines.linePos(node.range[0]);
        return { line, column: col };
      }
    } catch {
      parsed = null; // Fall back to the top of the file from now on.
    }
    return { line: 1, column: 1 };
  };
}

/** Parses and checks a submission file; every work inside is checked like a work file. */
export function parseSubmission(text: string, file: string): { submission?: Submission; problems: Problem[] } {
  const source = stripBom(text);
  let data: unknown;
  try {
    data = JSON.parse(source);
  } catch (e) {
    return {
      problems: [
        problem(file, `is not valid JSON: ${(e as Error).message}`, jsonErrorPlace(source, e as Error), 'export the submission again with casebook export'),
      ],
    };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { problems: [problem(file, 'is not a submission: expected a JSON object with format, pack, learner, exported and work')] };
  }
  // Bounded before anything recurses over it (JSON.stringify below, the YAML parser of placeOf).
  const deep = findTooDeep(data, { text: source, max: 1 });
  if (deep.length) {
    return {
      problems: [
        problem(file, `is not a submission Casebook reads: ${tooDeepMessage(deep[0].path)}`, deep[0], 'export the submission again with casebook export'),
      ],
    };
  }
  const d = data as Record<string, unknown>;
  const problems: Problem[] = [];
  const placeOf = placeFinder(source);
  const at = (field: string) => placeOf([field]);
  if (d.format !== 1)
    problems.push(problem(file, `format must be 1, not ${JSON.stringify(d.format)}`, at('format'), 'this version reads format 1 submissions'));
  if (typeof d.pack !== 'string' || !d.pack) problems.push(problem(file, 'pack must be the pack id (text)', at('pack')));
  if (typeof d.learner !== 'string' || !d.learner.trim()) problems.push(problem(file, "learner must be the learner's name (text)", at('learner')));
  if (typeof d.exported !== 'string') problems.push(problem(file, 'exported must be an ISO time (text)', at('exported')));
  if (d.packVersion !== undefined && typeof d.packVersion !== 'string') problems.push(problem(file, 'packVersion must be text', at('packVersion')));
  if (!Array.isArray(d.work)) {
    problems.push(problem(file, 'work must be a list of work files', at('work')));
    return { problems };
  }
  const work: WorkFile[] = [];
  const seen = new Set<string>();
  d.work.forEach((item, i) => {
    const parsed = parseWorkFile(JSON.stringify(item), file);
    for (const p of parsed.problems) problems.push({ ...p, ...placeOf(['work', i]), message: `work[${i}]: ${p.message}` });
    if (!parsed.work) return;
    if (seen.has(parsed.work.case)) {
      problems.push(problem(file, `work[${i}]: a second work for case ${parsed.work.case}`, placeOf(['work', i]), 'keep one work per case'));
      return;
    }
    seen.add(parsed.work.case);
    work.push(parsed.work);
  });
  // Exam attempts (added after format 1 shipped): optional, so older submissions still load.
  const exams: Attempt[] = [];
  if (d.exams !== undefined && !Array.isArray(d.exams)) problems.push(problem(file, 'exams must be a list of exam attempts', at('exams')));
  (Array.isArray(d.exams) ? d.exams : []).forEach((item, i) => {
    const parsed = parseAttempt(JSON.stringify(item), file);
    for (const p of parsed.problems) problems.push({ ...p, ...placeOf(['exams', i]), message: `exams[${i}]: ${p.message}` });
    if (!parsed.attempt) return;
    // An attempt written without its id: named by its start (as the editor names attempts), not by this file.
    const named = typeof (item as { id?: unknown })?.id === 'string';
    const started = Date.parse(parsed.attempt.started);
    if (!named) parsed.attempt.id = Number.isNaN(started) ? `attempt-${i + 1}` : attemptId(new Date(started));
    exams.push(parsed.attempt);
  });
  if (problems.some((p) => p.severity === 'error')) return { problems };
  const submission: Submission = {
    format: 1,
    pack: d.pack as string,
    ...(typeof d.packVersion === 'string' ? { packVersion: d.packVersion } : {}),
    learner: (d.learner as string).trim(),
    exported: d.exported as string,
    work,
    ...(Array.isArray(d.exams) ? { exams } : {}),
  };
  return { submission, problems };
}

/** A submission's work keyed by case and put on the pack's current notes. */
export function submissionWorks(submission: Submission, pack: Pack): Map<string, WorkFile> {
  return onCurrentNotes(new Map(submission.work.map((w) => [w.case, w])), pack);
}
