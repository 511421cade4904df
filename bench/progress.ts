// `casebook progress` at scale: a history.jsonl of 10,000 graded attempts with their lines (200 cases,
// 2–8 lines each, a mix of error types), parsed and turned into the progress figures (areas over
// time, error counts, the missed-code journal, practise next). Goal: under 200 ms in all. Baselines
// measured in the same run over the same text: parsing alone (parseHistory) and bare JSON.parse of
// every line, so the cost of the figures themselves shows.
import { historyLine, parseHistory } from '../src/core/history';
import type { AnswerKey, CaseNote, CaseResult, CodeSystem, ErrorType, LineResult, LineStatus, Pack } from '../src/core/model';
import { progress } from '../src/core/progress';
import { random } from './common';
import { newKeyLine } from '../src/core/pack/key';

const ATTEMPTS = 10_000;
const CASES = 200;
const GOAL_MS = 200;
const DAY = 86_400_000;
const ICD: CodeSystem = 'ICD-10-CM';

const AREAS = [
  'Integumentary System',
  'Musculoskeletal System',
  'Cardiovascular System',
  'Evaluation and Management',
  'Radiology',
  'Medicine',
  'Pathology and Laboratory',
];
const DX = ['E11.9', 'E11.65', 'E78.5', 'I10', 'J18.9', 'J01.00', 'M17.11', 'M17.12', 'S52.531A', 'L23.7', 'N39.0', 'Z79.899'];
const PX: Array<[CodeSystem, string]> = [
  ['CPT', '99213'],
  ['CPT', '99214'],
  ['CPT', '20610'],
  ['CPT', '96372'],
  ['CPT', '71046'],
  ['HCPCS', 'J1100'],
  ['HCPCS', 'J3301'],
];
const ERRORS: ErrorType[] = ['missing', 'extra', 'wrong-code', 'specificity', 'seventh-character', 'modifier', 'units', 'pointer', 'sequence', 'evidence'];

interface Data {
  pack: Pack;
  text: string;
}

function generate(seed: number): Data {
  const rnd = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const cases: CaseNote[] = [];
  const keys = new Map<string, AnswerKey>();
  const lines = new Map<string, Array<{ kind: LineResult['kind']; system: CodeSystem; code: string }>>();
  for (let i = 0; i < CASES; i++) {
    const id = `case-${i}`;
    cases.push({
      id,
      title: `Case ${i}`,
      areas: [pick(AREAS), 'ICD-10-CM', ...(rnd() < 0.3 ? ['HCPCS Level II'] : [])],
      file: `cases/${id}.md`,
      body: '',
      bodyOffset: 0,
    });
    const dx = [...new Set(Array.from({ length: int(1, 4) }, () => pick(DX)))].map((code) => ({ kind: 'diagnosis' as const, system: ICD, code }));
    const px = Array.from({ length: int(1, 4) }, () => pick(PX)).map(([system, code]) => ({ kind: 'procedure' as const, system, code }));
    lines.set(id, [...dx, ...px]);
    const keyLine = (l: { kind: LineResult['kind']; system: CodeSystem; code: string }) =>
      newKeyLine(l.kind, l.system, l.code, { why: `Why ${l.code} is coded. More.` });
    keys.set(id, { case: id, file: `keys/${id}.md`, diagnoses: dx.map(keyLine), procedures: px.map(keyLine), rationale: 'Rationale.' });
  }
  const pack: Pack = { root: '/bench', manifest: { format: 1, id: 'bench', title: 'Bench' }, cases, keys, glossary: [] };

  // A learner practising over a year: each attempt grades a case's lines, most right, some wrong.
  const start = Date.parse('2026-01-01T08:00:00.000Z');
  const out: string[] = [];
  for (let a = 0; a < ATTEMPTS; a++) {
    const c = pick(cases);
    const results: LineResult[] = lines.get(c.id)!.map((l) => {
      const wrong = rnd() < 0.25;
      const type = pick(ERRORS);
      const status: LineStatus = !wrong ? 'exact' : type === 'missing' ? 'missing' : 'near';
      const summary = { system: l.system, code: l.code, modifiers: [], units: 1 };
      return {
        kind: l.kind,
        status,
        expected: summary,
        entered: status === 'missing' ? undefined : summary,
        earned: wrong ? (status === 'missing' ? 0 : 0.5) : 1,
        possible: 1,
        errors: wrong ? [{ type, points: status === 'missing' ? 1 : 0.5 }] : [],
        ...(type === 'wrong-code' && wrong ? { instead: pick(DX) } : {}),
      } as unknown as LineResult;
    });
    if (rnd() < 0.15) {
      results.push({
        kind: 'diagnosis',
        status: 'extra',
        entered: { system: 'ICD-10-CM', code: pick(DX), modifiers: [], units: 1 },
        earned: -0.5,
        possible: 0,
        errors: [{ type: 'extra', points: 0.5 }],
      } as unknown as LineResult);
    }
    const earned = results.reduce((n, r) => n + r.earned, 0);
    const possible = results.reduce((n, r) => n + r.possible, 0);
    const percent = Math.max(0, Math.min(1, earned / possible));
    const result = { case: c.id, earned, possible, percent, passed: percent >= 0.7, lines: results } as unknown as CaseResult;
    out.push(historyLine(result, new Date(start + a * ((365 * DAY) / ATTEMPTS))));
  }
  return { pack, text: out.join('\n') + '\n' };
}

function time(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export const generateForProfile = () => generate(20261201);

export async function run(): Promise<Record<string, unknown>> {
  const { pack, text } = generate(20261201);
  const now = new Date('2027-01-02T09:00:00.000Z');
  let sink = 0;
  const figures = () => {
    const p = progress(pack, parseHistory(text), now, 0.7);
    sink += p.journal.length + p.areas.length + p.next.length;
  };
  figures(); // warm-up: the JIT compiles the parser and the figures before they are timed

  // Five interleaved rounds of each, and the median: a shared machine is noisy.
  const rounds = { progress: [] as number[], parse: [] as number[], jsonParse: [] as number[] };
  for (let r = 0; r < 5; r++) {
    rounds.progress.push(time(figures));
    rounds.parse.push(time(() => (sink += parseHistory(text).length)));
    rounds.jsonParse.push(
      time(() => {
        for (const line of text.split('\n')) if (line) sink += (JSON.parse(line) as { earned: number }).earned;
      }),
    );
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[2];
  const round = (n: number) => Math.round(n * 100) / 100;
  const progressMs = median(rounds.progress);
  const parseMs = median(rounds.parse);
  const jsonMs = median(rounds.jsonParse);
  const p = progress(pack, parseHistory(text), now, 0.7);
  return {
    attempts: ATTEMPTS,
    cases: CASES,
    historyBytes: Buffer.byteLength(text),
    linesPerAttempt: round(parseHistory(text).reduce((n, e) => n + (e.lines?.length ?? 0), 0) / ATTEMPTS),
    journalEntries: p.journal.length,
    totalMs: round(progressMs),
    roundsMs: rounds.progress.map(round),
    baselineParseHistoryMs: round(parseMs),
    baselineJsonParseMs: round(jsonMs),
    figuresOnlyMs: round(progressMs - parseMs),
    ratioToParseHistory: round(progressMs / parseMs),
    ratioToJsonParse: round(progressMs / jsonMs),
    goalMs: GOAL_MS,
    ratioToGoal: round(progressMs / GOAL_MS),
    goalMet: progressMs < GOAL_MS,
    checksum: Math.round(sink),
  };
}
