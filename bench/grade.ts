// Grading speed: 10,000 generated cases (2–8 diagnoses, 1–6 procedure lines, near misses, extras,
// modifiers, units, links, evidence). Goal: all of them in under 1 s. Baselines measured in the same
// run over the same data: a naive greedy matcher (first fitting key line wins) and JSON.stringify
// of the inputs, so the figures can be compared across machines.
import { grade, resolvePolicy } from '../src/core/grade';
import type { AnswerKey, CaseNote, CodeSystem, KeyLine, Tag, WorkFile } from '../src/core/model';
import { random, DIAGNOSES, PROCEDURES, MODIFIERS } from './common';
import { newKeyLine } from '../src/core/pack/key';

const CASES = 10_000;
const GOAL_MS = 1000;

const WORDS = 'patient reports chest pain cough fever knee swelling injection given blood pressure stable history of'.split(' ');

interface Generated {
  note: CaseNote;
  key: AnswerKey;
  work: WorkFile;
}

function generate(n: number, seed: number): Generated[] {
  const rnd = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const out: Generated[] = [];
  for (let i = 0; i < n; i++) {
    const body = Array.from({ length: 120 }, () => pick(WORDS)).join(' ');
    const note: CaseNote = { id: `c${i}`, title: `Case ${i}`, areas: ['ICD-10-CM'], file: `cases/c${i}.md`, body, bodyOffset: 0 };
    const dxCodes = [...new Set(Array.from({ length: int(2, 8) }, () => pick(DIAGNOSES)))];
    const line = (kind: KeyLine['kind'], system: CodeSystem, code: string): KeyLine =>
      newKeyLine(kind, system, code, { evidence: rnd() < 0.5 ? [pick(WORDS)] : [] });
    const diagnoses = dxCodes.map((c) => line('diagnosis', 'ICD-10-CM', c));
    const procedures = Array.from({ length: int(1, 6) }, () => {
      const [system, code] = pick(PROCEDURES);
      const l = line('procedure', system, code);
      if (rnd() < 0.4) l.modifiers = [pick(MODIFIERS)];
      if (rnd() < 0.2) l.units = int(2, 4);
      if (rnd() < 0.5) l.links = [pick(dxCodes)];
      l.optional = rnd() < 0.05;
      return l;
    });
    if (procedures.every((p) => p.optional)) procedures[0].optional = false;
    const key: AnswerKey = { case: note.id, file: `keys/c${i}.md`, diagnoses, procedures, rationale: '' };

    // The learner: mostly right, with near misses, wrong details, omissions, extras and a shuffled order.
    const tags: Tag[] = [];
    const anchor = () => {
      const start = int(0, body.length - 20);
      return { start, end: start + int(3, 15), quote: '', prefix: '', suffix: '' };
    };
    let t = 0;
    for (const d of diagnoses) {
      const r = rnd();
      if (r < 0.1) continue; // omitted
      const code = r < 0.25 ? `${d.code.slice(0, 3)}.8` : d.code; // near miss
      tags.push({ id: `t${t++}`, system: 'ICD-10-CM', code, modifiers: [], units: 1, links: [], anchor: anchor() });
    }
    for (const p of procedures) {
      if (rnd() < 0.1) continue;
      tags.push({
        id: `t${t++}`,
        system: p.system,
        code: rnd() < 0.1 ? p.code.slice(0, 4) + '9' : p.code,
        modifiers: rnd() < 0.2 ? [pick(MODIFIERS)] : p.modifiers,
        units: rnd() < 0.2 ? 1 : p.units,
        links: p.links ? (rnd() < 0.2 ? [pick(DIAGNOSES)] : p.links) : [],
        anchor: anchor(),
      });
    }
    for (let e = int(0, 2); e > 0; e--) tags.push({ id: `t${t++}`, system: 'ICD-10-CM', code: pick(DIAGNOSES), modifiers: [], units: 1, links: [] });
    if (rnd() < 0.3) tags.reverse();
    out.push({ note, key, work: { format: 1, case: note.id, noteSha256: '', updated: '', tags } });
  }
  return out;
}

/** The baseline: each learner tag takes the first unused key line with the same code (or category), no optimisation. */
function greedyScore(key: AnswerKey, work: WorkFile): number {
  const keys = [...key.diagnoses, ...key.procedures];
  const used = new Set<number>();
  let earned = 0;
  for (const tag of work.tags) {
    const code = tag.code.replace('.', '').toUpperCase();
    let found = keys.findIndex((k, i) => !used.has(i) && k.code.replace('.', '') === code);
    let credit = 1;
    if (found < 0) {
      found = keys.findIndex((k, i) => !used.has(i) && k.code.replace('.', '').slice(0, 3) === code.slice(0, 3));
      credit = 0.5;
    }
    if (found < 0) earned -= 0.5;
    else {
      used.add(found);
      earned += credit;
    }
  }
  return earned;
}

function time(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export async function run(): Promise<Record<string, unknown>> {
  const data = generate(CASES, 20261124);
  const policy = resolvePolicy();
  let sink = 0;
  // Warm-up on a slice so the JIT has compiled the grader before it is timed.
  for (const g of data.slice(0, 2000)) sink += grade(g.note, g.key, g.work, policy).earned;

  // Three rounds of each, interleaved, and the median of each: a shared machine is noisy.
  const rounds = { grade: [] as number[], greedy: [] as number[], stringify: [] as number[] };
  for (let r = 0; r < 3; r++) {
    rounds.grade.push(
      time(() => {
        for (const g of data) sink += grade(g.note, g.key, g.work, policy).earned;
      }),
    );
    rounds.greedy.push(
      time(() => {
        for (const g of data) sink += greedyScore(g.key, g.work);
      }),
    );
    rounds.stringify.push(
      time(() => {
        for (const g of data) sink += JSON.stringify([g.key, g.work]).length;
      }),
    );
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1];
  const gradeMs = median(rounds.grade);
  const greedyMs = median(rounds.greedy);
  const stringifyMs = median(rounds.stringify);
  const lines = data.reduce((n, g) => n + g.key.diagnoses.length + g.key.procedures.length, 0);
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    cases: CASES,
    keyLinesPerCase: round(lines / CASES),
    totalMs: round(gradeMs),
    roundsMs: rounds.grade.map(round),
    casesPerSecond: Math.round((CASES / gradeMs) * 1000),
    baselineGreedyMs: round(greedyMs),
    baselineStringifyMs: round(stringifyMs),
    ratioToGreedy: round(gradeMs / greedyMs),
    ratioToStringify: round(gradeMs / stringifyMs),
    goalMs: GOAL_MS,
    ratioToGoal: round(gradeMs / GOAL_MS),
    goalMet: gradeMs < GOAL_MS,
    checksum: Math.round(sink),
  };
}
