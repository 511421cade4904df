// Scoring an attempt: 1 point a question (right choice = 1, wrong or blank = 0), 1 point a case item
// times its graded fraction (core/grade); totals overall and by content area, areas in the order their
// first item appears in the exam. Items without a key count in no total.
import { grade, round4 } from '../grade';
import type { Pack, Policy, WorkFile } from '../model';
import { itemArea } from './content';
import { examItems } from './exam';
import type { AreaScore, Attempt, Exam, ExamScore, ItemScore, QuestionKey } from './model';

const EPSILON = 1e-9;

/**
 * Scores an attempt against the pack's keys. `works` holds the learner's work for case items (by case
 * id); `policy` grades those cases. The exam's passMark decides passing.
 */
export function scoreAttempt(pack: Pack, exam: Exam, attempt: Attempt, works: Map<string, WorkFile>, policy: Policy): ExamScore {
  const questions = new Map((pack.exam?.questions ?? []).map((q) => [q.id, q]));
  const keys = pack.exam?.questionKeys ?? new Map<string, QuestionKey>();
  const cases = new Map(pack.cases.map((c) => [c.id, c]));
  const areas = new Map<string, { earned: number; possible: number }>();
  const items: ItemScore[] = [];
  let earned = 0;
  let possible = 0;
  for (const id of examItems(exam)) {
    const area = itemArea(id, questions, cases) ?? 'Other';
    const totals = areas.get(area) ?? { earned: 0, possible: 0 };
    areas.set(area, totals);
    const note = cases.get(id);
    if (!questions.has(id) && note) {
      const key = pack.keys.get(id);
      const work = works.get(id);
      const result = key ? grade(note, key, work, policy) : undefined;
      // From the unrounded totals (percent is rounded to 4 places), so sums stay exact.
      const fraction = result && result.possible > 0 ? result.earned / result.possible : 0;
      const item: ItemScore = {
        id,
        area,
        answer: null,
        correct: null,
        status: !work || !result ? 'blank' : fraction >= 1 - EPSILON ? 'correct' : 'wrong',
        earned: round4(fraction),
        possible: key ? 1 : 0,
      };
      items.push(item);
      if (key) {
        earned += fraction;
        possible += 1;
        totals.earned += fraction;
        totals.possible += 1;
      }
      continue;
    }
    const answer = attempt.answers[id] ?? null;
    const correct = keys.get(id)?.answer ?? null;
    const status = answer === null ? 'blank' : correct !== null && answer === correct ? 'correct' : correct === null ? 'blank' : 'wrong';
    items.push({ id, area, answer, correct, status });
    if (correct === null) continue; // no key: not scored
    const point = status === 'correct' ? 1 : 0;
    earned += point;
    possible += 1;
    totals.earned += point;
    totals.possible += 1;
  }
  const percent = possible > 0 ? earned / possible : 0;
  const areaScores: AreaScore[] = [...areas].map(([area, a]) => ({
    area,
    earned: round4(a.earned),
    possible: round4(a.possible),
    percent: round4(a.possible > 0 ? a.earned / a.possible : 0),
  }));
  return {
    exam: exam.id,
    earned: round4(earned),
    possible: round4(possible),
    percent: round4(percent),
    passed: possible > 0 && percent + EPSILON >= exam.passMark,
    areas: areaScores,
    items,
  };
}

/** Seconds spent over all items. */
export function totalSeconds(attempt: Attempt): number {
  return Object.values(attempt.seconds).reduce((s, n) => s + n, 0);
}
