// The progress dashboard: its figures (cases by area, error types by week), its HTML (escaped, nonce
// CSP as the report's, SVG charts with text labels, no inline style or script), and its protocol with
// media/progress.js.
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { grade, resolvePolicy } from '../../src/core/grade';
import { historyLine, parseHistory, type HistoryEntry } from '../../src/core/history';
import type { AnswerKey, CaseNote, Pack, Tag } from '../../src/core/model';
import { errorCounts } from '../../src/core/progress';
import { areaChart, casesBar, casesByArea, dashboardData, errorWeeks, renderDashboard, type ExamAttemptSummary } from '../../src/core/dashboard';
import {
  DASHBOARD_MESSAGE_TYPES,
  dashboardButton,
  dispatchDashboardMessage,
  parseDashboardMessage,
  type DashboardMessage,
  type DashboardMessageHandlers,
} from '../../src/core/dashboardProtocol';
import { renderPackReport } from '../../src/core/report';
import { packTotals } from '../../src/core/grade';
import { dx, key, px, tag, work } from './grade-fixtures';

const DAY = 86_400_000;
// A Wednesday.
const T0 = Date.parse('2026-11-04T09:00:00.000Z');
const SCRIPT = fs.readFileSync(path.join(__dirname, '..', '..', 'media', 'progress.js'), 'utf8');
const CSS = fs.readFileSync(path.join(__dirname, '..', '..', 'media', 'progress.css'), 'utf8');
const OPTIONS = { nonce: 'n0nce', cspSource: 'vscode-resource:', styleHref: 'progress.css', scriptSrc: 'progress.js', packRoot: '/p"ack' };

function caseNote(id: string, areas: string[], title = id): CaseNote {
  return { id, title, areas, file: `cases/${id}.md`, body: 'A note.', bodyOffset: 0 };
}
const KEYS = new Map<string, AnswerKey>([
  ['knee', { ...key([dx('M17.11', { why: 'Right knee <b>primary</b> OA.' })], [px('20610', { modifiers: ['RT'] })]), case: 'knee', file: 'keys/knee.md' }],
  ['htn', { ...key([dx('I10'), dx('E78.5')]), case: 'htn', file: 'keys/htn.md' }],
]);
const PACK: Pack = {
  root: '/pack',
  manifest: { format: 1, id: 'p', title: 'Cardio <script>alert(1)</script> & Co' },
  cases: [
    caseNote('knee', ['Musculoskeletal System', 'ICD-10-CM'], 'Knee <img src=x onerror=alert(1)>'),
    caseNote('htn', ['Evaluation and Management', 'ICD-10-CM']),
  ],
  keys: KEYS,
  glossary: [],
};

function attempt(caseId: string, tags: Tag[], at: number): HistoryEntry {
  const note = PACK.cases.find((c) => c.id === caseId)!;
  const result = grade(note, KEYS.get(caseId)!, { ...work(tags), case: caseId }, resolvePolicy());
  return parseHistory(historyLine(result, new Date(at)))[0];
}

const HISTORY = [
  attempt('knee', [tag('M17.12'), tag('20610')], T0), // specificity + modifier
  attempt('knee', [tag('M17.11'), tag('20610')], T0 + 2 * DAY), // modifier (same week)
  attempt('htn', [tag('I10'), tag('R51.9')], T0 + 14 * DAY), // missing E78.5, extra R51.9 (two weeks later)
  attempt('knee', [tag('M17.11'), tag('20610', { modifiers: ['RT'] })], T0 + 15 * DAY),
];

describe('dashboard figures', () => {
  it('counts error types week by week (Mondays, empty weeks kept) with the same rule as errorCounts', () => {
    const w = errorWeeks(HISTORY);
    assert.deepEqual(w.weeks, ['2026-11-02', '2026-11-09', '2026-11-16']);
    const byType = Object.fromEntries(w.rows.map((r) => [r.type, r.counts]));
    assert.deepEqual(byType.modifier, [2, 0, 0]);
    assert.deepEqual(byType.specificity, [1, 0, 0]);
    assert.deepEqual(byType.missing, [0, 0, 1]);
    assert.deepEqual(byType.extra, [0, 0, 1]);
    const totals = errorCounts(HISTORY);
    for (const r of w.rows) assert.equal(r.total, totals[r.type], r.type);
    assert.ok(
      w.rows.every((r) => r.total > 0),
      'types with no points lost are left out',
    );
    assert.deepEqual(errorWeeks([]), { weeks: [], rows: [] });
  });

  it('shows at most the last eight weeks up to the latest attempt', () => {
    const long = [attempt('knee', [tag('M17.12')], T0), attempt('knee', [tag('M17.12')], T0 + 70 * DAY)];
    const w = errorWeeks(long);
    assert.equal(w.weeks.length, 8);
    assert.equal(w.weeks[7], '2027-01-11');
    assert.equal(
      w.rows.find((r) => r.type === 'specificity')!.counts.reduce((a, b) => a + b),
      1,
      'the attempt before the window is not counted',
    );
  });

  it('counts cases per area: done and passed at their latest attempt', () => {
    const c = casesByArea(PACK, HISTORY);
    assert.deepEqual(
      c.map((a) => [a.area, a.total, a.attempted, a.passed]),
      [
        ['Musculoskeletal System', 1, 1, 1],
        ['Evaluation and Management', 1, 1, 0],
        ['ICD-10-CM', 2, 2, 1],
      ],
    );
  });

  it('picks the next case as Practise Next does, with its title', () => {
    const d = dashboardData(PACK, HISTORY, new Date(T0 + 16 * DAY), 0.7);
    assert.equal(d.next?.case, 'htn');
    assert.match(d.next?.why ?? '', /due for review/);
    assert.equal(d.exams, undefined);
  });
});

describe('dashboard charts', () => {
  it('draws an area line chart with a point per attempt, 0/50/100% and pass-mark labels and the latest percent', () => {
    const svg = areaChart({ area: 'Radiology', attempts: 3, latestPercent: 0.9, bestPercent: 0.9, trend: [0.4, 0.6, 0.9] }, 0.7);
    assert.equal((svg.match(/<circle /g) ?? []).length, 3);
    assert.equal((svg.match(/class="point below"/g) ?? []).length, 2, 'points under the pass mark are marked');
    for (const label of ['>0%<', '>50%<', '>100%<', '>pass 70%<', '>90%<']) assert.ok(svg.includes(label), label);
    assert.match(svg, /aria-label="Radiology: 3 attempts, latest 90%, best 90%; last 3: 40%, 60%, 90%"/);
    // y grows downward: 100% is above 40%.
    const cy = [...svg.matchAll(/cy="([\d.]+)"/g)].map((m) => Number(m[1]));
    assert.ok(cy[2] < cy[1] && cy[1] < cy[0]);
  });

  it('draws cases as passed / not passed / not attempted segments in proportion', () => {
    const svg = casesBar({ area: 'X', total: 4, attempted: 3, passed: 1 });
    assert.match(svg, /class="seg-pass" x="0" y="0" width="50"/);
    assert.match(svg, /class="seg-fail" x="50" y="0" width="100"/);
    assert.match(svg, /aria-label="X: 1 passed, 2 not passed, 1 not attempted, of 4"/);
  });
});

describe('dashboard HTML', () => {
  const html = renderDashboard(dashboardData(PACK, HISTORY, new Date(T0 + 16 * DAY), 0.7), OPTIONS);

  it('uses the report CSP (nonce only, no inline style or script) and only its media files', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1].replace(/&#39;/g, "'");
    const report = renderPackReport(packTotals('p', [], resolvePolicy()), {
      nonce: 'n0nce',
      cspSource: 'vscode-resource:',
      styleHref: 'r.css',
      scriptSrc: 'r.js',
    });
    assert.equal(csp, /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(report)![1].replace(/&#39;/g, "'"));
    assert.match(csp, /^default-src 'none'; style-src vscode-resource: 'nonce-n0nce'; script-src 'nonce-n0nce';/);
    assert.doesNotMatch(html, /\sstyle=/i, 'no style attributes (the CSP would block them)');
    assert.doesNotMatch(html, /<style/i);
    assert.doesNotMatch(html, /\son[a-z]+=/i, 'no inline handlers');
    assert.deepEqual(
      [...html.matchAll(/<script[^>]*>/g)].map((m) => m[0]),
      ['<script nonce="n0nce" src="progress.js">'],
    );
    assert.match(html, /<link rel="stylesheet" href="progress.css" nonce="n0nce">/);
    assert.match(html, /<body data-pack-root="\/p&quot;ack">/);
  });

  it('escapes pack text: title, case titles, whys', () => {
    assert.ok(!html.includes('<script>alert'), 'the pack title is escaped');
    assert.ok(html.includes('Cardio &lt;script&gt;alert(1)&lt;/script&gt; &amp; Co'));
    assert.ok(!html.includes('<b>primary</b>'));
    assert.ok(!html.includes('<img'));
  });

  it('shows the learner’s areas with figures, untried areas as text, cases per area, error weeks and the journal', () => {
    for (const area of ['Musculoskeletal System', 'Evaluation and Management', 'ICD-10-CM']) assert.ok(html.includes(area), area);
    const figures = [...html.matchAll(/<span class="area-name">(.*?)<\/span><span class="area-figures">(.*?)<\/span>/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(figures, [
      ['Musculoskeletal System', 'latest <strong>100%</strong> · best 100% · 3 attempts'],
      ['ICD-10-CM', 'latest <strong>100%</strong> · best 100% · 4 attempts'],
    ]);
    assert.match(html, /Not practised yet: Evaluation and Management\./, 'htn has only ICD-10-CM lines, so E/M is not practised');
    assert.equal((html.match(/class="chart line-chart"/g) ?? []).length, 2, 'one chart per practised area');
    assert.match(html, /<th scope="row">modifier<\/th><td class="num"><span class="count">2<\/span>/);
    assert.match(html, /data-action="openCase" data-case="htn"/);
    assert.match(html, /<span class="big">2<\/span> of 2 cases done · <span class="big">1<\/span> passed/);
  });

  it('has an Exam attempts section: no exams, none yet, or each attempt with its score', () => {
    assert.match(html, /Exam attempts<\/h2><p class="muted">This pack has no exams\./);
    const none = renderDashboard(dashboardData(PACK, HISTORY, new Date(T0), 0.7, []), OPTIONS);
    assert.match(none, /No exam attempts yet\./);
    const exams: ExamAttemptSummary[] = [
      {
        exam: 'cpc',
        title: 'CPC <practice>',
        attempt: 'a2',
        started: '2026-12-02T09:00:00.000Z',
        submitted: '2026-12-02T12:00:00.000Z',
        percent: 0.72,
        passed: true,
        areas: [
          { area: 'Anesthesia', percent: 0.5 },
          { area: 'Radiology', percent: 0.9 },
        ],
      },
      {
        exam: 'cpc',
        title: 'CPC <practice>',
        attempt: 'a1',
        started: '2026-12-01T09:00:00.000Z',
        submitted: '2026-12-01T13:00:00.000Z',
        percent: 0.61,
        passed: false,
        timedOut: true,
        areas: [],
      },
    ];
    const page = renderDashboard(dashboardData(PACK, HISTORY, new Date(T0), 0.7, exams), OPTIONS);
    const rows = [
      ...page.matchAll(/<tr><td>CPC &lt;practice&gt;<\/td><td>([\d-]+)<\/td>.*?<strong>(\d+%)<\/strong><\/td><td>([^<]+)<\/td><td>([^<]*)<\/td>/g),
    ].map((m) => m.slice(1));
    assert.deepEqual(rows, [
      ['2026-12-01', '61%', 'not passed (time ran out)', ''],
      ['2026-12-02', '72%', 'passed', 'Anesthesia 50%'],
    ]);
  });

  it('colours the charts from theme variables, so light, dark and high-contrast themes all apply', () => {
    for (const v of ['--vscode-charts-blue', '--vscode-charts-green', '--vscode-charts-red', '--vscode-contrastBorder', '--vscode-foreground'])
      assert.ok(CSS.includes(v), v);
    assert.doesNotMatch(CSS, /#[0-9a-f]{3,8}\b/i, 'no fixed colours: every colour comes from the theme');
    for (const cls of ['series', 'pass-line', 'seg-pass', 'seg-fail', 'seg-new', 'mini-fill']) assert.match(CSS, new RegExp(`\\.${cls}\\b`), cls);
  });
});

describe('dashboard protocol', () => {
  it('media/progress.js sends exactly the protocol message types (its own, plus a data-action per button the HTML has)', () => {
    const own = [...SCRIPT.matchAll(/postMessage\(\{\s*type:\s*'([A-Za-z]+)'/g)].map((m) => m[1]);
    assert.match(SCRIPT, /postMessage\(\{\s*type:\s*action,\s*\.\.\.data\s*\}\)/);
    const html = renderDashboard(dashboardData(PACK, HISTORY, new Date(T0 + 16 * DAY), 0.7), OPTIONS);
    const buttons = [...html.matchAll(/data-action="([A-Za-z]+)"/g)].map((m) => m[1]);
    assert.deepEqual([...new Set([...own, ...buttons])].sort(), [...DASHBOARD_MESSAGE_TYPES].sort());
  });

  it('builds button attributes that dataset turns back into the message', () => {
    assert.equal(dashboardButton({ type: 'openCase', case: 'a"<b' }), 'data-action="openCase" data-case="a&quot;&lt;b"');
    assert.deepEqual(parseDashboardMessage({ type: 'openCase', case: 'a"<b' }), { type: 'openCase', case: 'a"<b' });
  });

  it('accepts only well-formed messages from the page', () => {
    assert.deepEqual(parseDashboardMessage({ type: 'practiseNext', extra: 1 }), { type: 'practiseNext' });
    for (const bad of [
      null,
      'ready',
      {},
      { type: 'nope' },
      { type: 'openCase' },
      { type: 'openCase', case: '' },
      { type: 'openCase', case: 3 },
      { type: 'toString' },
    ]) {
      assert.equal(parseDashboardMessage(bad), undefined, JSON.stringify(bad));
    }
  });

  it('dispatches each message to its own handler only', () => {
    const calls: string[] = [];
    const handlers = Object.fromEntries(DASHBOARD_MESSAGE_TYPES.map((t) => [t, () => calls.push(t)])) as unknown as DashboardMessageHandlers<void>;
    const messages: DashboardMessage[] = [{ type: 'ready' }, { type: 'openCase', case: 'c1' }, { type: 'practiseNext' }, { type: 'exportJournal' }];
    assert.deepEqual(messages.map((m) => m.type).sort(), [...DASHBOARD_MESSAGE_TYPES].sort());
    for (const m of messages) {
      calls.length = 0;
      dispatchDashboardMessage(m, handlers);
      assert.deepEqual(calls, [m.type]);
    }
  });
});
