import assert from 'assert/strict';
import { makeAnchor } from '../../src/core/anchor';
import type { Tag, WorkFile } from '../../src/core/model';
import { atomicWriteText, loadWork, newWork, noteSha256, parseWorkFile, reanchorWork, saveWork, serializeWork, workPath } from '../../src/core/work';
import { MemFs } from './memfs';

const PACK = '/packs/cardiology';
const BODY = 'CHIEF COMPLAINT: Chest pressure with exertion.\nHe reports exertional chest pressure relieved by rest.\nHistory of hyperlipidemia.\n';
const FILE = workPath(PACK, 'chest-pain-01');

function tagOn(body: string, id: string, code: string, quote: string): Tag {
  const start = body.indexOf(quote);
  return { id, system: 'ICD-10-CM', code, modifiers: [], units: 1, links: [], anchor: makeAnchor(body, start, start + quote.length) };
}

function sampleWork(): WorkFile {
  return {
    ...newWork('chest-pain-01', BODY),
    updated: '2026-11-24T10:15:00.000Z',
    tags: [tagOn(BODY, 't-4f1a', 'I20.89', 'exertional chest pressure'), tagOn(BODY, 't-0b2c', 'E78.5', 'hyperlipidemia')],
  };
}

describe('work file paths and hashes', () => {
  it('keeps work in PACK/.casebook/work/ID.json', () => {
    assert.equal(workPath('/p/pack', 'chest-pain-01'), '/p/pack/.casebook/work/chest-pain-01.json');
  });

  it('hashes the UTF-8 bytes of the note body', () => {
    assert.equal(noteSha256(''), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(noteSha256('é'), noteSha256('\u00e9'));
    assert.notEqual(noteSha256('é'), noteSha256('e\u0301'));
  });

  it('starts new work with no tags and the note hash', () => {
    const work = newWork('x', BODY);
    assert.equal(work.format, 1);
    assert.equal(work.case, 'x');
    assert.equal(work.noteSha256, noteSha256(BODY));
    assert.deepEqual(work.tags, []);
    assert.ok(!Number.isNaN(Date.parse(work.updated)));
  });
});

describe('parseWorkFile and serializeWork', () => {
  it('round-trips through save and load, keeping unknown fields at the top, in tags and in anchors', async () => {
    const fs = new MemFs();
    const work = sampleWork();
    work.reviewer = { name: 'J. Rivera' };
    work.tags[0].note = 'check the ECG';
    (work.tags[0].anchor as unknown as Record<string, unknown>).line = 2;
    await saveWork(fs, PACK, work);
    const loaded = await loadWork(fs, PACK, 'chest-pain-01', BODY);
    assert.deepEqual(loaded.work, work);
    assert.equal(loaded.movedAside, undefined);
    assert.equal(loaded.reanchored, 0);
    assert.equal(serializeWork(loaded.work), fs.text(FILE));
  });

  it('writes stable JSON: known fields first in a fixed order, 2-space indent, a trailing newline', () => {
    const work = sampleWork();
    const reversed = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).reverse()) as T;
    const shuffled = reversed({ ...work, tags: work.tags.map((t) => reversed({ ...t, anchor: reversed(t.anchor!) })), extra: 1 });
    assert.equal(Object.keys(shuffled)[0], 'extra');
    const text = serializeWork(shuffled);
    assert.equal(text, serializeWork(work).replace(/\n}\n$/, ',\n  "extra": 1\n}\n'));
    assert.ok(text.startsWith('{\n  "format": 1,\n  "case": "chest-pain-01",\n  "noteSha256": '));
    assert.ok(text.endsWith('}\n'));
  });

  it('reads omitted modifiers, links and units as empty and 1', () => {
    const { work, problems } = parseWorkFile(
      JSON.stringify({ format: 1, case: 'c', noteSha256: 'x', updated: '', tags: [{ id: 't-1', system: 'CPT', code: '99213' }] }),
      'w.json',
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(work?.tags[0], { id: 't-1', system: 'CPT', code: '99213', modifiers: [], units: 1, links: [] });
  });

  it('reports bad JSON with its line', () => {
    const { work, problems } = parseWorkFile('{\n  "format": 1,\n  "case" "c"\n}', '.casebook/work/c.json');
    assert.equal(work, undefined);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].file, '.casebook/work/c.json');
    assert.equal(problems[0].severity, 'error');
    assert.match(problems[0].message, /not valid JSON/);
    assert.deepEqual([problems[0].line, problems[0].column], [3, 10]);
  });

  it('reports a file cut short at its end', () => {
    const { problems } = parseWorkFile('{\n  "format": 1,\n  "tags": [', 'w.json');
    assert.deepEqual([problems[0].line, problems[0].column], [3, 12]);
  });

  it('reports each shape mistake at the line of the value', () => {
    const text = JSON.stringify(
      { format: 1, case: 'c', noteSha256: 'x', updated: '', tags: [{ id: 't-1', system: 'ICD-9', code: 'E11.9', units: 0 }] },
      null,
      2,
    );
    const { work, problems } = parseWorkFile(text, 'w.json');
    assert.equal(work, undefined);
    assert.deepEqual(
      problems.map((p) => [p.line, p.message]),
      [
        [9, 'tags.0.system: system must be ICD-10-CM, CPT or HCPCS'],
        [11, 'tags.0.units: units must be a whole number of 1 or more'],
      ],
    );
  });

  it('rejects a newer format, a missing case, tags that are not a list, duplicate ids and a bad anchor', () => {
    const bad = (value: unknown) => parseWorkFile(JSON.stringify(value), 'w.json');
    assert.match(bad({ format: 2, case: 'c', tags: [] }).problems[0].message, /newer/);
    assert.match(bad({ format: 1, tags: [] }).problems[0].message, /case/);
    assert.match(bad({ format: 1, case: 'c', tags: {} }).problems[0].message, /tags must be a list/);
    const tag = { id: 't-1', system: 'CPT', code: '99213' };
    assert.match(bad({ format: 1, case: 'c', tags: [tag, tag] }).problems[0].message, /used twice/);
    const anchor = { start: 5, end: 2, quote: '', prefix: '', suffix: '' };
    assert.match(bad({ format: 1, case: 'c', tags: [{ ...tag, anchor }] }).problems[0].message, /anchor/);
    assert.match(bad([1, 2]).problems[0].message, /JSON object/);
  });
});

describe('saveWork (atomic)', () => {
  it('creates the folder and leaves no temporary file behind', async () => {
    const fs = new MemFs();
    await saveWork(fs, PACK, sampleWork());
    assert.deepEqual(fs.list(`${PACK}/.casebook/work`), [FILE]);
  });

  it('writes a temporary file next to the target and renames it over the target', async () => {
    const fs = new MemFs();
    const calls: string[][] = [];
    fs.beforeOperation = (op, ...paths) => calls.push([op, ...paths]);
    await atomicWriteText(fs, '/d/f.json', 'x');
    const write = calls.find((c) => c[0] === 'writeFile') as string[];
    assert.match(write[1], /^\/d\/f\.json\.tmp-[0-9a-f]+$/);
    assert.deepEqual(
      calls.find((c) => c[0] === 'rename'),
      ['rename', write[1], '/d/f.json'],
    );
  });

  it('keeps the old file intact when the rename fails, and removes the temporary file', async () => {
    const fs = new MemFs();
    const old = sampleWork();
    await saveWork(fs, PACK, old);
    const before = fs.text(FILE);
    fs.beforeOperation = (op) => {
      if (op === 'rename') throw Object.assign(new Error('EIO: rename failed'), { code: 'EIO' });
    };
    await assert.rejects(saveWork(fs, PACK, { ...old, tags: [] }), /EIO/);
    fs.beforeOperation = undefined;
    assert.equal(fs.text(FILE), before);
    assert.deepEqual(fs.list(`${PACK}/.casebook/work`), [FILE]);
    assert.deepEqual((await loadWork(fs, PACK, 'chest-pain-01', BODY)).work, old);
  });

  it('keeps the old file intact when the process dies right after writing the temporary file', async () => {
    const fs = new MemFs();
    const old = sampleWork();
    await saveWork(fs, PACK, old);
    // A crash: after the write nothing else runs, not even the clean-up.
    let crashed = false;
    fs.beforeOperation = (op) => {
      if (crashed) throw new Error('process is gone');
      if (op === 'rename') {
        crashed = true;
        throw new Error('killed');
      }
    };
    await assert.rejects(saveWork(fs, PACK, { ...old, tags: [] }));
    fs.beforeOperation = undefined;
    assert.equal(fs.list(`${PACK}/.casebook/work`).length, 2); // the stray temp file
    const loaded = await loadWork(fs, PACK, 'chest-pain-01', BODY);
    assert.deepEqual(loaded.work, old);
    assert.equal(loaded.movedAside, undefined);
  });

  it('keeps the old file intact when the write itself fails (disk full)', async () => {
    const fs = new MemFs();
    await saveWork(fs, PACK, sampleWork());
    const before = fs.text(FILE);
    fs.beforeOperation = (op) => {
      if (op === 'writeFile') throw Object.assign(new Error('ENOSPC: no space left'), { code: 'ENOSPC' });
    };
    await assert.rejects(saveWork(fs, PACK, newWork('chest-pain-01', BODY)), /ENOSPC/);
    fs.beforeOperation = undefined;
    assert.equal(fs.text(FILE), before);
  });
});

describe('loadWork', () => {
  const NOW = new Date('2026-11-24T10:15:00.123Z');
  const ASIDE = `${FILE}.corrupt-2026-11-24T10-15-00-123Z`;

  it('gives new work when there is no file, and writes nothing', async () => {
    const fs = new MemFs();
    const loaded = await loadWork(fs, PACK, 'chest-pain-01', BODY);
    assert.deepEqual(loaded.work.tags, []);
    assert.equal(loaded.work.noteSha256, noteSha256(BODY));
    assert.deepEqual(fs.list('/'), []);
  });

  for (const [name, bytes] of [
    ['bad JSON', new TextEncoder().encode('{"format": 1, "case": "chest-pain-01", "tags": [')],
    ['the wrong shape', new TextEncoder().encode('{"format": 1, "case": "chest-pain-01", "tags": "none"}')],
    ['binary bytes', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff, 0xfe])],
    ['another case', new TextEncoder().encode(serializeWork(newWork('other-case', BODY)))],
  ] as const) {
    it(`moves a file with ${name} aside with its old bytes and starts fresh`, async () => {
      const fs = new MemFs().put(FILE, bytes);
      const loaded = await loadWork(fs, PACK, 'chest-pain-01', BODY, NOW);
      assert.equal(loaded.movedAside, ASIDE);
      assert.deepEqual(await fs.readFile(ASIDE), Uint8Array.from(bytes));
      assert.equal(await fs.stat(FILE), undefined);
      assert.deepEqual(loaded.work.tags, []);
      assert.equal(loaded.work.case, 'chest-pain-01');
      assert.ok((loaded.problems ?? []).length > 0);
      // Saving the fresh work later does not touch the moved file.
      await saveWork(fs, PACK, loaded.work);
      assert.deepEqual(await fs.readFile(ASIDE), Uint8Array.from(bytes));
    });
  }

  it('never overwrites an earlier moved-aside file', async () => {
    const fs = new MemFs().put(FILE, 'first').put(ASIDE, 'earlier');
    const loaded = await loadWork(fs, PACK, 'chest-pain-01', BODY, NOW);
    assert.equal(loaded.movedAside, `${ASIDE}-1`);
    assert.equal(fs.text(ASIDE), 'earlier');
    assert.equal(fs.text(`${ASIDE}-1`), 'first');
  });

  it('reads a file with a byte-order mark', async () => {
    const fs = new MemFs().put(FILE, '\ufeff' + serializeWork(sampleWork()));
    const loaded = await loadWork(fs, PACK, 'chest-pain-01', BODY);
    assert.equal(loaded.movedAside, undefined);
    assert.equal(loaded.work.tags.length, 2);
  });

  it('re-anchors tags when the note changed, and updates the hash', async () => {
    const fs = new MemFs();
    await saveWork(fs, PACK, sampleWork());
    const changed = 'ADDENDUM.\n' + BODY;
    const loaded = await loadWork(fs, PACK, 'chest-pain-01', changed);
    assert.equal(loaded.reanchored, 2);
    assert.equal(loaded.detached, 0);
    assert.equal(loaded.work.noteSha256, noteSha256(changed));
    for (const tag of loaded.work.tags) {
      const a = tag.anchor!;
      assert.equal(changed.slice(a.start, a.end), a.quote);
    }
    assert.equal(loaded.work.tags[1].anchor?.start, sampleWork().tags[1].anchor!.start + 10);
  });

  it('keeps a tag whose text was deleted, marked detached with its old anchor, and re-attaches it when the text returns', async () => {
    const fs = new MemFs();
    const work = sampleWork();
    work.tags[1].anchor = { ...work.tags[1].anchor!, kept: 'yes' } as Tag['anchor'];
    await saveWork(fs, PACK, work);
    const changed = BODY.replace('History of hyperlipidemia.\n', '');
    const loaded = await loadWork(fs, PACK, 'chest-pain-01', changed);
    assert.equal(loaded.detached, 1);
    assert.equal(loaded.work.tags.length, 2);
    assert.equal(loaded.work.tags[1].detached, true);
    assert.deepEqual(loaded.work.tags[1].anchor, work.tags[1].anchor);
    // Saved and loaded against the original note again: found and no longer detached.
    await saveWork(fs, PACK, loaded.work);
    const back = await loadWork(fs, PACK, 'chest-pain-01', BODY);
    assert.equal(back.detached, 0);
    assert.equal(back.work.tags[1].detached, undefined);
    assert.deepEqual(back.work.tags[1].anchor, work.tags[1].anchor);
  });

  it('moves tags in repetitive text along with their neighbours rather than to the old offset', () => {
    const body = 'START ' + 'ab'.repeat(100);
    const work: WorkFile = {
      ...newWork('c', body),
      tags: [
        { id: 't-1', system: 'ICD-10-CM', code: 'Z00.00', modifiers: [], units: 1, links: [], anchor: makeAnchor(body, 0, 5) },
        { id: 't-2', system: 'ICD-10-CM', code: 'Z00.01', modifiers: [], units: 1, links: [], anchor: makeAnchor(body, 100, 102) },
      ],
    };
    const changed = 'NEW ' + body;
    const { work: moved, reanchored } = reanchorWork(work, changed);
    assert.deepEqual(
      moved.tags.map((t) => t.anchor?.start),
      [4, 104],
    );
    assert.equal(reanchored, 2);
    assert.equal(reanchorWork(moved, changed).work, moved); // same note: nothing to do
  });

  it('keeps offsets with emoji and CRLF as JavaScript string indices (as VS Code counts them)', async () => {
    const body = 'Pain 😀😀 since Monday\r\nAssessment: migraine without aura\r\n';
    const start = body.indexOf('migraine');
    const work: WorkFile = {
      ...newWork('chest-pain-01', body),
      tags: [{ id: 't-1', system: 'ICD-10-CM', code: 'G43.009', modifiers: [], units: 1, links: [], anchor: makeAnchor(body, start, start + 8) }],
    };
    assert.equal(start, 36);
    const fs = new MemFs();
    await saveWork(fs, PACK, work);
    const changed = '😀\r\n' + body;
    const loaded = await loadWork(fs, PACK, 'chest-pain-01', changed);
    assert.equal(loaded.work.tags[0].anchor?.start, 40);
    assert.equal(changed.slice(40, 48), 'migraine');
  });
});

describe('unknown fields whatever their name (issue 17 item 5)', () => {
  const NAMES = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', '__proto__', 'propertyIsEnumerable', 'toLocaleString'];
  for (const name of NAMES) {
    it(`keeps a field named ${name} at the top, in a tag and in an anchor through save and load`, async () => {
      const fs = new MemFs();
      const text = JSON.stringify(sampleWork())
        .replace('"format":1', `"format":1,"${name}":{"kept":"top"}`)
        .replace('"id":"t-4f1a"', `"id":"t-4f1a","${name}":"in a tag"`)
        .replace('"start":', `"${name}":7,"start":`);
      const parsed = parseWorkFile(text, 'w.json');
      assert.deepEqual(parsed.problems, []);
      await saveWork(fs, PACK, parsed.work!);
      const saved = JSON.parse(fs.text(FILE)!) as Record<string, unknown> & { tags: Array<Record<string, unknown> & { anchor: Record<string, unknown> }> };
      assert.ok(Object.prototype.hasOwnProperty.call(saved, name), `top-level ${name} saved`);
      assert.deepEqual(saved[name], { kept: 'top' });
      assert.equal(saved.tags[0][name], 'in a tag');
      assert.equal(saved.tags[0].anchor[name], 7);
      assert.equal(serializeWork(parseWorkFile(fs.text(FILE)!, 'w.json').work!), fs.text(FILE));
    });
  }
});

describe('orphaned temp files (issue 17 item 7)', () => {
  it("removes this case's ID.json.tmp-* on the next load, with or without a work file, and nothing else", async () => {
    const fs = new MemFs();
    await saveWork(fs, PACK, sampleWork());
    fs.put(`${FILE}.tmp-0a1b2c3d4e5f`, '{"half');
    fs.put(`${FILE}.tmp-ffffffffffff`, '');
    fs.put(workPath(PACK, 'other-case') + '.tmp-0a1b2c3d4e5f', 'x');
    const loaded = await loadWork(fs, PACK, 'chest-pain-01', BODY);
    assert.equal(loaded.work.tags.length, 2);
    assert.deepEqual(fs.list(`${PACK}/.casebook/work`), [FILE, workPath(PACK, 'other-case') + '.tmp-0a1b2c3d4e5f']);
    await loadWork(fs, PACK, 'other-case', BODY);
    assert.deepEqual(fs.list(`${PACK}/.casebook/work`), [FILE]);
  });
});
