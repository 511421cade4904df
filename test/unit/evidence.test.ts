// Finding evidence phrases through a word index of the note gives what a regular-expression scan
// gives (case folded, any white space for any white space, partial words at the phrase's edges),
// within bounds a hostile pack cannot push past.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { EvidenceIndex, MAX_PLACES, findEvidence } from '../../src/core/evidence';

/** The scan findEvidence used before the index: the reference for what a phrase matches. */
function scan(body: string, phrase: string): Array<{ start: number; end: number }> {
  const words = phrase.split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  const pattern = new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+'), 'giu');
  return [...body.matchAll(pattern)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

describe('evidence index', () => {
  it('finds exactly what the regular-expression scan finds (property)', () => {
    const unit = fc.constantFrom('a', 'B', 'ab', ' ', '  ', '\n', '\t', '.', ',', '(', 'é', 'É', '😷');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), fc.string({ unit, maxLength: 12 }), (body, phrase) => {
        assert.deepStrictEqual(new EvidenceIndex(body).find(phrase), scan(body, phrase), JSON.stringify({ body, phrase }));
      }),
      { numRuns: 2000 },
    );
  });

  it('finds partial words at the edges and punctuation-joined words', () => {
    const body = 'Essential hypertension, controlled. Infection of the RIGHT  lower\nlobe.';
    assert.deepEqual(findEvidence(body, 'essential HYPERTENSION'), [{ start: 0, end: 22 }]);
    assert.deepEqual(findEvidence(body, 'tion of the right lower lobe'), [{ start: 41, end: 70 }]);
    assert.deepEqual(findEvidence(body, 'hypertension controlled'), [], 'the comma is part of the word');
  });

  it('keeps at most MAX_PLACES places of a phrase that fills the note', () => {
    const body = 'fever '.repeat(MAX_PLACES * 3);
    assert.equal(findEvidence(body, 'fever').length, MAX_PLACES);
    assert.equal(findEvidence(body, 'fever fever').length, MAX_PLACES);
  });
});
