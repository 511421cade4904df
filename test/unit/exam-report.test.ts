// The exam's HTML: the score report (escaped, Markdown without raw HTML, no inline script or style,
// areas in the exam's order) and the question view (no feedback before submitting).
import assert from 'assert';
import path from 'path';
import { resolvePolicy } from '../../src/core/grade';
import type { Pack } from '../../src/core/model';
import { loadPack } from '../../src/core/pack';
import { AttemptSession, startAttempt } from '../../src/core/exam/attempt';
import type { Exam, Question } from '../../src/core/exam/model';
import { durationText, renderExamReport } from '../../src/core/exam/report';
import { scoreAttempt } from '../../src/core/exam/score';
import { examView, renderExamPage } from '../../src/core/exam/view';
import { nodeFs } from '../../src/node/nodeFs';
import { removeTempPacks, tempPack } from '../fixtures/packs/tempPack';

const EXAM_PACK = path.join(__dirname, '../fixtures/packs/exam');
const T0 = new Date('2026-12-01T09:00:00.000Z');

describe('exam HTML', () => {
  let pack: Pack;
  let exam: Exam;
  let questions: Map<string, Question>;
  before(async () => {
    const hostile = tempPack(
      {
        'questions/Q003.md':
          '---\nid: Q003\narea: Medical Terminology\nchoices:\n  A: "<img src=x onerror=alert(1)>"\n  B: Surgical removal of the gallbladder\n---\nWhat is <script>alert(1)</script> *cholecystectomy*?\n',
        'keys/Q003.md': '---\nquestion: Q003\nanswer: B\n---\n<b>bold</b> and [bad](javascript:alert(1)) and **fine**.\n',
      },
      EXAM_PACK,
    );
    pack = (await loadPack(nodeFs, hostile)).pack!;
    exam = pack.exam!.exams.find((e) => e.id === 'practice')!;
    questions = new Map(pack.exam!.questions.map((q) => [q.id, q]));
  });
  after(removeTempPacks);

  function submitted() {
    const s = new AttemptSession(exam, startAttempt(exam, questions, { now: T0, mode: 'timed' }), questions);
    s.resume(T0);
    s.answer('Q001', 'B');
    s.toggleFlag('Q001');
    s.next(new Date(T0.getTime() + 90_000));
    s.answer('Q002', 'A');
    s.submit(new Date(T0.getTime() + 40 * 60_000));
    return s.attempt;
  }

  it('reports the percent, pass/fail, areas in the exam order with bars, time, and a review with flags and rationales', () => {
    const attempt = submitted();
    const score = scoreAttempt(pack, exam, attempt, new Map(), resolvePolicy());
    const html = renderExamReport(pack, exam, attempt, score, { inlineStyle: 'body{}', learner: 'Ana', attempts: [{ attempt, score }] });
    assert.match(html, /<span class="percent overall" data-percent="0.2">20%<\/span> <span class="badge fail">/);
    const areas = [...html.matchAll(/<tr><th scope="row">([^<]+)<\/th><td data-label="Score">/g)].map((m) => m[1]);
    assert.deepStrictEqual(areas, ['Evaluation and Management', 'ICD-10-CM', 'Medical Terminology']);
    assert.strictEqual((html.match(/<svg class="bar"/g) ?? []).length, 3);
    assert.match(html, /Time used: <strong>40 min 0 s<\/strong> of 1 h 00 min/);
    assert.match(html, /1 correct, 1 wrong, 3 not answered, 1 flagged/);
    assert.match(html, /Question 1 <span class="case-id">Q001<\/span>[\s\S]*?⚑ Flagged/);
    assert.match(
      html,
      /<li class="choice mine right"><span class="letter">B\.<\/span> <code>99214-25, 20610-RT, J3301 x4, M17.11<\/code> <span class="mark mine">Your answer<\/span> <span class="mark right">Correct answer<\/span><\/li>/,
    );
    assert.match(html, /<li class="choice mine wrong"><span class="letter">A\.<\/span>/);
    assert.match(html, /<h4>Rationale<\/h4>/);
    // Pack text is inert.
    assert.ok(!/<script>alert/.test(html) && !/<img src=x/.test(html) && !/<b>bold/.test(html), 'raw HTML is escaped');
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt; <em>cholecystectomy<\/em>/);
    assert.ok(!/href="javascript:/i.test(html));
    assert.ok(!/<script/i.test(html), 'no script in the static report');
    assert.ok(!/ style="/i.test(html), 'no inline style attributes (strict CSP)');
    assert.match(html, /Attempts at this exam[\s\S]*aria-current="true"/);
  });

  it('builds the webview page with a nonce CSP, the script and the styles from media/', () => {
    const s = new AttemptSession(exam, startAttempt(exam, questions, { now: T0, mode: 'timed' }), questions);
    const html = renderExamPage(examView(s, { questions, cases: new Map(pack.cases.map((c) => [c.id, c])) }), {
      nonce: 'abc123',
      cspSource: 'vscode-resource:',
      styleHref: ['r.css', 'e.css'],
      scriptSrc: 'exam.js',
    });
    assert.match(html, /content="default-src &#39;none&#39;; style-src vscode-resource: &#39;nonce-abc123&#39;; script-src &#39;nonce-abc123&#39;;/);
    assert.match(html, /<link rel="stylesheet" href="r.css" nonce="abc123"><link rel="stylesheet" href="e.css" nonce="abc123">/);
    assert.match(html, /<script nonce="abc123" src="exam.js"><\/script>/);
    assert.strictEqual((html.match(/<script/g) ?? []).length, 1);
    assert.ok(!/ style="/i.test(html));
  });

  it('shows a question without feedback: the choices in the order shown, the learner’s choice marked, nothing about the key', () => {
    const quick = pack.exam!.exams.find((e) => e.id === 'quick')!;
    const s = new AttemptSession(quick, startAttempt(quick, questions, { now: T0, mode: 'practice', id: 'seed' }), questions);
    s.moveTo('Q001', T0);
    s.answer('Q001', 'C');
    const view = examView(s, { questions, cases: new Map() });
    assert.strictEqual(view.item, 'Q001');
    assert.deepStrictEqual(view.letters, s.attempt.choiceOrder!.Q001);
    const shownLetters = [...view.html.matchAll(/data-letter="([A-F])"/g)].map((m) => m[1]);
    assert.deepStrictEqual(shownLetters, view.letters);
    assert.match(view.html, /data-letter="C" aria-pressed="true"/);
    assert.ok(!/correct|right answer|rationale/i.test(view.html + JSON.stringify(view.nav)), 'no feedback before submitting');
    assert.deepStrictEqual(
      view.nav.map((c) => [c.n, c.answered, c.current]),
      [
        [1, false, false],
        [2, false, false],
        [3, true, true],
      ],
    );
    assert.strictEqual(view.endsAt, null);
  });

  it('writes durations as a person reads them', () => {
    assert.deepStrictEqual([durationText(12), durationText(250), durationText(3900)], ['12 s', '4 min 10 s', '1 h 05 min']);
  });
});
