// The question view's content, built on the host (pure): the page shell with the first view in it, and
// for every later move a view message (the question as escaped HTML plus the navigator's data), which
// media/exam.js puts on screen. No feedback is in it: the key is never read here.
import { escapeHtml, page, renderMarkdown, type ReportOptions } from '../report';
import type { CaseNote } from '../model';
import type { AttemptSession } from './attempt';
import type { Question } from './model';

export interface NavigatorCell {
  id: string;
  /** 1-based number shown in the grid. */
  n: number;
  answered: boolean;
  flagged: boolean;
  locked: boolean;
  current: boolean;
  part: number;
}

/** Everything the question view shows at one moment. */
export interface ExamView {
  title: string;
  mode: 'timed' | 'practice';
  item: string;
  index: number;
  total: number;
  part: number;
  parts: number;
  kind: 'question' | 'case';
  /** The stem and choices (or the case), as HTML made on the host: escaped, Markdown without raw HTML. */
  html: string;
  /** Letters as written in the question, in the order shown. */
  letters: string[];
  answer: string | null;
  flagged: boolean;
  locked: boolean;
  submitted: boolean;
  /** The next item is in another part (moving on locks this one). */
  nextLeavesPart: boolean;
  /** When the open part or the exam ends (ms since 1970), null when untimed. */
  endsAt: number | null;
  nav: NavigatorCell[];
}

export interface ViewContent {
  questions: Map<string, Question>;
  cases: Map<string, CaseNote>;
  /** Whether a case item has been coded (its work file has tags). */
  caseAnswered?: (caseId: string) => boolean;
}

function questionHtml(question: Question, letters: string[], answer: string | null, locked: boolean): string {
  const choices = letters.map((letter, i) => {
    const choice = question.choices.find((c) => c.letter === letter)!;
    const shown = String.fromCharCode(65 + i);
    const text = choice.codes ? `<code class="combination">${escapeHtml(choice.text)}</code>` : `<span class="text">${escapeHtml(choice.text)}</span>`;
    const chosen = answer === letter;
    return `<li><button type="button" class="choice${chosen ? ' chosen' : ''}" data-action="answer" data-letter="${escapeHtml(letter)}" aria-pressed="${chosen}"${locked ? ' disabled' : ''}><span class="letter" aria-hidden="true">${shown}</span><span class="visually-hidden">Choice ${shown}: </span>${text}</button></li>`;
  });
  return `<div class="stem">${renderMarkdown(question.stem)}</div><ol class="choices" aria-label="Choices">${choices.join('')}</ol>`;
}

function caseHtml(note: CaseNote | undefined, id: string): string {
  if (!note) return `<p class="notice">Item ${escapeHtml(id)} is missing from the pack.</p>`;
  const instructions = note.instructions ? `<p class="instructions">${escapeHtml(note.instructions)}</p>` : '';
  return `<div class="stem case-item"><p><strong>Coding case:</strong> ${escapeHtml(note.title)}</p>${instructions}<p>Code this case in its note (tag the words that justify each code); it is scored like Grade Case, worth one point times its graded fraction.</p><p><button type="button" data-action="openCase">Open the case note</button></p></div>`;
}

/** The view of the session's current item. */
export function examView(session: AttemptSession, content: ViewContent): ExamView {
  const { attempt, exam, items } = session;
  const index = Math.max(0, session.index);
  const item = items[index] ?? '';
  const question = content.questions.get(item);
  const letters = question ? session.shownLetters(question) : [];
  const answered = (id: string) => (content.questions.has(id) ? attempt.answers[id] !== undefined : !!content.caseAnswered?.(id));
  const nav = items.map((id, i) => ({
    id,
    n: i + 1,
    answered: answered(id),
    flagged: attempt.flagged.includes(id),
    locked: session.isLocked(id),
    current: i === index,
    part: session.part(id),
  }));
  const locked = session.isLocked(item);
  return {
    title: exam.title,
    mode: attempt.mode,
    item,
    index,
    total: items.length,
    part: attempt.part,
    parts: exam.parts.length,
    kind: question ? 'question' : 'case',
    html: question ? questionHtml(question, letters, attempt.answers[item] ?? null, locked) : caseHtml(content.cases.get(item), item),
    letters,
    answer: attempt.answers[item] ?? null,
    flagged: attempt.flagged.includes(item),
    locked,
    submitted: session.submitted,
    nextLeavesPart: index < items.length - 1 && session.part(items[index + 1]) !== session.part(item),
    endsAt: session.endsAt() ?? null,
    nav,
  };
}

/**
 * The question page: a shell with the first view in a data attribute (read by media/exam.js, which then
 * renders and asks for nothing more until the learner acts). No inline script or style: the CSP allows
 * only the nonce'd script and the style sheets.
 */
export function renderExamPage(view: ExamView, options: ReportOptions): string {
  const main = `<div class="exam" data-view="${escapeHtml(JSON.stringify(view))}">
<header class="exam-bar">
  <h1 class="exam-title">${escapeHtml(view.title)}</h1>
  <p class="exam-progress" aria-live="polite"></p>
  <p class="exam-clock" role="timer" aria-live="off"></p>
  <div class="exam-tools"><button type="button" data-action="findCode" title="Find Code (look-up stays open, as the code books in the real exam)">Find Code</button><button type="button" data-action="submit" class="submit">Submit…</button></div>
</header>
<div class="exam-body">
  <section class="question" aria-label="Question" tabindex="-1"><h2 class="question-title"></h2><div class="question-content"></div>
    <div class="question-actions"><button type="button" data-action="previous">Previous <kbd>P</kbd></button><button type="button" data-action="flag" class="flag-button" aria-pressed="false">Flag <kbd>F</kbd></button><button type="button" data-action="next">Next <kbd>N</kbd></button></div>
    <p class="keys hint">Keys: 1–${Math.max(4, view.letters.length)} or A–${String.fromCharCode(64 + Math.max(4, view.letters.length))} answer · F flag · N next · P previous</p>
  </section>
  <nav class="navigator" aria-label="Questions">
    <div class="nav-filter" role="group" aria-label="Show"><button type="button" data-filter="all" aria-pressed="true">All</button><button type="button" data-filter="unanswered" aria-pressed="false">Unanswered</button><button type="button" data-filter="flagged" aria-pressed="false">Flagged</button><button type="button" data-filter="answered" aria-pressed="false">Answered</button></div>
    <ol class="nav-grid"></ol>
    <p class="nav-legend hint"><span class="cell answered">1</span> answered <span class="cell">2</span> unanswered <span class="cell flagged">3</span> flagged <span class="cell locked">4</span> locked</p>
  </nav>
</div>
<div class="confirm" hidden role="dialog" aria-modal="true" aria-labelledby="confirm-text"><p id="confirm-text"></p><div class="confirm-actions"><button type="button" data-action="confirmYes" class="submit">Yes</button><button type="button" data-action="confirmNo">Cancel</button></div></div>
</div>`;
  return page(`Exam: ${view.title}`, main, options);
}
