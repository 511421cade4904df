// The exam's data types: questions, their keys, exams and the learner's attempt. Pure types only;
// behaviour lives in the modules beside this one. Formats: docs/formats.md, "Exams".
import type { CodeSystem } from '../model';

/** The CPC exam's content areas (docs/grading.md), one list in core/areas.ts; a question's `area` should be one of them. */
export { CPC_AREAS } from '../areas';

export const CHOICE_LETTERS = ['A', 'B', 'C', 'D', 'E', 'F'] as const;

/** One item of a code-combination choice: `99214-25`, `J3301 x4`, `M17.11`. */
export interface ChoiceCode {
  system: CodeSystem;
  /** As written, upper-cased (ICD-10-CM with its dot). */
  code: string;
  modifiers: string[];
  units: number;
}

export interface Choice {
  letter: string;
  text: string;
  /** Set when the choice is a code combination; undefined for a text choice. */
  codes?: ChoiceCode[];
}

/** questions/ID.md */
export interface Question {
  id: string;
  area: string;
  difficulty?: number;
  choices: Choice[];
  /** The stem: the Markdown body of the file. */
  stem: string;
  /** Path relative to the pack folder. */
  file: string;
}

/** keys/ID.md with `question:` */
export interface QuestionKey {
  question: string;
  /** The letter of the right choice. */
  answer: string;
  /** The Markdown body of the key file. */
  rationale: string;
  file: string;
}

export interface ExamPart {
  /** The part's own time limit in minutes; undefined: only the exam's limit applies. */
  minutes?: number;
  items: string[];
}

/** exams/ID.yaml */
export interface Exam {
  id: string;
  title: string;
  minutes: number;
  /** Always at least one part: plain `items` make one part without its own limit. */
  parts: ExamPart[];
  passMark: number;
  shuffleChoices: boolean;
  /** Area → number of items, in the file's order; undefined when the exam has none. */
  blueprint?: Array<{ area: string; count: number }>;
  file: string;
}

/** What a pack holds for exams; absent from a Pack without questions/ or exams/. */
export interface ExamContent {
  questions: Question[];
  /** Question keys by question id; empty for a released pack. */
  questionKeys: Map<string, QuestionKey>;
  exams: Exam[];
}

export type AttemptMode = 'timed' | 'practice';

/** The learner's attempt: PACK/.casebook/exams/EXAM/ATTEMPT.json */
export interface Attempt {
  format: 1;
  /** The attempt's id, also its file stem (a UTC time such as 20261201T101500Z). */
  id: string;
  exam: string;
  mode: AttemptMode;
  started: string;
  /** Absolute end of the exam; null in practice (untimed) mode. */
  deadline: string | null;
  /** null until submitted. */
  submitted: string | null;
  /** True when the time ran out and the attempt was submitted as it stood. */
  timedOut?: boolean;
  /** Item id → the letter of the chosen choice (the letter as written in the question, not as shown). */
  answers: Record<string, string>;
  flagged: string[];
  /** Item id → whole seconds spent on it. */
  seconds: Record<string, number>;
  /** The item on screen, so a resumed attempt shows the same question. */
  current: string;
  /** Index of the open part; earlier parts are locked. */
  part: number;
  /** When the open part began (its own limit counts from here). */
  partStarted: string;
  /** Question id → the choice letters in the order shown (when the exam shuffles choices). */
  choiceOrder?: Record<string, string[]>;
  /** Fields this version does not know are kept as they were. */
  [unknown: string]: unknown;
}

export type ItemStatus = 'correct' | 'wrong' | 'blank';

export interface ItemScore {
  id: string;
  area: string;
  answer: string | null;
  correct: string | null;
  status: ItemStatus;
  /** Case items only: their graded points (a case is worth 1 point times its graded fraction). */
  earned?: number;
  possible?: number;
}

export interface AreaScore {
  area: string;
  earned: number;
  possible: number;
  percent: number;
}

/** The JSON of `casebook exam grade --json`. */
export interface ExamScore {
  exam: string;
  earned: number;
  possible: number;
  percent: number;
  passed: boolean;
  areas: AreaScore[];
  items: ItemScore[];
}
