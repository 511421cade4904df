// The learner's attempt at an exam, PACK/.casebook/exams/EXAM/ATTEMPT.json: read (a damaged file is
// moved aside like a work file), written atomically with core/work's writer, and changed only through
// AttemptSession, which enforces the exam's rules: no answers after submitting, parts locked once left,
// the absolute deadline (time out = submitted as it stands), choices shuffled the same way on resume.
import { seededRandom } from '../random';
import { posix } from 'path';
import { stripBom, type FileSystem } from '../fs';
import { findTooDeep, tooDeepMessage } from '../jsonDepth';
import { learnerPath, listLearnerFolder, readLearnerFile, writeLearnerFile } from '../learnerState';
import type { Problem } from '../model';
import { moveAside, ordered } from '../work';
import { examItems } from './exam';
import type { Attempt, AttemptMode, Exam, Question } from './model';

type Json = Record<string, unknown>;

export function attemptsFolder(packRoot: string, examId: string): string {
  return learnerPath(packRoot, 'exams', examId);
}

export function attemptPath(packRoot: string, examId: string, attemptId: string): string {
  return posix.join(attemptsFolder(packRoot, examId), `${attemptId}.json`);
}

/** A new attempt's id: its start as a compact UTC time, e.g. 20261201T101500Z (sortable, a safe file name). */
export function attemptId(now: Date): string {
  return now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '');
}

// ---- shuffling ----

/** FNV-1a: a stable 32-bit hash of a text (the seed of a question's shuffle). */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The letters of a question's choices in a shuffled order seeded by the attempt and question ids. */
export function shuffledLetters(letters: string[], attempt: string, question: string): string[] {
  const next = seededRandom(hash(`${attempt}/${question}`));
  const out = [...letters];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

// ---- a new attempt ----

export interface StartOptions {
  now: Date;
  mode: AttemptMode;
  /** Default: attemptId(now). */
  id?: string;
}

export function startAttempt(exam: Exam, questions: Map<string, Question>, options: StartOptions): Attempt {
  const id = options.id ?? attemptId(options.now);
  const items = examItems(exam);
  const started = options.now.toISOString();
  const attempt: Attempt = {
    format: 1,
    id,
    exam: exam.id,
    mode: options.mode,
    started,
    deadline: options.mode === 'timed' ? new Date(options.now.getTime() + exam.minutes * 60_000).toISOString() : null,
    submitted: null,
    answers: {},
    flagged: [],
    seconds: {},
    current: items[0] ?? '',
    part: 0,
    partStarted: started,
  };
  if (exam.shuffleChoices) {
    // Stored, so a resumed attempt shows the order it showed before, whatever changes later.
    attempt.choiceOrder = {};
    for (const item of items) {
      const q = questions.get(item);
      if (q)
        attempt.choiceOrder[item] = shuffledLetters(
          q.choices.map((c) => c.letter),
          id,
          item,
        );
    }
  }
  return attempt;
}

/** A question's choice letters in the order the attempt shows them (its stored shuffle, if it still fits the question). */
export function shownLettersOf(question: Question, attempt: Attempt): string[] {
  const letters = question.choices.map((c) => c.letter);
  const order = attempt.choiceOrder?.[question.id];
  return order && order.length === letters.length && letters.every((l) => order.includes(l)) ? order : letters;
}

// ---- reading ----

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isTime(v: unknown): v is string {
  return typeof v === 'string' && !Number.isNaN(Date.parse(v));
}

/**
 * Parses an attempt file. Only `format`, `exam` and `answers` are required; the fields Casebook adds
 * for resuming (id, mode, current, part, partStarted) default sensibly, so a hand-written attempt
 * (e.g. for `casebook exam grade --answers`) works. Unknown fields are kept.
 */
export function parseAttempt(text: string, file: string): { attempt?: Attempt; problems: Problem[] } {
  const problems: Problem[] = [];
  const bad = (message: string, hint = 'the attempt file was damaged or edited by hand') =>
    problems.push({ file, line: 1, column: 1, severity: 'error', message, hint });
  let data: unknown;
  try {
    data = JSON.parse(stripBom(text));
  } catch (e) {
    bad(`not valid JSON: ${(e as Error).message}`);
    return { problems };
  }
  if (!isObject(data)) {
    bad('an attempt file must be a JSON object with format, exam, answers …');
    return { problems };
  }
  // Bounded before anything recurses over it (JSON.stringify when saved or exported).
  const deep = findTooDeep(data, { text: stripBom(text), max: 1 });
  if (deep.length) {
    problems.push({
      file,
      line: deep[0].line,
      column: deep[0].column,
      severity: 'error',
      message: tooDeepMessage(deep[0].path),
      hint: 'the attempt file was damaged or edited by hand; Casebook keeps it aside',
    });
    return { problems };
  }
  if (data.format !== 1)
    bad(
      typeof data.format === 'number' && data.format > 1 ? `format ${data.format} is newer than this version of Casebook reads` : 'format must be 1',
      typeof data.format === 'number' && data.format > 1 ? 'update Casebook' : undefined,
    );
  if (typeof data.exam !== 'string' || !data.exam) bad('exam must be the exam id');
  // An attempt written by hand (for casebook exam grade --answers) may leave the start out; it is then
  // saved as "", which must read back.
  for (const field of ['started', 'partStarted'] as const) {
    if (data[field] !== undefined && data[field] !== '' && !isTime(data[field])) bad(`${field} must be an ISO time`);
  }
  for (const field of ['deadline', 'submitted'] as const) {
    if (data[field] !== undefined && data[field] !== null && !isTime(data[field])) bad(`${field} must be an ISO time or null`);
  }
  if (!isObject(data.answers) || !Object.values(data.answers).every((v) => v === null || typeof v === 'string')) {
    bad('answers must be an object of item id → choice letter');
  }
  if (data.flagged !== undefined && !(Array.isArray(data.flagged) && data.flagged.every((v) => typeof v === 'string')))
    bad('flagged must be a list of item ids');
  if (
    data.seconds !== undefined &&
    !(isObject(data.seconds) && Object.values(data.seconds).every((v) => typeof v === 'number' && v >= 0 && Number.isFinite(v)))
  ) {
    bad('seconds must be an object of item id → seconds (0 or more)');
  }
  if (data.mode !== undefined && data.mode !== 'timed' && data.mode !== 'practice') bad('mode must be "timed" or "practice"');
  if (data.part !== undefined && !(typeof data.part === 'number' && Number.isInteger(data.part) && data.part >= 0))
    bad('part must be a whole number of 0 or more');
  if (data.current !== undefined && typeof data.current !== 'string') bad('current must be an item id');
  if (data.timedOut !== undefined && typeof data.timedOut !== 'boolean') bad('timedOut must be true or false');
  if (
    data.choiceOrder !== undefined &&
    !(isObject(data.choiceOrder) && Object.values(data.choiceOrder).every((v) => Array.isArray(v) && v.every((l) => typeof l === 'string')))
  ) {
    bad('choiceOrder must be an object of question id → list of letters');
  }
  if (problems.length) return { problems };

  const answers: Record<string, string> = {};
  for (const [id, letter] of Object.entries(data.answers as Json)) {
    if (typeof letter === 'string' && letter.trim()) answers[id] = letter.trim().toUpperCase();
  }
  const stem = posix.basename(file).replace(/\.json$/i, '');
  const started = (data.started as string | undefined) ?? '';
  const deadline = (data.deadline as string | null | undefined) ?? null;
  const attempt: Attempt = {
    ...data,
    format: 1,
    id: typeof data.id === 'string' && data.id ? data.id : stem,
    exam: data.exam as string,
    mode: (data.mode as AttemptMode | undefined) ?? (deadline ? 'timed' : 'practice'),
    started,
    deadline,
    submitted: (data.submitted as string | null | undefined) ?? null,
    answers,
    flagged: [...new Set((data.flagged as string[] | undefined) ?? [])],
    seconds: { ...((data.seconds as Record<string, number> | undefined) ?? {}) },
    current: (data.current as string | undefined) ?? '',
    part: (data.part as number | undefined) ?? 0,
    partStarted: (data.partStarted as string | undefined) ?? started,
  };
  return { attempt, problems };
}

const FIELD_ORDER = [
  'format',
  'id',
  'exam',
  'mode',
  'started',
  'deadline',
  'submitted',
  'timedOut',
  'answers',
  'flagged',
  'seconds',
  'current',
  'part',
  'partStarted',
  'choiceOrder',
];

export function serializeAttempt(attempt: Attempt): string {
  return JSON.stringify(ordered(attempt, FIELD_ORDER), null, 2) + '\n';
}

/**
 * Written atomically (temp file, flush, rename), so a crash leaves the old or the new file. Refused
 * (the Problem, nothing written) when the place is not safely inside the pack (core/learnerState).
 */
export async function saveAttempt(fs: FileSystem, packRoot: string, attempt: Attempt): Promise<Problem | undefined> {
  return writeLearnerFile(fs, packRoot, ['exams', attempt.exam, `${attempt.id}.json`], serializeAttempt(attempt));
}

export interface AttemptsRead {
  /** Oldest first. */
  attempts: Attempt[];
  /** Damaged files: where they were moved (or, read-only, where they are) and why they could not be read. */
  unreadable: Array<{ path: string; movedTo?: string; problems: Problem[] }>;
  /** Places not safely inside the pack (a linked .casebook …): nothing was read there. */
  refused: Problem[];
}

/**
 * Every attempt at an exam. A file that cannot be read (or holds another exam's attempt) is renamed
 * ATTEMPT.json.corrupt-<time> when `moveAside` (the editor does, as for work files), else only reported.
 */
export async function readAttempts(fs: FileSystem, packRoot: string, examId: string, options: { moveAside: boolean; now?: Date }): Promise<AttemptsRead> {
  const folder = attemptsFolder(packRoot, examId);
  const result: AttemptsRead = { attempts: [], unreadable: [], refused: [] };
  const listed = await listLearnerFolder(fs, packRoot, ['exams', examId]);
  if ('problem' in listed) return { ...result, refused: [listed.problem] };
  // Links are listed too, so the containment rule reports them rather than skipping them unseen.
  const names = listed.entries
    .filter((e) => (e.kind === 'file' || e.kind === 'symlink') && e.name.endsWith('.json'))
    .map((e) => e.name)
    .sort();
  for (const name of names) {
    const path = posix.join(folder, name);
    const file = posix.join('.casebook', 'exams', examId, name);
    const read = await readLearnerFile(fs, packRoot, ['exams', examId, name]);
    if ('unsafe' in read) {
      result.refused.push(read.unsafe);
      continue;
    }
    if ('missing' in read) continue;
    let parsed: { attempt?: Attempt; problems: Problem[] } = 'text' in read ? parseAttempt(read.text, file) : { problems: [read.problem] };
    if (parsed.attempt && parsed.attempt.exam !== examId) {
      parsed = { problems: [{ file, line: 1, column: 1, severity: 'error', message: `holds an attempt at exam ${parsed.attempt.exam}, not ${examId}` }] };
    }
    if (parsed.attempt) {
      result.attempts.push(parsed.attempt);
      continue;
    }
    const movedTo = options.moveAside ? await moveAside(fs, path, options.now ?? new Date()) : undefined;
    result.unreadable.push({ path, ...(movedTo ? { movedTo } : {}), problems: parsed.problems });
  }
  result.attempts.sort((a, b) => (a.started < b.started ? -1 : a.started > b.started ? 1 : a.id < b.id ? -1 : 1));
  return result;
}

/** Every attempt of every exam of a pack (for a submission); damaged files are reported, not moved. */
export async function readAllAttempts(fs: FileSystem, packRoot: string): Promise<AttemptsRead> {
  const out: AttemptsRead = { attempts: [], unreadable: [], refused: [] };
  const listed = await listLearnerFolder(fs, packRoot, ['exams']);
  if ('problem' in listed) return { ...out, refused: [listed.problem] };
  for (const entry of listed.entries.filter((e) => e.kind === 'directory' || e.kind === 'symlink').sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const read = await readAttempts(fs, packRoot, entry.name, { moveAside: false });
    out.attempts.push(...read.attempts);
    out.unreadable.push(...read.unreadable);
    out.refused.push(...read.refused);
  }
  return out;
}

// ---- taking the exam ----

export type Refusal =
  | { refused: 'submitted' }
  /** The item is in a part already left. */
  | { refused: 'locked' }
  /** Moving there leaves the open part for good: ask the learner, then call again with leavePart. */
  | { refused: 'leavePart'; part: number }
  | { refused: 'unknown' }
  | { refused: 'notAChoice' };

export type Change = { ok: true } | Refusal;

export type ClockEvent = { type: 'partTimedOut'; part: number } | { type: 'timedOut' };

const OK: Change = { ok: true };

/**
 * An attempt being taken: the one place its rules live. Times come in as arguments, so tests (and a
 * resumed window) decide what "now" is. Time per item is counted while the item is on screen and the
 * session is not paused; whole seconds are stored.
 */
export class AttemptSession {
  readonly items: string[];
  private readonly partOf = new Map<string, number>();
  /** When the current item's on-screen time was last counted; undefined while paused. */
  private since: number | undefined;
  private carry = new Map<string, number>();

  constructor(
    readonly exam: Exam,
    public attempt: Attempt,
    private readonly questions: Map<string, Question>,
  ) {
    this.items = examItems(exam);
    exam.parts.forEach((p, i) => p.items.forEach((item) => this.partOf.set(item, i)));
    const part = Math.min(attempt.part, exam.parts.length - 1);
    const current = this.partOf.get(attempt.current) === part ? attempt.current : (exam.parts[part]?.items[0] ?? '');
    this.attempt = { ...attempt, part, current };
  }

  get submitted(): boolean {
    return this.attempt.submitted !== null;
  }

  get index(): number {
    return this.items.indexOf(this.attempt.current);
  }

  /** The part an item belongs to, or -1. */
  part(item: string): number {
    return this.partOf.get(item) ?? -1;
  }

  isLocked(item: string): boolean {
    return this.submitted || this.part(item) !== this.attempt.part;
  }

  /** The choices of a question in the order shown (shuffled when the exam shuffles). */
  shownLetters(question: Question): string[] {
    return shownLettersOf(question, this.attempt);
  }

  /** When the open part (or the exam) ends; undefined when untimed. */
  endsAt(): number | undefined {
    if (this.attempt.mode !== 'timed' || !this.attempt.deadline) return undefined;
    const examEnd = Date.parse(this.attempt.deadline);
    const minutes = this.exam.parts[this.attempt.part]?.minutes;
    if (minutes === undefined || this.attempt.part === this.exam.parts.length - 1) return examEnd;
    return Math.min(examEnd, Date.parse(this.attempt.partStarted) + minutes * 60_000);
  }

  /** Milliseconds left in the open part (or the exam); undefined when untimed. */
  remaining(now: Date): number | undefined {
    const end = this.endsAt();
    return end === undefined ? undefined : Math.max(0, end - now.getTime());
  }

  /**
   * Applies the clock: a part whose time is up is left (the next begins when it ended), and when the
   * exam's time is up the attempt is submitted as it stands, at the deadline.
   */
  settle(now: Date): ClockEvent[] {
    const events: ClockEvent[] = [];
    if (this.submitted || this.attempt.mode !== 'timed' || !this.attempt.deadline) return events;
    const examEnd = Date.parse(this.attempt.deadline);
    for (let end = this.endsAt()!; now.getTime() >= end; end = this.endsAt()!) {
      this.count(Math.min(now.getTime(), end));
      if (end >= examEnd || this.attempt.part >= this.exam.parts.length - 1) {
        this.attempt = { ...this.attempt, submitted: new Date(examEnd).toISOString(), timedOut: true };
        this.since = undefined;
        events.push({ type: 'timedOut' });
        break;
      }
      const part = this.attempt.part + 1;
      events.push({ type: 'partTimedOut', part: this.attempt.part });
      this.attempt = { ...this.attempt, part, partStarted: new Date(end).toISOString(), current: this.exam.parts[part].items[0] };
    }
    return events;
  }

  /** Starts (or resumes) counting time on the current item. */
  resume(now: Date): void {
    if (!this.submitted) this.since = now.getTime();
  }

  /** Stops counting time (the view is hidden or closed). */
  pause(now: Date): void {
    this.count(now.getTime());
    this.since = undefined;
  }

  /** Adds the time since the last count to the current item. */
  count(nowMs: number): void {
    if (this.since === undefined || this.submitted) return;
    const item = this.attempt.current;
    const ms = (this.carry.get(item) ?? (this.attempt.seconds[item] ?? 0) * 1000) + Math.max(0, nowMs - this.since);
    this.carry.set(item, ms);
    this.since = nowMs;
    this.attempt = { ...this.attempt, seconds: { ...this.attempt.seconds, [item]: Math.round(ms / 1000) } };
  }

  moveTo(item: string, now: Date, options: { leavePart?: boolean } = {}): Change {
    if (this.submitted) return { refused: 'submitted' };
    const part = this.part(item);
    if (part < 0) return { refused: 'unknown' };
    if (part < this.attempt.part) return { refused: 'locked' };
    if (part > this.attempt.part && !options.leavePart) return { refused: 'leavePart', part: this.attempt.part };
    this.count(now.getTime());
    this.attempt = part > this.attempt.part ? { ...this.attempt, part, partStarted: now.toISOString(), current: item } : { ...this.attempt, current: item };
    return OK;
  }

  /** The next item; from the last item of a part, the first of the next part (leavePart needed). */
  next(now: Date, options: { leavePart?: boolean } = {}): Change {
    const i = this.index;
    return i >= 0 && i < this.items.length - 1 ? this.moveTo(this.items[i + 1], now, options) : OK;
  }

  previous(now: Date): Change {
    const i = this.index;
    return i > 0 ? this.moveTo(this.items[i - 1], now) : OK;
  }

  /** Chooses a choice (its letter as written in the question) for an item of the open part; null clears it. */
  answer(item: string, letter: string | null): Change {
    if (this.submitted) return { refused: 'submitted' };
    if (this.part(item) < 0) return { refused: 'unknown' };
    if (this.isLocked(item)) return { refused: 'locked' };
    const answers = { ...this.attempt.answers };
    if (letter === null) delete answers[item];
    else {
      const q = this.questions.get(item);
      if (!q || !q.choices.some((c) => c.letter === letter)) return { refused: 'notAChoice' };
      answers[item] = letter;
    }
    this.attempt = { ...this.attempt, answers };
    return OK;
  }

  toggleFlag(item: string): Change {
    if (this.submitted) return { refused: 'submitted' };
    if (this.part(item) < 0) return { refused: 'unknown' };
    if (this.isLocked(item)) return { refused: 'locked' };
    const flagged = this.attempt.flagged.includes(item) ? this.attempt.flagged.filter((f) => f !== item) : [...this.attempt.flagged, item];
    this.attempt = { ...this.attempt, flagged };
    return OK;
  }

  submit(now: Date): Change {
    if (this.submitted) return { refused: 'submitted' };
    this.count(now.getTime());
    this.since = undefined;
    this.attempt = { ...this.attempt, submitted: now.toISOString() };
    return OK;
  }
}
