import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { AnswerKey, KeyLine, Tag } from '../../src/core/model';
import { grade, resolvePolicy } from '../../src/core/grade';
import { dx, key, note, px, tag, work } from './grade-fixtures';

// Small code pools so that exact pairs, near misses and extras all happen often.
const DX = ['E11.9', 'E11.65', 'E78.5', 'E78.00', 'I10', 'J18.9', 'J06.9', 'Z23'];
const PX = ['99213', '99214', '99215', '20610', 'J1100', 'J1110'];
const MODS = ['25', '59', 'RT', 'LT'];

const arbDx = fc.record({
  code: fc.constantFrom(...DX),
  accept: fc.subarray(DX, { maxLength: 1 }),
  points: fc.constantFrom(1, 1, 2),
  optional: fc.constantFrom(false, false, false, true),
});
const arbPx = fc.record({
  code: fc.constantFrom(...PX),
  modifiers: fc.subarray(MODS, { maxLength: 2 }),
  units: fc.constantFrom(1, 1, 2),
  links: fc.option(fc.subarray(DX, { maxLength: 2 }), { nil: undefined }),
  points: fc.constantFrom(1, 2),
  optional: fc.constantFrom(false, false, false, true),
});

const arbKey: fc.Arbitrary<AnswerKey> = fc
  .tuple(
    fc.uniqueArray(arbDx, { selector: (d) => d.code, maxLength: 4 }),
    // Two key lines with the same code and modifiers would be one claim line (a key uses units for that).
    fc.uniqueArray(arbPx, { selector: (p) => `${p.code} ${[...p.modifiers].sort().join(',')}`, maxLength: 4 }),
  )
  .map(([ds, ps]) =>
    key(
      ds.map((d) => dx(d.code, d)),
      ps.map((p) => px(p.code, p)),
    ),
  )
  .filter((k) => [...k.diagnoses, ...k.procedures].some((l) => !l.optional));

const arbTag: fc.Arbitrary<Tag> = fc.oneof(
  fc.constantFrom(...DX).map((c) => tag(c, { system: 'ICD-10-CM' })),
  fc
    .record({
      code: fc.constantFrom(...PX),
      modifiers: fc.subarray(MODS, { maxLength: 2 }),
      units: fc.constantFrom(1, 2),
      links: fc.subarray(DX, { maxLength: 2 }),
    })
    .map((p) => tag(p.code, p)),
);
const arbPolicy = fc.record({ partialCredit: fc.boolean(), evidenceWeight: fc.constantFrom(0, 0.5) });

/** The key's own lines entered as tags. */
function keyAsTags(k: AnswerKey): Tag[] {
  const tags = (l: KeyLine) => tag(l.code, { system: l.system, modifiers: l.modifiers, units: l.units, links: l.links ?? [] });
  return [...k.diagnoses.map(tags), ...k.procedures.map(tags)];
}

describe('grade: properties', () => {
  it('keeps percent within 0..1 and earned within 0..possible', () => {
    fc.assert(
      fc.property(arbKey, fc.array(arbTag, { maxLength: 10 }), arbPolicy, (k, tags, p) => {
        const r = grade(note(), k, work(tags), resolvePolicy(p));
        return r.percent >= 0 && r.percent <= 1 && r.earned >= 0 && r.earned <= r.possible;
      }),
    );
  });

  it("scores the key's own lines entered as work at 100%", () => {
    fc.assert(
      fc.property(arbKey, arbPolicy, (k, p) => {
        const r = grade(note(), k, work(keyAsTags(k)), resolvePolicy({ ...p, evidenceWeight: 0 }));
        assert.equal(r.percent, 1, JSON.stringify(r.lines));
      }),
    );
  });

  it('never changes the score when procedure tags are reordered', () => {
    const arbCase = fc.tuple(arbKey, fc.array(arbTag, { maxLength: 10 })).chain(([k, tags]) => {
      const pxTags = tags.filter((t) => t.system !== 'ICD-10-CM');
      const n = pxTags.length;
      return fc.shuffledSubarray(pxTags, { minLength: n, maxLength: n }).map((shuffled) => ({ k, tags, shuffled }));
    });
    fc.assert(
      fc.property(arbCase, ({ k, tags, shuffled }) => {
        const dxTags = tags.filter((t) => t.system === 'ICD-10-CM');
        const before = grade(note(), k, work(tags), resolvePolicy());
        const after = grade(note(), k, work([...shuffled, ...dxTags]), resolvePolicy());
        assert.equal(after.earned, before.earned);
      }),
    );
  });

  it('never raises the score when a line the key lacks is added', () => {
    fc.assert(
      fc.property(arbKey, fc.array(arbTag, { maxLength: 8 }), arbTag, fc.nat(8), (k, tags, extra, at) => {
        // A line the key lacks: not a key code, an accepted code, or a near miss of one.
        const categories = [...k.diagnoses, ...k.procedures].flatMap((l) => [l.code, ...l.accept]).map((c) => c.slice(0, 3));
        fc.pre(!categories.includes(extra.code.slice(0, 3)));
        const before = grade(note(), k, work(tags), resolvePolicy());
        const withExtra = [...tags.slice(0, at), extra, ...tags.slice(at)];
        const after = grade(note(), k, work(withExtra), resolvePolicy());
        assert.ok(after.earned <= before.earned, `${after.earned} > ${before.earned}`);
      }),
    );
  });

  it('gives identical JSON for the same input', () => {
    fc.assert(
      fc.property(arbKey, fc.array(arbTag, { maxLength: 10 }), arbPolicy, (k, tags, p) => {
        const a = JSON.stringify(grade(note(), k, work(tags), resolvePolicy(p)));
        const b = JSON.stringify(grade(note(), structuredClone(k), work(structuredClone(tags)), resolvePolicy(p)));
        assert.equal(a, b);
      }),
    );
  });
});
