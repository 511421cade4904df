// Class analytics speed (issue 16): a class of 500 submissions on a pack of 30 cases, graded and
// analysed as `casebook grade PACK --submissions DIR --out DIR` does in memory: every submission graded
// (gradePack), then classAnalytics, items.csv and analytics.html. Goal: under 5 s for all of it.
// Baseline measured in the same run over the same data: the grading alone, so the ratio says what
// the analytics add. The per-learner HTML reports (with agreement and disputes) are timed on the side.
import { learnerAgreement } from '../src/core/agreement';
import { analyticsHtml, classAnalytics, itemsCsv, type LearnerResult } from '../src/core/analytics';
import { withDispute } from '../src/core/disputes';
import { gradePack, resolvePolicy } from '../src/core/grade';
import type { AnswerKey, CaseNote, CodeSystem, KeyLine, Pack, Tag, WorkFile } from '../src/core/model';
import { renderPackReport } from '../src/core/report';
import { random, DIAGNOSES, PROCEDURES, MODIFIERS } from './common';
import { newKeyLine } from '../src/core/pack/key';

const LEARNERS = 500;
const CASES = 30;
const GOAL_MS = 5000;

const AREAS = ['Evaluation and Management', 'Musculoskeletal System', 'Medicine', 'Radiology', 'Cardiovascular System'];
const WORDS = 'patient reports chest pain cough fever knee swelling injection given blood pressure stable history of'.split(' ');

interface Class {
  pack: Pack;
  submissions: Array<{ learner: string; works: Map<string, WorkFile> }>;
}

function generate(seed: number): Class {
  const rnd = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const cases: CaseNote[] = [];
  const keys = new Map<string, AnswerKey>();
  for (let i = 0; i < CASES; i++) {
    const body = Array.from({ length: 200 }, () => pick(WORDS)).join(' ');
    const id = `case-${String(i).padStart(2, '0')}`;
    cases.push({ id, title: `Case ${i}`, areas: [pick(AREAS), 'ICD-10-CM', 'HCPCS Level II'], file: `cases/${id}.md`, body, bodyOffset: 0 });
    const line = (kind: KeyLine['kind'], system: CodeSystem, code: string): KeyLine =>
      newKeyLine(kind, system, code, { evidence: [pick(WORDS)], why: 'Because the note says so.' });
    const dxCodes = [...new Set(Array.from({ length: int(2, 5) }, () => pick(DIAGNOSES)))];
    const procedures = Array.from({ length: int(1, 4) }, () => {
      const [system, code] = pick(PROCEDURES);
      const l = line('procedure', system, code);
      if (rnd() < 0.4) l.modifiers = [pick(MODIFIERS)];
      if (rnd() < 0.2) l.units = int(2, 4);
      if (rnd() < 0.5) l.links = [pick(dxCodes)];
      return l;
    });
    keys.set(id, {
      case: id,
      file: `keys/${id}.md`,
      diagnoses: dxCodes.map((c) => line('diagnosis', 'ICD-10-CM', c)),
      procedures,
      rationale: '## Rationale\n\nThe **guideline** applies.',
    });
  }
  const pack: Pack = { root: '/bench/pack', manifest: { format: 1, id: 'bench', title: 'Bench Pack' }, cases, keys, glossary: [] };

  const submissions: Class['submissions'] = [];
  for (let s = 0; s < LEARNERS; s++) {
    const skill = 0.5 + rnd() * 0.5; // stronger learners make fewer mistakes
    const works = new Map<string, WorkFile>();
    for (const note of cases) {
      if (rnd() < 0.1) continue; // not attempted
      const key = keys.get(note.id)!;
      const tags: Tag[] = [];
      let t = 0;
      const anchor = () => {
        const start = int(0, note.body.length - 20);
        return { start, end: start + int(3, 15), quote: '', prefix: '', suffix: '' };
      };
      for (const d of key.diagnoses) {
        const r = rnd();
        if (r > skill + 0.3) continue; // omitted
        const code = r > skill ? `${d.code.slice(0, 3)}.8` : d.code; // near miss
        tags.push({ id: `t${t++}`, system: 'ICD-10-CM', code, modifiers: [], units: 1, links: [], anchor: anchor() });
      }
      for (const p of key.procedures) {
        if (rnd() > skill + 0.35) continue;
        tags.push({
          id: `t${t++}`,
          system: p.system,
          code: rnd() > skill + 0.4 ? p.code.slice(0, 4) + '9' : p.code,
          modifiers: rnd() > skill ? [pick(MODIFIERS)] : p.modifiers,
          units: rnd() > skill + 0.2 ? 1 : p.units,
          links: p.links ?? [],
          anchor: anchor(),
        });
      }
      for (let e = int(0, 2); e > 0; e--) tags.push({ id: `t${t++}`, system: 'ICD-10-CM', code: pick(DIAGNOSES), modifiers: [], units: 1, links: [] });
      let work: WorkFile = { format: 1, case: note.id, noteSha256: '', updated: '', tags };
      if (rnd() < 0.05) work = withDispute(work, `diagnosis ${key.diagnoses[0].code}`, 'I disagree because the note supports another code.', new Date(0));
      works.set(note.id, work);
    }
    submissions.push({ learner: `Learner ${s}`, works });
  }
  return { pack, submissions };
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

export async function run(): Promise<Record<string, unknown>> {
  const { pack, submissions } = generate(20261124);
  const policy = resolvePolicy();
  const gradeAll = (): LearnerResult[] => submissions.map((s) => ({ learner: s.learner, works: s.works, result: gradePack(pack, s.works, policy) }));
  let sink = 0;
  gradeAll(); // warm-up: the JIT compiles the grader before it is timed

  const rounds = { grading: [] as number[], analytics: [] as number[], total: [] as number[], reports: [] as number[] };
  for (let r = 0; r < 3; r++) {
    const graded = time(gradeAll);
    const analysed = time(() => {
      const a = classAnalytics(pack, graded.value);
      return itemsCsv(a).length + analyticsHtml(a, '').length;
    });
    sink += analysed.value;
    rounds.grading.push(graded.ms);
    rounds.analytics.push(analysed.ms);
    rounds.total.push(graded.ms + analysed.ms);
    // On the side: the per-learner HTML files the CLI writes (every case in detail, agreement, disputes).
    rounds.reports.push(
      time(() => {
        for (const l of graded.value) {
          const agreement = learnerAgreement(pack.keys.values(), l.works.values());
          sink += renderPackReport(l.result, { learner: l.learner, details: pack, works: l.works, agreement, inlineStyle: '' }).length;
        }
      }).ms,
    );
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[1];
  const round = (n: number) => Math.round(n * 100) / 100;
  const gradingMs = median(rounds.grading);
  const analyticsMs = median(rounds.analytics);
  const totalMs = median(rounds.total);
  const keyLines = [...pack.keys.values()].reduce((n, k) => n + k.diagnoses.length + k.procedures.length, 0);
  return {
    learners: LEARNERS,
    cases: CASES,
    keyLines,
    caseWorks: submissions.reduce((n, s) => n + s.works.size, 0),
    totalMs: round(totalMs),
    roundsMs: rounds.total.map(round),
    analyticsMs: round(analyticsMs),
    baselineGradingMs: round(gradingMs),
    ratioToGrading: round(totalMs / gradingMs),
    perLearnerReportsMs: round(median(rounds.reports)),
    goalMs: GOAL_MS,
    ratioToGoal: round(totalMs / GOAL_MS),
    goalMet: totalMs < GOAL_MS,
    checksum: sink % 1_000_000,
  };
}
