// The grading report as HTML: one builder for the editor's webview (nonce CSP, media/report.js for
// the buttons) and for the command line's self-contained per-learner file (CSS inlined, no script).
// Everything that comes from a pack is escaped, or rendered by markdown-it with raw HTML off.
import MarkdownIt from 'markdown-it';
import type { AgreementReport, Figures } from './agreement';
import { disputeLine, readDisputes, type Dispute } from './disputes';
import { buttonAttributes } from './reportProtocol';
import type { AnswerKey, CaseNote, CaseResult, CodeSystem, KeyLine, LineResult, LineStatus, LineSummary, Pack, PackResult, WorkFile } from './model';

export interface ReportOptions {
  /** Webview: nonce for the CSP and the script tag; absent for the CLI's static HTML (then no script at all). */
  nonce?: string;
  /** webview.cspSource */
  cspSource?: string;
  /** Webview URI of media/report.css (and more style sheets after it); when absent, the CSS is inlined from `inlineStyle`. */
  styleHref?: string | string[];
  /** Webview URI of media/report.js */
  scriptSrc?: string;
  /** The text of media/report.css for self-contained HTML. */
  inlineStyle?: string;
  descriptions?: (system: CodeSystem, code: string) => string | undefined;
  /** Earlier attempts of this case. */
  history?: Array<{ time: string; percent: number; passed: boolean }>;
  /** The case's work: its disputes are shown next to their lines. */
  work?: WorkFile;
  /** The learner against the key over the pack (core/agreement `learnerAgreement`): a case shows its row, a pack the overall. */
  agreement?: AgreementReport;
}

export interface PackReportOptions extends ReportOptions {
  learner?: string;
  /** The pack's title for the heading (the result only carries its id). */
  title?: string;
  /** When given, each case's full report follows the summary (the CLI's per-learner file). */
  details?: Pack;
  /** The learner's work by case, for the disputes in the details. */
  works?: ReadonlyMap<string, WorkFile>;
}

export const NO_KEY_MESSAGE = 'This pack has no answer key for this case (a released pack): grading needs the key from your instructor.';

// ---- text ----

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Only http(s) and relative links become links; `javascript:`, `data:`, `//host` and the like stay text. */
function isSafeLink(url: string): boolean {
  const u = url.trim();
  if (/^[/\\]{2}/.test(u) || /^\/%5c/i.test(u) || u.includes('\\')) return false;
  const beforePath = u.split(/[/?#]/, 1)[0];
  if (!beforePath.includes(':')) return true;
  return /^https?:$/i.test(beforePath);
}

const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false });
markdown.validateLink = isSafeLink;
markdown.renderer.rules.link_open = (tokens, idx, options, _env, self) => {
  tokens[idx].attrSet('rel', 'noopener noreferrer');
  return self.renderToken(tokens, idx, options);
};
// A remote image would be a request the reader did not ask for: show it as a link instead.
markdown.renderer.rules.image = (tokens, idx) => {
  const token = tokens[idx];
  const src = String(token.attrGet('src') ?? '');
  const alt = token.children ? markdown.renderer.renderInlineAsText(token.children, markdown.options, {}) : token.content;
  const label = `image: ${alt || src}`;
  return `<a href="${escapeHtml(src)}" rel="noopener noreferrer" class="image-link">${escapeHtml(label)}</a>`;
};

/** Markdown from a pack, made inert: no raw HTML, no unsafe links, no remote images. */
export function renderMarkdown(text: string): string {
  return markdown.render(text);
}

export function percentText(fraction: number): string {
  return `${Math.round(fraction * 1000) / 10}%`;
}

function pointsText(n: number): string {
  return n < 0 ? `−${Math.abs(n)}` : String(n);
}

/** An id safe for an HTML id attribute and a #fragment. */
function anchorId(caseId: string): string {
  return `case-${caseId.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

// ---- the page ----

/** The webviews' CSP (report and progress dashboard): nothing but the page's nonce and the extension's media/. */
export function webviewCsp(nonce: string, cspSource?: string): string {
  const source = cspSource ? `${cspSource} ` : '';
  return `default-src 'none'; style-src ${source}'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src ${source}data:;`;
}

/** A whole report page: the CSP (nonce in the webview, none needed for the static file), styles, the script. */
export function page(title: string, main: string, options: ReportOptions): string {
  const nonce = options.nonce;
  const csp = nonce ? webviewCsp(nonce, options.cspSource) : `default-src 'none'; style-src 'unsafe-inline'; img-src data:`;
  let style = '';
  const hrefs = options.styleHref === undefined ? [] : [options.styleHref].flat();
  if (hrefs.length) style = hrefs.map((href) => `<link rel="stylesheet" href="${escapeHtml(href)}"${nonce ? ` nonce="${escapeHtml(nonce)}"` : ''}>`).join('');
  else if (options.inlineStyle) {
    style = `<style${nonce ? ` nonce="${escapeHtml(nonce)}"` : ''}>${options.inlineStyle.replace(/<\//g, '<\\/')}</style>`;
  }
  const script = nonce && options.scriptSrc ? `<script nonce="${escapeHtml(nonce)}" src="${escapeHtml(options.scriptSrc)}"></script>` : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
${style}
</head>
<body>
<main class="report">
${main}
</main>
${script}
</body>
</html>
`;
}

export function badge(passed: boolean): string {
  return passed
    ? '<span class="badge pass"><span aria-hidden="true">✓ </span>PASS</span>'
    : '<span class="badge fail"><span aria-hidden="true">✗ </span>FAIL</span>';
}

export function bar(fraction: number, label: string): string {
  // SVG attributes, not a style attribute: the webview's CSP allows no inline styles.
  const width = Math.max(0, Math.min(100, Math.round(fraction * 1000) / 10));
  return `<svg class="bar" viewBox="0 0 100 8" preserveAspectRatio="none" role="img" aria-label="${escapeHtml(label)}"><rect class="bar-track" x="0" y="0" width="100" height="8"></rect><rect class="bar-fill" x="0" y="0" width="${width}" height="8"></rect></svg>`;
}

// ---- a case ----

const STATUS_TEXT: Record<LineStatus, { label: string; icon: string }> = {
  exact: { label: 'Exact', icon: '✓' },
  accepted: { label: 'Accepted', icon: '✓' },
  near: { label: 'Near miss', icon: '≈' },
  missing: { label: 'Missing', icon: '✗' },
  extra: { label: 'Extra', icon: '+' },
  optional: { label: 'Optional', icon: '○' },
};
const PARTIAL = { label: 'Partial', icon: '◐' };

/** A matched line that lost points is partial, whatever matched: never shown as exact. */
function statusOf(line: LineResult): { label: string; icon: string; css: string } {
  if ((line.status === 'exact' || line.status === 'accepted') && line.errors.length > 0) return { ...PARTIAL, css: 'partial' };
  return { ...STATUS_TEXT[line.status], css: line.status };
}

function codeCell(line: LineSummary | null, options: ReportOptions): string {
  if (!line) return '<span class="none">—</span>';
  const parts = [`<code class="code">${escapeHtml(line.code)}</code>`];
  for (const m of line.modifiers) parts.push(`<span class="modifier" title="modifier">-${escapeHtml(m)}</span>`);
  if (line.units !== 1) parts.push(`<span class="units">× ${escapeHtml(String(line.units))}</span>`);
  if (line.links.length)
    parts.push(
      `<span class="links"><span aria-hidden="true">→</span><span class="visually-hidden">points to</span> ${line.links.map((l) => escapeHtml(l)).join(', ')}</span>`,
    );
  const description = options.descriptions?.(line.system, line.code);
  if (description) parts.push(`<span class="description">${escapeHtml(description)}</span>`);
  return `<span class="system">${escapeHtml(line.system)}</span> ${parts.join(' ')}`;
}

function keyLineOf(key: AnswerKey | undefined, line: LineResult): KeyLine | undefined {
  if (!key || line.keyIndex === undefined) return undefined;
  return (line.kind === 'diagnosis' ? key.diagnoses : key.procedures)[line.keyIndex];
}

function lineRow(line: LineResult, key: AnswerKey | undefined, options: ReportOptions, disputes: readonly Dispute[]): string {
  const status = statusOf(line);
  const keyLine = keyLineOf(key, line);
  const notes: string[] = [];
  if (line.reasons.length) notes.push(`<ul class="reasons">${line.reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>`);
  if (line.errors.length) {
    const lost = line.errors
      .map((e) => `<li class="error-type">${escapeHtml(e.type)} <span class="lost">−${escapeHtml(pointsText(e.points))}</span></li>`)
      .join('');
    notes.push(`<ul class="error-types" aria-label="Points lost by type">${lost}</ul>`);
  }
  if (line.entered && line.textTagged === false) {
    notes.push('<p class="evidence none">No text tagged: you added this code without selecting the words that support it.</p>');
  } else if (line.evidenceSupported !== undefined) {
    notes.push(
      line.evidenceSupported
        ? '<p class="evidence ok">Your tagged text supports this code.</p>'
        : '<p class="evidence not">Your tagged text is not where the note supports this code.</p>',
    );
  }
  if (keyLine?.why) notes.push(`<details class="why"><summary>Why</summary>${renderMarkdown(keyLine.why)}</details>`);
  const disputed = disputeLine(line);
  const dispute = disputes.find((d) => d.line === disputed);
  if (dispute) {
    notes.push(
      `<div class="dispute"><p class="dispute-label">Your note on this line (${escapeHtml(dispute.time.slice(0, 10))}):</p><p class="dispute-note">${escapeHtml(dispute.note)}</p></div>`,
    );
  }
  const buttons: string[] = [];
  if (options.nonce) {
    if (keyLine && keyLine.evidence.length > 0 && line.keyIndex !== undefined) {
      buttons.push(`<button type="button" ${buttonAttributes({ type: 'showEvidence', keyIndex: line.keyIndex, kind: line.kind })}>Show Evidence</button>`);
    }
    if (line.tagIds && line.tagIds.length > 0) {
      buttons.push(`<button type="button" ${buttonAttributes({ type: 'showTag', tagId: line.tagIds[0] })}>Show My Tag</button>`);
    }
    buttons.push(`<button type="button" ${buttonAttributes({ type: 'dispute', line: disputed })}>${dispute ? 'Edit My Note…' : 'I Disagree…'}</button>`);
  }
  return `<tr class="line status-${status.css}">
<td data-label="Status"><span class="status status-${status.css}"><span aria-hidden="true">${status.icon} </span>${status.label}</span> <span class="kind">${line.kind}</span></td>
<td data-label="Expected">${codeCell(line.expected, options)}</td>
<td data-label="Entered">${codeCell(line.entered, options)}</td>
<td data-label="Points" class="points">${escapeHtml(pointsText(line.earned))} / ${escapeHtml(String(line.possible))}</td>
<td data-label="Notes">${notes.join('\n') || '<span class="none">—</span>'}${buttons.length ? `<div class="actions">${buttons.join(' ')}</div>` : ''}</td>
</tr>`;
}

function sequenceNote(result: CaseResult): string {
  const s = result.sequence;
  if (!s || !s.expectedFirst || !result.attempted) return '';
  if (s.ok) return `<p class="sequence ok">First-listed diagnosis: <code>${escapeHtml(s.expectedFirst)}</code>, as the key expects.</p>`;
  const entered = s.enteredFirst ? `; you listed <code>${escapeHtml(s.enteredFirst)}</code> first` : '';
  return `<p class="sequence not">The first-listed diagnosis should be <code>${escapeHtml(s.expectedFirst)}</code>${entered}.</p>`;
}

function historyList(history: ReportOptions['history']): string {
  if (!history || history.length === 0) return '';
  const items = history
    .map(
      (h) =>
        `<li><time datetime="${escapeHtml(h.time)}">${escapeHtml(h.time.replace('T', ' ').slice(0, 16))}</time> — ${percentText(h.percent)} ${h.passed ? 'pass' : 'fail'}</li>`,
    )
    .join('');
  return `<section class="history" aria-label="Earlier attempts"><h3>Earlier attempts</h3><ol>${items}</ol></section>`;
}

function metricsTable(result: CaseResult): string {
  const rows = Object.entries(result.metrics ?? {});
  if (rows.length === 0) return '';
  const codes = (n: number) => `${n} code${n === 1 ? '' : 's'}`;
  const items = rows
    .map(([system, m]) => {
      const plain = `${m.right} of your ${codes(m.entered)} ${m.right === 1 ? 'was' : 'were'} right; you found ${m.found} of the ${codes(m.expected)} expected.`;
      return `<li><strong>${escapeHtml(system)}</strong>: ${escapeHtml(plain)} <span class="hint">(precision ${percentText(m.precision)}, recall ${percentText(m.recall)}, F1 ${percentText(m.f1)})</span></li>`;
    })
    .join('');
  return `<section class="metrics" aria-label="Code metrics"><h3>Codes found</h3><ul class="metrics-list">${items}</ul>
<p class="hint">Over distinct codes; exact and accepted codes count as right.</p></section>`;
}

/** The body of one case's report; `level` is the heading level of its title. */
function caseSection(result: CaseResult, key: AnswerKey | undefined, note: CaseNote | undefined, options: ReportOptions, level: 1 | 2): string {
  const h = `h${level}`;
  const sub = `h${level + 1}`;
  const title = note?.title ?? result.title ?? result.case;
  const id = anchorId(result.case);
  const head = `<header class="case-head"><${h} id="${id}-title">${escapeHtml(title)}</${h}><p class="case-id">${escapeHtml(result.case)}</p>`;
  if (!result.keyed || !key) {
    return `<section class="case" id="${id}" aria-labelledby="${id}-title">${head}</header><p class="notice" role="status">${escapeHtml(NO_KEY_MESSAGE)}</p></section>`;
  }
  const passMark = result.passMark !== undefined ? ` <span class="pass-mark">pass mark ${percentText(result.passMark)}</span>` : '';
  const score = `<p class="score"><span class="earned">${escapeHtml(String(result.earned))} / ${escapeHtml(String(result.possible))}</span> <span class="percent">${percentText(result.percent)}</span> ${badge(result.passed)}${passMark}</p>`;
  const attempted = result.attempted ? '' : '<p class="notice" role="status">You have not coded this case yet: every line is missing.</p>';
  const profile =
    result.profile === 'practicode'
      ? `<p class="profile">Scored with the Practicode profile: right lines divided by ${result.divisor === 'entered' ? `the ${escapeHtml(String(result.possible))} lines you entered (more than the key expects)` : `the ${escapeHtml(String(result.possible))} lines the key expects`}.</p>`
      : '';
  const disputes = readDisputes(options.work);
  const rows = result.lines.map((l) => lineRow(l, key, options, disputes)).join('\n');
  const table = result.lines.length
    ? `<table class="lines"><caption class="visually-hidden">Expected and entered lines</caption>
<thead><tr><th scope="col">Status</th><th scope="col">Expected</th><th scope="col">Entered</th><th scope="col">Points</th><th scope="col">Notes</th></tr></thead>
<tbody>
${rows}
</tbody></table>`
    : '<p class="none">No lines.</p>';
  // Keys usually open their body with their own "## Rationale" heading; add one only when they do not.
  const ownHeading = /^\s*#/.test(key.rationale) ? '' : `<${sub}>Rationale</${sub}>`;
  const rationale = key.rationale.trim() ? `<section class="rationale" aria-label="Rationale">${ownHeading}${renderMarkdown(key.rationale)}</section>` : '';
  return `<section class="case" id="${id}" aria-labelledby="${id}-title">${head}${score}</header>
${attempted}${profile}${sequenceNote(result)}
<section aria-label="Lines"><${sub}>Lines</${sub}>
${table}
</section>
${rationale}
${historyList(options.history)}
${metricsTable(result)}
${caseAgreement(result, options.agreement)}
</section>`;
}

// ---- agreement with the key ----

function kappaText(kappa: number | null): string {
  return kappa === null ? '<span title="undefined: chance agreement is 1">—</span>' : escapeHtml(kappa.toFixed(2));
}

/** The figures of `casebook agree` for the learner against the key, at code and category level. */
function agreementTable(figures: { code: Figures; category: Figures }, what: string, h: 'h2' | 'h3'): string {
  const row = (label: string, f: Figures) =>
    `<tr><th scope="row">${label}</th><td data-label="Agreement">${percentText(f.agreement)}</td><td data-label="F1">${percentText(f.f1)}</td><td data-label="Kappa">${kappaText(f.kappa)}</td></tr>`;
  return `<section class="agreement" aria-label="Agreement with the key"><${h}>Agreement with the key</${h}>
<table class="agreement-table"><caption class="visually-hidden">Agreement with the key, ${escapeHtml(what)}</caption>
<thead><tr><th scope="col">Level</th><th scope="col">Agreement</th><th scope="col">F1</th><th scope="col">Cohen's kappa</th></tr></thead><tbody>
${row('Full code', figures.code)}
${row('Category (first 3 characters)', figures.category)}
</tbody></table>
<p class="hint">${escapeHtml(what)}. Agreement: codes you and the key share ÷ codes either has; kappa corrects for chance over every code of the pack's keys (1 = full agreement, 0 = chance).</p></section>`;
}

function caseAgreement(result: CaseResult, agreement: AgreementReport | undefined): string {
  const row = result.attempted ? agreement?.cases.find((c) => c.case === result.case) : undefined;
  const codes = (n: number) => `${n} code${n === 1 ? '' : 's'}`;
  return row ? agreementTable(row, `Over the ${codes(row.b)} you entered and the ${codes(row.a)} the key expects`, 'h3') : '';
}

export function renderCaseReport(result: CaseResult, key: AnswerKey | undefined, note: CaseNote | undefined, options: ReportOptions): string {
  const title = note?.title ?? result.title ?? result.case;
  return page(`Report: ${title}`, caseSection(result, key, note, options, 1), options);
}

// ---- a pack ----

export function renderPackReport(result: PackResult, options: PackReportOptions): string {
  const title = options.title ?? result.title ?? result.pack;
  const keyed = result.cases.filter((c) => c.keyed);
  const parts: string[] = [];
  parts.push(
    `<header class="pack-head"><h1>${escapeHtml(title)}</h1>${options.learner ? `<p class="learner">Learner: ${escapeHtml(options.learner)}</p>` : ''}`,
  );
  if (keyed.length === 0) {
    parts.push(`</header><p class="notice" role="status">${escapeHtml(NO_KEY_MESSAGE)}</p>`);
  } else {
    const t = result.attempted;
    const passMark = result.passMark !== undefined ? ` <span class="pass-mark">pass mark ${percentText(result.passMark)}</span>` : '';
    const tried = t
      ? t.cases === 0
        ? '<p class="score attempted">No case attempted yet.</p>'
        : `<p class="score attempted">Cases attempted (${t.cases} of ${keyed.length}): <span class="earned">${escapeHtml(String(t.earned))} / ${escapeHtml(String(t.possible))}</span> <span class="percent">${percentText(t.percent)}</span> ${badge(t.passed)}${passMark}</p>`
      : '';
    parts.push(
      `${tried}<p class="score whole">Whole pack: <span class="earned">${escapeHtml(String(result.earned))} / ${escapeHtml(String(result.possible))}</span> <span class="percent">${percentText(result.percent)}</span> ${badge(result.passed)}</p></header>`,
    );
  }
  if (result.areas.length) {
    const rows = result.areas
      .map(
        (a) =>
          `<tr><th scope="row">${escapeHtml(a.area)}</th><td data-label="Score">${escapeHtml(String(a.earned))} / ${escapeHtml(String(a.possible))} (${percentText(a.percent)})</td><td data-label="Chart" class="chart">${bar(a.percent, `${a.area}: ${percentText(a.percent)}`)}</td></tr>`,
      )
      .join('\n');
    parts.push(`<section class="areas" aria-label="Score by area"><h2>By area</h2>
<table class="area-table"><thead><tr><th scope="col">Area</th><th scope="col">Score</th><th scope="col"><span class="visually-hidden">Chart</span></th></tr></thead><tbody>
${rows}
</tbody></table></section>`);
  }
  const compared = options.agreement?.cases.length ?? 0;
  if (options.agreement && compared > 0) {
    parts.push(agreementTable(options.agreement.overall, `Over the ${compared} case${compared === 1 ? '' : 's'} attempted`, 'h2'));
  }
  const caseRows = result.cases
    .map((c) => {
      const name = escapeHtml(c.title ?? c.case);
      let open = '';
      if (options.nonce) open = `<button type="button" ${buttonAttributes({ type: 'openCase', case: c.case })}>Open</button>`;
      else if (options.details) open = `<a href="#${anchorId(c.case)}">Details</a>`;
      const score = !c.keyed
        ? 'no key'
        : !c.attempted
          ? `not attempted (0 / ${escapeHtml(String(c.possible))})`
          : `${escapeHtml(String(c.earned))} / ${escapeHtml(String(c.possible))} (${percentText(c.percent)})`;
      const verdict = c.keyed && c.attempted ? badge(c.passed) : '';
      return `<tr><th scope="row">${name} <span class="case-id">${escapeHtml(c.case)}</span></th><td data-label="Score">${score}</td><td data-label="Result">${verdict}</td><td data-label="">${open}</td></tr>`;
    })
    .join('\n');
  parts.push(`<section class="cases" aria-label="Cases"><h2>Cases</h2>
<table class="case-table"><thead><tr><th scope="col">Case</th><th scope="col">Score</th><th scope="col">Result</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead><tbody>
${caseRows}
</tbody></table></section>`);
  if (options.details) {
    const pack = options.details;
    const notes = new Map(pack.cases.map((c) => [c.id, c]));
    // Per-case history belongs to one case's report, not to a class-wide file.
    const caseOptions: ReportOptions = { ...options, history: undefined };
    for (const c of result.cases) parts.push(caseSection(c, pack.keys.get(c.case), notes.get(c.case), { ...caseOptions, work: options.works?.get(c.case) }, 2));
  }
  const heading = options.learner ? `${title} — ${options.learner}` : title;
  return page(`Report: ${heading}`, parts.join('\n'), options);
}
