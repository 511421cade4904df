// `casebook exam grade PACK --exam ID --answers FILE [--json]`: scores one attempt file, by content area.
// `casebook exam grade PACK --exam ID --submissions DIR --out DIR`: scores every learner's latest
// submitted attempt: gradebook.csv (one column per area) and one static HTML score report per learner.
// Exit 0 scored (pass or fail), 1 pack, attempt or submission invalid, 2 bad usage.
import path from 'path';
import { decodeText, encodeText, type FileSystem } from '../core/fs';
import { resolvePolicy } from '../core/grade';
import type { Pack, Submission, WorkFile } from '../core/model';
import { formatProblem } from '../core/pack';
import { readAllWork, submissionWorks } from '../core/submission';
import { parseAttempt } from '../core/exam/attempt';
import type { Attempt, Exam, ExamScore } from '../core/exam/model';
import { renderExamReport } from '../core/exam/report';
import { scoreAttempt } from '../core/exam/score';
import { analyticsHtml, examAnalytics, examQuestionAnswers, itemsCsv } from '../core/analytics';
import { csvCell } from '../core/csv';
import { safeFileName } from '../core/fileNames';
import { loadPackOrReport } from './grade';
import { readSubmissionFor, submissionFiles } from './classFiles';
import { type CliIo, UsageError, absolute, parseArgs } from './io';

const USAGE = `usage:
  casebook exam grade PACK --exam ID --answers FILE [--json]
  casebook exam grade PACK --exam ID --submissions DIR --out DIR

FILE is an attempt file (PACK/.casebook/exams/EXAM/ATTEMPT.json); case items are graded from PACK/.casebook/work.
--exam may be left out when the pack has one exam.`;

export async function examCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    io.out(USAGE);
    return 0;
  }
  if (sub !== 'grade') throw new UsageError(sub ? `unknown sub-command '${sub}'\n${USAGE}` : `give a sub-command\n${USAGE}`);
  return gradeExamCommand(rest, io);
}

function percentText(fraction: number): string {
  return `${Math.round(fraction * 1000) / 10}%`;
}

/** The readable table: the total, then one line per area in the exam's order. */
export function examSummaryText(exam: Exam, score: ExamScore): string {
  const width = Math.max(12, ...score.areas.map((a) => a.area.length));
  const lines = [
    `${exam.title} (${exam.id}): ${score.earned} / ${score.possible} = ${percentText(score.percent)}  ${score.passed ? 'PASS' : 'FAIL'} (pass mark ${percentText(exam.passMark)})`,
    '',
    `${'content area'.padEnd(width)}  ${'score'.padStart(9)}  ${'percent'.padStart(7)}`,
  ];
  for (const a of score.areas) lines.push(`${a.area.padEnd(width)}  ${`${a.earned} / ${a.possible}`.padStart(9)}  ${percentText(a.percent).padStart(7)}`);
  const count = (s: string) => score.items.filter((i) => i.status === s).length;
  lines.push('', `${count('correct')} correct, ${count('wrong')} wrong, ${count('blank')} blank`);
  return lines.join('\n');
}

function pickExam(pack: Pack, id: string | undefined, packArg: string): Exam {
  const exams = pack.exam?.exams ?? [];
  if (exams.length === 0) throw new UsageError(`${packArg} has no exams (exams/ID.yaml)`);
  if (id === undefined) {
    if (exams.length === 1) return exams[0];
    throw new UsageError(`give the exam: --exam ID; the exams of ${packArg} are: ${exams.map((e) => e.id).join(', ')}`);
  }
  const exam = exams.find((e) => e.id === id);
  if (!exam) throw new UsageError(`no exam '${id}' in ${packArg}; its exams are: ${exams.map((e) => e.id).join(', ')}`);
  return exam;
}

async function gradeExamCommand(args: string[], io: CliIo): Promise<number> {
  const { positional, options, flags } = parseArgs(args, { values: ['exam', 'answers', 'submissions', 'out'], flags: ['json'] });
  if (positional.length !== 1) throw new UsageError(`give one pack folder\n${USAGE}`);
  const [packArg] = positional;
  const answers = options.get('answers');
  const submissions = options.get('submissions');
  const out = options.get('out');
  if ((submissions === undefined) !== (out === undefined))
    throw new UsageError('--submissions and --out go together: casebook exam grade PACK --exam ID --submissions DIR --out DIR');
  if (answers !== undefined && submissions !== undefined) throw new UsageError('give either --answers FILE or --submissions DIR, not both');
  if (answers === undefined && submissions === undefined)
    throw new UsageError(`give the attempt to score: --answers FILE, or --submissions DIR --out DIR\n${USAGE}`);
  if (submissions !== undefined && flags.has('json')) throw new UsageError('--json goes with --answers; --submissions writes gradebook.csv and HTML reports');

  const pack = await loadPackOrReport(io, packArg);
  if (!pack) return 1;
  const exam = pickExam(pack, options.get('exam'), packArg);
  if ((pack.exam?.questionKeys.size ?? 0) === 0) {
    io.err(
      `${packArg}: this pack has no answer keys for its questions (a released pack), so the exam cannot be scored; score it with the instructor's copy, which has keys/`,
    );
    return 1;
  }
  const policy = resolvePolicy(pack.manifest.grading);
  if (submissions !== undefined && out !== undefined) return gradeClass(io, pack, exam, absolute(io, submissions), absolute(io, out));

  const file = absolute(io, answers!);
  if ((await io.fs.stat(file)) === undefined) {
    io.err(`${answers}: no such file; give an attempt file (.casebook/exams/${exam.id}/ATTEMPT.json)`);
    return 1;
  }
  const { attempt, problems } = parseAttempt(decodeText(await io.fs.readFile(file)), answers!);
  if (!attempt) {
    for (const p of problems) io.err(formatProblem(p));
    return 1;
  }
  if (attempt.exam !== exam.id) {
    io.err(`${answers}: this is an attempt at exam '${attempt.exam}', not '${exam.id}'; give --exam ${attempt.exam}`);
    return 1;
  }
  const { works, problems: workProblems } = await readAllWork(io.fs, pack);
  for (const p of workProblems) io.err(formatProblem(p));
  const score = scoreAttempt(pack, exam, attempt, works, policy);
  io.out(flags.has('json') ? JSON.stringify(score, null, 2) : examSummaryText(exam, score));
  return 0;
}

/** The CSS of the static report: media/report.css and media/exam.css, next to the bundle or the sources. */
async function reportStyle(fs: FileSystem): Promise<string> {
  const parts: string[] = [];
  for (const name of ['report.css', 'exam.css']) {
    for (const dir of [path.join(__dirname, '..', 'media'), path.join(__dirname, '..', '..', 'media')]) {
      const file = path.join(dir, name).split(path.sep).join('/');
      if ((await fs.stat(file))?.kind === 'file') {
        parts.push(decodeText(await fs.readFile(file)));
        break;
      }
    }
  }
  return parts.join('\n');
}

/** A learner's attempts at the exam, oldest first; the one scored is the latest submitted. */
function attemptsOf(submission: Submission, exam: Exam): Attempt[] {
  return (submission.exams ?? []).filter((a) => a.exam === exam.id).sort((a, b) => (a.started < b.started ? -1 : a.started > b.started ? 1 : 0));
}

async function gradeClass(io: CliIo, pack: Pack, exam: Exam, folder: string, outDir: string): Promise<number> {
  const files = await submissionFiles(io, folder);
  if (!files) return 1;
  const policy = resolvePolicy(pack.manifest.grading);
  // The columns: the exam's areas in its order (scoring an empty attempt lists them all).
  const empty: Attempt = {
    format: 1,
    id: '-',
    exam: exam.id,
    mode: 'practice',
    started: '',
    deadline: null,
    submitted: null,
    answers: {},
    flagged: [],
    seconds: {},
    current: '',
    part: 0,
    partStarted: '',
  };
  const areas = scoreAttempt(pack, exam, empty, new Map(), policy).areas.map((a) => a.area);
  const style = await reportStyle(io.fs);
  await io.fs.mkdir(outDir);

  const rows = [['learner', 'attempt', 'submitted', 'percent', 'passed', ...areas].map(csvCell).join(',')];
  const used = new Set<string>();
  const classWork: Array<{ attempts: Attempt[]; works: Map<string, WorkFile> }> = [];
  let failed = 0;
  let graded = 0;
  for (const file of files) {
    // One learner's file never stops the class: whatever fails is listed and the rest graded.
    const rowsBefore = rows.length;
    const classWorkBefore = classWork.length;
    try {
      const submission = await readSubmissionFor(io, pack, file);
      if (!submission) {
        failed++;
        continue;
      }
      const attempts = attemptsOf(submission, exam);
      const submitted = attempts.filter((a) => a.submitted !== null);
      const attempt = submitted[submitted.length - 1];
      if (!attempt) {
        io.err(`${file}: ${submission.learner} has no submitted attempt at ${exam.id}; listed with no score`);
        rows.push([submission.learner, '', '', '', '', ...areas.map(() => '')].map(csvCell).join(','));
        continue;
      }
      const works: Map<string, WorkFile> = submissionWorks(submission, pack);
      classWork.push({ attempts: submitted, works });
      const score = scoreAttempt(pack, exam, attempt, works, policy);
      const byArea = new Map(score.areas.map((a) => [a.area, a.percent]));
      rows.push(
        [
          submission.learner,
          attempt.id,
          attempt.submitted ?? '',
          score.percent.toFixed(4),
          String(score.passed),
          ...areas.map((a) => (byArea.get(a) ?? 0).toFixed(4)),
        ]
          .map(csvCell)
          .join(','),
      );
      let base = safeFileName(submission.learner);
      for (let n = 2; used.has(base.toLowerCase()); n++) base = `${safeFileName(submission.learner)}-${n}`;
      used.add(base.toLowerCase());
      const history = attempts.map((a) => ({ attempt: a, ...(a.submitted ? { score: scoreAttempt(pack, exam, a, works, policy) } : {}) }));
      const html = renderExamReport(pack, exam, attempt, score, { learner: submission.learner, inlineStyle: style, attempts: history });
      await io.fs.writeFile(path.posix.join(outDir, `${base}.html`), encodeText(html));
      io.out(`${submission.learner}: ${percentText(score.percent)} ${score.passed ? 'PASS' : 'FAIL'} -> ${base}.html`);
      graded++;
    } catch (e) {
      rows.length = rowsBefore;
      classWork.length = classWorkBefore;
      io.err(`${file}: could not be graded (${(e as Error)?.message ?? String(e)}); skipped`);
      failed++;
    }
  }
  await io.fs.writeFile(path.posix.join(outDir, 'gradebook.csv'), encodeText(rows.join('\n') + '\n'));
  // Item analysis: difficulty, discrimination and the options chosen, for the instructor.
  const analytics = examAnalytics(pack, classWork.length, examQuestionAnswers(pack, classWork, policy, exam.id));
  await io.fs.writeFile(path.posix.join(outDir, 'items.csv'), encodeText(itemsCsv(analytics)));
  await io.fs.writeFile(path.posix.join(outDir, 'analytics.html'), encodeText(analyticsHtml(analytics, style)));
  io.err(`scored ${graded} submission${graded === 1 ? '' : 's'} of ${exam.id} into ${outDir}/gradebook.csv${failed ? `; ${failed} skipped (see above)` : ''}`);
  return failed > 0 ? 1 : 0;
}
