// What a learner's history says: progress by area over time, error types, the missed-code journal,
// and which case to practise next (spaced repetition). Pure functions of the pack and the history;
// the formats are in docs/formats.md ("Progress").
import { lineAreas, sortAreas } from './areas';
import { csvText } from './csv';
import type { HistoryEntry, HistoryLine } from './history';
import { ERROR_TYPES, type AnswerKey, type ErrorType, type Pack } from './model';

const DAY = 24 * 60 * 60 * 1000;
/** Days until a failed case comes back: after the failure, then after each pass that follows it. */
export const REVIEW_DAYS = [1, 3, 7] as const;
/** Right this many times in a row since the last miss, a journal entry is cleared. */
const CLEAR_AFTER = 2;
/** Attempts shown in an area's trend. */
const TREND_LENGTH = 20;

export interface JournalEntry {
  /** The code the learner entered (wrong code, modifier, units…), or the key's code when it was missed. */
  code: string;
  case: string;
  /** The main error type of the last miss. */
  type: ErrorType;
  /** The key's line as a claim shows it (e.g. `20610-RT`); null for an over-coded line. */
  expected: string | null;
  /** Attempts in which this line was wrong. */
  count: number;
  /** ISO time of the last miss. */
  last: string;
  /** The key line's `why` (or the rationale's) first sentence, when the key is at hand. */
  why?: string;
}

export interface AreaProgress {
  area: string;
  /** Attempts with a line in this area. */
  attempts: number;
  latestPercent: number;
  bestPercent: number;
  /** The area's percent in each of its last attempts, oldest first. */
  trend: number[];
}

export interface NextCase {
  case: string;
  /** Why it comes next, in plain words. */
  why: string;
}

export interface Progress {
  cases: { total: number; attempted: number; passed: number };
  areas: AreaProgress[];
  errors: Record<ErrorType, number>;
  journal: JournalEntry[];
  next: string[];
}

const round4 = (n: number) => Math.round(n * 10000) / 10000 + 0;
const byTime = (entries: HistoryEntry[]) => [...entries].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));

/** Each attempt's percent per area: lines count toward the area of their code system or CPT section. */
function attemptAreas(entry: HistoryEntry, caseAreas: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  if (!entry.lines) {
    // History kept before lines were: the case's percent counts toward each of its areas.
    for (const area of caseAreas) out.set(area, entry.percent);
    return out;
  }
  const sums = new Map<string, { earned: number; possible: number }>();
  for (const line of entry.lines) {
    for (const area of lineAreas(line.system, caseAreas)) {
      const s = sums.get(area) ?? { earned: 0, possible: 0 };
      s.earned += line.earned;
      s.possible += line.possible;
      sums.set(area, s);
    }
  }
  for (const [area, s] of sums) {
    if (s.possible > 0) out.set(area, round4(Math.min(Math.max(s.earned / s.possible, 0), 1)));
  }
  return out;
}

/** The first sentence of a text (Markdown emphasis and headings stripped). */
function firstSentence(text: string | undefined): string | undefined {
  const plain = (text ?? '')
    .replace(/^#+.*$/gm, '')
    .replace(/[*_`]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (!plain) return undefined;
  const m = /^(.+?[.!?])(\s|$)/.exec(plain);
  return (m ? m[1] : plain).slice(0, 300);
}

function whyOf(key: AnswerKey | undefined, expected: string | null): string | undefined {
  if (!key) return undefined;
  const code = expected?.split(/[- ]/)[0];
  const line = [...key.diagnoses, ...key.procedures].find((l) => code !== undefined && l.code.replace('.', '') === code.replace('.', ''));
  return firstSentence(line?.why) ?? firstSentence(key.rationale);
}

/** A journal entry's identity: the key line it is about, or the over-coded code. */
function journalId(caseId: string, line: HistoryLine): string {
  return line.expected !== null ? `${caseId}\u0000${line.expected}` : `${caseId}\u0000+${line.entered}`;
}

/**
 * Every line the learner missed, got wrong or over-coded, counted across attempts, oldest miss first;
 * an entry is cleared once the line is right in two attempts since its last miss (an over-coded code:
 * two attempts of the case without it).
 */
export function missedCodes(history: HistoryEntry[], keys?: Map<string, AnswerKey>): JournalEntry[] {
  const open = new Map<string, JournalEntry & { right: number }>();
  // The open over-coded entries of each case, so an attempt checks only its own case's (not every entry).
  const overCoded = new Map<string, Set<string>>();
  const clear = (id: string, item: JournalEntry) => {
    open.delete(id);
    if (item.expected === null) overCoded.get(item.case)?.delete(id);
  };
  for (const entry of byTime(history)) {
    if (!entry.lines) continue;
    const seen = new Set<string>();
    for (const line of entry.lines) {
      if (line.status === 'optional') continue;
      const id = journalId(entry.case, line);
      seen.add(id);
      const item = open.get(id);
      if (line.errors.length === 0) {
        if (item && ++item.right >= CLEAR_AFTER) clear(id, item);
        continue;
      }
      const code = line.instead ?? line.entered?.split(/[- ]/)[0] ?? line.expected!.split(/[- ]/)[0];
      if (item) {
        Object.assign(item, { code, type: line.errors[0], count: item.count + 1, last: entry.time, right: 0 });
      } else {
        const fresh: JournalEntry & { right: number } = {
          code,
          case: entry.case,
          type: line.errors[0],
          expected: line.expected,
          count: 1,
          last: entry.time,
          right: 0,
        };
        const why = whyOf(keys?.get(entry.case), line.expected);
        if (why) fresh.why = why;
        open.set(id, fresh);
        if (fresh.expected === null) {
          const ids = overCoded.get(entry.case) ?? new Set<string>();
          ids.add(id);
          overCoded.set(entry.case, ids);
        }
      }
    }
    // An over-coded code that this attempt of the case left out was right this time.
    for (const id of overCoded.get(entry.case) ?? []) {
      const item = open.get(id)!;
      if (!seen.has(id) && ++item.right >= CLEAR_AFTER) clear(id, item);
    }
  }
  return [...open.values()].map(({ right: _right, ...entry }) => entry);
}

/** Counts of each error type over all attempts (a line counts once per type it lost points for). */
export function errorCounts(history: HistoryEntry[]): Record<ErrorType, number> {
  const counts = Object.fromEntries(ERROR_TYPES.map((t) => [t, 0])) as Record<ErrorType, number>;
  for (const entry of history) for (const line of entry.lines ?? []) for (const type of new Set(line.errors)) counts[type]++;
  return counts;
}

/** Progress by area over time, in CPC order; areas of the pack with no attempt yet are listed with 0 attempts. */
export function areaProgress(pack: Pack, history: HistoryEntry[]): AreaProgress[] {
  const caseAreas = new Map(pack.cases.map((c) => [c.id, c.areas]));
  const series = new Map<string, number[]>();
  for (const entry of byTime(history)) {
    const areas = caseAreas.get(entry.case);
    if (!areas) continue; // a case no longer in the pack
    for (const [area, percent] of attemptAreas(entry, areas)) {
      const list = series.get(area) ?? [];
      list.push(percent);
      series.set(area, list);
    }
  }
  const all = sortAreas([...pack.cases.flatMap((c) => c.areas), ...series.keys()]);
  return all.map((area) => {
    const list = series.get(area) ?? [];
    return {
      area,
      attempts: list.length,
      latestPercent: list.length ? list[list.length - 1] : 0,
      bestPercent: list.length ? Math.max(...list) : 0,
      trend: list.slice(-TREND_LENGTH),
    };
  });
}

interface CaseState {
  attempts: HistoryEntry[];
  /** Passes since the last failure (undefined when never failed). */
  passesSinceFail?: number;
  due?: number;
}

function caseState(attempts: HistoryEntry[]): CaseState {
  const state: CaseState = { attempts };
  for (const a of attempts) {
    if (!a.passed) state.passesSinceFail = 0;
    else if (state.passesSinceFail !== undefined) state.passesSinceFail++;
  }
  const last = attempts[attempts.length - 1];
  if (last && state.passesSinceFail !== undefined && state.passesSinceFail < REVIEW_DAYS.length) {
    state.due = Date.parse(last.time) + REVIEW_DAYS[state.passesSinceFail] * DAY;
  }
  return state;
}

const pct = (n: number) => `${Math.round(n * 100)}%`;
const days = (ms: number) => {
  const d = Math.max(0, Math.round(ms / DAY));
  return d === 0 ? 'today' : d === 1 ? '1 day ago' : `${d} days ago`;
};

/**
 * The cases to practise next, best first, each with the reason: failed cases that are due again
 * (1, 3 and 7 days after a failure and the passes that follow it), weakest area first; then new
 * cases, weak areas before strong ones (an area not tried yet counts as weak as the pass mark);
 * then reviews not yet due, soonest first. Keyed cases only.
 */
export function practiseNext(pack: Pack, history: HistoryEntry[], now: Date, passMark = 0.7): NextCase[] {
  const keyed = pack.cases.filter((c) => pack.keys.has(c.id));
  const strength = new Map(
    areaProgress(pack, history)
      .filter((a) => a.attempts > 0)
      .map((a) => [a.area, a.latestPercent]),
  );
  const weakness = (areas: string[]) => {
    const known = areas.map((a) => strength.get(a) ?? passMark);
    return known.length ? Math.min(...known) : passMark;
  };
  const weakest = (areas: string[]) => {
    let best: { area: string; percent: number } | undefined;
    for (const area of areas) {
      const p = strength.get(area);
      if (p !== undefined && (!best || p < best.percent)) best = { area, percent: p };
    }
    return best;
  };
  const grouped = new Map<string, HistoryEntry[]>();
  for (const entry of byTime(history)) {
    const list = grouped.get(entry.case) ?? [];
    list.push(entry);
    grouped.set(entry.case, list);
  }
  const due: Array<{ id: string; score: number; overdue: number; why: string }> = [];
  const fresh: Array<{ id: string; score: number; order: number; why: string }> = [];
  const later: Array<{ id: string; due: number; why: string }> = [];
  keyed.forEach((c, order) => {
    const state = caseState(grouped.get(c.id) ?? []);
    const last = state.attempts[state.attempts.length - 1];
    const area = weakest(c.areas);
    const areaText = area ? ` ${area.area} is at ${pct(area.percent)}.` : '';
    if (!last) {
      fresh.push({ id: c.id, score: weakness(c.areas), order, why: `New case.${areaText || ' An area you have not practised yet.'}` });
    } else if (state.due !== undefined) {
      const step = REVIEW_DAYS[state.passesSinceFail ?? 0];
      const lastText = `You scored ${pct(last.percent)} ${days(now.getTime() - Date.parse(last.time))}`;
      if (state.due <= now.getTime()) {
        due.push({
          id: c.id,
          score: weakness(c.areas),
          overdue: now.getTime() - state.due,
          why: `${lastText}; it is due for review (${step} day${step === 1 ? '' : 's'} after the last attempt).${areaText}`,
        });
      } else {
        later.push({ id: c.id, due: state.due, why: `${lastText}; review due in ${Math.ceil((state.due - now.getTime()) / DAY)} day(s).${areaText}` });
      }
    }
  });
  due.sort((a, b) => a.score - b.score || b.overdue - a.overdue);
  fresh.sort((a, b) => a.score - b.score || a.order - b.order);
  later.sort((a, b) => a.due - b.due);
  return [...due, ...fresh, ...later].map(({ id, why }) => ({ case: id, why }));
}

/** The figures of `casebook progress` and the dashboard. */
export function progress(pack: Pack, history: HistoryEntry[], now: Date, passMark = 0.7): Progress {
  const ids = new Set(pack.cases.map((c) => c.id));
  const mine = history.filter((e) => ids.has(e.case));
  const latest = new Map<string, HistoryEntry>();
  for (const entry of byTime(mine)) latest.set(entry.case, entry);
  return {
    cases: { total: pack.cases.length, attempted: latest.size, passed: [...latest.values()].filter((e) => e.passed).length },
    areas: areaProgress(pack, mine),
    errors: errorCounts(mine),
    journal: missedCodes(mine, pack.keys),
    next: practiseNext(pack, mine, now, passMark)
      .slice(0, 5)
      .map((n) => n.case),
  };
}

const JOURNAL_COLUMNS = ['case', 'code', 'type', 'expected', 'count', 'last', 'why'] as const;

/** The journal as CSV (header row first); cells a spreadsheet would run as formulas are made inert. */
export function journalCsv(entries: JournalEntry[]): string {
  return csvText([[...JOURNAL_COLUMNS], ...entries.map((e) => JOURNAL_COLUMNS.map((c) => e[c]))]);
}

/** The journal as a Markdown table, most often missed first. */
export function journalMarkdown(entries: JournalEntry[], title = 'Missed-code journal'): string {
  const esc = (v: string | number | null | undefined) =>
    (v === null || v === undefined ? '' : String(v)).replace(/[|\\`*_[\]<>]/g, (c) => `\\${c}`).replace(/\s+/g, ' ');
  const sorted = [...entries].sort((a, b) => b.count - a.count || (a.last < b.last ? 1 : -1));
  const lines = [`# ${title}`, '', '| Case | Your code | Error | Key expects | Times | Why |', '| --- | --- | --- | --- | --- | --- |'];
  for (const e of sorted)
    lines.push(`| ${esc(e.case)} | ${esc(e.code)} | ${esc(e.type)} | ${esc(e.expected ?? '(not in the key)')} | ${e.count} | ${esc(e.why)} |`);
  if (sorted.length === 0) lines.push('| | | | | | Nothing to review: every code you missed you have since got right twice. |');
  return lines.join('\n') + '\n';
}
