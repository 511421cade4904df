import assert from 'assert/strict';
import fc from 'fast-check';
import { isDetached, makeAnchor, reanchor } from '../../src/core/anchor';
import type { Anchor, Tag } from '../../src/core/model';

const NOTE = 'HPI: 58-year-old man reports exertional chest pressure relieved by rest. ' + 'He has hyperlipidemia on a statin. Denies shortness of breath.\n';

function anchorOn(body: string, quote: string, occurrence = 0): Anchor {
  let at = -1;
  for (let i = 0; i <= occurrence; i++) at = body.indexOf(quote, at + 1);
  assert.ok(at >= 0, `"${quote}" not in body`);
  return makeAnchor(body, at, at + quote.length);
}

describe('makeAnchor', () => {
  it('keeps the quote and up to 32 characters of context each side', () => {
    const a = anchorOn(NOTE, 'exertional chest pressure');
    assert.equal(a.quote, 'exertional chest pressure');
    assert.equal(a.prefix, 'HPI: 58-year-old man reports '.slice(-32));
    assert.equal(a.suffix, ' relieved by rest. He has hyperl');
    assert.equal(a.suffix.length, 32);
  });

  it('keeps shorter context at the edges of the note', () => {
    const a = makeAnchor('chest pain', 0, 5);
    assert.deepEqual(a, { start: 0, end: 5, quote: 'chest', prefix: '', suffix: ' pain' });
  });

  it('rejects a range outside the note', () => {
    assert.throws(() => makeAnchor('abc', 2, 4), RangeError);
    assert.throws(() => makeAnchor('abc', 2, 1), RangeError);
    assert.throws(() => makeAnchor('abc', -1, 1), RangeError);
  });

  it('counts offsets in UTF-16 code units like VS Code: an emoji is 2, CRLF is 2', () => {
    const body = 'Pain 😀 score 7/10\r\nDx: migraine\r\n';
    const start = body.indexOf('migraine');
    assert.equal(start, 24); // "Pain " 5 + emoji 2 + " score 7/10" 11 + CRLF 2 + "Dx: " 4
    const a = makeAnchor(body, start, start + 'migraine'.length);
    assert.equal(a.quote, 'migraine');
    assert.equal(body.slice(a.start, a.end), 'migraine');
    assert.equal(a.prefix, 'Pain 😀 score 7/10\r\nDx: ');
  });

  it('never cuts an emoji in half in the context', () => {
    const body = 'x'.repeat(10) + '😀' + 'y'.repeat(31) + 'QUOTE' + 'z'.repeat(31) + '😀' + 'w';
    const start = body.indexOf('QUOTE');
    const a = makeAnchor(body, start, start + 5);
    // 32 code units before QUOTE would start on the emoji's low half: the prefix drops it.
    assert.equal(a.prefix, 'y'.repeat(31));
    assert.equal(a.suffix, 'z'.repeat(31));
    assert.doesNotThrow(() => encodeURIComponent(a.prefix + a.suffix));
  });
});

describe('reanchor', () => {
  it('finds an unchanged anchor at the same place', () => {
    const a = anchorOn(NOTE, 'hyperlipidemia');
    assert.deepEqual(reanchor(NOTE, a), a);
  });

  it('follows the text when words are inserted before it', () => {
    const a = anchorOn(NOTE, 'hyperlipidemia');
    const changed = 'ADDENDUM: history reviewed again.\n' + NOTE;
    const b = reanchor(changed, a);
    assert.ok(b);
    assert.equal(b.start, a.start + 34);
    assert.equal(changed.slice(b.start, b.end), 'hyperlipidemia');
  });

  it('follows a slightly edited quote (a near match)', () => {
    const a = anchorOn(NOTE, 'exertional chest pressure');
    const changed = NOTE.replace('exertional chest pressure', 'exertonal chest pressure');
    const b = reanchor(changed, a);
    assert.ok(b);
    assert.equal(b.quote, 'exertonal chest pressure');
    assert.equal(b.start, a.start);
  });

  it('follows a quote with a typo fixed in the middle', () => {
    const body = 'Assessment: type 2 diabetes mellitus withuot complications. Plan: metformin.';
    const a = anchorOn(body, 'type 2 diabetes mellitus withuot complications');
    const changed = 'Assessment (revised): type 2 diabetes mellitus without complications. Plan: metformin.';
    const b = reanchor(changed, a);
    assert.ok(b);
    assert.equal(b.quote, 'type 2 diabetes mellitus without complications');
  });

  it('picks the occurrence whose prefix and suffix agree when the quote appears twice', () => {
    const body = 'Left knee: pain with effusion. Right knee: pain without effusion. ';
    const second = anchorOn(body, 'pain', 1);
    const changed = 'Chief complaint: knees. ' + body;
    const b = reanchor(changed, second);
    assert.ok(b);
    assert.equal(b.start, second.start + 'Chief complaint: knees. '.length);
    assert.equal(changed.slice(b.start - 'Right knee: '.length, b.start), 'Right knee: ');
  });

  it('breaks a tie between equally good places by nearness to the old start', () => {
    const body = 'ab ab ab ab';
    const a: Anchor = { start: 6, end: 8, quote: 'ab', prefix: '', suffix: '' };
    assert.equal(reanchor(body, a)?.start, 6);
  });

  it('returns undefined (detached) when the quote was deleted', () => {
    const a = anchorOn(NOTE, 'hyperlipidemia');
    const changed = NOTE.replace('He has hyperlipidemia on a statin. ', '');
    assert.equal(reanchor(changed, a), undefined);
  });

  it('does not take unrelated text of similar length as a near match', () => {
    const a = anchorOn(NOTE, 'shortness of breath');
    const changed = NOTE.replace('shortness of breath', 'nausea or vomiting');
    assert.equal(reanchor(changed, a), undefined);
  });

  it('places an empty anchor by its context', () => {
    const a = makeAnchor(NOTE, 10, 10);
    const changed = 'NEW ' + NOTE;
    assert.equal(reanchor(changed, a)?.start, 14);
  });
});

describe('isDetached', () => {
  const tag: Tag = { id: 't-1', system: 'ICD-10-CM', code: 'E78.5', modifiers: [], units: 1, links: [] };
  it('is true only for a tag marked detached', () => {
    assert.equal(isDetached(tag), false);
    assert.equal(isDetached({ ...tag, detached: true }), true);
    assert.equal(isDetached({ ...tag, detached: false }), false);
  });
});

describe('anchor properties', () => {
  // Small alphabets make repeats (the hard case) common; emoji and CRLF check the offset units.
  const char = fc.constantFrom('a', 'b', ' ', '\r\n', '😀', 'é', 'x', 'y', 'z', '.', '1');
  const body = fc.array(char, { maxLength: 150, size: 'large' }).map((cs) => cs.join(''));
  const bodyAndRange = body.chain((b) =>
    fc.tuple(fc.constant(b), fc.nat({ max: b.length }), fc.nat({ max: b.length })).map(([text, x, y]) => ({
      text,
      start: Math.min(x, y),
      end: Math.max(x, y),
    })),
  );

  it('makeAnchor then reanchor on the same body returns the same offsets', () => {
    fc.assert(
      fc.property(bodyAndRange, ({ text, start, end }) => {
        const found = reanchor(text, makeAnchor(text, start, end));
        assert.ok(found);
        assert.equal(found.start, start);
        assert.equal(found.end, end);
      }),
      { numRuns: 500 },
    );
  });

  it('inserting text before the anchor shifts it by the inserted length', () => {
    const inserted = fc.array(char, { minLength: 1, maxLength: 40 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(bodyAndRange, inserted, fc.nat(), ({ text, start, end }, extra, seed) => {
        fc.pre(end > start);
        const anchor = makeAnchor(text, start, end);
        // Insert before the remembered prefix, so the anchor's own context is left whole.
        const limit = start - anchor.prefix.length;
        const at = limit === 0 ? 0 : seed % (limit + 1);
        const changed = text.slice(0, at) + extra + text.slice(at);
        // Repetitive text can make the place truly ambiguous; the property is about unique contexts.
        const context = anchor.prefix + anchor.quote + anchor.suffix;
        fc.pre(changed.indexOf(context) === changed.lastIndexOf(context));
        const found = reanchor(changed, anchor);
        assert.ok(found);
        assert.equal(found.start, start + extra.length);
        assert.equal(found.end, end + extra.length);
      }),
      { numRuns: 500 },
    );
  });
});

describe('reanchor: long quotes (issue 17)', () => {
  const body = 'Note. '.repeat(20) + 'x'.repeat(5000) + ' end of the long passage.';
  const start = 120;
  const long = makeAnchor(body, start, start + 4000);

  it('finds a long quote again where it occurs exactly, even moved', () => {
    const moved = 'Added line.\n' + body;
    assert.deepEqual(reanchor(moved, long), makeAnchor(moved, start + 12, start + 12 + 4000));
  });

  it('gives up on near matches of a quote longer than NEAR_MATCH_MAX_QUOTE: the tag becomes detached, not slow', () => {
    const edited = body.slice(0, start + 2000) + 'Y' + body.slice(start + 2001) + 'z'.repeat(10);
    const changed = edited.replace(/x/g, (c, i: number) => (i % 997 === 0 ? 'q' : c));
    assert.equal(reanchor(changed, long), undefined);
    const short = makeAnchor(body, start, start + 500);
    assert.ok(reanchor(edited.slice(0, start + 100) + 'Y' + edited.slice(start + 101), short), 'a short quote still finds its near match');
  });
});
