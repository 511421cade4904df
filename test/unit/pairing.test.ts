// The pairing algorithms of core/pairing.ts: both find the best total.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { pairingMethods } from '../../src/core/pairing';

describe('pairing', () => {
  it('finds the same best total by dynamic programming and by the Hungarian algorithm', () => {
    const cell = fc.option(
      fc.integer({ min: -2, max: 8 }).map((n) => n / 4),
      { nil: undefined, freq: 3 },
    );
    const matrix = fc
      .integer({ min: 1, max: 6 })
      .chain((cols) => fc.array(fc.array(cell, { minLength: cols, maxLength: cols }), { minLength: 1, maxLength: 6 }).map((rows) => ({ rows, cols })));
    fc.assert(
      fc.property(matrix, ({ rows, cols }) => {
        const total = (picks: number[]) => picks.reduce((s, l, k) => s + (l >= 0 ? rows[k][l]! : 0), 0);
        const dp = pairingMethods.dp(rows, cols);
        const hu = pairingMethods.hungarian(rows, cols);
        assert.ok(Math.abs(total(dp) - total(hu)) < 1e-9, `${total(dp)} vs ${total(hu)}`);
        assert.equal(new Set(dp.filter((l) => l >= 0)).size, dp.filter((l) => l >= 0).length);
      }),
    );
  });
});

describe('pairing at scale (issue 17: thousands of near-miss codes)', () => {
  it('pairs 3 key lines with 2,400 learner lines optimally, each key line with its best learner line', () => {
    const learners = 2400;
    // Key line k is worth most with learner line 100 * (k + 1); every other pair is worth a little.
    const rows = [0, 1, 2].map((k) => Array.from({ length: learners }, (_, l) => (l === 100 * (k + 1) ? 2 : 0.25)));
    assert.deepEqual(pairingMethods.hungarian(rows, learners), [100, 200, 300]);
  });

  it('agrees with dynamic programming on groups of up to 12 learner lines and more key lines', () => {
    const cell = fc.option(
      fc.integer({ min: 0, max: 8 }).map((n) => n / 4),
      { nil: undefined, freq: 4 },
    );
    const matrix = fc
      .integer({ min: 7, max: 12 })
      .chain((cols) => fc.array(fc.array(cell, { minLength: cols, maxLength: cols }), { minLength: 1, maxLength: 9 }).map((rows) => ({ rows, cols })));
    fc.assert(
      fc.property(matrix, ({ rows, cols }) => {
        const total = (picks: number[]) => picks.reduce((s, l, k) => s + (l >= 0 ? rows[k][l]! : 0), 0);
        assert.ok(Math.abs(total(pairingMethods.dp(rows, cols)) - total(pairingMethods.hungarian(rows, cols))) < 1e-9);
      }),
      { numRuns: 150 },
    );
  });
});
