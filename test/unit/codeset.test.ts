// Code sets on small hand-made fixtures: importers, stored index, ranked search, checks, diff.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import {
  CodeSet,
  CodeStore,
  codeChecker,
  deletedCodesUsed,
  detectKind,
  diffCodeSets,
  encodeCodeSet,
  forEachLine,
  importCodeFile,
  importHcpcsFixed,
  importIcdOrder,
  searchCodeSets,
  titleSearch,
  titleWords,
} from '../../src/core/codeset';
import type { ImportedCodeSet } from '../../src/core/codeset';
import type { AnswerKey, KeyLine } from '../../src/core/model';
import { nodeFs } from '../../src/node/nodeFs';

const FIXTURES = path.resolve(__dirname, '../fixtures/codesets');
const read = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

async function imported(name: string, options: { year?: number } = {}): Promise<ImportedCodeSet[]> {
  const result = await importCodeFile(read(name), { fileName: name, ...options });
  if (result.problem) assert.fail(result.problem.message);
  return result.sets;
}

async function loaded(name: string): Promise<CodeSet> {
  return new CodeSet(encodeCodeSet((await imported(name))[0]));
}

describe('code sets: reading lines', () => {
  it('splits CRLF and LF lines and keeps a last line without a line end', async () => {
    const lines: string[] = [];
    await forEachLine('a\r\nb\nc', (l) => void lines.push(l));
    assert.deepStrictEqual(lines, ['a', 'b', 'c']);
  });

  it('joins lines split across chunks of a stream, including a CR LF split in two', async () => {
    async function* chunks() {
      yield 'first li';
      yield new TextEncoder().encode('ne\r');
      yield '\nsecond\r\n';
    }
    const lines: [string, number][] = [];
    await forEachLine(chunks(), (l, n) => void lines.push([l, n]));
    assert.deepStrictEqual(lines, [
      ['first line', 1],
      ['second', 2],
    ]);
  });

  it('folds case, accents and apostrophes in title words', () => {
    assert.deepStrictEqual(titleWords("Crohn's disease, Ménière"), ['crohns', 'disease', 'meniere']);
  });
});

describe('code sets: detecting the kind of file', () => {
  it('recognizes an ICD-10-CM order file and its year from the name', () => {
    assert.deepStrictEqual(detectKind('icd10cm_order_2026.txt', read('fixture-icd-order-2026.txt').split('\n', 3)), {
      kind: 'icd10cm-order',
      system: 'ICD-10-CM',
      year: 2026,
    });
  });

  it('recognizes an ICD-10-CM codes file even when its first title has a comma', () => {
    assert.strictEqual(detectKind('icd10cm_codes_2026.txt', ['A000    Cholera due to Vibrio cholerae 01, biovar cholerae'])?.kind, 'icd10cm-codes');
  });

  it('recognizes the HCPCS fixed-width file and takes the year after HCPC, not the release date', () => {
    assert.deepStrictEqual(detectKind('HCPC2025_JAN_ANWEB_12172024.txt', read('fixture-hcpcs-anweb-2026.txt').split('\n', 2)), {
      kind: 'hcpcs-fixed',
      system: 'HCPCS',
      year: 2025,
    });
  });

  it('leaves the year undefined when neither name nor content tells it', () => {
    const detected = detectKind('my-cpt.csv', ['code,description', '99213,Sample']);
    assert.strictEqual(detected?.kind, 'code-list');
    assert.strictEqual(detected?.year, undefined);
  });

  it('does not take addenda files or record layouts for code sets', () => {
    assert.strictEqual(detectKind('icd10cm_codes_addenda_2026.txt', ['Add:         B8801   Infestation by Demodex mites']), undefined);
    assert.strictEqual(detectKind('HCPC2025_recordlayout.txt', ['  CMS RIF REPORT']), undefined);
  });
});

describe('code sets: importers', () => {
  it('imports an ICD-10-CM order file with CRLF line ends, keeping headers as not billable', async () => {
    const [set] = await imported('fixture-icd-order-2026.txt');
    assert.strictEqual(set.system, 'ICD-10-CM');
    assert.strictEqual(set.year, 2026);
    assert.deepStrictEqual(set.records.slice(0, 2), [
      { code: 'A00', title: 'Cholera', billable: false },
      { code: 'A000', title: 'Cholera due to Vibrio cholerae 01, biovar cholerae', billable: true },
    ]);
    assert.ok(set.records.every((r) => !r.title.endsWith('\r')));
    assert.ok(
      set.records.some((r) => r.code === 'QA08'),
      'codes with a letter second (FY2026 QA0…) are read',
    );
  });

  it('imports from a stream of chunks the same as from a string, detecting the kind from the first chunk', async () => {
    const text = read('fixture-icd-order-2026.txt');
    async function* chunks() {
      for (let i = 0; i < text.length; i += 100) yield new TextEncoder().encode(text.slice(i, i + 100));
    }
    const fromStream = await importCodeFile(chunks(), { fileName: 'fixture-icd-order-2026.txt' });
    assert.deepStrictEqual(fromStream.sets, await imported('fixture-icd-order-2026.txt'));
  });

  it('imports an ICD-10-CM codes file as all billable', async () => {
    const [set] = await imported('fixture-icd-codes-2026.txt');
    assert.strictEqual(set.kind, 'icd10cm-codes');
    assert.ok(set.records.length > 10 && set.records.every((r) => r.billable));
  });

  it('names the file, line and column of a wrong billable flag', async () => {
    const result = await importCodeFile(read('badflag_order_2026.txt'), { fileName: 'badflag_order_2026.txt' });
    assert.strictEqual(result.problem?.message, 'line 3: expected a billable flag 0 or 1 at column 15');
    assert.strictEqual(result.problem?.file, 'badflag_order_2026.txt');
    assert.strictEqual(result.problem?.line, 3);
  });

  it('reports a truncated order file at the line that was cut', async () => {
    const result = await importIcdOrder(read('truncated_order_2026.txt'), 'truncated_order_2026.txt', 2026);
    assert.strictEqual(result.problem?.line, 6);
    assert.match(result.problem.message, /^line 6: expected the long title at column 78/);
  });

  it('joins continuation lines of HCPCS long descriptions and keeps modifiers apart', async () => {
    const [set] = await imported('fixture-hcpcs-anweb-2026.txt');
    const a0080 = set.records.find((r) => r.code === 'A0080');
    assert.strictEqual(
      a0080?.title,
      'Non-emergency transportation, per mile - vehicle provided by volunteer (individual or organization), with no vested interest',
    );
    assert.deepStrictEqual(
      set.modifiers.map((m) => m.code),
      ['LT', 'RT', 'XS'],
    );
    assert.strictEqual(set.modifiers[2].title, 'Separate structure, a service that is distinct because it was performed on a separate organ/structure');
    assert.ok(!set.records.some((r) => r.code.trim().length < 5), 'modifiers are not codes');
  });

  it('marks HCPCS codes discontinued before the year as not billable, with their end date', async () => {
    const [set] = await imported('fixture-hcpcs-anweb-2026.txt');
    assert.deepStrictEqual(
      set.records.find((r) => r.code === 'G9999'),
      { code: 'G9999', title: 'Retired sample service code', billable: false, terminated: '2020-12-31' },
    );
  });

  it('rejects a HCPCS continuation line that does not follow its code', async () => {
    const result = await importHcpcsFixed(read('fixture-hcpcs-orphan-2026.txt'), 'fixture-hcpcs-orphan-2026.txt', 2026);
    assert.match(result.problem!.message, /^line 7: a continuation line \(record id 4\) for J9999/);
  });

  it('rejects a HCPCS record cut short', async () => {
    const cut = read('fixture-hcpcs-anweb-2026.txt').split('\r\n').slice(0, 5).join('\r\n').slice(0, -200);
    const result = await importHcpcsFixed(cut, 'HCPC2026_cut.txt', 2026);
    assert.match(result.problem!.message, /^line 5: the record is cut short/);
  });

  it('imports a user code list, inferring each system from the code shape', async () => {
    const sets = await imported('my-procedures-2026.csv');
    assert.deepStrictEqual(
      sets.map((s) => [s.system, s.year, s.records.map((r) => r.code)]),
      [
        ['CPT', 2026, ['99213', '0042T']],
        ['HCPCS', 2026, ['J1100']],
      ],
    );
    assert.strictEqual(sets[1].records[0].title, 'Injection, dexamethasone, 1 mg');
  });

  it('imports a code,system,description glossary with ICD-10-CM codes in normal form', async () => {
    const sets = await imported('glossary.csv', { year: 2026 });
    const icd = sets.find((s) => s.system === 'ICD-10-CM');
    assert.deepStrictEqual(icd?.records, [{ code: 'E119', title: 'Type 2 diabetes mellitus without complications', billable: true }]);
  });

  it('asks for the year when a code list does not tell it', async () => {
    const result = await importCodeFile('code,description\n99213,Sample\n', { fileName: 'cpt.csv' });
    assert.match(result.problem!.message, /cannot tell which code-set year/);
  });

  it('imports a modifier list with a header row', async () => {
    const [set] = await imported('hcpcs_2026_modifiers.tsv');
    assert.deepStrictEqual([set.system, set.records.length, set.modifiers.map((m) => m.code)], ['HCPCS', 0, ['LT']]);
  });
});

describe('code sets: search ranking', () => {
  let sets: CodeSet[];
  before(async () => {
    sets = [await loaded('fixture-icd-order-2026.txt'), await loaded('fixture-hcpcs-anweb-2026.txt')];
  });
  const codes = (query: string, limit = 20) => searchCodeSets(sets, query, { limit }).map((h) => h.code);

  it('puts the exact code first, then longer codes with that prefix, shorter first', () => {
    assert.deepStrictEqual(codes('E11.2'), ['E11.2', 'E11.21', 'E11.22']);
  });

  it('finds codes by prefix without the dot and in lower case', () => {
    assert.deepStrictEqual(codes('e1121'), ['E11.21']);
    assert.deepStrictEqual(codes('s525').slice(0, 2), ['S52.5', 'S52.501A']);
  });

  it('with a dot, searches ICD-10-CM codes only', () => {
    assert.ok(!codes('E11.6').includes('E1160'));
    assert.ok(codes('e116').includes('E1160'), 'without a dot the HCPCS code matches too');
  });

  it('lists both readings of J1100: ICD-10-CM J11.00 and HCPCS J1100', () => {
    const hits = searchCodeSets(sets, 'J1100', { limit: 5 });
    assert.deepStrictEqual(
      hits.map((h) => [h.code, h.system]),
      [
        ['J11.00', 'ICD-10-CM'],
        ['J1100', 'HCPCS'],
      ],
    );
  });

  it('ranks code matches before title matches', () => {
    const set = new CodeSet(
      encodeCodeSet({
        system: 'ICD-10-CM',
        year: 2026,
        kind: 'code-list',
        source: 'test',
        modifiers: [],
        records: [
          { code: 'A01', title: 'Short e11', billable: true },
          { code: 'E119', title: 'A much longer billable title', billable: true },
          { code: 'E11', title: 'Header', billable: false },
        ],
      }),
    );
    assert.deepStrictEqual(
      searchCodeSets([set], 'e11').map((h) => h.code),
      ['E11', 'E11.9', 'A01'],
    );
  });

  it('matches title word prefixes in any order, ignoring case and punctuation', () => {
    assert.deepStrictEqual(codes('KIDNEY diab, type'), ['E11.22', 'E11.2']);
    assert.deepStrictEqual(codes('pneumonia unspecified organism').slice(0, 1), ['J18.9']);
  });

  it('requires every word to match', () => {
    assert.deepStrictEqual(codes('diab zebra'), []);
  });

  it('ranks billable codes before category headers, and shorter titles first', () => {
    const hits = searchCodeSets(sets, 'diab', { limit: 20 });
    const firstHeader = hits.findIndex((h) => !h.billable);
    assert.ok(firstHeader > 0 && hits.slice(firstHeader).every((h) => !h.billable), 'headers come last');
    assert.strictEqual(hits[0].code, 'E23.2', 'the shortest billable title first');
    assert.deepStrictEqual(
      hits.find((h) => h.code === 'E11.2'),
      {
        code: 'E11.2',
        system: 'ICD-10-CM',
        year: 2026,
        title: 'Type 2 diabetes mellitus with kidney complications',
        billable: false,
        needsMoreCharacters: true,
      },
    );
  });

  it('ranks discontinued HCPCS codes after the others and says when they ended', () => {
    const hits = searchCodeSets(sets, 'sample', { limit: 5 });
    assert.deepStrictEqual(
      hits.map((h) => [h.code, h.billable, h.terminated]),
      [['G9999', false, '2020-12-31']],
    );
  });

  it('finds the same titles, in rank order, as checking every record (all search strategies)', () => {
    // A small vocabulary over many records makes words common, so the walk, the rank-order scan
    // and the counting strategies all get used.
    const vocabulary = ['acute', 'abscess', 'arm', 'back', 'bone', 'burn', 'cyst', 'left', 'leg', 'right', 'rib', 'skin', 'type', 'ulcer'];
    const titles = fc.array(
      fc.array(fc.constantFrom(...vocabulary), { minLength: 1, maxLength: 6 }).map((w) => w.join(' ')),
      { minLength: 1, maxLength: 3000 },
    );
    const query = fc.array(
      fc.constantFrom(...vocabulary).chain((w) => fc.integer({ min: 1, max: w.length }).map((n) => w.slice(0, n))),
      { minLength: 1, maxLength: 4 },
    );
    fc.assert(
      fc.property(titles, query, fc.integer({ min: 1, max: 40 }), (list, words, limit) => {
        const set = new CodeSet(
          encodeCodeSet({
            system: 'HCPCS',
            year: 2026,
            kind: 'code-list',
            source: 'property',
            modifiers: [],
            records: list.map((title, i) => ({ code: `A${String(i).padStart(4, '0')}`, title, billable: i % 5 !== 0 })),
          }),
        );
        const expected: number[] = [];
        for (let r = 0; r < set.count && expected.length < limit; r++) {
          const own = titleWords(set.title(r));
          if (words.every((w) => own.some((t) => t.startsWith(w)))) expected.push(r);
        }
        assert.deepStrictEqual(titleSearch(set, [...new Set(words)], limit), expected);
      }),
      { numRuns: 100, seed: 20260101 },
    );
  });

  it('stops at the limit', () => {
    assert.strictEqual(codes('type', 2).length, 2);
    assert.deepStrictEqual(codes('E11', 1), ['E11']);
  });
});

describe('code sets: store, look-up, checks and diff', () => {
  let dir: string;
  let store: CodeStore;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casebook-codes-')).split(path.sep).join('/');
    store = new CodeStore(nodeFs, dir);
    await store.save([
      ...(await imported('fixture-icd-order-2025.txt')),
      ...(await imported('fixture-icd-order-2026.txt')),
      ...(await imported('fixture-hcpcs-anweb-2026.txt')),
    ]);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists what is imported in manifest.json, years side by side', async () => {
    const manifest = JSON.parse(fs.readFileSync(`${dir}/manifest.json`, 'utf8'));
    assert.deepStrictEqual(
      manifest.sets.map((s: { system: string; year: number }) => `${s.system} ${s.year}`),
      ['HCPCS 2026', 'ICD-10-CM 2025', 'ICD-10-CM 2026'],
    );
    const hcpcs = manifest.sets[0];
    assert.deepStrictEqual([hcpcs.codes, hcpcs.billable, hcpcs.discontinued, hcpcs.modifiers], [8, 7, 1, 3]);
  });

  it('loads nothing until a set is needed', async () => {
    const fresh = new CodeStore(nodeFs, dir);
    assert.strictEqual(fresh.loaded('ICD-10-CM'), undefined);
    await fresh.lookup('ICD-10-CM', 'e11.9');
    assert.strictEqual(fresh.loaded('ICD-10-CM')?.year, 2026);
    assert.strictEqual(fresh.loaded('HCPCS'), undefined);
  });

  it('searches the latest year by default and an older year on request', async () => {
    const fresh = new CodeStore(nodeFs, dir);
    assert.deepStrictEqual(
      (await fresh.search('E11.A')).map((h) => h.code),
      ['E11.A'],
    );
    assert.deepStrictEqual(await fresh.search('E11.A', { year: 2025 }), []);
    assert.deepStrictEqual(
      (await fresh.search('wheelchair', { system: 'HCPCS' })).map((h) => h.code),
      ['K0001', 'E1160'],
    );
  });

  it('looks up a code in any written form, and a modifier', async () => {
    const fresh = new CodeStore(nodeFs, dir);
    const hit = await fresh.lookup('ICD-10-CM', 'e119');
    assert.deepStrictEqual([hit?.code, hit?.title, hit?.billable], ['E11.9', 'Type 2 diabetes mellitus without complications', true]);
    assert.strictEqual(await fresh.lookup('ICD-10-CM', 'X12.3'), undefined);
    assert.strictEqual((await fresh.lookup('ICD-10-CM', 'X12.3', 2025))?.title, 'Contact with hot fluids, old style');
    assert.match((await fresh.lookupModifier('rt'))!.title, /^Right side/);
  });

  it('checks codes against the chosen year with messages that say what to do', async () => {
    const fresh = new CodeStore(nodeFs, dir);
    await fresh.prepare(2026);
    const check = codeChecker(fresh, 2026);
    assert.strictEqual(check('ICD-10-CM', 'E11.9'), undefined);
    assert.strictEqual(check('ICD-10-CM', 'E11'), 'E11 is a category, not a billable code in FY2026: add more characters');
    assert.strictEqual(check('ICD-10-CM', 'X12.3'), 'X12.3 was deleted in FY2026');
    assert.strictEqual(check('ICD-10-CM', 'Q99.99'), 'Q99.99 is not an ICD-10-CM code in FY2026');
    assert.strictEqual(check('HCPCS', 'G9999'), 'G9999 was discontinued on 2020-12-31: it is not valid in 2026');
    assert.strictEqual(check('CPT', '99213'), undefined, 'no CPT file imported: nothing to say');
  });

  it('checks a pack year against the latest set not after it, per system (a 2027 pack uses HCPCS 2026)', async () => {
    const fresh = new CodeStore(nodeFs, dir);
    await fresh.prepare(2027);
    const check = codeChecker(fresh, 2027);
    assert.strictEqual(check('HCPCS', 'G9999'), 'G9999 was discontinued on 2020-12-31: it is not valid in 2026');
    assert.strictEqual(check('ICD-10-CM', 'E11'), 'E11 is a category, not a billable code in FY2026: add more characters');
  });

  it('says nothing for a year whose set is not loaded', async () => {
    const fresh = new CodeStore(nodeFs, dir);
    await fresh.prepare(2026);
    assert.strictEqual(codeChecker(fresh, 2024)('ICD-10-CM', 'Q99.99'), undefined);
  });

  it('keeps the deleted list of the newer year right when an older year is imported after it', async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'casebook-codes-')).split(path.sep).join('/');
    try {
      const s = new CodeStore(nodeFs, other);
      await s.save(await imported('fixture-icd-order-2026.txt'));
      await s.save(await imported('fixture-icd-order-2025.txt'));
      const fresh = new CodeStore(nodeFs, other);
      await fresh.prepare(2026);
      assert.strictEqual(codeChecker(fresh)('ICD-10-CM', 'X123'), 'X12.3 was deleted in FY2026');
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('diffs two years: added, deleted and retitled billable codes', async () => {
    const diff = (await store.diff('ICD-10-CM', 2025, 2026))!;
    assert.deepStrictEqual(diff.added, [
      { code: 'E11.A', title: 'Type 2 diabetes mellitus without complications in remission' },
      { code: 'QA0.8', title: 'Other neurodevelopmental disorder related to pathogenic variants' },
    ]);
    assert.deepStrictEqual(diff.deleted, [{ code: 'X12.3', title: 'Contact with hot fluids, old style' }]);
    assert.deepStrictEqual(diff.retitled, [
      { code: 'L02.12', oldTitle: 'Cutaneous abscess of back', newTitle: 'Cutaneous abscess of back [any part, except buttock and flank]' },
    ]);
  });

  it('lists key lines that use deleted codes, including accepted alternatives', async () => {
    const diff = diffCodeSets((await store.load('ICD-10-CM', 2025))!, (await store.load('ICD-10-CM', 2026))!);
    const line = (code: string, accept: string[], at: number): KeyLine => ({
      kind: 'diagnosis',
      system: 'ICD-10-CM',
      code,
      modifiers: [],
      units: 1,
      accept,
      evidence: [],
      points: 1,
      optional: false,
      line: at,
    });
    const key: AnswerKey = {
      case: 'burn-01',
      file: 'keys/burn-01.md',
      diagnoses: [line('X12.3', [], 4), line('E11.9', ['x123'], 9)],
      procedures: [],
      rationale: '',
    };
    assert.deepStrictEqual(deletedCodesUsed(diff, [key]), [
      { case: 'burn-01', file: 'keys/burn-01.md', line: 4, code: 'X12.3' },
      { case: 'burn-01', file: 'keys/burn-01.md', line: 9, code: 'X12.3' },
    ]);
  });

  it('adds a modifier list to the stored set of its year instead of replacing the codes', async () => {
    await store.save(await imported('hcpcs_2026_modifiers.tsv'));
    const fresh = new CodeStore(nodeFs, dir);
    const set = await fresh.load('HCPCS', 2026);
    assert.deepStrictEqual([set?.count, set?.modifiers.map((m) => m.code)], [8, ['LT']]);
  });
});
