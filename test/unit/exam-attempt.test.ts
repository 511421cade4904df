// Taking an exam: the attempt file, part locking, the deadline, resuming, shuffling, and scoring by area.
import assert from 'assert';
import path from 'path';
import { resolvePolicy } from '../../src/core/grade';
import type { Pack, WorkFile } from '../../src/core/model';
import { loadPack } from '../../src/core/pack';
import {
  AttemptSession,
  attemptId,
  attemptPath,
  parseAttempt,
  readAttempts,
  saveAttempt,
  serializeAttempt,
  shuffledLetters,
  startAttempt,
} from '../../src/core/exam/attempt';
import type { Exam, Question } from '../../src/core/exam/model';
import { scoreAttempt } from '../../src/core/exam/score';
import { newWork } from '../../src/core/work';
import { nodeFs } from '../../src/node/nodeFs';
import { MemFs } from './memfs';

const EXAM_PACK = path.join(__dirname, '../fixtures/packs/exam').split(path.sep).join('/');
const T0 = new Date('2026-12-01T09:00:00.000Z');
const at = (minutes: number, seconds = 0) => new Date(T0.getTime() + minutes * 60_000 + seconds * 1000);

let pack: Pack;
let questions: Map<string, Question>;
const exam = (id: string): Exam => pack.exam!.exams.find((e) => e.id === id)!;

before(async () => {
  const loaded = await loadPack(nodeFs, EXAM_PACK);
  pack = loaded.pack!;
  questions = new Map(pack.exam!.questions.map((q) => [q.id, q]));
});

describe('exam attempts', () => {
  it('starts a timed attempt with an absolute deadline and its id from the start time', () => {
    const a = startAttempt(exam('practice'), questions, { now: T0, mode: 'timed' });
    assert.strictEqual(attemptId(T0), '20261201T090000Z');
    assert.deepStrictEqual(a, {
      format: 1,
      id: '20261201T090000Z',
      exam: 'practice',
      mode: 'timed',
      started: '2026-12-01T09:00:00.000Z',
      deadline: '2026-12-01T10:00:00.000Z',
      submitted: null,
      answers: {},
      flagged: [],
      seconds: {},
      current: 'Q001',
      part: 0,
      partStarted: '2026-12-01T09:00:00.000Z',
    });
    assert.strictEqual(startAttempt(exam('practice'), questions, { now: T0, mode: 'practice' }).deadline, null);
  });

  it('answers only with a choice of the question, flags and unflags, and keeps time per item on screen', () => {
    const s = new AttemptSession(exam('practice'), startAttempt(exam('practice'), questions, { now: T0, mode: 'timed' }), questions);
    s.resume(T0);
    assert.deepStrictEqual(s.answer('Q001', 'E'), { refused: 'notAChoice' });
    assert.deepStrictEqual(s.answer('Q001', 'B'), { ok: true });
    assert.deepStrictEqual(s.toggleFlag('Q001'), { ok: true });
    assert.deepStrictEqual(s.moveTo('Q002', at(0, 42)), { ok: true });
    assert.deepStrictEqual(s.toggleFlag('Q001'), { ok: true });
    assert.deepStrictEqual(s.toggleFlag('Q002'), { ok: true });
    s.pause(at(1, 12));
    s.resume(at(5));
    s.previous(at(5, 10));
    assert.deepStrictEqual(s.attempt.answers, { Q001: 'B' });
    assert.deepStrictEqual(s.attempt.flagged, ['Q002']);
    assert.deepStrictEqual(s.attempt.seconds, { Q001: 42, Q002: 40 }, 'paused time does not count');
  });

  it('locks a part once left: moving on asks first, then the earlier part cannot be reopened or changed', () => {
    const s = new AttemptSession(exam('practice'), startAttempt(exam('practice'), questions, { now: T0, mode: 'timed' }), questions);
    s.next(at(1));
    assert.strictEqual(s.attempt.current, 'Q002');
    assert.deepStrictEqual(s.next(at(2)), { refused: 'leavePart', part: 0 }, 'leaving the part needs confirmation');
    assert.deepStrictEqual(s.moveTo('Q004', at(2)), { refused: 'leavePart', part: 0 });
    assert.deepStrictEqual(s.next(at(2), { leavePart: true }), { ok: true });
    assert.deepStrictEqual(
      { part: s.attempt.part, current: s.attempt.current, partStarted: s.attempt.partStarted },
      { part: 1, current: 'Q003', partStarted: at(2).toISOString() },
    );
    assert.deepStrictEqual(s.previous(at(3)), { refused: 'locked' });
    assert.deepStrictEqual(s.moveTo('Q001', at(3)), { refused: 'locked' });
    assert.deepStrictEqual(s.answer('Q002', 'C'), { refused: 'locked' });
    assert.deepStrictEqual(s.toggleFlag('Q001'), { refused: 'locked' });
    assert.strictEqual(s.isLocked('Q001'), true);
    assert.strictEqual(s.isLocked('Q004'), false);
  });

  it("leaves a part when its own time is up (the next begins then), and submits as it stands at the exam's deadline", () => {
    const s = new AttemptSession(exam('practice'), startAttempt(exam('practice'), questions, { now: T0, mode: 'timed' }), questions);
    s.resume(T0);
    s.answer('Q001', 'B');
    assert.strictEqual(s.remaining(at(10)), 20 * 60_000, 'part 1 has 30 minutes');
    assert.deepStrictEqual(s.settle(at(29)), []);
    assert.deepStrictEqual(s.settle(at(31)), [{ type: 'partTimedOut', part: 0 }]);
    assert.deepStrictEqual(
      { part: s.attempt.part, current: s.attempt.current, partStarted: s.attempt.partStarted },
      { part: 1, current: 'Q003', partStarted: at(30).toISOString() },
    );
    assert.strictEqual(s.attempt.seconds.Q001, 30 * 60, 'time on screen counts up to the end of the part');
    s.answer('Q003', 'B');
    assert.deepStrictEqual(s.settle(at(75)), [{ type: 'timedOut' }]);
    assert.deepStrictEqual({ submitted: s.attempt.submitted, timedOut: s.attempt.timedOut }, { submitted: at(60).toISOString(), timedOut: true });
    assert.deepStrictEqual(s.attempt.answers, { Q001: 'B', Q003: 'B' });
    assert.deepStrictEqual(s.answer('Q004', 'B'), { refused: 'submitted' });
    assert.deepStrictEqual(s.submit(at(76)), { refused: 'submitted' });
  });

  it('times out at once when resumed after the deadline, passing every part', () => {
    const s = new AttemptSession(exam('practice'), startAttempt(exam('practice'), questions, { now: T0, mode: 'timed' }), questions);
    assert.deepStrictEqual(s.settle(at(600)), [{ type: 'partTimedOut', part: 0 }, { type: 'timedOut' }]);
    assert.strictEqual(s.attempt.submitted, at(60).toISOString());
  });

  it('never times out in practice mode', () => {
    const s = new AttemptSession(exam('practice'), startAttempt(exam('practice'), questions, { now: T0, mode: 'practice' }), questions);
    assert.deepStrictEqual(s.settle(at(6000)), []);
    assert.strictEqual(s.remaining(at(1)), undefined);
    assert.strictEqual(s.submitted, false);
  });

  it('resumes from the saved file with the same question, answers, flags and the same remaining time', async () => {
    const fs = new MemFs();
    const root = '/pack';
    const s = new AttemptSession(exam('practice'), startAttempt(exam('practice'), questions, { now: T0, mode: 'timed' }), questions);
    s.resume(T0);
    s.answer('Q001', 'B');
    s.next(at(2));
    s.answer('Q002', 'A');
    s.toggleFlag('Q002');
    s.count(at(3).getTime());
    await saveAttempt(fs, root, s.attempt);
    // The window closes (or crashes) here; it comes back 10 minutes later.
    const { attempts, unreadable } = await readAttempts(fs, root, 'practice', { moveAside: true });
    assert.deepStrictEqual(unreadable, []);
    const resumed = new AttemptSession(exam('practice'), attempts[0], questions);
    assert.deepStrictEqual(resumed.settle(at(13)), []);
    assert.strictEqual(resumed.attempt.current, 'Q002');
    assert.deepStrictEqual(resumed.attempt.answers, { Q001: 'B', Q002: 'A' });
    assert.deepStrictEqual(resumed.attempt.flagged, ['Q002']);
    assert.deepStrictEqual(resumed.attempt.seconds, { Q001: 120, Q002: 60 });
    assert.strictEqual(resumed.remaining(at(13)), 17 * 60_000);
  });

  it('moves a damaged attempt file aside (never overwritten) and reports it', async () => {
    const fs = new MemFs();
    const file = attemptPath('/pack', 'practice', '20261201T090000Z');
    fs.put(file, '{"format": 1, "exam": "practice", "answers": ');
    const read = await readAttempts(fs, '/pack', 'practice', { moveAside: true, now: T0 });
    assert.deepStrictEqual(read.attempts, []);
    assert.strictEqual(read.unreadable.length, 1);
    assert.strictEqual(read.unreadable[0].movedTo, `${file}.corrupt-2026-12-01T09-00-00-000Z`);
    assert.match(read.unreadable[0].problems[0].message, /not valid JSON/);
    assert.strictEqual(await fs.stat(file), undefined);
    assert.strictEqual(new TextDecoder().decode(await fs.readFile(read.unreadable[0].movedTo)), '{"format": 1, "exam": "practice", "answers": ');
  });

  it('reads a minimal hand-written attempt and keeps unknown fields when saved again', () => {
    const text =
      '{"format":1,"exam":"practice","started":"2026-12-01T09:00:00Z","deadline":null,"submitted":null,"answers":{"Q001":"b","Q002":null},"flagged":[],"seconds":{},"note":"mine"}';
    const { attempt, problems } = parseAttempt(text, '.casebook/exams/practice/first.json');
    assert.deepStrictEqual(problems, []);
    assert.deepStrictEqual(attempt!.answers, { Q001: 'B' });
    assert.strictEqual(attempt!.id, 'first');
    assert.strictEqual(attempt!.mode, 'practice');
    assert.match(serializeAttempt(attempt!), /"note": "mine"/);
    assert.match(parseAttempt('{"format":2,"exam":"x","answers":{}}', 'a.json').problems[0].message, /newer/);
    assert.match(parseAttempt('{"format":1,"exam":"x","answers":{"Q1":3}}', 'a.json').problems[0].message, /answers must be/);
  });

  it('shuffles choices deterministically per attempt and question, and stores the order so a resume shows it', () => {
    const letters = ['A', 'B', 'C', 'D'];
    assert.deepStrictEqual(shuffledLetters(letters, 'a1', 'Q001'), shuffledLetters(letters, 'a1', 'Q001'));
    const orders = new Set(['a1', 'a2', 'a3', 'a4', 'a5', 'a6'].map((a) => shuffledLetters(letters, a, 'Q001').join('')));
    assert.ok(orders.size > 1, 'different attempts see different orders');
    for (const o of orders) assert.deepStrictEqual([...o].sort(), letters);
    const a = startAttempt(exam('quick'), questions, { now: T0, mode: 'practice', id: 'a1' });
    assert.deepStrictEqual(Object.keys(a.choiceOrder!), ['Q002', 'Q003', 'Q001']);
    assert.deepStrictEqual(a.choiceOrder!.Q001, shuffledLetters(letters, 'a1', 'Q001'));
    const s = new AttemptSession(exam('quick'), a, questions);
    assert.deepStrictEqual(s.shownLetters(questions.get('Q001')!), a.choiceOrder!.Q001);
    // Answers keep the question's own letters, whatever the order shown.
    s.answer('Q001', 'B');
    assert.strictEqual(s.attempt.answers.Q001, 'B');
    assert.strictEqual(startAttempt(exam('practice'), questions, { now: T0, mode: 'practice' }).choiceOrder, undefined);
  });
});

describe('scoring an attempt', () => {
  const policy = resolvePolicy();
  const caseWork = (): WorkFile => {
    const note = pack.cases.find((c) => c.id === 'uri-01')!;
    const w = newWork('uri-01', note.body);
    return {
      ...w,
      tags: [
        { id: 't1', system: 'ICD-10-CM', code: 'J06.9', modifiers: [], units: 1, links: [] },
        { id: 't2', system: 'ICD-10-CM', code: 'Z23', modifiers: [], units: 1, links: [] },
      ],
    };
  };

  it('scores 1 point a right answer, 0 for wrong and blank, by area in first-seen item order', () => {
    const a = startAttempt(exam('practice'), questions, { now: T0, mode: 'timed' });
    a.answers = { Q001: 'B', Q002: 'A', Q003: 'B' };
    const score = scoreAttempt(pack, exam('practice'), a, new Map(), policy);
    assert.deepStrictEqual(score, {
      exam: 'practice',
      earned: 2,
      possible: 5,
      percent: 0.4,
      passed: false,
      areas: [
        { area: 'Evaluation and Management', earned: 1, possible: 2, percent: 0.5 },
        { area: 'ICD-10-CM', earned: 0, possible: 2, percent: 0 },
        { area: 'Medical Terminology', earned: 1, possible: 1, percent: 1 },
      ],
      items: [
        { id: 'Q001', area: 'Evaluation and Management', answer: 'B', correct: 'B', status: 'correct' },
        { id: 'Q002', area: 'ICD-10-CM', answer: 'A', correct: 'C', status: 'wrong' },
        { id: 'Q003', area: 'Medical Terminology', answer: 'B', correct: 'B', status: 'correct' },
        { id: 'Q004', area: 'ICD-10-CM', answer: null, correct: 'B', status: 'blank' },
        { id: 'uri-01', area: 'Evaluation and Management', answer: null, correct: null, status: 'blank', earned: 0, possible: 1 },
      ],
    });
  });

  it('scores a case item 1 point times its graded fraction', () => {
    const a = startAttempt(exam('practice'), questions, { now: T0, mode: 'timed' });
    a.answers = { Q001: 'B', Q002: 'C', Q003: 'B', Q004: 'B' };
    const score = scoreAttempt(pack, exam('practice'), a, new Map([['uri-01', caseWork()]]), policy);
    // The key has J06.9, Z23 and 99213: two of three lines.
    const item = score.items.find((i) => i.id === 'uri-01')!;
    assert.deepStrictEqual(item, {
      id: 'uri-01',
      area: 'Evaluation and Management',
      answer: null,
      correct: null,
      status: 'wrong',
      earned: 0.6667,
      possible: 1,
    });
    assert.strictEqual(score.earned, 4.6667);
    assert.strictEqual(score.percent, 0.9333);
    assert.strictEqual(score.passed, true);
    assert.deepStrictEqual(score.areas[0], { area: 'Evaluation and Management', earned: 1.6667, possible: 2, percent: 0.8333 });
  });

  it("passes at the exam's passMark", () => {
    const a = startAttempt(exam('quick'), questions, { now: T0, mode: 'practice' });
    a.answers = { Q001: 'B', Q002: 'C', Q003: 'A' };
    const s = scoreAttempt(pack, exam('quick'), a, new Map(), policy);
    assert.strictEqual(s.percent, 0.6667);
    assert.strictEqual(s.passed, false);
    assert.strictEqual(scoreAttempt(pack, { ...exam('quick'), passMark: 0.6 }, a, new Map(), policy).passed, true);
  });
});

describe('attempt files keep unknown fields whatever their name (issue 17 item 5)', () => {
  it('keeps constructor, toString, valueOf, hasOwnProperty and isPrototypeOf', () => {
    const names = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf'];
    const text = `{"format":1,"exam":"practice","answers":{},${names.map((n, i) => `"${n}":${i}`).join(',')}}`;
    const { attempt } = parseAttempt(text, 'a.json');
    const saved = JSON.parse(serializeAttempt(attempt!)) as Record<string, unknown>;
    for (const [i, n] of names.entries()) assert.strictEqual(Object.prototype.hasOwnProperty.call(saved, n) ? saved[n] : undefined, i, n);
  });
});

describe('an attempt written by hand', () => {
  it('leaves started out, is saved as "", and reads back', () => {
    const parsed = parseAttempt(JSON.stringify({ format: 1, exam: 'practice', answers: { Q001: 'b' } }), 'hand.json');
    assert.deepStrictEqual(parsed.problems, []);
    assert.strictEqual(parsed.attempt!.started, '');
    const again = parseAttempt(serializeAttempt(parsed.attempt!), 'hand.json');
    assert.deepStrictEqual(again.problems, []);
    assert.deepStrictEqual(again.attempt!.answers, { Q001: 'B' });
  });
});
