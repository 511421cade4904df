// The claim-line rule (core/claim.ts) is the one the sheet and the grader share: they must agree.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { claimLineKey, diagnosisSequence } from '../../src/core/claim';
import { learnerLines } from '../../src/core/grade';
import { buildSheet, tagsAt } from '../../src/core/sheet';
import { tag, work } from './grade-fixtures';

describe('claim lines', () => {
  it('groups procedures by system, code and set of modifiers in any order or case', () => {
    assert.equal(claimLineKey('CPT', '20610', ['rt', '59']), claimLineKey('CPT', '20610', ['59', 'RT', '59']));
    assert.notEqual(claimLineKey('CPT', '20610', ['RT']), claimLineKey('CPT', '20610', ['LT']));
    assert.equal(claimLineKey('ICD-10-CM', 'e11.9', []), claimLineKey('ICD-10-CM', 'E119', []));
  });

  it('the sheet and the grader see the same lines in the same diagnosis order (property)', () => {
    const codes = fc.constantFrom('E11.9', 'e119', 'I10', 'J18.9', '99213', '20610', 'J1100');
    const mods = fc.array(fc.constantFrom('25', '59', 'rt', 'RT', 'LT'), { maxLength: 3 });
    fc.assert(
      fc.property(fc.array(fc.tuple(codes, mods), { maxLength: 8 }), (specs) => {
        const w = work(specs.map(([code, modifiers], i) => tag(code, { id: `t-${i}`, modifiers })));
        const sheet = buildSheet(w);
        const lines = learnerLines(w);
        assert.equal(sheet.diagnoses.length + sheet.procedures.length, lines.length);
        assert.deepEqual(
          sheet.diagnoses.map((d) => d.code.replace('.', '')),
          lines.filter((l) => l.kind === 'diagnosis').map((l) => l.code),
        );
        assert.deepEqual(
          diagnosisSequence(w.tags),
          lines.filter((l) => l.kind === 'diagnosis').map((l) => l.code),
        );
      }),
    );
  });

  it('finds the tags at an offset, the end included (a caret just after the text is on it)', () => {
    const w = work([tag('I10', { id: 'a', anchor: { start: 5, end: 10, quote: 'xxxxx', prefix: '', suffix: '' } }), tag('E11.9', { id: 'b' })]);
    assert.deepEqual(
      tagsAt(w, 4).map((t) => t.id),
      [],
    );
    assert.deepEqual(
      tagsAt(w, 5).map((t) => t.id),
      ['a'],
    );
    assert.deepEqual(
      tagsAt(w, 10).map((t) => t.id),
      ['a'],
    );
    assert.deepEqual(
      tagsAt(w, 11).map((t) => t.id),
      [],
    );
    const detached = work([tag('I10', { id: 'a', detached: true, anchor: { start: 5, end: 10, quote: 'xxxxx', prefix: '', suffix: '' } })]);
    assert.deepEqual(tagsAt(detached, 7), []);
  });
});
