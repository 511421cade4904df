// Look-up on the real files in ../shared/codesets (FY2026 order file, HCPCS 2025, FY2025 index
// tables): each kind of query finds what a coder would accept near the top. Skipped with a note
// when the files are absent.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { CodeSet, LoadedIndex, encodeCodeSet, importCodeFile, searchCodeSets, tabularChildren } from '../../src/core/codeset';
import type { CodeHit } from '../../src/core/codeset';

const SHARED = process.env.CASEBOOK_CODESETS ?? path.resolve(__dirname, '../..', '..', 'shared', 'codesets');
const FILES = [
  'icd10cm/fy2026/icd10cm_order_2026.txt',
  'hcpcs/2025/HCPC2025_JAN_ANWEB_12172024.txt',
  'icd10cm/fy2025/icd-10-cm-drug-2025.xml',
  'icd10cm/fy2025/icd-10-cm-neoplasm-2025.xml',
  'icd10cm/fy2025/icd-10-cm-eindex-2025.xml',
];

describe('look-up: the real CMS/CDC files', function () {
  this.timeout(60000);
  let sets: CodeSet[];
  let indexes: LoadedIndex[];
  before(async function () {
    const missing = FILES.filter((f) => !fs.existsSync(path.join(SHARED, f)));
    if (missing.length) {
      console.log(`    (skipped: ${missing.join(', ')} not found under ${SHARED}; set CASEBOOK_CODESETS to the folder of the official files)`);
      this.skip();
    }
    sets = [];
    indexes = [];
    for (const f of FILES) {
      const result = await importCodeFile(fs.readFileSync(path.join(SHARED, f), 'utf8'), { fileName: path.basename(f) });
      if (result.problem) assert.fail(result.problem.message);
      for (const s of result.sets) sets.push(new CodeSet(encodeCodeSet(s)));
      for (const i of result.indexes ?? []) indexes.push(new LoadedIndex(i));
    }
  });
  const search = (q: string): CodeHit[] => searchCodeSets(sets, q, { limit: 20, indexes });
  const top = (q: string, n = 5) =>
    search(q)
      .slice(0, n)
      .map((h) => h.code);
  const first = (q: string) => top(q, 1)[0];

  it('abbreviations: the usual code first (htn → I10, dm2 → E11.9, copd exacerbation → J44.1)', () => {
    assert.strictEqual(first('htn'), 'I10');
    assert.strictEqual(first('dm2'), 'E11.9');
    assert.strictEqual(first('T2DM'), 'E11.9');
    assert.strictEqual(first('copd exacerbation'), 'J44.1');
    assert.strictEqual(first('ckd 3a'), 'N18.31');
    assert.strictEqual(first('afib'), 'I48.91');
    assert.strictEqual(first('cad'), 'I25.10');
    assert.strictEqual(first('uti'), 'N39.0');
    assert.strictEqual(first('gerd'), 'K21.9');
    assert.ok(
      search('htn').some((h) => h.system === 'HCPCS' && /\bhtn\b/.test(h.title)),
      'the titles with the letters htn stay in view',
    );
  });

  it('ambiguous abbreviations offer each meaning', () => {
    const pe = top('pe', 10);
    assert.ok(pe.includes('I26.99') && pe.some((c) => c.startsWith('J9')), JSON.stringify(pe));
  });

  it('lay terms and synonyms', () => {
    assert.strictEqual(first('heart attack'), 'I21.9');
    assert.strictEqual(first('strep throat'), 'J02.0');
    assert.strictEqual(first('kidney stones'), 'N20.0');
    assert.strictEqual(first('pink eye'), 'H10.9');
    assert.strictEqual(first('shingles'), 'B02.9');
    assert.strictEqual(first('fracture radius distal right'), 'S52.501A');
    // A short query matches hundreds of fracture codes: the first gathered are initial encounters, not sequelae.
    assert.strictEqual(first('broken arm'), 'S42.309A');
    assert.ok(top('broken wrist').includes('S62.109A'), JSON.stringify(top('broken wrist')));
  });

  it('misspellings of five or more letters', () => {
    assert.strictEqual(first('pnuemonia'), 'J18.9');
    assert.strictEqual(first('hypertention'), 'I10');
    assert.strictEqual(first('cellulitus'), 'L03.90');
    assert.strictEqual(first('diabetis'), 'E11.9');
  });

  it('drug names find their J-codes with the dose, and discontinued codes rank after valid ones', () => {
    const kenalog = search('kenalog')[0];
    assert.deepStrictEqual([kenalog.code, kenalog.dose], ['J3301', '10 mg']);
    assert.strictEqual(first('toradol'), 'J1885');
    assert.strictEqual(first('depo-provera'), 'J1050');
    assert.strictEqual(first('rocephin'), 'J0696');
    assert.strictEqual(first('zofran'), 'J2405');
    assert.strictEqual(first('b12'), 'J3420');
    const medrol = search('depo-medrol');
    assert.strictEqual(medrol[0].code, 'J1010');
    assert.ok(
      medrol.filter((h) => h.terminated).every((h) => medrol.indexOf(h) > 0),
      'J1030/J1040 (ended 2024-03-31) after J1010',
    );
  });

  it('index tables: dog bite, lung cancer, triamcinolone', () => {
    const bite = search('dog bite');
    assert.strictEqual(bite[0].code, 'W54.0XXA');
    assert.ok(bite[0].index && bite[0].index.table === 'External Cause Index' && bite[0].index.code === 'W54.0-', JSON.stringify(bite[0]));
    const lung = search('neoplasm lung malignant');
    assert.deepStrictEqual(
      lung.slice(0, 2).map((h) => [h.code, h.index?.column]),
      [
        ['C34.90', 'Malignant Primary'],
        ['C78.00', 'Malignant Secondary'],
      ],
    );
    assert.strictEqual(first('lung cancer'), 'C34.90');
    const tri = search('triamcinolone')
      .filter((h) => h.index?.table === 'Table of Drugs and Chemicals')
      .map((h) => h.code);
    for (const c of ['T38.0X1A', 'T38.0X5A', 'T38.0X6A']) assert.ok(tri.includes(c), c);
  });

  it('supplies and index-style word order', () => {
    assert.strictEqual(first('walker folding wheeled'), 'E0143');
    assert.strictEqual(first('colles fx right'), 'S52.531A');
    assert.strictEqual(first('knee prim osteoarth right'), 'M17.11');
  });

  it('the Tabular drill-down of E11.6 and of a 7th-character code', () => {
    const icd = sets.find((s) => s.system === 'ICD-10-CM')!;
    assert.deepStrictEqual(
      tabularChildren(icd, 'E11.6').map((n) => n.code),
      ['E11.61', 'E11.62', 'E11.63', 'E11.64', 'E11.65', 'E11.69'],
    );
    assert.ok(tabularChildren(icd, 'S52.53').every((n) => n.needsSeventhCharacter));
  });
});
