// The exam's score report as HTML: one builder for the editor's webview and the command line's static
// file (core/report's page: nonce CSP, or inlined CSS and no script). Overall percent and pass/fail,
// score by content area in the exam's order (a table and bars), time used, then a review of every
// question, and the attempts history. Pack text is escaped, or rendered by markdown-it with HTML off.
import { badge, bar, escapeHtml, page, percentText, renderMarkdown, type ReportOptions } from '../report';
import type { Pack } from '../model';
import { examItems } from './exam';
import type { Attempt, Exam, ExamScore, ItemScore, Question } from './model';
import { shownLettersOf } from './attempt';

export interface ExamReportOptions extends ReportOptions {
  learner?: string;
  /** Every attempt at this exam, with its score when submitted, oldest first. */
  attempts?: Array<{ attempt: Attempt; score?: ExamScore }>;
}

/** 1 h 05 min, 4 min 10 s, 12 s. */
export function durationText(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return `${m} min ${s % 60} s`;
  return `${s} s`;
}

function timeText(iso: string): string {
  return iso.replace('T', ' ').slice(0, 16) + ' UTC';
}

const STATUS: Record<ItemScore['status'], { label: string; icon: string }> = {
  correct: { label: 'Correct', icon: '✓' },
  wrong: { label: 'Wrong', icon: '✗' },
  blank: { label: 'Not answered', icon: '○' },
};

/** The HTML id of an item's review section. */
export function itemAnchor(id: string): string {
  return `item-${id.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function areaTable(score: ExamScore): string {
  const rows = score.areas
    .map(
      (a) =>
        `<tr><th scope="row">${escapeHtml(a.area)}</th><td data-label="Score">${escapeHtml(String(a.earned))} / ${escapeHtml(String(a.possible))}</td><td data-label="Percent" class="percent">${percentText(a.percent)}</td><td data-label="Chart" class="chart">${bar(a.percent, `${a.area}: ${percentText(a.percent)}`)}</td></tr>`,
    )
    .join('\n');
  return `<section class="areas" aria-label="Score by content area"><h2>By content area</h2>
<table class="area-table"><thead><tr><th scope="col">Content area</th><th scope="col">Score</th><th scope="col">Percent</th><th scope="col"><span class="visually-hidden">Chart</span></th></tr></thead><tbody>
${rows}
</tbody></table></section>`;
}

function timeSection(attempt: Attempt, exam: Exam, score: ExamScore): string {
  const ended = attempt.submitted ? Date.parse(attempt.submitted) : undefined;
  const used = ended !== undefined && attempt.started ? (ended - Date.parse(attempt.started)) / 1000 : undefined;
  const onItems = Object.values(attempt.seconds).reduce((s, n) => s + n, 0);
  const count = score.items.length;
  const parts = [
    used !== undefined
      ? `<li>Time used: <strong>${escapeHtml(durationText(used))}</strong>${attempt.mode === 'timed' ? ` of ${escapeHtml(durationText(exam.minutes * 60))}` : ' (practice, untimed)'}</li>`
      : '',
    `<li>Time on questions: ${escapeHtml(durationText(onItems))}; ${escapeHtml(durationText(count ? onItems / count : 0))} a question on average</li>`,
    attempt.timedOut ? '<li class="timed-out">Time ran out: the exam was submitted as it stood.</li>' : '',
  ];
  return `<section class="time" aria-label="Time"><h2>Time</h2><ul>${parts.join('')}</ul></section>`;
}

function choiceList(question: Question, attempt: Attempt, item: ItemScore): string {
  const order = shownLettersOf(question, attempt);
  const rows = order.map((letter, i) => {
    const choice = question.choices.find((c) => c.letter === letter)!;
    const shown = String.fromCharCode(65 + i);
    const mine = item.answer === letter;
    const right = item.correct === letter;
    const marks = [mine ? '<span class="mark mine">Your answer</span>' : '', right ? '<span class="mark right">Correct answer</span>' : ''].join(' ');
    const cls = ['choice', mine ? 'mine' : '', right ? 'right' : '', mine && !right ? 'wrong' : ''].filter(Boolean).join(' ');
    const text = choice.codes ? `<code>${escapeHtml(choice.text)}</code>` : escapeHtml(choice.text);
    return `<li class="${cls}"><span class="letter">${shown}.</span> ${text} ${marks}</li>`;
  });
  return `<ol class="choices review" aria-label="Choices">${rows.join('')}</ol>`;
}

function reviewItem(n: number, item: ItemScore, pack: Pack, attempt: Attempt): string {
  const question = pack.exam?.questions.find((q) => q.id === item.id);
  const note = question ? undefined : pack.cases.find((c) => c.id === item.id);
  const key = pack.exam?.questionKeys.get(item.id);
  const flagged = attempt.flagged.includes(item.id);
  const status = STATUS[item.status];
  const seconds = attempt.seconds[item.id] ?? 0;
  const head = `<header class="item-head"><h3 id="${itemAnchor(item.id)}-title">Question ${n} <span class="case-id">${escapeHtml(item.id)}</span></h3>
<p class="item-meta"><span class="status status-${item.status}"><span aria-hidden="true">${status.icon} </span>${status.label}</span> · ${escapeHtml(item.area)} · ${escapeHtml(durationText(seconds))}${flagged ? ' · <span class="flag">⚑ Flagged</span>' : ''}</p></header>`;
  let body = '';
  if (question) {
    body = `<div class="stem">${renderMarkdown(question.stem)}</div>${choiceList(question, attempt, item)}`;
    if (key?.rationale.trim()) body += `<section class="rationale" aria-label="Rationale"><h4>Rationale</h4>${renderMarkdown(key.rationale)}</section>`;
  } else if (note) {
    body = `<p>Case: ${escapeHtml(note.title)} — ${escapeHtml(String(item.earned ?? 0))} of ${escapeHtml(String(item.possible ?? 1))} point (graded like Grade Case).</p>`;
  }
  return `<section class="item status-${item.status}${flagged ? ' flagged' : ''}" id="${itemAnchor(item.id)}" aria-labelledby="${itemAnchor(item.id)}-title">${head}${body}</section>`;
}

function historySection(attempts: ExamReportOptions['attempts'], current: Attempt): string {
  if (!attempts || attempts.length === 0) return '';
  const rows = attempts
    .map(({ attempt, score }) => {
      const result = score ? `${percentText(score.percent)} ${score.passed ? 'pass' : 'fail'}` : attempt.submitted ? 'not scored' : 'in progress';
      const me = attempt.id === current.id ? ' aria-current="true" class="current"' : '';
      return `<tr${me}><td><time datetime="${escapeHtml(attempt.started)}">${escapeHtml(timeText(attempt.started))}</time></td><td>${attempt.mode === 'timed' ? 'timed' : 'practice'}</td><td>${escapeHtml(result)}</td></tr>`;
    })
    .join('');
  return `<section class="history" aria-label="Attempts"><h2>Attempts at this exam</h2>
<table class="history-table"><thead><tr><th scope="col">Started</th><th scope="col">Mode</th><th scope="col">Result</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

/** The score report of one submitted attempt. */
export function renderExamReport(pack: Pack, exam: Exam, attempt: Attempt, score: ExamScore, options: ExamReportOptions): string {
  const parts: string[] = [];
  parts.push(`<header class="pack-head exam-head"><h1>${escapeHtml(exam.title)}</h1>${options.learner ? `<p class="learner">Learner: ${escapeHtml(options.learner)}</p>` : ''}
<p class="learner">${escapeHtml(attempt.mode === 'timed' ? 'Timed exam' : 'Practice (untimed)')} · started ${escapeHtml(timeText(attempt.started))}${attempt.submitted ? ` · submitted ${escapeHtml(timeText(attempt.submitted))}` : ''}</p>
<p class="score"><span class="earned">${escapeHtml(String(score.earned))} / ${escapeHtml(String(score.possible))}</span> <span class="percent overall" data-percent="${score.percent}">${percentText(score.percent)}</span> ${badge(score.passed)} <span class="hint">pass mark ${percentText(exam.passMark)}</span></p></header>`);
  parts.push(areaTable(score));
  parts.push(timeSection(attempt, exam, score));
  const order = new Map(examItems(exam).map((id, i) => [id, i]));
  const items = [...score.items].sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
  const flagged = items.filter((i) => attempt.flagged.includes(i.id)).length;
  parts.push(`<section class="review" aria-label="Review"><h2>Review</h2><p class="hint">${items.filter((i) => i.status === 'correct').length} correct, ${items.filter((i) => i.status === 'wrong').length} wrong, ${items.filter((i) => i.status === 'blank').length} not answered${flagged ? `, ${flagged} flagged` : ''}.</p>
${items.map((item, i) => reviewItem(i + 1, item, pack, attempt)).join('\n')}
</section>`);
  parts.push(historySection(options.attempts, attempt));
  const heading = options.learner ? `${exam.title} — ${options.learner}` : exam.title;
  return page(`Score report: ${heading}`, parts.join('\n'), options);
}
