// How far two coders agree (two instructors calibrating a key, or a learner against the key):
// per case and overall, percent agreement, F1 and Cohen's kappa, at the full code and at the
// category (first three characters). Definitions and a worked example: docs/grading.md, "Agreement".
import { normalizeCode } from './codes';
import { isAttempted, learnerLines } from './grade';
import type { AnswerKey, CodeSystem, WorkFile } from './model';

/** One coder's lines of one case, as codes: `system code` plus modifiers. */
export interface CodedLine {
  system: CodeSystem;
  /** Normalized code. */
  code: string;
  modifiers: string[];
}

export type Coding = Map<string, CodedLine[]>;

export interface Figures {
  /** Codes both coders reported ÷ codes either reported (1 when neither reported any). */
  agreement: number;
  f1: number;
  /** Cohen's kappa over every (case, code) item (see `agree`); null when chance agreement is 1. */
  kappa: number | null;
}

export interface CaseAgreement {
  case: string;
  /** Distinct codes each coder reported. */
  a: number;
  b: number;
  both: number;
  code: Figures;
  category: Figures;
  /** Lines only A or only B reported (full code with modifiers), and same codes with other modifiers. */
  onlyA: string[];
  onlyB: string[];
  modifiers: string[];
}

export interface AgreementReport {
  cases: CaseAgreement[];
  overall: { code: Figures; category: Figures };
}

const round4 = (n: number) => Math.round(n * 10000) / 10000 + 0;

/** The required lines of a key, as codes. */
export function keyCoding(keys: Iterable<AnswerKey>): Coding {
  const out: Coding = new Map();
  for (const key of keys) {
    const lines = [...key.diagnoses, ...key.procedures]
      .filter((l) => !l.optional)
      .map((l) => ({ system: l.system, code: normalizeCode(l.system, l.code), modifiers: [...l.modifiers].sort() }));
    out.set(key.case, lines);
  }
  return out;
}

/** A learner's (or author's) tags, grouped into claim lines as the grader does. */
export function workCoding(works: Iterable<WorkFile>): Coding {
  const out: Coding = new Map();
  for (const work of works) {
    out.set(
      work.case,
      learnerLines(work).map((l) => ({ system: l.system, code: l.code, modifiers: [...l.modifiers].sort() })),
    );
  }
  return out;
}

const full = (l: CodedLine) => `${l.system} ${l.code}`;
const category = (l: CodedLine) => `${l.system} ${l.code.slice(0, 3)}`;
const show = (l: CodedLine) => `${l.code}${l.modifiers.map((m) => `-${m}`).join('')}`;

/** Cohen's kappa from the 2×2 table: both, A only, B only, neither. */
export function cohensKappa(both: number, onlyA: number, onlyB: number, neither: number): number | null {
  const n = both + onlyA + onlyB + neither;
  if (n === 0) return null;
  const po = (both + neither) / n;
  const pe = ((both + onlyA) * (both + onlyB) + (onlyB + neither) * (onlyA + neither)) / (n * n);
  if (pe >= 1) return null;
  return round4((po - pe) / (1 - pe));
}

function figures(a: Set<string>, b: Set<string>, universe: number): Figures {
  const both = [...a].filter((x) => b.has(x)).length;
  const union = a.size + b.size - both;
  return {
    agreement: union === 0 ? 1 : round4(both / union),
    f1: a.size + b.size === 0 ? 1 : round4((2 * both) / (a.size + b.size)),
    kappa: cohensKappa(both, a.size - both, b.size - both, universe - union),
  };
}

/**
 * Agreement of coders A and B over the cases either coded (or only `over`, when given). Kappa's items
 * are every (case, code) pair for every code either coder reported in any case of A or B (at each
 * level), so a code neither reported in a case counts as agreement that it does not apply there.
 */
export function agree(a: Coding, b: Coding, over?: readonly string[]): AgreementReport {
  const ids = over ? [...new Set(over)].sort() : [...new Set([...a.keys(), ...b.keys()])].sort();
  const universe = (key: (l: CodedLine) => string) => new Set([...a.values(), ...b.values()].flat().map(key)).size;
  const uFull = universe(full);
  const uCategory = universe(category);
  const totals = { full: [0, 0, 0, 0], category: [0, 0, 0, 0] };
  const add = (t: number[], x: Set<string>, y: Set<string>, u: number) => {
    const both = [...x].filter((v) => y.has(v)).length;
    t[0] += both;
    t[1] += x.size - both;
    t[2] += y.size - both;
    t[3] += u - (x.size + y.size - both);
  };
  const cases = ids.map((id) => {
    const la = a.get(id) ?? [];
    const lb = b.get(id) ?? [];
    const fa = new Set(la.map(full));
    const fb = new Set(lb.map(full));
    const ca = new Set(la.map(category));
    const cb = new Set(lb.map(category));
    add(totals.full, fa, fb, uFull);
    add(totals.category, ca, cb, uCategory);
    // The same code on both sides, but with other modifiers (a line A has and B has not, as written).
    const same = (x: CodedLine, y: CodedLine) => full(x) === full(y) && x.modifiers.join() === y.modifiers.join();
    const modifiers = la
      .filter((l) => !lb.some((m) => same(l, m)))
      .flatMap((l) => lb.filter((m) => full(m) === full(l) && !la.some((k) => same(k, m))).map((m) => `${show(l)} / ${show(m)}`));
    const both = [...fa].filter((x) => fb.has(x)).length;
    return {
      case: id,
      a: fa.size,
      b: fb.size,
      both,
      code: figures(fa, fb, uFull),
      category: figures(ca, cb, uCategory),
      onlyA: la.filter((l) => !fb.has(full(l))).map(show),
      onlyB: lb.filter((l) => !fa.has(full(l))).map(show),
      modifiers,
    };
  });
  const pooled = (t: number[]): Figures => {
    const [both, onlyA, onlyB, neither] = t;
    const union = both + onlyA + onlyB;
    return {
      agreement: union === 0 ? 1 : round4(both / union),
      f1: 2 * both + onlyA + onlyB === 0 ? 1 : round4((2 * both) / (2 * both + onlyA + onlyB)),
      kappa: cohensKappa(both, onlyA, onlyB, neither),
    };
  };
  return { cases, overall: { code: pooled(totals.full), category: pooled(totals.category) } };
}

/**
 * A learner against the key (the learner's report): the cases compared are those the learner
 * attempted and the pack has a key for; kappa's universe is every code of every key of the pack
 * (and the learner's), not only the case's own, where a perfect match would leave kappa undefined.
 */
export function learnerAgreement(keys: Iterable<AnswerKey>, works: Iterable<WorkFile>): AgreementReport {
  const keyList = [...keys];
  const keyed = new Set(keyList.map((k) => k.case));
  const attempted = [...works].filter((w) => keyed.has(w.case) && isAttempted(w));
  return agree(
    keyCoding(keyList),
    workCoding(attempted),
    attempted.map((w) => w.case),
  );
}
