// Class analytics for an instructor (`casebook grade PACK --submissions DIR --out DIR`): for every
// key line how many learners got it exact, partly or not at all, and what they entered instead; the
// extra codes several learners added; class averages by area; the disputes; and, for exam questions,
// item difficulty, discrimination and how many chose each option. Columns in docs/formats.md.
import { lineAreas } from './areas';
import { disputeLine, readDisputes, type Dispute } from './disputes';
import { csvText } from './csv';
import { claimText } from './history';
import type { Attempt, ExamScore } from './exam/model';
import { scoreAttempt } from './exam/score';
import type { ErrorType, LineResult, Pack, PackResult, Policy, WorkFile } from './model';
import { escapeHtml } from './report';

/** One learner's graded work, as the class run has it. */
export interface LearnerResult {
  learner: string;
  result: PackResult;
  works: Map<string, WorkFile>;
  /** The learner's exam attempts (from the submission). */
  attempts?: Attempt[];
}

export interface KeyLineStats {
  case: string;
  /** `D1`, `D2`… for diagnoses, `P1`… for procedures, in key order. */
  line: string;
  expected: string;
  areas: string[];
  /** Learners who attempted the case. */
  learners: number;
  exact: number;
  partial: number;
  missed: number;
  /** Error types of the partial lines, with counts. */
  errorTypes: Array<{ type: ErrorType; count: number }>;
  /** The codes entered most often in this line's place (at most three). */
  wrongCodes: Array<{ code: string; count: number }>;
  disputes: number;
}

export interface ExtraStats {
  case: string;
  code: string;
  /** Learners who entered it. */
  count: number;
}

export interface AreaAverage {
  area: string;
  learners: number;
  /** Mean of the learners' percent in the area. */
  mean: number;
}

/** One exam question's answers across the class (from the exam grader). */
export interface QuestionAnswers {
  id: string;
  area: string;
  answer: string;
  /** Per learner: the option chosen (null when blank) and the learner's exam total (0..1). */
  responses: Array<{ choice: string | null; total: number }>;
}

export interface QuestionStats {
  id: string;
  area: string;
  answer: string;
  learners: number;
  /** Proportion correct. */
  difficulty: number;
  /** Point-biserial correlation of "correct" with the exam total; null when undefined (no spread). */
  discrimination: number | null;
  /** How many chose each option (and blank). */
  options: Record<string, number>;
  /** Negative discrimination: the strongest learners miss it more often, a likely key error. */
  flagged: boolean;
}

export interface ClassAnalytics {
  pack: string;
  title: string;
  learners: number;
  keyLines: KeyLineStats[];
  extras: ExtraStats[];
  areas: AreaAverage[];
  disputes: Array<Dispute & { learner: string; case: string }>;
  questions: QuestionStats[];
}

const round4 = (n: number) => Math.round(n * 10000) / 10000 + 0;

function top<T extends string>(counts: Map<T, number>, n = Infinity): Array<{ key: T; count: number }> {
  return [...counts]
    .map(([key, count]) => ({ key, count }))
    .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1))
    .slice(0, n);
}

function bump<T>(map: Map<T, number>, key: T, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** Point-biserial correlation between a 0/1 item score and a total: (M1 − M0) / s × √(p q). */
export function pointBiserial(correct: boolean[], totals: number[]): number | null {
  const n = totals.length;
  const ones = totals.filter((_, i) => correct[i]);
  const zeros = totals.filter((_, i) => !correct[i]);
  if (n < 2 || ones.length === 0 || zeros.length === 0) return null;
  const mean = totals.reduce((s, t) => s + t, 0) / n;
  const sd = Math.sqrt(totals.reduce((s, t) => s + (t - mean) ** 2, 0) / n);
  if (sd === 0) return null;
  const m1 = ones.reduce((s, t) => s + t, 0) / ones.length;
  const m0 = zeros.reduce((s, t) => s + t, 0) / zeros.length;
  const p = ones.length / n;
  return round4(((m1 - m0) / sd) * Math.sqrt(p * (1 - p)));
}

export function questionStats(questions: QuestionAnswers[]): QuestionStats[] {
  return questions.map((q) => {
    const correct = q.responses.map((r) => r.choice === q.answer);
    const options: Record<string, number> = {};
    for (const r of q.responses) options[r.choice ?? 'blank'] = (options[r.choice ?? 'blank'] ?? 0) + 1;
    const discrimination = pointBiserial(
      correct,
      q.responses.map((r) => r.total),
    );
    return {
      id: q.id,
      area: q.area,
      answer: q.answer,
      learners: q.responses.length,
      difficulty: q.responses.length ? round4(correct.filter(Boolean).length / q.responses.length) : 0,
      discrimination,
      options,
      flagged: discrimination !== null && discrimination < 0,
    };
  });
}

/** The figures of a class; `questions` come from the exam grader when the pack has exams. */
export function classAnalytics(pack: Pack, learners: LearnerResult[], questions: QuestionAnswers[] = []): ClassAnalytics {
  const keyLines: KeyLineStats[] = [];
  const extras: ExtraStats[] = [];
  const disputes: ClassAnalytics['disputes'] = [];
  for (const note of pack.cases) {
    const key = pack.keys.get(note.id);
    if (!key) continue;
    const results = learners
      .map((l) => ({ learner: l.learner, result: l.result.cases.find((c) => c.case === note.id), work: l.works.get(note.id) }))
      .filter((r) => r.result?.attempted);
    for (const r of results) for (const d of readDisputes(r.work)) disputes.push({ ...d, learner: r.learner, case: note.id });
    const lineStats = (kind: 'diagnosis' | 'procedure', prefix: string) =>
      (kind === 'diagnosis' ? key.diagnoses : key.procedures).forEach((keyLine, index) => {
        if (keyLine.optional) return;
        const errorTypes = new Map<ErrorType, number>();
        const wrong = new Map<string, number>();
        const stats: KeyLineStats = {
          case: note.id,
          line: `${prefix}${index + 1}`,
          expected: '',
          areas: lineAreas(keyLine.system, note.areas),
          learners: results.length,
          exact: 0,
          partial: 0,
          missed: 0,
          errorTypes: [],
          wrongCodes: [],
          disputes: 0,
        };
        for (const r of results) {
          const line = r.result!.lines.find((l) => l.kind === kind && l.keyIndex === index);
          if (!line) continue;
          stats.expected ||= line.expected ? claimText(line.expected) : keyLine.code;
          if (line.status === 'missing') {
            stats.missed++;
            if (line.instead) bump(wrong, line.instead);
          } else if (line.errors.length === 0) {
            stats.exact++;
          } else {
            stats.partial++;
            for (const e of line.errors) bump(errorTypes, e.type);
            if (line.status === 'near' && line.entered) bump(wrong, line.entered.code);
          }
          if (readDisputes(r.work).some((d) => d.line === disputeLine(line))) stats.disputes++;
        }
        stats.expected ||= keyLine.code;
        stats.errorTypes = top(errorTypes).map(({ key: type, count }) => ({ type, count }));
        stats.wrongCodes = top(wrong, 3).map(({ key: code, count }) => ({ code, count }));
        keyLines.push(stats);
      });
    lineStats('diagnosis', 'D');
    lineStats('procedure', 'P');
    const extraCounts = new Map<string, number>();
    for (const r of results) {
      const codes = new Set(r.result!.lines.filter((l: LineResult) => l.status === 'extra' && l.entered).map((l) => claimText(l.entered!)));
      for (const code of codes) bump(extraCounts, code);
    }
    // An extra that one learner entered is their slip; several, a pattern worth teaching (or a key gap).
    for (const { key: code, count } of top(extraCounts)) if (count >= 2) extras.push({ case: note.id, code, count });
  }
  const areaSums = new Map<string, { sum: number; n: number }>();
  for (const l of learners) {
    for (const a of l.result.areas) {
      const s = areaSums.get(a.area) ?? { sum: 0, n: 0 };
      s.sum += a.percent;
      s.n++;
      areaSums.set(a.area, s);
    }
  }
  return {
    pack: pack.manifest.id,
    title: pack.manifest.title,
    learners: learners.length,
    keyLines,
    extras,
    areas: [...areaSums].map(([area, s]) => ({ area, learners: s.n, mean: round4(s.sum / s.n) })),
    disputes,
    questions: questionStats(questions),
  };
}

const ITEM_COLUMNS = [
  'type',
  'case',
  'line',
  'expected',
  'areas',
  'learners',
  'exact',
  'partial',
  'missed',
  'error_types',
  'wrong_codes',
  'extra_count',
  'difficulty',
  'discrimination',
  'options',
  'flagged',
  'disputes',
] as const;

/** items.csv: one row per key line, per extra code several learners entered, and per exam question. */
export function itemsCsv(a: ClassAnalytics): string {
  const rows: Array<Partial<Record<(typeof ITEM_COLUMNS)[number], string | number>>> = [];
  for (const k of a.keyLines) {
    rows.push({
      type: 'key-line',
      case: k.case,
      line: k.line,
      expected: k.expected,
      areas: k.areas.join('; '),
      learners: k.learners,
      exact: k.exact,
      partial: k.partial,
      missed: k.missed,
      error_types: k.errorTypes.map((e) => `${e.type}:${e.count}`).join('; '),
      wrong_codes: k.wrongCodes.map((w) => `${w.code}:${w.count}`).join('; '),
      disputes: k.disputes,
    });
  }
  for (const e of a.extras) rows.push({ type: 'extra', case: e.case, expected: '', wrong_codes: e.code, extra_count: e.count });
  for (const q of a.questions) {
    rows.push({
      type: 'question',
      line: q.id,
      expected: q.answer,
      areas: q.area,
      learners: q.learners,
      difficulty: q.difficulty,
      discrimination: q.discrimination ?? '',
      options: Object.entries(q.options)
        .map(([o, n]) => `${o}:${n}`)
        .join('; '),
      flagged: q.flagged ? 'negative discrimination' : '',
    });
  }
  return csvText([[...ITEM_COLUMNS], ...rows.map((r) => ITEM_COLUMNS.map((c) => r[c]))]);
}

const pct = (n: number) => `${Math.round(n * 1000) / 10}%`;

/** analytics.html: self-contained, everything escaped, no script. */
export function analyticsHtml(a: ClassAnalytics, inlineStyle: string): string {
  const e = escapeHtml;
  const areaRows = a.areas.map((r) => `<tr><th scope="row">${e(r.area)}</th><td>${pct(r.mean)}</td><td>${r.learners}</td></tr>`).join('');
  const lineRows = a.keyLines
    .map(
      (k) =>
        `<tr><td>${e(k.case)}</td><td>${e(k.line)}</td><td><code>${e(k.expected)}</code></td><td>${k.exact}</td><td>${k.partial}${
          k.errorTypes.length ? ` <span class="hint">(${e(k.errorTypes.map((t) => `${t.type} ${t.count}`).join(', '))})</span>` : ''
        }</td><td>${k.missed}</td><td>${e(k.wrongCodes.map((w) => `${w.code} ×${w.count}`).join(', ')) || '—'}</td><td>${k.learners}</td><td>${k.disputes || ''}</td></tr>`,
    )
    .join('');
  const extraRows = a.extras.map((x) => `<tr><td>${e(x.case)}</td><td><code>${e(x.code)}</code></td><td>${x.count}</td></tr>`).join('');
  const questionRows = a.questions
    .map(
      (q) =>
        `<tr${q.flagged ? ' class="flagged"' : ''}><td>${e(q.id)}</td><td>${e(q.area)}</td><td>${e(q.answer)}</td><td>${pct(q.difficulty)}</td><td>${
          q.discrimination ?? '—'
        }${q.flagged ? ' <strong>likely key error</strong>' : ''}</td><td>${e(
          Object.entries(q.options)
            .map(([o, n]) => `${o} ${n}`)
            .join(', '),
        )}</td></tr>`,
    )
    .join('');
  const disputeItems = a.disputes.map((d) => `<li><strong>${e(d.learner)}</strong>, ${e(d.case)}, <code>${e(d.line)}</code>: ${e(d.note)}</li>`).join('');
  const section = (title: string, body: string, empty: string) => `<section><h2>${e(title)}</h2>${body || `<p class="none">${e(empty)}</p>`}</section>`;
  const table = (head: string[], rows: string) =>
    rows ? `<table><thead><tr>${head.map((h) => `<th scope="col">${e(h)}</th>`).join('')}</tr></thead><tbody>${rows}</tbody></table>` : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Class analytics: ${e(a.title)}</title><style>${inlineStyle}</style></head>
<body><main><h1>Class analytics: ${e(a.title)}</h1><p>${a.learners} learner${a.learners === 1 ? '' : 's'}.</p>
${section('Class average by area', table(['Area', 'Mean', 'Learners'], areaRows), 'No graded work.')}
${section('Key lines', table(['Case', 'Line', 'Expected', 'Exact', 'Partial', 'Missed', 'Entered instead', 'Learners', 'Disputes'], lineRows), 'No keyed cases.')}
${section('Extra codes several learners entered', table(['Case', 'Code', 'Learners'], extraRows), 'No extra code was entered by more than one learner.')}
${a.questions.length ? section('Exam questions', table(['Question', 'Area', 'Key', 'Correct', 'Discrimination', 'Chosen'], questionRows), '') : ''}
${section('Disputes', disputeItems ? `<ul>${disputeItems}</ul>` : '', 'No learner disputed a key line.')}
</main></body></html>
`;
}

/**
 * Each exam question's answers across a class: for every exam of the pack, each learner's latest
 * submitted attempt is scored, and its choice per question is paired with that attempt's total.
 */
export function examQuestionAnswers(
  pack: Pack,
  learners: Array<{ attempts: Attempt[]; works: Map<string, WorkFile> }>,
  policy: Policy,
  examId?: string,
): QuestionAnswers[] {
  const out: QuestionAnswers[] = [];
  const questions = new Map((pack.exam?.questions ?? []).map((q) => [q.id, q]));
  for (const exam of (pack.exam?.exams ?? []).filter((e) => examId === undefined || e.id === examId)) {
    const scores = learners
      .map((l) => {
        const latest = l.attempts
          .filter((a) => a.exam === exam.id && a.submitted !== null)
          .sort((a, b) => (a.submitted! < b.submitted! ? -1 : 1))
          .pop();
        return latest ? scoreAttempt(pack, exam, latest, l.works, policy) : undefined;
      })
      .filter((s): s is ExamScore => s !== undefined);
    if (scores.length === 0) continue;
    for (const item of scores[0].items) {
      const key = pack.exam?.questionKeys.get(item.id);
      if (!questions.has(item.id) || !key) continue; // case items are analysed as key lines
      out.push({
        id: item.id,
        area: item.area,
        answer: key.answer,
        responses: scores.map((s) => ({ choice: s.items.find((i) => i.id === item.id)?.answer ?? null, total: s.percent })),
      });
    }
  }
  return out;
}

/** The analytics of an exam alone (`casebook exam grade --submissions`): its questions, no case lines. */
export function examAnalytics(pack: Pack, learners: number, questions: QuestionAnswers[]): ClassAnalytics {
  return {
    pack: pack.manifest.id,
    title: pack.manifest.title,
    learners,
    keyLines: [],
    extras: [],
    areas: [],
    disputes: [],
    questions: questionStats(questions),
  };
}
