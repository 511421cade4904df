import assert from 'node:assert/strict';
import { DEFAULT_POLICY } from '../../src/core/model';
import { grade, packTotals } from '../../src/core/grade';
import { NO_KEY_MESSAGE, renderCaseReport, renderMarkdown, renderPackReport } from '../../src/core/report';
import { learnerAgreement } from '../../src/core/agreement';
import { disputeLine, withDispute } from '../../src/core/disputes';
import { at, dx, key, note, px, tag, work } from './grade-fixtures';

const HOSTILE = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(2)>',
  '[click me](javascript:alert(3))',
  '[data](data:text/html;base64,PHNjcmlwdD4=)',
  '[spaced](  JaVaScRiPt:alert(4))',
  '[entity](jav&#x61;script:alert(5))',
  '![pixel](https://tracker.example/p.png)',
  '<iframe src="https://evil.example"></iframe>',
  '<a href="https://x" onclick="alert(6)">x</a>',
].join('\n\n');

/** What must never appear in HTML built from hostile pack text. */
function assertInert(html: string): void {
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc="vscode-resource:\/\/media\/report\.js")/i, 'a script element other than report.js');
  assert.doesNotMatch(html, /<img/i);
  assert.doesNotMatch(html, /<iframe/i);
  assert.doesNotMatch(html, /<[^>]*\son[a-z]+\s*=/i, 'an inline event handler in a tag');
  assert.doesNotMatch(html, /href\s*=\s*"\s*(javascript|data|vbscript):/i);
}

const WEBVIEW = {
  nonce: 'abc123',
  cspSource: 'vscode-resource:',
  styleHref: 'vscode-resource://media/report.css',
  scriptSrc: 'vscode-resource://media/report.js',
};

function sampleCase(rationale = 'Plain **rationale**.', why = 'Because.') {
  const k = key([dx('J18.9', { evidence: ['pneumonia'], why })], [px('99214', { modifiers: ['25'] })], rationale);
  const w = work([tag('J18.9', { id: 'tag-1', anchor: at('Pneumonia') }), tag('99214'), tag('R05.1', { system: 'ICD-10-CM' })]);
  const n = note();
  return { k, n, result: grade(n, k, w, DEFAULT_POLICY) };
}

describe('report: renderMarkdown', () => {
  it('keeps http(s) and relative links, renders others as text', () => {
    const html = renderMarkdown('[a](https://example.org) [b](notes/x.md) [c](javascript:alert(1)) [d](//evil.example/x)');
    assert.match(html, /<a href="https:\/\/example\.org" rel="noopener noreferrer">a<\/a>/);
    assert.match(html, /<a href="notes\/x\.md" rel="noopener noreferrer">b<\/a>/);
    assert.match(html, /\[c\]\(javascript:alert\(1\)\)/);
    assert.doesNotMatch(html, /href="\/\/evil/);
  });

  it('shows a remote image as a link instead of loading it', () => {
    assert.equal(
      renderMarkdown('![chart](https://example.org/c.png)'),
      '<p><a href="https://example.org/c.png" rel="noopener noreferrer" class="image-link">image: chart</a></p>\n',
    );
  });

  it('escapes raw HTML instead of passing it through', () => {
    const html = renderMarkdown(HOSTILE);
    assertInert(html);
    assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  });
});

describe('report: renderCaseReport', () => {
  it('sets a nonce CSP and loads only report.css and report.js in the webview', () => {
    const { k, n, result } = sampleCase();
    const html = renderCaseReport(result, k, n, WEBVIEW);
    assert.match(
      html,
      /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src vscode-resource: &#39;nonce-abc123&#39;; script-src &#39;nonce-abc123&#39;; img-src vscode-resource: data:;">/,
    );
    assert.match(html, /<script nonce="abc123" src="vscode-resource:\/\/media\/report\.js"><\/script>/);
    assert.match(html, /<link rel="stylesheet" href="vscode-resource:\/\/media\/report\.css" nonce="abc123">/);
    assert.equal(html.match(/<script/g)?.length, 1);
  });

  it('writes static HTML with the CSS inlined and no script at all', () => {
    const { k, n, result } = sampleCase();
    const html = renderCaseReport(result, k, n, { inlineStyle: 'body { color: red }' });
    assert.match(html, /content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;; img-src data:"/);
    assert.match(html, /<style>body \{ color: red \}<\/style>/);
    assert.doesNotMatch(html, /<script|<button|data-action/);
  });

  it('shows score, badge, sequence and every line with status, codes, points and reasons', () => {
    const { k, n, result } = sampleCase();
    const html = renderCaseReport(result, k, n, WEBVIEW);
    assert.match(html, /<h1 id="case-c1-title">Case one<\/h1>/);
    assert.match(html, /class="earned">1\.3 \/ 2<\/span> <span class="percent">65%<\/span>/);
    assert.match(html, /class="badge fail"/);
    assert.match(html, /First-listed diagnosis: <code>J18\.9<\/code>/);
    assert.match(html, /<li>modifier 25 missing<\/li>/);
    assert.match(html, /<li>R05\.1 is not in the key \(−0\.5\)<\/li>/);
    assert.match(html, /−0\.5 \/ 0/);
    assert.match(html, /<details class="why"><summary>Why<\/summary><p>Because\.<\/p>/);
    assert.match(html, /<strong>rationale<\/strong>/);
    assert.match(html, /Your tagged text supports this code/);
  });

  it('offers Show Evidence for key lines with evidence and Show My Tag for lines with tags', () => {
    const { k, n, result } = sampleCase();
    const html = renderCaseReport(result, k, n, WEBVIEW);
    assert.match(html, /<button type="button" data-action="showEvidence" data-key-index="0" data-kind="diagnosis">Show Evidence<\/button>/);
    assert.match(html, /<button type="button" data-action="showTag" data-tag-id="tag-1">Show My Tag<\/button>/);
    assert.equal(html.match(/data-action="showEvidence"/g)?.length, 1);
  });

  it('renders hostile titles, codes, reasons, why and rationale inert', () => {
    const { k, n, result } = sampleCase(HOSTILE, HOSTILE);
    const hostileNote = { ...n, title: '<script>alert("t")</script>' };
    const hostileResult = {
      ...result,
      lines: [...result.lines, { ...result.lines[2], reasons: ['<img src=x onerror=alert(7)>'], tagIds: ['"><script>x</script>'] }],
    };
    const html = renderCaseReport(hostileResult, k, hostileNote, {
      ...WEBVIEW,
      descriptions: () => '<b onmouseover=alert(8)>desc</b>',
      history: [{ time: '<script>', percent: 0.5, passed: false }],
    });
    assertInert(html);
    assert.match(html, /&lt;script&gt;alert\(&quot;t&quot;\)&lt;\/script&gt;/);
  });

  it('says clearly that a released pack has no key', () => {
    const html = renderCaseReport({ ...sampleCase().result, keyed: false, lines: [] }, undefined, note(), WEBVIEW);
    assert.ok(html.includes(NO_KEY_MESSAGE));
    assert.doesNotMatch(html, /class="lines"/);
  });

  it('lists earlier attempts and the code metrics', () => {
    const { k, n, result } = sampleCase();
    const html = renderCaseReport(result, k, n, { ...WEBVIEW, history: [{ time: '2026-11-24T10:15:00.000Z', percent: 0.5, passed: false }] });
    assert.match(html, /<h3>Earlier attempts<\/h3><ol><li><time datetime="2026-11-24T10:15:00.000Z">2026-11-24 10:15<\/time> — 50% fail<\/li><\/ol>/);
    assert.match(
      html,
      /<strong>ICD-10-CM<\/strong>: 1 of your 2 codes was right; you found 1 of the 1 code expected\. <span class="hint">\(precision 50%, recall 100%, F1 66\.7%\)<\/span>/,
    );
  });
});

describe('report: honest lines', () => {
  it('shows a line that lost points as Partial, never Exact', () => {
    const k = key([], [px('73110', { modifiers: ['RT'] })]);
    const html = renderCaseReport(grade(note(), k, work([tag('73110')]), DEFAULT_POLICY), k, note(), WEBVIEW);
    assert.match(html, /<span class="status status-partial"><span aria-hidden="true">◐ <\/span>Partial<\/span>/);
    assert.doesNotMatch(html, /Exact/);
    assert.match(html, /modifier RT missing/);
  });

  it('says "no text tagged" for a code added without text, and shows the pass mark', () => {
    const k = key([dx('J18.9', { evidence: ['Pneumonia'] })]);
    const html = renderCaseReport(grade(note(), k, work([tag('J18.9')]), DEFAULT_POLICY), k, note(), WEBVIEW);
    assert.match(html, /No text tagged: you added this code without selecting the words that support it\./);
    assert.doesNotMatch(html, /not where the note supports/);
    assert.match(html, /pass mark 70%/);
  });
});

describe('report: error types and scoring profile', () => {
  it('lists the points each line lost by error type', () => {
    const k = key([dx('E11.9')], [px('99214', { modifiers: ['25'] })]);
    const html = renderCaseReport(grade(note(), k, work([tag('E11.65'), tag('99214')]), DEFAULT_POLICY), k, note(), WEBVIEW);
    assert.match(html, /<li class="error-type">specificity <span class="lost">−0\.5<\/span><\/li>/);
    assert.match(html, /<li class="error-type">modifier <span class="lost">−0\.2<\/span><\/li>/);
    assert.doesNotMatch(html, /Practicode/);
  });

  it('says when the practicode profile graded the case and what it divided by', () => {
    const k = key([dx('J18.9')]);
    const result = grade(note(), k, work([tag('J18.9'), tag('R05.9')]), { ...DEFAULT_POLICY, profile: 'practicode' });
    assert.match(renderCaseReport(result, k, note(), WEBVIEW), /Practicode profile: right lines divided by the 2 lines you entered/);
  });
});

describe('report: renderPackReport', () => {
  const { k, n, result } = sampleCase();
  const unattempted = grade({ ...n, id: 'c2', areas: ['Medicine'] }, { ...k, case: 'c2' }, undefined, DEFAULT_POLICY);
  const pack = packTotals('demo', [result, unattempted], DEFAULT_POLICY);

  it('shows the overall score, a bar per area, and a button per case in the webview', () => {
    const html = renderPackReport(pack, { ...WEBVIEW, title: 'Demo <Pack>' });
    assert.match(html, /<h1>Demo &lt;Pack&gt;<\/h1>/);
    // c2 was not attempted: its missing diagnosis counts toward ICD-10-CM, its missing 99214 toward Medicine.
    assert.match(html, /<th scope="row">ICD-10-CM<\/th><td data-label="Score">1\.3 \/ 3 \(43\.3%\)<\/td>/);
    assert.match(html, /<th scope="row">Medicine<\/th><td data-label="Score">0 \/ 1 \(0%\)<\/td>/);
    assert.match(html, /<rect class="bar-fill" x="0" y="0" width="43.3" height="8">/);
    assert.match(html, /<button type="button" data-action="openCase" data-case="c2">Open<\/button>/);
    assert.match(html, /not attempted \(0 \/ 2\)/);
    assert.match(html, /Cases attempted \(1 of 2\): <span class="earned">1\.3 \/ 2<\/span> <span class="percent">65%<\/span>/);
    assert.match(html, /Whole pack: <span class="earned">1\.3 \/ 4<\/span>/);
    assert.doesNotMatch(html, /\sstyle=/, 'inline styles are blocked by the CSP');
  });

  it('appends every case report, linked from the list, for the static per-learner file', () => {
    const packData = { root: '/p', manifest: { format: 1 as const, id: 'demo', title: 'Demo' }, cases: [n], keys: new Map([['c1', k]]), glossary: [] };
    const html = renderPackReport(pack, { learner: 'Ann <Lee>', details: packData });
    assert.match(html, /Learner: Ann &lt;Lee&gt;/);
    assert.match(html, /<a href="#case-c1">Details<\/a>/);
    assert.match(html, /<section class="case" id="case-c1" aria-labelledby="case-c1-title"><header class="case-head"><h2 id="case-c1-title">Case one<\/h2>/);
    assert.doesNotMatch(html, /<script|<button/);
  });

  it('says so when no case has a key', () => {
    const html = renderPackReport({ ...pack, cases: pack.cases.map((c) => ({ ...c, keyed: false })), areas: [] }, {});
    assert.ok(html.includes(NO_KEY_MESSAGE));
  });
});

describe('report: disputes and agreement with the key (issue 16)', () => {
  const { k, n, result } = sampleCase();
  const base = work([tag('J18.9', { id: 'tag-1', anchor: at('Pneumonia') }), tag('99214'), tag('R05.1', { system: 'ICD-10-CM' })]);
  const disputed = withDispute(base, 'procedure 99214-25', 'The note has no separate E/M <b>service</b>.', new Date('2026-03-01T09:00:00Z'));

  it('offers "I Disagree…" on every graded line in the webview, naming the line', () => {
    const html = renderCaseReport(result, k, n, { ...WEBVIEW, work: base });
    const lines = [...html.matchAll(/data-action="dispute" data-line="([^"]+)">I Disagree…/g)].map((m) => m[1]);
    assert.deepEqual(lines, result.lines.map(disputeLine));
    assert.deepEqual(lines, ['diagnosis J18.9', 'extra diagnosis R05.1', 'procedure 99214-25']);
  });

  it("shows the learner's note next to its line (escaped), with Edit My Note… instead", () => {
    const html = renderCaseReport(result, k, n, { ...WEBVIEW, work: disputed });
    const row = html.split('<tr class="line').find((r) => r.includes('data-line="procedure 99214-25"'));
    assert.ok(row);
    assert.match(row, /Your note on this line \(2026-03-01\):<\/p><p class="dispute-note">The note has no separate E\/M &lt;b&gt;service&lt;\/b&gt;\.<\/p>/);
    assert.match(row, /data-action="dispute" data-line="procedure 99214-25">Edit My Note…/);
    assert.equal(html.match(/class="dispute-note"/g)?.length, 1, 'only on that line');
  });

  it('shows the note without buttons in the static HTML of the command line', () => {
    const p = packTotals('p', [result], DEFAULT_POLICY);
    const html = renderPackReport(p, { inlineStyle: '', details: { cases: [n], keys: new Map([['c1', k]]) } as never, works: new Map([['c1', disputed]]) });
    assert.match(html, /class="dispute-note">The note has no separate/);
    assert.doesNotMatch(html, /data-action/);
  });

  it("shows agreement, F1 and kappa at code and category level: the case's row and the pack's overall", () => {
    const keys = [{ ...k, case: 'c1' }];
    const agreement = learnerAgreement(keys, [base]);
    // Key J18.9, 99214; learner J18.9, 99214, R05.1: both 2, learner only 1, neither 0 (universe 3) →
    // agreement 2/3, F1 0.8, po 2/3 = pe (2·3 + 1·0)/9, so kappa 0.
    const c = renderCaseReport(result, k, n, { ...WEBVIEW, work: base, agreement });
    assert.match(c, /<h3>Agreement with the key<\/h3>/);
    assert.match(c, /<th scope="row">Full code<\/th><td data-label="Agreement">66\.7%<\/td><td data-label="F1">80%<\/td><td data-label="Kappa">0\.00<\/td>/);
    assert.match(c, /Over the 3 codes you entered and the 2 codes the key expects/);
    const p = renderPackReport(packTotals('p', [result], DEFAULT_POLICY), { ...WEBVIEW, agreement });
    assert.match(p, /<h2>Agreement with the key<\/h2>/);
    assert.match(p, /Over the 1 case attempted/);
    assert.match(p, /<th scope="row">Category \(first 3 characters\)<\/th><td data-label="Agreement">66\.7%<\/td>/);
  });

  it('shows no agreement for a case not attempted, nor without figures', () => {
    const blank = grade(n, k, work([]), DEFAULT_POLICY);
    const agreement = learnerAgreement([k], [work([])]);
    assert.doesNotMatch(renderCaseReport(blank, k, n, { ...WEBVIEW, agreement }), /Agreement with the key/);
    assert.doesNotMatch(renderPackReport(packTotals('p', [blank], DEFAULT_POLICY), { ...WEBVIEW, agreement }), /Agreement with the key/);
    assert.doesNotMatch(renderCaseReport(result, k, n, WEBVIEW), /Agreement with the key/);
  });
});
