// File names from learners' names: safe characters only, bounded, never a reserved device name.
import assert from 'node:assert/strict';
import { safeFileName } from '../../src/core/fileNames';

describe('safeFileName', () => {
  it('keeps letters, digits, dot, underscore and dash; folds accents; trims dots and dashes', () => {
    assert.equal(safeFileName('  Zoë  Ñúñez '), 'Zoe-Nunez');
    assert.equal(safeFileName('..=HYPERLINK("x"), Bob..'), 'HYPERLINK-x-Bob');
    assert.equal(safeFileName('a/b\\c:d?e'), 'a-b-c-d-e');
  });

  it('never gives an empty or reserved name', () => {
    assert.equal(safeFileName('---...'), 'learner');
    assert.equal(safeFileName('CON'), '_CON');
    assert.equal(safeFileName('lpt1.txt'), '_lpt1.txt');
  });

  it('is bounded: 64 characters at most, and a name of 300,000 dashes is just "learner"', () => {
    assert.equal(safeFileName('x'.repeat(1000)).length, 64);
    assert.equal(safeFileName('-'.repeat(300_000)), 'learner');
    assert.equal(safeFileName(`${'-'.repeat(300_000)}Ann`), 'learner', 'cut before anything else: the name starts beyond the first 256 characters');
  });
});
