// The report webview's protocol: media/report.js (plain JS) must send exactly the messages of
// src/core/reportProtocol.ts, the host must accept only well-formed ones, and dispatch must route
// each to its own handler (a `ready` opens nothing).
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { DEFAULT_POLICY } from '../../src/core/model';
import { grade, packTotals } from '../../src/core/grade';
import { renderCaseReport, renderPackReport } from '../../src/core/report';
import {
  buttonAttributes,
  dispatchReportMessage,
  parseReportMessage,
  REPORT_MESSAGE_TYPES,
  type ReportMessage,
  type ReportMessageHandlers,
} from '../../src/core/reportProtocol';
import { at, dx, key, note, px, tag, work } from './grade-fixtures';

const SCRIPT = fs.readFileSync(path.join(__dirname, '..', '..', 'media', 'report.js'), 'utf8');
const WEBVIEW = { nonce: 'n', cspSource: 'vscode-resource:', styleHref: 'report.css', scriptSrc: 'report.js' };

describe('report protocol', () => {
  it('media/report.js sends exactly the protocol message types (its own, plus a data-action per button core/report builds)', () => {
    const own = [...SCRIPT.matchAll(/postMessage\(\{\s*type:\s*'([A-Za-z]+)'/g)].map((m) => m[1]);
    assert.match(SCRIPT, /postMessage\(\{\s*type:\s*action,\s*\.\.\.data\s*\}\)/, 'buttons post { type: data-action, ...data-* }');
    const k = key([dx('J18.9', { evidence: ['pneumonia'] })], [px('99214')]);
    const result = grade(note(), k, work([tag('J18.9', { id: 't-1', anchor: at('Pneumonia') }), tag('99214')]), DEFAULT_POLICY);
    const html = renderCaseReport(result, k, note(), WEBVIEW) + renderPackReport(packTotals('p', [result], DEFAULT_POLICY), WEBVIEW);
    const buttons = [...html.matchAll(/data-action="([A-Za-z]+)"/g)].map((m) => m[1]);
    assert.deepEqual([...new Set([...own, ...buttons])].sort(), [...REPORT_MESSAGE_TYPES].sort());
  });

  it('builds button attributes that dataset turns back into the message', () => {
    const attrs = buttonAttributes({ type: 'showEvidence', kind: 'procedure', keyIndex: 2 });
    assert.equal(attrs, 'data-action="showEvidence" data-kind="procedure" data-key-index="2"');
    assert.equal(buttonAttributes({ type: 'showTag', tagId: '"><x' }), 'data-action="showTag" data-tag-id="&quot;&gt;&lt;x"');
    // What report.js posts for that button: dataset values are text.
    assert.deepEqual(parseReportMessage({ type: 'showEvidence', kind: 'procedure', keyIndex: '2' }), { type: 'showEvidence', kind: 'procedure', keyIndex: 2 });
  });

  it('accepts only well-formed messages from the page', () => {
    assert.deepEqual(parseReportMessage({ type: 'ready' }), { type: 'ready' });
    assert.deepEqual(parseReportMessage({ type: 'openCase', case: 'c1', extra: 1 }), { type: 'openCase', case: 'c1' });
    assert.deepEqual(parseReportMessage({ type: 'dispute', line: 'diagnosis E11.9' }), { type: 'dispute', line: 'diagnosis E11.9' });
    for (const bad of [
      null,
      'ready',
      {},
      { type: 'nope' },
      { type: 'showTag' },
      { type: 'showEvidence', kind: 'x', keyIndex: '0' },
      { type: 'showEvidence', kind: 'diagnosis', keyIndex: '-1' },
      { type: 'openLink', href: 3 },
      { type: 'dispute' },
      { type: 'dispute', line: '' },
      { type: 'dispute', line: 'x'.repeat(201) },
    ]) {
      assert.equal(parseReportMessage(bad), undefined, JSON.stringify(bad));
    }
  });

  it('dispatches each message to its own handler only: a ready opens no note', () => {
    const calls: string[] = [];
    const handlers = Object.fromEntries(REPORT_MESSAGE_TYPES.map((t) => [t, () => calls.push(t)])) as unknown as ReportMessageHandlers<void>;
    const messages: ReportMessage[] = [
      { type: 'ready' },
      { type: 'showEvidence', kind: 'diagnosis', keyIndex: 0 },
      { type: 'showTag', tagId: 't-1' },
      { type: 'openCase', case: 'c1' },
      { type: 'openLink', href: 'keys/c1.md' },
      { type: 'dispute', line: 'procedure 99214-25' },
    ];
    for (const m of messages) {
      calls.length = 0;
      dispatchReportMessage(m, handlers);
      assert.deepEqual(calls, [m.type]);
    }
  });
});
