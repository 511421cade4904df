// Issue 17 item 2: deep nesting never stops a save or a class run. Work files keep everything
// within the depth limit (the original set aside), submissions and attempts too deep are refused
// with the file and the JSON path, and load → save → load never throws.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseAttempt, serializeAttempt } from '../../src/core/exam/attempt';
import { MAX_JSON_DEPTH, findTooDeep } from '../../src/core/jsonDepth';
import { parseSubmission } from '../../src/core/submission';
import { loadWork, newWork, parseWorkFile, saveWork, serializeWork, workPath } from '../../src/core/work';
import { MemFs } from './memfs';

const PACK = '/packs/p';
const BODY = 'HPI: knee pain, right.\n';
const FILE = workPath(PACK, 'c1');

/** `{"x":{"x":…}}` n objects deep, as text (built without recursion). */
function deepText(n: number, leaf = '1'): string {
  return '{"x":'.repeat(n) + leaf + '}'.repeat(n);
}

function workWith(extra: string): string {
  const work = {
    ...newWork('c1', BODY),
    updated: '2026-11-24T10:15:00.000Z',
    tags: [{ id: 't1', system: 'ICD-10-CM', code: 'M25.561', modifiers: [], units: 1, links: [] }],
  };
  // A function replacement: field names such as "$&" must not be read as replacement patterns.
  return JSON.stringify(work).replace('"format":1', () => `"format":1,${extra}`);
}

describe('JSON nesting depth (issue 17 item 2)', () => {
  it('finds the too-deep place with its JSON path and line, without recursion, at any depth', () => {
    const text = `{\n "a": [1, ${deepText(100_000)}]\n}`;
    const found = findTooDeep(JSON.parse(text), { text });
    assert.equal(found.length, 1);
    assert.deepEqual(found[0].path.slice(0, 3), ['a', 1, 'x']);
    assert.equal(found[0].path.length, MAX_JSON_DEPTH);
    assert.deepEqual([found[0].line, found[0].column], [2, 11 + 5 * (MAX_JSON_DEPTH - 2)]);
    assert.deepEqual(findTooDeep(JSON.parse(deepText(MAX_JSON_DEPTH))), []);
    assert.equal(findTooDeep(JSON.parse(deepText(MAX_JSON_DEPTH + 1))).length, 1);
  });

  it('loads a work file with a 5,000-deep unknown field: tags and other fields kept, original set aside, saving works', async () => {
    const fs = new MemFs();
    const original = workWith(`"reviewer":"J. Rivera","deep":${deepText(5000)}`);
    fs.put(FILE, original);
    const loaded = await loadWork(fs, PACK, 'c1', BODY, new Date('2026-11-24T11:00:00.000Z'));
    assert.equal(loaded.trimmed, true);
    assert.deepEqual(
      loaded.work.tags.map((t) => t.code),
      ['M25.561'],
    );
    assert.equal(loaded.work.reviewer, 'J. Rivera');
    assert.equal(loaded.problems?.[0].file, '.casebook/work/c1.json');
    assert.match(loaded.problems[0].message, /^deep\.x\.x.*: nested more than 64 levels deep/);
    assert.equal(loaded.movedAside, `${FILE}.deep-2026-11-24T11-00-00-000Z`);
    assert.equal(fs.text(loaded.movedAside), original, 'the original is kept, byte for byte');
    assert.equal(await saveWork(fs, PACK, loaded.work), undefined);
    const again = await loadWork(fs, PACK, 'c1', BODY);
    assert.equal(again.trimmed, undefined);
    assert.deepEqual(again.work, loaded.work);
  });

  it('refuses a 20,000-deep submission with the file and the place, without throwing', () => {
    const text = JSON.stringify({ format: 1, pack: 'demo', learner: 'Ann', exported: '2026-11-24T10:00:00.000Z', work: [] }).replace(
      '"work":[]',
      `"work":[{"case":"c1","x":${deepText(20_000)}}]`,
    );
    const { submission, problems } = parseSubmission(text, 'subs/ann.json');
    assert.equal(submission, undefined);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].file, 'subs/ann.json');
    assert.match(problems[0].message, /work\[0\]\.x\.x.*: nested more than 64 levels deep/);
  });

  it('refuses a too-deep attempt file with the place', () => {
    const { attempt, problems } = parseAttempt(`{"format":1,"exam":"practice","answers":{},"notes":${deepText(3000)}}`, 'a.json');
    assert.equal(attempt, undefined);
    assert.match(problems[0].message, /^notes\.x.*nested more than 64/);
  });

  it('property: random nesting, sizes and field names: load → save → load keeps every field within the limit and never throws', async () => {
    const names = fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__proto__'));
    const leaf = fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.boolean(), fc.constant(null));
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(names, fc.integer({ min: 0, max: 200 }), fc.boolean(), leaf), { maxLength: 5 }), async (fields) => {
        // Each unknown field: a chain of `depth` lists or objects around a leaf.
        const extra = fields
          .filter(([name]) => !['format', 'case', 'noteSha256', 'updated', 'tags'].includes(name))
          .map(([name, depth, lists, value]) => {
            const leafText = JSON.stringify(value);
            const open = lists ? '['.repeat(depth) : `{${JSON.stringify(name)}:`.repeat(depth);
            return `${JSON.stringify(name)}:${open}${leafText}${(lists ? ']' : '}').repeat(depth)}`;
          });
        const text = workWith(extra.length ? extra.join(',') : '"k":0');
        const fs = new MemFs();
        fs.put(FILE, text);
        const first = await loadWork(fs, PACK, 'c1', BODY);
        assert.deepEqual(
          first.work.tags.map((t) => t.code),
          ['M25.561'],
        );
        assert.equal(await saveWork(fs, PACK, first.work), undefined);
        const second = await loadWork(fs, PACK, 'c1', BODY);
        assert.deepEqual(second.work, first.work);
        assert.equal(second.trimmed, undefined);
        // Within the limit (the top object is level 1), every field comes back exactly.
        const data = JSON.parse(text) as Record<string, unknown>;
        if (findTooDeep(data).length === 0) assert.equal(serializeWork(second.work), serializeWork(parseWorkFile(text, 'w').work!));
        else assert.equal(first.trimmed, true);
        for (const key of Object.keys(data))
          if (findTooDeep(data[key], { limit: MAX_JSON_DEPTH - 1 }).length === 0) assert.ok(Object.prototype.hasOwnProperty.call(second.work, key), key);
      }),
      { numRuns: 150 },
    );
  });

  it('property: attempts load → save → load the same, or are refused, never throw', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.string({ maxLength: 6 }), (depth, name) => {
        const text = `{"format":1,"exam":"practice","started":"2026-12-01T09:00:00.000Z","answers":{},${JSON.stringify(name || 'n')}:${'['.repeat(depth)}0${']'.repeat(depth)}}`;
        const first = parseAttempt(text, 'a.json');
        if (!first.attempt) return assert.match(first.problems[0].message, /nested more than 64/);
        const second = parseAttempt(serializeAttempt(first.attempt), 'a.json');
        assert.deepEqual(second.attempt, first.attempt);
      }),
      { numRuns: 100 },
    );
  });
});
