// The exam at CPC scale: open a 100-question exam (read and check the pack, start the attempt, build
// the page with the first question) — goal 300 ms — and move to the next question (the host builds the
// next view; the webview only swaps it in) — goal 50 ms. Baselines in the same run: rendering every
// stem at once (a one-page exam) and rebuilding the whole page on every move. The webview's own render
// is measured end to end in test/e2e/exam.test.ts (key press to the next question on screen).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';
import { AttemptSession, saveAttempt, startAttempt } from '../src/core/exam/attempt';
import { CPC_AREAS } from '../src/core/exam/model';
import { examView, renderExamPage } from '../src/core/exam/view';
import { loadPack } from '../src/core/pack';
import { renderMarkdown } from '../src/core/report';
import { nodeFs } from '../src/node/nodeFs';
import { medianMs as timeMedian } from './common';

const QUESTIONS = 100;
const RUNS = 20;
const OPEN_GOAL_MS = 300;
const MOVE_GOAL_MS = 50;
const round = (n: number) => Math.round(n * 1000) / 1000;

const medianMs = (run: () => unknown, runs = RUNS) => timeMedian(run, runs);

/** A pack of 100 scenario questions (an operative-note-length stem each, code-combination choices) and one exam. */
function writeExamPack(root: string): void {
  const files: Record<string, string> = {
    'casebook.json': JSON.stringify({ format: 1, id: 'bench-exam', title: 'Bench exam', codeSetYear: 2026 }),
  };
  const ids: string[] = [];
  const blueprint = new Map<string, number>();
  for (let i = 1; i <= QUESTIONS; i++) {
    const id = `Q${String(i).padStart(3, '0')}`;
    const area = CPC_AREAS[i % CPC_AREAS.length];
    blueprint.set(area, (blueprint.get(area) ?? 0) + 1);
    ids.push(id);
    const paragraph = `PREOPERATIVE DIAGNOSIS: Primary osteoarthritis, right knee. PROCEDURE: Arthrocentesis and injection, right knee. The patient was placed supine; the knee was prepped with chlorhexidine. Under ultrasound guidance a 22-gauge needle was advanced into the suprapatellar recess; 20 mL of straw-colored fluid was aspirated and triamcinolone acetonide 40 mg was injected. Case ${i}.`;
    const stem = `${Array.from({ length: 4 }, () => paragraph).join('\n\n')}\n\nWhich codes are reported?\n`;
    files[`questions/${id}.md`] =
      `---\nid: ${id}\narea: ${area}\ndifficulty: 3\nchoices:\n  A: "20611-RT, J3301 x4, M17.11"\n  B: "20610-RT, J3301 x4, M17.11"\n  C: "20611-RT, 76942, J3301 x4, M17.11"\n  D: "20611, J3301, M17.10"\n---\n${stem}`;
    files[`keys/${id}.md`] = `---\nquestion: ${id}\nanswer: A\n---\nUltrasound guidance is included in 20611 (CPT), so 76942 is not reported separately.\n`;
  }
  files['exams/cpc.yaml'] =
    `id: cpc\ntitle: Bench exam\nminutes: 240\nitems: [${ids.join(', ')}]\nblueprint:\n${[...blueprint].map(([a, n]) => `  ${a}: ${n}`).join('\n')}\n`;
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
}

export async function run(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(`${tmpdir()}/casebook-bench-exam-`);
  try {
    const root = path.join(dir, 'pack').split(path.sep).join('/');
    writeExamPack(root);
    const options = { nonce: 'n', cspSource: 'vscode-webview:', styleHref: ['report.css', 'exam.css'], scriptSrc: 'exam.js' };

    const load = await loadPack(nodeFs, root);
    if (!load.pack?.exam || load.problems.length) throw new Error(`the bench pack does not load cleanly: ${load.problems.map((p) => p.message).join('; ')}`);
    const pack = load.pack;
    const exam = pack.exam!.exams[0];
    const questions = new Map(pack.exam!.questions.map((q) => [q.id, q]));
    const content = { questions, cases: new Map() };

    // Open: read and check the pack, start the attempt, save it, build the page with the first question.
    const loadMs = await medianMs(() => loadPack(nodeFs, root), 10);
    let n = 0;
    const openOnlyMs = await medianMs(async () => {
      const attempt = startAttempt(exam, questions, { now: new Date(), mode: 'timed', id: `open-${n++}` });
      await saveAttempt(nodeFs, root, attempt);
      return renderExamPage(examView(new AttemptSession(exam, attempt, questions), content), options);
    });
    const openMs = loadMs + openOnlyMs;
    const pageBytes = renderExamPage(
      examView(new AttemptSession(exam, startAttempt(exam, questions, { now: new Date(), mode: 'timed' }), questions), content),
      options,
    ).length;
    const allStemsMs = await medianMs(() => pack.exam!.questions.map((q) => renderMarkdown(q.stem)).join(''), 10);

    // Move: the next question's view (what is posted to the page), then, apart, the save that follows.
    const session = new AttemptSession(exam, startAttempt(exam, questions, { now: new Date(), mode: 'timed', id: 'move' }), questions);
    const step = () => {
      if (session.index >= session.items.length - 1) session.moveTo(session.items[0], new Date());
      else session.next(new Date());
      return examView(session, content);
    };
    const moveMs = await medianMs(step, 99);
    const viewBytes = JSON.stringify(step()).length;
    const saveMs = await medianMs(() => saveAttempt(nodeFs, root, session.attempt));
    const wholePageMs = await medianMs(() => {
      session.next(new Date());
      return renderExamPage(examView(session, content), options);
    }, 50);

    return {
      questions: QUESTIONS,
      open: {
        medianMs: round(openMs),
        loadPackMs: round(loadMs),
        startAndFirstPageMs: round(openOnlyMs),
        pageBytes,
        goalMs: OPEN_GOAL_MS,
        meetsGoal: openMs < OPEN_GOAL_MS,
        ratioToGoal: round(openMs / OPEN_GOAL_MS),
        baselineRenderEveryStemMs: round(allStemsMs),
        ratioToBaseline: round(openOnlyMs / allStemsMs),
      },
      move: {
        medianMs: round(moveMs),
        viewBytes,
        goalMs: MOVE_GOAL_MS,
        meetsGoal: moveMs < MOVE_GOAL_MS,
        ratioToGoal: round(moveMs / MOVE_GOAL_MS),
        baselineWholePageMs: round(wholePageMs),
        ratioToBaseline: round(moveMs / wholePageMs),
        atomicSaveAfterMs: round(saveMs),
      },
      note: 'host side; the webview render (key press to the next question on screen) is measured by test/e2e/exam.test.ts',
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
