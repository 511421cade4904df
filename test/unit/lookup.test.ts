import assert from 'node:assert/strict';
import { describeFromGlossary, mergeHits, searchGlossary, type CodeHit } from '../../src/core/lookup';
import type { GlossaryEntry } from '../../src/core/model';

const GLOSSARY: GlossaryEntry[] = [
  { system: 'ICD-10-CM', code: 'E11.9', description: 'Type 2 diabetes without complications' },
  { system: 'CPT', code: '99213', description: 'Office visit, established patient, low complexity' },
];

describe('lookup: glossary and code sets', () => {
  it('finds glossary entries by code prefix (with or without the dot) or by word prefixes in any order', () => {
    assert.deepEqual(
      searchGlossary(GLOSSARY, 'e119', 10).map((h) => h.code),
      ['E11.9'],
    );
    assert.deepEqual(
      searchGlossary(GLOSSARY, 'E11.', 10).map((h) => h.code),
      ['E11.9'],
    );
    assert.deepEqual(
      searchGlossary(GLOSSARY, 'estab office', 10).map((h) => h.code),
      ['99213'],
    );
    assert.deepEqual(searchGlossary(GLOSSARY, 'kidney', 10), []);
    assert.deepEqual(searchGlossary(undefined, 'e11', 10), []);
  });

  it('describes a code from the glossary in any written form', () => {
    assert.equal(describeFromGlossary(GLOSSARY, 'ICD-10-CM', 'e119'), 'Type 2 diabetes without complications');
    assert.equal(describeFromGlossary(GLOSSARY, 'CPT', 'E11.9'), undefined);
  });

  it('merges glossary hits first, a code once, up to the limit', () => {
    const set: CodeHit[] = [
      { system: 'ICD-10-CM', code: 'E119', title: 'official title', billable: true },
      { system: 'ICD-10-CM', code: 'E11.65', title: 'with hyperglycemia', billable: true },
      { system: 'CPT', code: '99214', title: 'moderate', billable: true },
    ];
    const merged = mergeHits(searchGlossary(GLOSSARY, 'e11', 10), set, 2);
    assert.deepEqual(
      merged.map((h) => [h.code, h.title]),
      [
        ['E11.9', 'Type 2 diabetes without complications'],
        ['E11.65', 'with hyperglycemia'],
      ],
    );
  });
});
