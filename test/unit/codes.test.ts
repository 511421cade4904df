import * as assert from 'assert';
import { hasShape, systemsByShape } from '../../src/core/codes';

describe('code shapes', () => {
  it('never takes a word for an ICD-10-CM code', () => {
    for (const word of ['colles', 'fall', 'FALL', 'knee', 'pain', 'sepsis']) assert.deepStrictEqual(systemsByShape(word), [], word);
  });

  it('accepts real ICD-10-CM shapes, including the FY2026 QA0 block', () => {
    for (const code of ['E11.9', 'e119', 'S52.521A', 'M17.11', 'QA0.0101', 'QA00101', 'U07.1', 'Z79.899', 'J01.00'])
      assert.ok(hasShape('ICD-10-CM', code), code);
  });

  it('gives both systems for a HCPCS code that also has an ICD-10-CM shape', () => {
    assert.deepStrictEqual(systemsByShape('Q4010'), ['ICD-10-CM', 'HCPCS']);
    assert.deepStrictEqual(systemsByShape('99213'), ['CPT']);
  });
});
