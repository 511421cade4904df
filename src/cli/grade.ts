// `casebook grade`: grades a learner's work (the pack's own .casebook/work, a folder of work files, or a
// submission file) and prints a summary or the PackResult JSON; with --submissions, grades a whole class
// into gradebook.csv and one self-contained HTML report per learner.
import path from 'path';
import { learnerAgreement } from '../core/agreement';
import { analyticsHtml, classAnalytics, examQuestionAnswers, itemsCsv, type LearnerResult } from '../core/analytics';
import { csvCell } from '../core/csv';
import { safeFileName } from '../core/fileNames';
import { readDisputes } from '../core/disputes';
import { decodeText, encodeText, type FileSystem } from '../core/fs';
import { gradePack, packTotals, resolvePolicy } from '../core/grade';
import { appendHistory } from '../core/history';
import type { LineResult, Pack, PackResult, Problem, WorkFile } from '../core/model';
import { formatProblem, loadPack } from '../core/pack';
import { renderPackReport } from '../core/report';
import { parseSubmission, readAllWork, readWorkFolder, submissionWorks } from '../core/submission';
import { readSubmissionFor, submissionFiles } from './classFiles';
import { type CliIo, UsageError, absolute, parseArgs } from './io';

/**
 * Loads the pack; prints its errors (one `path:line:col: error: message` a line) and returns undefined
 * when it has any. `needManifestOnly`: only a pack without a readable manifest is refused.
 */
export async function loadPackOrReport(io: CliIo, arg: string, needManifestOnly = false): Promise<Pack | undefined> {
  const { pack, problems } = await loadPack(io.fs, absolute(io, arg));
  if (needManifestOnly && pack) return pack;
  const errors = problems.filter((p) => p.severity === 'error');
  for (const p of errors) io.err(formatProblem(p));
  if (!pack || errors.length > 0) {
    io.err(
      `${arg}: the pack has ${errors.length === 1 ? 'an error' : `${errors.length} errors`}; fix ${errors.length === 1 ? 'it' : 'them'} (casebook validate ${arg}) and try again`,
    );
    return undefined;
  }
  return pack;
}

function printProblems(io: CliIo, problems: Problem[]): number {
  const errors = problems.filter((p) => p.severity === 'error');
  for (const p of problems) io.err(formatProblem(p));
  return errors.length;
}

function percentText(fraction: number): string {
  return `${Math.round(fraction * 1000) / 10}%`;
}

function lineText(line: LineResult): string {
  const expected = line.expected ? [line.expected.code, ...line.expected.modifiers.map((m) => `-${m}`)].join('') : '';
  const entered = line.entered ? [line.entered.code, ...line.entered.modifiers.map((m) => `-${m}`)].join('') : '';
  const codes = line.status === 'missing' ? expected : line.status === 'extra' || expected === entered ? entered : `${entered} (key ${expected})`;
  const reasons = line.reasons.length ? `: ${line.reasons.join('; ')}` : '';
  return `  ${line.status.padEnd(8)} ${codes}  ${line.earned}/${line.possible}${reasons}`;
}

/** The readable summary: each case with its lines, then the pack total and each area. */
export function summaryText(result: PackResult): string {
  const out: string[] = [];
  for (const c of result.cases) {
    if (!c.keyed) {
      out.push(`${c.case}  no answer key: not graded`);
      continue;
    }
    const attempt = c.attempted ? '' : '  (not attempted)';
    out.push(`${c.case}  ${percentText(c.percent)}  ${c.passed ? 'PASS' : 'FAIL'}  (${c.earned} / ${c.possible})${attempt}`);
    for (const line of c.lines) out.push(lineText(line));
  }
  out.push('');
  out.push(`${result.pack}: ${result.earned} / ${result.possible} = ${percentText(result.percent)}  ${result.passed ? 'PASS' : 'FAIL'}`);
  for (const a of result.areas) out.push(`  ${a.area}: ${a.earned} / ${a.possible} = ${percentText(a.percent)}`);
  return out.join('\n');
}

const NO_KEYS = (arg: string) =>
  `${arg}: this pack has no answer keys (a released pack), so it cannot be graded; grade with the instructor's copy of the pack, which has keys/`;

export async function gradeCommand(args: string[], io: CliIo): Promise<number> {
  const { positional, options, flags } = parseArgs(args, { values: ['work', 'case', 'submissions', 'out'], flags: ['json', 'record'] });
  if (positional.length !== 1) throw new UsageError('give one pack folder: casebook grade PACK [--work DIR|FILE.json] [--case ID] [--json]');
  const [packArg] = positional;
  const submissions = options.get('submissions');
  const out = options.get('out');
  if (submissions !== undefined || out !== undefined) {
    if (submissions === undefined || out === undefined)
      throw new UsageError('--submissions and --out go together: casebook grade PACK --submissions DIR --out DIR');
    if (options.has('work') || options.has('case') || flags.has('json') || flags.has('record')) {
      throw new UsageError('--submissions grades every case of every submission; it does not take --work, --case, --json or --record');
    }
  }

  const pack = await loadPackOrReport(io, packArg);
  if (!pack) return 1;
  if (pack.keys.size === 0) {
    io.err(
      pack.exam?.questionKeys.size
        ? `${packArg}: this pack has no keyed cases to grade; score its exam with casebook exam grade ${packArg} --exam ID --answers FILE`
        : NO_KEYS(packArg),
    );
    return 1;
  }
  const caseId = options.get('case');
  if (caseId !== undefined && !pack.cases.some((c) => c.id === caseId)) {
    throw new UsageError(`no case '${caseId}' in ${packArg}; its cases are: ${pack.cases.map((c) => c.id).join(', ')}`);
  }
  const policy = resolvePolicy(pack.manifest.grading);

  if (submissions !== undefined && out !== undefined) return gradeClass(io, pack, absolute(io, submissions), absolute(io, out));

  const works = await readWork(io, pack, options.get('work'));
  if (!works) return 1;
  let result = gradePack(pack, works, policy);
  if (caseId !== undefined)
    result = packTotals(
      result.pack,
      result.cases.filter((c) => c.case === caseId),
      policy,
    );
  if (flags.has('record')) {
    // As Grade Case in the editor: one history line per attempted case, at the same time.
    const time = new Date();
    for (const c of result.cases) {
      if (!c.keyed || !c.attempted) continue;
      const refused = await appendHistory(io.fs, pack.root, c, time);
      if (refused) {
        io.err(formatProblem(refused));
        return 1;
      }
    }
  }
  io.out(flags.has('json') ? JSON.stringify(result, null, 2) : summaryText(result));
  return 0;
}

/** The work to grade, or undefined (problems printed) when any of it is invalid. */
async function readWork(io: CliIo, pack: Pack, workArg: string | undefined): Promise<Map<string, WorkFile> | undefined> {
  if (workArg === undefined) {
    const { works, problems } = await readAllWork(io.fs, pack);
    return printProblems(io, problems) > 0 ? undefined : works;
  }
  const target = absolute(io, workArg);
  const stat = await io.fs.stat(target);
  const kind = stat?.kind === 'symlink' ? (await io.fs.stat(await io.fs.realpath(target)))?.kind : stat?.kind;
  if (kind === 'directory') {
    const { works, problems } = await readWorkFolder(io.fs, pack, target);
    return printProblems(io, problems) > 0 ? undefined : works;
  }
  if (kind !== 'file') {
    io.err(`${workArg}: no such file or folder; give a folder of work files or a submission file (.json)`);
    return undefined;
  }
  const { submission, problems } = parseSubmission(decodeText(await io.fs.readFile(target)), workArg);
  if (printProblems(io, problems) > 0 || !submission) return undefined;
  if (submission.pack !== pack.manifest.id) {
    io.err(`${workArg}: this submission is for pack '${submission.pack}', not '${pack.manifest.id}'; grade it with that pack`);
    return undefined;
  }
  return submissionWorks(submission, pack);
}

// ---- a class: gradebook.csv and one HTML report per learner ----

/** media/report.css, found next to the bundle (dist/../media) or the sources (src/cli/../../media). */
async function reportStyle(fs: FileSystem): Promise<string> {
  for (const candidate of [path.join(__dirname, '..', 'media', 'report.css'), path.join(__dirname, '..', '..', 'media', 'report.css')]) {
    const file = candidate.split(path.sep).join('/');
    if ((await fs.stat(file))?.kind === 'file') return decodeText(await fs.readFile(file));
  }
  return 'body{font-family:system-ui,sans-serif;margin:1rem}table{border-collapse:collapse}th,td{border-bottom:1px solid #ccc;padding:.3rem;text-align:left}.bar{width:12rem;height:.75rem}.bar-track{fill:#eee}.bar-fill{fill:#0969da}.visually-hidden{position:absolute;left:-9999px}';
}

async function gradeClass(io: CliIo, pack: Pack, folder: string, outDir: string): Promise<number> {
  const files = await submissionFiles(io, folder);
  if (!files) return 1;
  const policy = resolvePolicy(pack.manifest.grading);
  const areas = gradePack(pack, new Map(), policy).areas.map((a) => a.area);
  const style = await reportStyle(io.fs);
  await io.fs.mkdir(outDir);

  const rows = [['learner', 'percent', 'passed', ...areas, 'disputes'].map(csvCell).join(',')];
  const learners: LearnerResult[] = [];
  const usedNames = new Set<string>();
  let failed = 0;
  let graded = 0;
  for (const file of files) {
    // One learner's file never stops the class: whatever fails is listed and the rest graded.
    const rowsBefore = rows.length;
    const learnersBefore = learners.length;
    try {
      const submission = await readSubmissionFor(io, pack, file);
      if (!submission) {
        failed++;
        continue;
      }
      const works = submissionWorks(submission, pack);
      const result = gradePack(pack, works, policy);
      learners.push({ learner: submission.learner, result, works, attempts: submission.exams ?? [] });
      const byArea = new Map(result.areas.map((a) => [a.area, a.percent]));
      const disputes = [...works.values()].reduce((n, w) => n + readDisputes(w).length, 0);
      rows.push(
        [submission.learner, result.percent.toFixed(4), String(result.passed), ...areas.map((a) => (byArea.get(a) ?? 0).toFixed(4)), String(disputes)]
          .map(csvCell)
          .join(','),
      );
      let base = safeFileName(submission.learner);
      for (let n = 2; usedNames.has(base.toLowerCase()); n++) base = `${safeFileName(submission.learner)}-${n}`;
      usedNames.add(base.toLowerCase());
      const agreement = learnerAgreement(pack.keys.values(), works.values());
      const html = renderPackReport(result, { learner: submission.learner, title: pack.manifest.title, inlineStyle: style, details: pack, works, agreement });
      await io.fs.writeFile(path.posix.join(outDir, `${base}.html`), encodeText(html));
      io.out(`${submission.learner}: ${percentText(result.percent)} ${result.passed ? 'PASS' : 'FAIL'} -> ${base}.html`);
      graded++;
    } catch (e) {
      rows.length = rowsBefore;
      learners.length = learnersBefore;
      io.err(`${file}: could not be graded (${(e as Error)?.message ?? String(e)}); skipped`);
      failed++;
    }
  }
  await io.fs.writeFile(path.posix.join(outDir, 'gradebook.csv'), encodeText(rows.join('\n') + '\n'));
  const analytics = classAnalytics(
    pack,
    learners,
    examQuestionAnswers(
      pack,
      learners.map((l) => ({ attempts: l.attempts ?? [], works: l.works })),
      policy,
    ),
  );
  await io.fs.writeFile(path.posix.join(outDir, 'items.csv'), encodeText(itemsCsv(analytics)));
  await io.fs.writeFile(path.posix.join(outDir, 'analytics.html'), encodeText(analyticsHtml(analytics, style)));
  io.err(`graded ${graded} submission${graded === 1 ? '' : 's'} into ${outDir}/gradebook.csv${failed ? `; ${failed} skipped (see above)` : ''}`);
  return failed > 0 ? 1 : 0;
}
