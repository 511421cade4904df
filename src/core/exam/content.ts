// A pack's exam content: questions/*.md, their keys (keys/*.md with `question:`) and exams/*.yaml,
// checked against each other and the pack's cases. Called by loadPack, so `casebook validate` and the
// Problems panel show these problems with everything else.
import type { CaseNote, CodeSystem, Problem } from '../model';
import { fileStem } from '../pack/frontMatterReader';
import { problemAt, readAll, type PackReader } from '../pack/paths';
import { choiceCodeText } from './choices';
import { examItems, parseExam, placesOf } from './exam';
import type { Exam, ExamContent, Question, QuestionKey } from './model';
import { answerPlace, parseQuestion, parseQuestionKey, questionPlace } from './question';

export const QUESTIONS_DIR = 'questions';
export const EXAMS_DIR = 'exams';

export interface ExamContentInput {
  reader: PackReader;
  /** The pack's cases (exam items may name them). */
  cases: CaseNote[];
  /** Key files that answer questions, already read. */
  questionKeyFiles: Array<{ file: string; text: string }>;
  /** Whether the pack has a keys folder at all (a released pack has none: no "no key" problems then). */
  keysPresent: boolean;
  keysDir: string;
  checkCode?: (system: CodeSystem, code: string) => string | undefined;
}

/** Reads and checks the exam content; undefined when the pack has no questions/ or exams/ and no question keys. */
export async function loadExamContent(input: ExamContentInput, problems: Problem[]): Promise<ExamContent | undefined> {
  const { reader } = input;
  const questionFiles = await reader.listFiles(QUESTIONS_DIR, '.md', problems);
  const examFiles = await reader.listFiles(EXAMS_DIR, '.yaml', problems);
  if (!questionFiles && !examFiles && input.questionKeyFiles.length === 0) return undefined;

  const questions: Question[] = [];
  const questionStems = new Set((questionFiles ?? []).map((f) => fileStem(f)));
  for (const { file, text } of await readAll(reader, questionFiles ?? [], problems)) {
    const parsed = parseQuestion(text, file);
    problems.push(...parsed.problems);
    if (parsed.question) questions.push(parsed.question);
  }
  const byId = new Map(questions.map((q) => [q.id, q]));
  const caseIds = new Map(input.cases.map((c) => [c.id, c]));
  for (const q of questions) {
    if (caseIds.has(q.id))
      problems.push({
        file: q.file,
        ...questionPlace(q),
        severity: 'error',
        message: `the id ${q.id} is also a case's id, so an exam item ${q.id} would be ambiguous`,
        hint: 'rename the question or the case',
      });
  }

  const questionKeys = new Map<string, QuestionKey>();
  for (const { file, text } of input.questionKeyFiles) {
    const parsed = parseQuestionKey(text, file);
    problems.push(...parsed.problems);
    const stem = fileStem(file);
    if (!questionStems.has(stem)) {
      problems.push(
        problemAt(file, `no question for this key: ${QUESTIONS_DIR}/${stem}.md does not exist`, 'add the question, or rename the key after its question'),
      );
    }
    if (!parsed.key) continue;
    questionKeys.set(stem, parsed.key);
    const q = byId.get(stem);
    if (q && !q.choices.some((c) => c.letter === parsed.key!.answer)) {
      problems.push({
        file,
        ...answerPlace(parsed.key),
        severity: 'error',
        message: `answer ${parsed.key.answer} is not one of the choices of ${stem} (${q.choices.map((c) => c.letter).join(', ') || 'none'})`,
        hint: `write the letter of the right choice, or add choice ${parsed.key.answer} to ${q.file}`,
      });
    }
  }

  // Real codes, when code sets are imported: every code of every choice.
  if (input.checkCode) {
    for (const q of questions) {
      for (const c of q.choices) {
        for (const code of c.codes ?? []) {
          const message = safeCheck(input.checkCode, code.system, code.code);
          if (message)
            problems.push({
              file: q.file,
              ...questionPlace(q, c.letter),
              severity: 'error',
              message: `choice ${c.letter} ${choiceCodeText(code)}: ${message}`,
              hint: `check ${code.code} in the code set`,
            });
        }
      }
    }
  }

  const exams: Exam[] = [];
  for (const { file, text } of await readAll(reader, examFiles ?? [], problems)) {
    const parsed = parseExam(text, file);
    problems.push(...parsed.problems);
    if (parsed.exam) exams.push(parsed.exam);
  }

  const anyQuestionKey = questionKeys.size > 0;
  if (input.keysPresent) {
    for (const q of questions) {
      if (questionKeys.has(q.id)) continue;
      // Inside an exam of a keyed pack the exam cannot be scored: there it is an error (on the exam's item).
      problems.push({
        file: q.file,
        ...questionPlace(q),
        severity: 'warning',
        message: `no answer key: ${input.keysDir}/${q.id}.md does not exist`,
        hint: `add the key (question: ${q.id}, answer: …), or this question cannot be scored`,
      });
    }
  }
  for (const exam of exams) problems.push(...checkExam(exam, byId, caseIds, questionKeys, input.keysPresent && anyQuestionKey, input.keysDir));
  return { questions, questionKeys, exams };
}

/** An exam against the pack: items exist, no duplicates, keys present, blueprint adds up. */
function checkExam(
  exam: Exam,
  questions: Map<string, Question>,
  cases: Map<string, CaseNote>,
  keys: Map<string, QuestionKey>,
  keysExpected: boolean,
  keysDir: string,
): Problem[] {
  const problems: Problem[] = [];
  const places = placesOf(exam);
  const at = (i: number) => places.items[i] ?? places.file;
  const seen = new Set<string>();
  const counts = new Map<string, number>();
  examItems(exam).forEach((item, i) => {
    const report = (message: string, hint: string) => problems.push({ file: exam.file, ...at(i), severity: 'error', message, hint });
    if (seen.has(item)) {
      report(`${item} is listed twice`, 'remove one of them: each item is asked once');
      return;
    }
    seen.add(item);
    const area = itemArea(item, questions, cases);
    if (area === undefined) {
      report(`item ${item} does not exist: no ${QUESTIONS_DIR}/${item}.md and no case ${item}`, 'check the id, or add the question');
      return;
    }
    counts.set(area, (counts.get(area) ?? 0) + 1);
    if (keysExpected && questions.has(item) && !keys.has(item)) {
      report(
        `${item} has no answer key (${keysDir}/${item}.md), so this exam cannot be scored`,
        `add ${keysDir}/${item}.md with "question: ${item}" and "answer: …"`,
      );
    }
  });

  if (exam.blueprint) {
    const fieldPlace = places.blueprintField ?? places.file;
    const listed = new Set(exam.blueprint.map((b) => b.area));
    for (const { area, count } of exam.blueprint) {
      const actual = counts.get(area) ?? 0;
      if (actual !== count) {
        problems.push({
          file: exam.file,
          ...(places.blueprint.get(area) ?? fieldPlace),
          severity: 'error',
          message: `the blueprint gives ${area} ${count} item${count === 1 ? '' : 's'}, the exam has ${actual}`,
          hint: actual ? `write ${area}: ${actual}, or change the items` : `remove ${area} from the blueprint, or add its items`,
        });
      }
    }
    for (const [area, actual] of counts) {
      if (!listed.has(area)) {
        problems.push({
          file: exam.file,
          ...fieldPlace,
          severity: 'error',
          message: `the blueprint has no line for ${area}, which has ${actual} item${actual === 1 ? '' : 's'}`,
          hint: `add "${area}: ${actual}" to the blueprint`,
        });
      }
    }
    const total = exam.blueprint.reduce((s, b) => s + b.count, 0);
    const items = [...counts.values()].reduce((s, n) => s + n, 0);
    if (total !== items) {
      problems.push({
        file: exam.file,
        ...fieldPlace,
        severity: 'error',
        message: `the blueprint adds up to ${total} items, the exam has ${items}`,
        hint: 'make the counts add up to the number of items',
      });
    }
  }
  return problems;
}

/** The content area an exam item counts in: a question's area, a case's first area; undefined when it does not exist. */
export function itemArea(item: string, questions: Map<string, Question>, cases: Map<string, CaseNote>): string | undefined {
  const q = questions.get(item);
  if (q) return q.area;
  const c = cases.get(item);
  return c ? (c.areas[0] ?? 'Other') : undefined;
}

function safeCheck(check: (system: CodeSystem, code: string) => string | undefined, system: CodeSystem, code: string): string | undefined {
  try {
    return check(system, code);
  } catch (e) {
    return `could not check ${code}: ${(e as Error)?.message ?? String(e)}`;
  }
}
