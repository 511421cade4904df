// Error types: every point a line loses is named (docs/grading.md, "Error types"), and the types
// account for every point lost. Also the grader's firstListed, optional pointers and practicode profile.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { grade, resolvePolicy } from '../../src/core/grade';
import type { AnswerKey, ErrorType, LineResult, Policy, WorkFile } from '../../src/core/model';
import { at, dx, key, note, px, tag, work } from './grade-fixtures';

function types(line: LineResult): ErrorType[] {
  return line.errors.map((e) => e.type);
}

function only(k: AnswerKey, w: WorkFile, policy: Partial<Policy> = {}) {
  return grade(note(), k, w, resolvePolicy(policy));
}

describe('grade: error types, one per cause of lost points', () => {
  it('missing: a key line the learner did not enter loses its points as missing', () => {
    const r = only(key([dx('J18.9')], [px('99213')]), work([tag('J18.9')]));
    assert.deepEqual(r.lines[1].errors, [{ type: 'missing', points: 1 }]);
    assert.deepEqual(types(r.lines[0]), []);
  });

  it('extra: a line the key does not have loses the extra penalty as extra', () => {
    const r = only(key([dx('J18.9')]), work([tag('J18.9'), tag('R51.9')]));
    assert.deepEqual(r.lines[1].errors, [{ type: 'extra', points: 0.5 }]);
  });

  it("wrong-code: another category tagged on the key line's evidence names what was entered instead", () => {
    const k = key([dx('J18.9', { evidence: ['Pneumonia of the right lower lobe'] })]);
    const r = only(k, work([tag('J15.9', { anchor: at('Pneumonia') })]));
    const missing = r.lines.find((l) => l.status === 'missing')!;
    assert.deepEqual(missing.errors, [{ type: 'wrong-code', points: 1 }]);
    assert.equal(missing.instead, 'J15.9');
    assert.deepEqual(types(r.lines.find((l) => l.status === 'extra')!), ['extra']);
  });

  it('a code of another category tagged elsewhere is missing, not wrong-code', () => {
    const k = key([dx('J18.9', { evidence: ['Pneumonia of the right lower lobe'] })]);
    const r = only(k, work([tag('J15.9', { anchor: at('Flu shot') })]));
    assert.deepEqual(types(r.lines.find((l) => l.status === 'missing')!), ['missing']);
  });

  it('specificity: same category, another subcode, loses the near-miss share', () => {
    const r = only(key([dx('E11.9')]), work([tag('E11.65')]));
    assert.deepEqual(r.lines[0].errors, [{ type: 'specificity', points: 0.5 }]);
  });

  it('seventh-character: only the 7th character differs', () => {
    const r = only(key([dx('S52.531A')]), work([tag('S52.531D')]));
    assert.deepEqual(r.lines[0].errors, [{ type: 'seventh-character', points: 0.5 }]);
  });

  it('modifier: 99214 without 25 loses 0.2 as modifier (worked example 4)', () => {
    const r = only(key([], [px('99214', { modifiers: ['25'] })]), work([tag('99214')]));
    assert.deepEqual(r.lines[0].errors, [{ type: 'modifier', points: 0.2 }]);
  });

  it('units: J1100 ×1 for ×2 loses 0.0909 as units (worked example 6)', () => {
    const r = only(key([], [px('J1100', { units: 2 })]), work([tag('J1100', { units: 1 })]));
    assert.deepEqual(r.lines[0].errors, [{ type: 'units', points: 0.0909 }]);
  });

  it('pointer: a wrong diagnosis pointer loses the links share', () => {
    const r = only(key([dx('J06.9'), dx('Z23')], [px('99213', { links: ['J06.9'] })]), work([tag('J06.9'), tag('Z23'), tag('99213', { links: ['Z23'] })]));
    assert.deepEqual(r.lines[2].errors, [{ type: 'pointer', points: 0.2 }]);
  });

  it('sequence: the right diagnoses in the wrong order lose the sequence penalty', () => {
    const r = only(key([dx('I10'), dx('E78.5')]), work([tag('E78.5'), tag('I10')]));
    assert.deepEqual(r.lines[0].errors, [{ type: 'sequence', points: 0.5 }]);
  });

  it('evidence: with evidence weighted, the right code on unsupported text loses as evidence', () => {
    const k = key([dx('J18.9', { evidence: ['Pneumonia of the right lower lobe'] })]);
    const r = only(k, work([tag('J18.9', { anchor: at('Flu shot') })]), { evidenceWeight: 0.25 });
    assert.deepEqual(r.lines[0].errors, [{ type: 'evidence', points: 0.2 }]);
  });

  it('example 14: a near miss and a pointer to it lose specificity, modifier and pointer points', () => {
    const r = only(key([dx('E11.9')], [px('99214', { modifiers: ['25'], links: ['E11.9'] })]), work([tag('E11.65'), tag('99214', { links: ['E11.65'] })]));
    assert.deepEqual(r.lines.map(types), [['specificity'], ['modifier', 'pointer']]);
    assert.ok(Math.abs(r.lines[1].errors.reduce((s, e) => s + e.points, 0) - (1 - 0.6667)) < 0.001);
  });

  it("property: each line's errors add up to its possible − earned", () => {
    const codes = ['E11.9', 'E11.65', 'I10', 'J18.9', 'J15.9', 'S52.531A', 'S52.531D', 'Z23'];
    const procs = ['99213', '99214', '20610', 'J1100', 'J3301'];
    const mods = ['25', '59', 'RT', 'LT'];
    const line = fc.record({ code: fc.constantFrom(...procs), modifiers: fc.subarray(mods), units: fc.integer({ min: 1, max: 4 }), links: fc.subarray(codes) });
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.constantFrom(...codes), { maxLength: 4 }),
        fc.uniqueArray(line, { maxLength: 3, selector: (l) => l.code }),
        fc.array(fc.constantFrom(...codes), { maxLength: 5 }),
        fc.array(line, { maxLength: 4 }),
        fc.record({
          evidenceWeight: fc.constantFrom(0, 0.25),
          partialCredit: fc.boolean(),
          profile: fc.constantFrom('casebook' as const, 'practicode' as const),
        }),
        (kd, kp, ld, lp, policy) => {
          const k = key(
            kd.map((c) => dx(c, { evidence: ['Pneumonia'] })),
            kp.map((p) => px(p.code, { modifiers: p.modifiers, units: p.units, links: p.links.filter((l) => kd.includes(l)) })),
          );
          if (k.diagnoses.length + k.procedures.length === 0) return;
          const w = work([
            ...ld.map((c) => tag(c, { anchor: at('Pneumonia') })),
            ...lp.map((p) => tag(p.code, { modifiers: p.modifiers, units: p.units, links: p.links })),
          ]);
          const r = grade(note(), k, w, resolvePolicy(policy));
          for (const l of r.lines) {
            const lostPoints = l.errors.reduce((s, e) => s + e.points, 0);
            assert.ok(Math.abs(lostPoints - (l.possible - l.earned)) < 0.0006, `${JSON.stringify(l)}`);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('grade: firstListed and optional pointers', () => {
  const k = { ...key([dx('E11.22'), dx('I12.9'), dx('N18.30')]), firstListed: ['E11.22', 'I12.9'] };

  it('accepts either allowed diagnosis first, with no sequence penalty', () => {
    for (const order of [
      ['E11.22', 'I12.9', 'N18.30'],
      ['I12.9', 'E11.22', 'N18.30'],
    ]) {
      const r = only(k, work(order.map((c) => tag(c))));
      assert.equal(r.percent, 1, order.join(','));
      assert.equal(r.sequence?.ok, true);
    }
  });

  it('still charges the penalty when a diagnosis not allowed first is first', () => {
    const r = only(k, work(['N18.30', 'E11.22', 'I12.9'].map((c) => tag(c))));
    assert.equal(r.earned, 2.5);
    assert.equal(r.sequence?.ok, false);
  });

  it('pointing a procedure at an optional diagnosis the learner entered costs nothing', () => {
    const kk = key([dx('J06.9'), dx('Z87.891', { optional: true })], [px('99213', { links: ['J06.9'] })]);
    const r = only(kk, work([tag('J06.9'), tag('Z87.891'), tag('99213', { links: ['J06.9', 'Z87.891'] })]));
    assert.equal(r.percent, 1);
    const listed = key([dx('J06.9'), dx('Z87.891', { optional: true })], [px('99213', { links: ['J06.9', 'Z87.891'] })]);
    assert.equal(only(listed, work([tag('J06.9'), tag('99213', { links: ['J06.9'] })])).percent, 1, 'nor is leaving it out when the key lists it');
  });
});

describe('grade: the practicode profile (docs/grading.md)', () => {
  const practicode = { profile: 'practicode' as const };

  it('P1: divides correct lines by the expected lines; an extra costs nothing when not over-coded', () => {
    const r = only(key([dx('J18.9'), dx('I10')], [px('99213')]), work([tag('J18.9'), tag('R51.9'), tag('99213')]), practicode);
    assert.deepEqual(
      { earned: r.earned, possible: r.possible, divisor: r.divisor, profile: r.profile },
      { earned: 2, possible: 3, divisor: 'expected', profile: 'practicode' },
    );
  });

  it('P2: over-coding divides by the entered lines', () => {
    const r = only(key([dx('J18.9')], [px('99213')]), work([tag('J18.9'), tag('R05.9'), tag('R50.9'), tag('99213')]), practicode);
    assert.deepEqual(
      { earned: r.earned, possible: r.possible, percent: r.percent, divisor: r.divisor },
      { earned: 2, possible: 4, percent: 0.5, divisor: 'entered' },
    );
  });

  it('P3: a wrong modifier earns partial credit; a near-miss code earns none', () => {
    const r = only(key([dx('E11.9')], [px('99214', { modifiers: ['25'] })]), work([tag('E11.65'), tag('99214')]), practicode);
    assert.equal(r.earned, 0.8);
    assert.equal(r.possible, 2);
  });

  it('P4: the primary diagnosis is scored on its own; the order of the others is ignored', () => {
    const k = key([dx('J18.9'), dx('I10'), dx('E78.5')]);
    assert.equal(only(k, work([tag('J18.9'), tag('E78.5'), tag('I10')]), practicode).percent, 1);
    const swapped = only(k, work([tag('I10'), tag('J18.9'), tag('E78.5')]), practicode);
    assert.equal(swapped.earned, 2);
    assert.deepEqual(swapped.lines[0].errors, [{ type: 'sequence', points: 1 }]);
  });

  it('P5: optional codes never count against', () => {
    const r = only(key([dx('J18.9'), dx('Z87.891', { optional: true })]), work([tag('J18.9'), tag('Z87.891')]), practicode);
    assert.deepEqual({ earned: r.earned, possible: r.possible }, { earned: 1, possible: 1 });
  });
});
