// The progress dashboard as HTML (the editor's webview): score by area over time, cases done and
// passed per area, points lost by error type week by week, the most-missed codes, the next case and
// the exam attempts. Figures come from core/progress (the same as `casebook progress`); charts are
// plain SVG drawn with classes only (the CSP allows no inline style), coloured by media/progress.css
// from the theme's variables. Everything from the pack or the history is escaped.
import { sortAreas } from './areas';
import { readAllAttempts } from './exam/attempt';
import { scoreAttempt } from './exam/score';
import type { FileSystem } from './fs';
import { readAllWork } from './submission';
import type { HistoryEntry } from './history';
import { ERROR_TYPES, type ErrorType, type Pack, type Policy } from './model';
import { errorCounts, practiseNext, progress, type AreaProgress, type JournalEntry, type NextCase, type Progress } from './progress';
import { escapeHtml, webviewCsp } from './report';
import { dashboardButton } from './dashboardProtocol';

/**
 * One scored exam attempt, as the dashboard shows it. The exam mode (core/exam: readAllAttempts +
 * scoreAttempt) fills it; the dashboard needs nothing else from an exam.
 */
export interface ExamAttemptSummary {
  exam: string;
  /** The exam's title (its id when unknown). */
  title: string;
  /** The attempt id (its file stem). */
  attempt: string;
  /** ISO times; submitted is null while the attempt is open. */
  started: string;
  submitted: string | null;
  percent: number;
  passed: boolean;
  timedOut?: boolean;
  /** Percent by content area. */
  areas: Array<{ area: string; percent: number }>;
}

export interface CasesInArea {
  area: string;
  total: number;
  attempted: number;
  passed: number;
}

export interface ErrorWeeks {
  /** Monday (UTC) of each week, oldest first, as YYYY-MM-DD. */
  weeks: string[];
  /** Per error type with any points lost: the count in each week (errorCounts' rule). */
  rows: Array<{ type: ErrorType; counts: number[]; total: number }>;
}

export interface DashboardData {
  title: string;
  passMark: number;
  figures: Progress;
  casesByArea: CasesInArea[];
  errorWeeks: ErrorWeeks;
  /** The case Practise Next would open, with its title. */
  next?: NextCase & { title: string };
  /** undefined: the pack has no exams (the section says so). */
  exams?: ExamAttemptSummary[];
}

export interface DashboardOptions {
  nonce: string;
  cspSource: string;
  styleHref: string;
  scriptSrc: string;
  /** Kept by the page as its state, so the panel can be rebuilt after a window reload. */
  packRoot?: string;
}

const DAY = 86_400_000;
/** Weeks shown in "Points lost by type". */
const WEEKS = 8;

/** Monday 00:00 UTC of the week holding `time`. */
function weekStart(time: number): number {
  const d = new Date(time);
  const midnight = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return midnight - ((d.getUTCDay() + 6) % 7) * DAY;
}

/** Points lost by type in each of the last weeks up to the latest attempt (empty weeks kept, so time is honest). */
export function errorWeeks(history: HistoryEntry[], weeks = WEEKS): ErrorWeeks {
  const times = history.map((e) => Date.parse(e.time)).filter((t) => Number.isFinite(t));
  if (times.length === 0) return { weeks: [], rows: [] };
  const last = weekStart(Math.max(...times));
  const first = Math.max(weekStart(Math.min(...times)), last - (weeks - 1) * 7 * DAY);
  const starts: number[] = [];
  for (let w = first; w <= last; w += 7 * DAY) starts.push(w);
  const byWeek = starts.map(() => [] as HistoryEntry[]);
  for (const entry of history) {
    const i = starts.indexOf(weekStart(Date.parse(entry.time)));
    if (i >= 0) byWeek[i].push(entry);
  }
  const counts = byWeek.map((entries) => errorCounts(entries));
  const rows = ERROR_TYPES.map((type) => {
    const list = counts.map((c) => c[type]);
    return { type, counts: list, total: list.reduce((a, b) => a + b, 0) };
  }).filter((r) => r.total > 0);
  return { weeks: starts.map((w) => new Date(w).toISOString().slice(0, 10)), rows };
}

/** Cases listing each area: how many, how many attempted, how many passed at their latest attempt. */
export function casesByArea(pack: Pack, history: HistoryEntry[]): CasesInArea[] {
  const latest = new Map<string, HistoryEntry>();
  for (const entry of [...history].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0))) latest.set(entry.case, entry);
  return sortAreas(pack.cases.flatMap((c) => c.areas)).map((area) => {
    const cases = pack.cases.filter((c) => c.areas.includes(area));
    const done = cases.map((c) => latest.get(c.id)).filter((e): e is HistoryEntry => e !== undefined);
    return { area, total: cases.length, attempted: done.length, passed: done.filter((e) => e.passed).length };
  });
}

/** Everything the dashboard shows, from the pack and its history. */
export function dashboardData(pack: Pack, history: HistoryEntry[], now: Date, passMark: number, exams?: ExamAttemptSummary[]): DashboardData {
  const ids = new Set(pack.cases.map((c) => c.id));
  const mine = history.filter((e) => ids.has(e.case));
  const [first] = practiseNext(pack, mine, now, passMark);
  const data: DashboardData = {
    title: pack.manifest.title,
    passMark,
    figures: progress(pack, mine, now, passMark),
    casesByArea: casesByArea(pack, mine),
    errorWeeks: errorWeeks(mine),
  };
  if (first) data.next = { ...first, title: pack.cases.find((c) => c.id === first.case)?.title ?? first.case };
  if (exams) data.exams = exams;
  return data;
}

// ---- drawing ----

const pct = (n: number) => `${Math.round(n * 100)}%`;
const num = (n: number) => String(Math.round(n * 10) / 10);

/** Score of one area over its last attempts: a line chart with 0/50/100% grid lines, the pass mark and labelled ends. */
export function areaChart(area: AreaProgress, passMark: number): string {
  const W = 300;
  const H = 120;
  const left = 40;
  const right = 44;
  const top = 10;
  const bottom = 22;
  const plotW = W - left - right;
  const plotH = H - top - bottom;
  const y = (p: number) => top + plotH * (1 - Math.min(Math.max(p, 0), 1));
  const n = area.trend.length;
  const x = (i: number) => left + (n <= 1 ? plotW / 2 : (plotW * i) / (n - 1));
  const parts: string[] = [];
  for (const p of [0, 0.5, 1]) {
    parts.push(`<line class="grid" x1="${left}" x2="${left + plotW}" y1="${num(y(p))}" y2="${num(y(p))}"></line>`);
    parts.push(`<text class="axis" x="${left - 6}" y="${num(y(p) + 4)}" text-anchor="end">${pct(p)}</text>`);
  }
  parts.push(`<line class="pass-line" x1="${left}" x2="${left + plotW}" y1="${num(y(passMark))}" y2="${num(y(passMark))}"></line>`);
  parts.push(`<text class="pass-label" x="${left + plotW + 4}" y="${num(y(passMark) + 4)}">pass ${pct(passMark)}</text>`);
  const points = area.trend.map((p, i) => `${num(x(i))},${num(y(p))}`);
  if (n > 1) parts.push(`<polyline class="series" points="${points.join(' ')}"></polyline>`);
  area.trend.forEach((p, i) => {
    parts.push(`<circle class="point ${p >= passMark ? 'above' : 'below'}" cx="${num(x(i))}" cy="${num(y(p))}" r="3.5"></circle>`);
  });
  if (n > 0) {
    const last = area.trend[n - 1];
    // The latest value beside its point; the first one under the axis start when there are several.
    parts.push(`<text class="value" x="${num(x(n - 1) + 7)}" y="${num(Math.max(y(last) - 6, top + 8))}">${pct(last)}</text>`);
  }
  parts.push(`<text class="axis" x="${left}" y="${H - 6}">${n > 1 ? 'oldest' : ''}</text>`);
  parts.push(`<text class="axis" x="${left + plotW}" y="${H - 6}" text-anchor="end">${n > 1 ? 'latest' : 'one attempt'}</text>`);
  const label = `${area.area}: ${area.attempts} attempt${area.attempts === 1 ? '' : 's'}, latest ${pct(area.latestPercent)}, best ${pct(area.bestPercent)}; last ${n}: ${area.trend.map(pct).join(', ')}`;
  return `<svg class="chart line-chart" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(label)}">${parts.join('')}</svg>`;
}

/** Cases of an area as one bar: passed, attempted but not passed, not attempted; the text says the same. */
export function casesBar(c: CasesInArea): string {
  const W = 200;
  const H = 14;
  const w = (k: number) => (c.total ? (W * k) / c.total : 0);
  const passed = w(c.passed);
  const failed = w(c.attempted - c.passed);
  const label = `${c.area}: ${c.passed} passed, ${c.attempted - c.passed} not passed, ${c.total - c.attempted} not attempted, of ${c.total}`;
  return (
    `<svg class="chart cases-bar" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(label)}">` +
    `<rect class="seg-new" x="0" y="0" width="${W}" height="${H}"></rect>` +
    `<rect class="seg-pass" x="0" y="0" width="${num(passed)}" height="${H}"></rect>` +
    `<rect class="seg-fail" x="${num(passed)}" y="0" width="${num(failed)}" height="${H}"></rect>` +
    `</svg>`
  );
}

/** A count as a small bar beside its number, scaled to the table's largest count. */
function countCell(n: number, max: number): string {
  const W = 48;
  const width = max > 0 ? Math.round((W * n) / max) : 0;
  const bar = `<svg class="chart mini-bar" width="${W}" height="8" viewBox="0 0 ${W} 8" aria-hidden="true"><rect class="mini-track" x="0" y="0" width="${W}" height="8"></rect><rect class="mini-fill" x="0" y="0" width="${width}" height="8"></rect></svg>`;
  return `<td class="num${n === 0 ? ' zero' : ''}"><span class="count">${n}</span>${bar}</td>`;
}

function shortDate(iso: string): string {
  const d = new Date(iso);
  return Number.isFinite(d.getTime())
    ? `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}-${String(d.getUTCDate()).padStart(2, '0')}`
    : iso;
}

// ---- sections ----

function summary(data: DashboardData): string {
  const { cases } = data.figures;
  const next = data.next
    ? `<div class="next"><h2>Practise next</h2><p><strong>${escapeHtml(data.next.title)}</strong> <span class="muted">(${escapeHtml(data.next.case)})</span>: ${escapeHtml(data.next.why)}</p>` +
      `<button type="button" ${dashboardButton({ type: 'practiseNext' })}>Practise Next</button></div>`
    : '<div class="next"><h2>Practise next</h2><p class="muted">No keyed case to practise in this pack.</p></div>';
  return (
    `<section class="summary" aria-label="Summary"><p class="totals">` +
    `<span class="big">${cases.attempted}</span> of ${cases.total} cases done · <span class="big">${cases.passed}</span> passed at their latest attempt · pass mark ${pct(data.passMark)}</p>` +
    `${next}</section>`
  );
}

function areasSection(data: DashboardData): string {
  const tried = data.figures.areas.filter((a) => a.attempts > 0);
  const untried = data.figures.areas.filter((a) => a.attempts === 0);
  const cards = tried.map(
    (a) =>
      `<figure class="area-card"><figcaption><span class="area-name">${escapeHtml(a.area)}</span>` +
      `<span class="area-figures">latest <strong>${pct(a.latestPercent)}</strong> · best ${pct(a.bestPercent)} · ${a.attempts} attempt${a.attempts === 1 ? '' : 's'}</span></figcaption>` +
      `${areaChart(a, data.passMark)}</figure>`,
  );
  const rest = untried.length ? `<p class="muted">Not practised yet: ${untried.map((a) => escapeHtml(a.area)).join(', ')}.</p>` : '';
  const body = cards.length ? `<div class="area-grid">${cards.join('')}</div>` : '<p class="muted">Grade a case to see your score by area.</p>';
  return `<section aria-labelledby="h-areas"><h2 id="h-areas">Score by content area</h2><p class="hint">Each line is an area's score in your last attempts (up to 20), oldest on the left; the dashed line is the pass mark.</p>${body}${rest}</section>`;
}

function casesSection(data: DashboardData): string {
  const rows = data.casesByArea.map(
    (c) =>
      `<tr><th scope="row">${escapeHtml(c.area)}</th><td>${casesBar(c)}</td>` +
      `<td class="num">${c.attempted}</td><td class="num">${c.passed}</td><td class="num">${c.total}</td></tr>`,
  );
  const legend =
    '<p class="legend" aria-hidden="true"><span class="key seg-pass"></span> passed <span class="key seg-fail"></span> not passed <span class="key seg-new"></span> not attempted</p>';
  return (
    `<section aria-labelledby="h-cases"><h2 id="h-cases">Cases by area</h2>${legend}` +
    `<table class="cases"><thead><tr><th scope="col">Area</th><th scope="col">Cases</th><th scope="col" class="num">Done</th><th scope="col" class="num">Passed</th><th scope="col" class="num">Total</th></tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table><p class="hint">A case in several areas counts in each.</p></section>`
  );
}

function errorsSection(data: DashboardData): string {
  const { weeks, rows } = data.errorWeeks;
  if (rows.length === 0) {
    return `<section aria-labelledby="h-errors"><h2 id="h-errors">Points lost by type</h2><p class="muted">${weeks.length ? 'No points lost yet.' : 'Grade a case to see where points go.'}</p></section>`;
  }
  const max = Math.max(...rows.flatMap((r) => r.counts));
  const head = weeks.map((w) => `<th scope="col" class="num">${escapeHtml(w.slice(5))}</th>`).join('');
  const body = rows
    .map((r) => `<tr><th scope="row">${escapeHtml(r.type)}</th>${r.counts.map((n) => countCell(n, max)).join('')}<td class="num total">${r.total}</td></tr>`)
    .join('');
  return (
    `<section aria-labelledby="h-errors"><h2 id="h-errors">Points lost by type, week by week</h2>` +
    `<p class="hint">Lines that lost points for each reason, in the weeks starting on the Monday shown (month-day, UTC).</p>` +
    `<table class="errors"><thead><tr><th scope="col">Error type</th>${head}<th scope="col" class="num">Total</th></tr></thead><tbody>${body}</tbody></table></section>`
  );
}

function journalSection(journal: JournalEntry[]): string {
  const top = [...journal].sort((a, b) => b.count - a.count || (a.last < b.last ? 1 : -1)).slice(0, 8);
  const button = `<button type="button" class="secondary" ${dashboardButton({ type: 'exportJournal' })}>Export Journal…</button>`;
  if (top.length === 0) {
    return `<section aria-labelledby="h-journal"><h2 id="h-journal">Most missed</h2><p class="muted">Nothing to review: every code you missed you have since got right twice.</p></section>`;
  }
  const rows = top.map(
    (j) =>
      `<tr><td><button type="button" class="link" ${dashboardButton({ type: 'openCase', case: j.case })}>${escapeHtml(j.case)}</button></td>` +
      `<td><code>${escapeHtml(j.code)}</code></td><td>${escapeHtml(j.type)}</td><td>${j.expected ? `<code>${escapeHtml(j.expected)}</code>` : '<span class="muted">not in the key</span>'}</td>` +
      `<td class="num">${j.count}</td><td>${escapeHtml(j.why ?? '')}</td></tr>`,
  );
  return (
    `<section aria-labelledby="h-journal"><h2 id="h-journal">Most missed (${journal.length} in the journal)</h2>` +
    `<table class="journal"><thead><tr><th scope="col">Case</th><th scope="col">Your code</th><th scope="col">Error</th><th scope="col">Key expects</th><th scope="col" class="num">Times</th><th scope="col">Why</th></tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table>${button}</section>`
  );
}

function examsSection(data: DashboardData): string {
  const exams = data.exams;
  const head = '<section aria-labelledby="h-exams"><h2 id="h-exams">Exam attempts</h2>';
  if (!exams) return `${head}<p class="muted">This pack has no exams.</p></section>`;
  if (exams.length === 0) return `${head}<p class="muted">No exam attempts yet.</p></section>`;
  const sorted = [...exams].sort((a, b) => (a.started < b.started ? -1 : 1));
  const rows = sorted.map((e) => {
    const state = e.submitted === null ? 'open' : e.passed ? 'passed' : 'not passed';
    const bar = `<svg class="chart cases-bar" width="160" height="14" viewBox="0 0 160 14" role="img" aria-label="${escapeHtml(`${e.title}: ${pct(e.percent)}`)}"><rect class="seg-new" x="0" y="0" width="160" height="14"></rect><rect class="${e.passed ? 'seg-pass' : 'seg-fail'}" x="0" y="0" width="${num(160 * Math.min(Math.max(e.percent, 0), 1))}" height="14"></rect></svg>`;
    const weakest = [...e.areas].sort((a, b) => a.percent - b.percent)[0];
    return (
      `<tr><td>${escapeHtml(e.title)}</td><td>${escapeHtml(shortDate(e.started))}</td><td>${bar}</td><td class="num"><strong>${pct(e.percent)}</strong></td>` +
      `<td>${escapeHtml(state)}${e.timedOut ? ' (time ran out)' : ''}</td><td>${weakest ? `${escapeHtml(weakest.area)} ${pct(weakest.percent)}` : ''}</td></tr>`
    );
  });
  return (
    `${head}<table class="exams"><thead><tr><th scope="col">Exam</th><th scope="col">Started</th><th scope="col">Score</th><th scope="col" class="num">Percent</th><th scope="col">Result</th><th scope="col">Weakest area</th></tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table></section>`
  );
}

/** The whole page: nonce CSP as the report's, media/progress.css and media/progress.js only. */
export function renderDashboard(data: DashboardData, options: DashboardOptions): string {
  const nonce = escapeHtml(options.nonce);
  const main = [summary(data), areasSection(data), casesSection(data), errorsSection(data), journalSection(data.figures.journal), examsSection(data)].join(
    '\n',
  );
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(webviewCsp(options.nonce, options.cspSource))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`Progress: ${data.title}`)}</title>
<link rel="stylesheet" href="${escapeHtml(options.styleHref)}" nonce="${nonce}">
</head>
<body${options.packRoot ? ` data-pack-root="${escapeHtml(options.packRoot)}"` : ''}>
<main class="dashboard">
<h1>Progress: ${escapeHtml(data.title)}</h1>
${main}
</main>
<script nonce="${nonce}" src="${escapeHtml(options.scriptSrc)}"></script>
</body>
</html>
`;
}

/**
 * The learner's exam attempts in the pack (PACK/.casebook/exams), each scored as the exam report
 * scores it; undefined when the pack has no exam. Unreadable attempts are left out here (opening
 * the exam says why and sets them aside).
 */
export async function examAttemptSummaries(fs: FileSystem, pack: Pack, policy: Policy): Promise<ExamAttemptSummary[] | undefined> {
  const exams = pack.exam?.exams ?? [];
  if (exams.length === 0) return undefined;
  const { attempts } = await readAllAttempts(fs, pack.root);
  const { works } = await readAllWork(fs, pack);
  const out: ExamAttemptSummary[] = [];
  for (const attempt of attempts) {
    const exam = exams.find((e) => e.id === attempt.exam);
    if (!exam) continue;
    const score = scoreAttempt(pack, exam, attempt, works, policy);
    const summary: ExamAttemptSummary = {
      exam: exam.id,
      title: exam.title,
      attempt: attempt.id,
      started: attempt.started,
      submitted: attempt.submitted,
      percent: score.percent,
      passed: score.passed,
      areas: score.areas.map((a) => ({ area: a.area, percent: a.percent })),
    };
    if (attempt.timedOut) summary.timedOut = true;
    out.push(summary);
  }
  return out.sort((a, b) => (a.started < b.started ? -1 : a.started > b.started ? 1 : 0));
}
