// Look-up as coders type, on small fixtures: abbreviations, lay terms, drug names, misspellings,
// stop and ranking words, the ranking a coder expects, the index tables (XML reader, import,
// search, bad input) and the Tabular drill-down.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import {
  CodeSet,
  CodeStore,
  LoadedIndex,
  Vocabulary,
  editDistance,
  encodeCodeSet,
  importPaths,
  parseIndexXml,
  readQuery,
  readXml,
  searchCodeSets,
  tabularChildren,
  tabularParent,
  titleSearch,
} from '../../src/core/codeset';
import type { CodeRecord, ImportedIndex, SearchOptions } from '../../src/core/codeset';
import { MemFs } from './memfs';

const FIXTURES = path.resolve(__dirname, '../fixtures/index-tables');
const read = (name: string) => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

const r = (code: string, title: string, billable = true): CodeRecord => ({ code, title, billable });

const ICD: CodeRecord[] = [
  r('I10', 'Essential (primary) hypertension'),
  r('P292', 'Neonatal hypertension'),
  r('K766', 'Portal hypertension'),
  r('I160', 'Hypertensive urgency'),
  r('E119', 'Type 2 diabetes mellitus without complications'),
  r('E1165', 'Type 2 diabetes mellitus with hyperglycemia'),
  r('E118', 'Type 2 diabetes mellitus with unspecified complications'),
  r('E11', 'Type 2 diabetes mellitus', false),
  r('E116', 'Type 2 diabetes mellitus with other specified complications', false),
  r('E1161', 'Type 2 diabetes mellitus with diabetic arthropathy', false),
  r('E11610', 'Type 2 diabetes mellitus with diabetic neuropathic arthropathy'),
  r('E1169', 'Type 2 diabetes mellitus with other specified complication'),
  r('J449', 'Chronic obstructive pulmonary disease, unspecified'),
  r('J441', 'Chronic obstructive pulmonary disease with (acute) exacerbation'),
  r('J189', 'Pneumonia, unspecified organism'),
  r('J129', 'Viral pneumonia, unspecified'),
  r('D682', 'Hereditary deficiency of other clotting factors afibrinogenemia'),
  r('I4891', 'Unspecified atrial fibrillation'),
  r('S52531A', "Colles' fracture of right radius, initial encounter for closed fracture"),
  r('S52531D', "Colles' fracture of right radius, subsequent encounter for closed fracture with routine healing"),
  r('S52531S', "Colles' fracture of right radius, sequela"),
  r('S52532A', "Colles' fracture of left radius, initial encounter for closed fracture"),
  r('S52531', "Colles' fracture of right radius", false),
  r('S5253', "Colles' fracture", false),
  r('W540', 'Bitten by dog', false),
  r('W540XXA', 'Bitten by dog, initial encounter'),
  r('W540XXD', 'Bitten by dog, subsequent encounter'),
  r('W540XXS', 'Bitten by dog, sequela'),
  r('W11', 'Fall on and from ladder', false),
  r('W11XXXA', 'Fall on and from ladder, initial encounter'),
  r('T380X1', 'Poisoning by glucocorticoids and synthetic analogues, accidental (unintentional)', false),
  r('T380X1A', 'Poisoning by glucocorticoids and synthetic analogues, accidental (unintentional), initial encounter'),
  r('T380X1D', 'Poisoning by glucocorticoids and synthetic analogues, accidental (unintentional), subsequent encounter'),
  r('T380X5', 'Adverse effect of glucocorticoids and synthetic analogues', false),
  r('T380X5A', 'Adverse effect of glucocorticoids and synthetic analogues, initial encounter'),
  r('C349', 'Malignant neoplasm of unspecified part of bronchus or lung', false),
  r('C3490', 'Malignant neoplasm of unspecified part of unspecified bronchus or lung'),
  r('C3491', 'Malignant neoplasm of unspecified part of right bronchus or lung'),
  r('C3492', 'Malignant neoplasm of unspecified part of left bronchus or lung'),
  r('C780', 'Secondary malignant neoplasm of lung', false),
  r('C7800', 'Secondary malignant neoplasm of unspecified lung'),
  r('C7801', 'Secondary malignant neoplasm of right lung'),
  r('D381', 'Neoplasm of uncertain behavior of trachea, bronchus and lung'),
];
const HCPCS: CodeRecord[] = [
  r('G8904', 'I intend to report the hypertension (htn) measures group'),
  r('J3301', 'Injection, triamcinolone acetonide, not otherwise specified, 10 mg'),
  r('J1885', 'Injection, ketorolac tromethamine, per 15 mg'),
  r('E0143', 'Walker, folding, wheeled, adjustable or fixed height'),
];

const icd = new CodeSet(encodeCodeSet({ system: 'ICD-10-CM', year: 2026, kind: 'code-list', source: 'test', records: ICD, modifiers: [] }));
const hcpcs = new CodeSet(encodeCodeSet({ system: 'HCPCS', year: 2025, kind: 'code-list', source: 'test', records: HCPCS, modifiers: [] }));
const sets = [icd, hcpcs];
const codes = (query: string, options: SearchOptions = {}) => searchCodeSets(sets, query, { limit: 20, ...options }).map((h) => h.code);

function index(name: string): ImportedIndex {
  const parsed = parseIndexXml(read(name), name);
  if (parsed.problem) assert.fail(parsed.problem.message);
  return parsed.index;
}

describe('look-up: abbreviations, lay terms and drug names', () => {
  it('offers the usual code of an abbreviation first, and never hides a title with the typed letters', () => {
    const found = codes('htn');
    assert.strictEqual(found[0], 'I10');
    assert.ok(found.includes('G8904'), 'the HCPCS title that says "htn" is still offered');
    assert.ok(codes('HTN')[0] === 'I10', 'case-insensitive');
  });

  it('keeps the typed letters in view even when the expansion fills the list', () => {
    const found = codes('htn', { limit: 5 });
    assert.strictEqual(found[0], 'I10');
    assert.ok(found.includes('G8904'), JSON.stringify(found));
  });

  it('ranks the expansion above a longer word the letters merely start (afib is not afibrinogenemia)', () => {
    const found = codes('afib');
    assert.strictEqual(found[0], 'I48.91');
    assert.ok(found.includes('D68.2'), 'the literal match is still there, later');
  });

  it('expands a term within a longer query and gives the usual code only when it has the other words', () => {
    assert.strictEqual(codes('dm2')[0], 'E11.9');
    assert.strictEqual(codes('copd exacerbation')[0], 'J44.1');
    assert.strictEqual(codes('copd')[0], 'J44.9');
    assert.strictEqual(codes('type 2 dm w/ hyperglycemia')[0], 'E11.65');
  });

  it('reads lay terms and slashed abbreviations', () => {
    const parts = readQuery('hx of dvt w/o complications');
    assert.deepStrictEqual(
      parts.map((p) => p.words.join(' ')),
      ['hx dvt', 'w o', 'complications'],
    );
    assert.strictEqual(codes('high blood pressure')[0], 'I10');
  });

  it('finds a drug by its brand name, with the dose one unit is', () => {
    const hits = searchCodeSets(sets, 'Kenalog', { limit: 5 });
    assert.strictEqual(hits[0].code, 'J3301');
    assert.strictEqual(hits[0].dose, '10 mg');
    assert.match(hits[0].via ?? '', /kenalog → triamcinolone/);
    assert.strictEqual(searchCodeSets(sets, 'toradol', { limit: 5 })[0].dose, 'per 15 mg');
  });

  it('an ambiguous abbreviation stands for each meaning', () => {
    const v = new Vocabulary([{ source: 'abbreviation', file: { format: 1, entries: [{ term: 'PE', means: ['pulmonary embolism', 'pleural effusion'] }] } }]);
    assert.strictEqual(v.get('pe')!.means.length, 2);
  });
});

describe('look-up: misspellings, stop words and ranking words', () => {
  it('edit distance counts a swap of neighbours as one and stops past the bound', () => {
    assert.strictEqual(editDistance('pnuemonia', 'pneumonia', 1), 1);
    assert.strictEqual(editDistance('hypertention', 'hypertension', 2), 1);
    assert.strictEqual(editDistance('cellulitus', 'cellulitis', 2), 1);
    assert.strictEqual(editDistance('abcdef', 'uvwxyz', 2), 3);
  });

  it('matches a misspelt word of five or more letters that matches nothing, saying so', () => {
    const hits = searchCodeSets(sets, 'pnuemonia', { limit: 5 });
    assert.deepStrictEqual(hits.map((h) => h.code).sort(), ['J12.9', 'J18.9']);
    assert.match(hits[0].via ?? '', /pnuemonia → /);
    assert.strictEqual(codes('hypertention')[0], 'I10');
    assert.deepStrictEqual(codes('pnuemo'), [], 'an unfinished word is a prefix, not a misspelling');
    assert.deepStrictEqual(codes('xyzzy'), []);
  });

  it('ranks an exact match above a misspelling match', () => {
    const set = new CodeSet(
      encodeCodeSet({ system: 'ICD-10-CM', year: 2026, kind: 'code-list', source: 't', modifiers: [], records: [r('A01', 'Colitus'), r('A02', 'Colitis')] }),
    );
    assert.deepStrictEqual(
      searchCodeSets([set], 'colitis').map((h) => h.code),
      ['A02'],
    );
  });

  it('keeps records in the rank order a search stops in: initial encounter, then fewest words beyond the usual, then title length', () => {
    const records = [
      r('S42.309S', 'Fracture of arm, sequela'),
      r('S42.309D', 'Fracture of arm, subsequent encounter for fracture with routine healing'),
      r('S42.399A', 'Other greenstick fracture of arm, initial encounter for closed fracture'),
      r('S42.309A', 'Unspecified fracture of arm, initial encounter for closed fracture'),
      r('S42.30', 'Fracture of arm', false),
    ];
    const set = new CodeSet(encodeCodeSet({ system: 'ICD-10-CM', year: 2026, kind: 'code-list', source: 't', modifiers: [], records }));
    assert.deepStrictEqual(
      titleSearch(set, ['fracture', 'arm'], 5).map((i) => set.code(i)),
      ['S42.309A', 'S42.399A', 'S42.309D', 'S42.309S', 'S42.30'],
    );
    // Search stops after the first matches of each reading: with a limit of 1 the one it keeps is the initial encounter.
    assert.deepStrictEqual(
      titleSearch(set, ['arm'], 1).map((i) => set.code(i)),
      ['S42.309A'],
    );
  });

  it('offers the titles with all but one word when none has them all, the most common word left out first', () => {
    const set = new CodeSet(
      encodeCodeSet({
        system: 'HCPCS',
        year: 2025,
        kind: 'code-list',
        source: 't',
        modifiers: [],
        records: [
          r('A6402', 'Gauze, non-impregnated, sterile, pad size 16 sq. in. or less, without adhesive border, each dressing'),
          r('A4461', 'Surgical dressing holder, non-reusable, each'),
          r('A4550', 'Surgical trays'),
          r('A4649', 'Surgical supply; miscellaneous'),
          r('L6388', 'Immediate post surgical or early fitting, application of rigid dressing only'),
        ],
      }),
    );
    const hits = searchCodeSets([set], 'surgical dressing gauze');
    assert.deepStrictEqual(
      hits.map((h) => h.code),
      ['A6402', 'A4461', 'L6388'],
    );
    assert.strictEqual(hits[0].via, 'without “surgical”');
    assert.strictEqual(hits[1].via, 'without “gauze”');
    assert.deepStrictEqual(
      searchCodeSets([set], 'surgical dressing holder').map((h) => [h.code, h.via]),
      [['A4461', undefined]],
      'a title with every word: no partial matches',
    );
    assert.deepStrictEqual(searchCodeSets([set], 'gauze trays'), [], 'two words: both are required');
  });

  it('drops stop words but ranks titles with with/without', () => {
    assert.strictEqual(codes('diabetes type 2 without complications')[0], 'E11.9');
    assert.strictEqual(codes('copd with exacerbation')[0], 'J44.1');
    assert.strictEqual(codes('the pneumonia of')[0], 'J18.9');
  });
});

describe('look-up: the ranking a coder expects', () => {
  it('puts billable codes first and the initial encounter before subsequent and sequela', () => {
    const found = codes('colles fracture right');
    assert.deepStrictEqual(found.slice(0, 3), ['S52.531A', 'S52.531D', 'S52.531S']);
    assert.ok(found.indexOf('S52.531') > 2, 'the header after the billable codes');
  });

  it('laterality words pick the matching code', () => {
    assert.strictEqual(codes('colles fx left')[0], 'S52.532A');
    assert.ok(!codes('colles fx left').includes('S52.531A'));
  });

  it('for a short query, the common or unspecified code first', () => {
    assert.strictEqual(codes('hypertension')[0], 'I10');
    assert.strictEqual(codes('pneumonia')[0], 'J18.9');
  });

  it('drops a number or side that matches nothing rather than finding nothing', () => {
    assert.strictEqual(codes('kenalog 40')[0], 'J3301');
  });
});

describe('index tables: XML reader', () => {
  const events = (xml: string) => {
    const out: string[] = [];
    const error = readXml(xml, {
      open: (n, a) => out.push(`<${n}${Object.keys(a).length ? JSON.stringify(a) : ''}>`),
      close: (n) => out.push(`</${n}>`),
      text: (t) => t.trim() && out.push(t),
    });
    return { out, error };
  };

  it('reads elements, attributes, entities, comments and CDATA', () => {
    const { out, error } = events('<?xml version="1.0"?>\n<!-- c -->\n<a x="1&amp;2"><b>T &lt;&#65;&#x42;</b><c/><![CDATA[<raw>]]></a>');
    assert.strictEqual(error, undefined);
    assert.deepStrictEqual(out, ['<a{"x":"1&2"}>', '<b>', 'T <AB', '</b>', '<c>', '</c>', '<raw>', '</a>']);
  });

  it('says where a file is cut short or broken', () => {
    assert.deepStrictEqual(events('<a>\n<b>\ntext').error, { line: 3, column: 5, message: 'the file ends inside <b> opened at line 2 (it is cut short)' });
    assert.match(events('<a>\n</b>').error!.message, /<\/b> where <\/a> \(opened at line 1\) was expected/);
    assert.strictEqual(events('<a>\n</b>').error!.line, 2);
    assert.match(events('<a>x & y</a>').error!.message, /bare &/);
    assert.match(events('<a>\n<b c="1"').error!.message, /cut short/);
  });
});

describe('index tables: import', () => {
  it('reads the three tables with their paths, columns and codes', () => {
    const e = index('fixture-eindex-2025.xml');
    assert.strictEqual(e.table, 'external-causes');
    assert.strictEqual(e.year, 2025);
    assert.deepStrictEqual(
      e.rows.map((row) => [row.p, row.t, row.c]),
      [
        [-1, 'Bite, bitten by', undefined],
        [0, 'cat', 'W55.01'],
        [0, 'dog', 'W54.0'],
        [-1, 'Fall, falling (accidental)', 'W19'],
        [3, 'from, off, out of', undefined],
        [4, 'ladder', 'W11'],
      ],
    );
    const d = index('fixture-drug-2025.xml');
    assert.strictEqual(d.table, 'drugs');
    assert.strictEqual(d.columns[4], 'Adverse effect');
    assert.deepStrictEqual(d.rows[1], { p: -1, t: 'Turpentine & oil (spirits of)', x: ['T52.8X1', 'T52.8X2', 'T52.8X3', 'T52.8X4', '', ''] });
    assert.strictEqual(index('fixture-neoplasm-2025.xml').table, 'neoplasms');
  });

  it('gives a Problem naming the file and line for a cut-short or wrong-schema file', () => {
    const cut = parseIndexXml(read('truncated-eindex-2025.xml'), '/data/truncated-eindex-2025.xml');
    assert.strictEqual(cut.problem?.file, '/data/truncated-eindex-2025.xml');
    assert.strictEqual(cut.problem?.line, 28);
    assert.match(cut.problem.message, /^line 28: .*cut short/);
    const wrong = parseIndexXml(read('wrongschema-2025.xml'), 'wrongschema-2025.xml');
    assert.deepStrictEqual([wrong.problem?.line, wrong.problem?.message], [8, 'line 8: <row> is not part of the ICD-10-CM index schema']);
    const tabular = parseIndexXml('<?xml version="1.0"?>\n<ICD10CM.tabular></ICD10CM.tabular>', 'tab.xml');
    assert.match(tabular.problem!.message, /^line 2: this is the Tabular List XML/);
  });

  it('imports index files into the store; a broken file loses nothing already imported', async () => {
    const fs_ = new MemFs();
    await fs_.mkdir('/in');
    for (const name of ['fixture-eindex-2025.xml', 'fixture-drug-2025.xml', 'truncated-eindex-2025.xml'])
      await fs_.writeFile(`/in/${name}`, new TextEncoder().encode(read(name)));
    const store = new CodeStore(fs_, '/store');
    const first = await importPaths(store, ['/in/fixture-eindex-2025.xml', '/in/fixture-drug-2025.xml']);
    assert.deepStrictEqual(first.errors, []);
    assert.deepStrictEqual(
      first.savedIndexes.map((i) => [i.table, i.year, i.entries]),
      [
        ['external-causes', 2025, 6],
        ['drugs', 2025, 2],
      ],
    );
    const second = await importPaths(store, ['/in/truncated-eindex-2025.xml']);
    assert.strictEqual(second.errors.length, 1);
    assert.match(second.errors[0], /^\/in\/truncated-eindex-2025\.xml:28:\d+: error: line 28: .*cut short/);
    const fresh = new CodeStore(fs_, '/store');
    const loaded = await fresh.loadIndexes(2026);
    assert.deepStrictEqual(loaded.map((i) => [i.table, i.rows.length]).sort(), [
      ['drugs', 2],
      ['external-causes', 6],
    ]);
  });
});

describe('index tables: search like the books', () => {
  const indexes = ['fixture-eindex-2025.xml', 'fixture-drug-2025.xml', 'fixture-neoplasm-2025.xml'].map((n) => new LoadedIndex(index(n)));
  const search = (q: string, limit = 20) => searchCodeSets(sets, q, { limit, indexes });

  it('dog bite: the External Cause Index entry with its path, resolved to billable codes, initial encounter first', () => {
    const hits = search('dog bite');
    assert.deepStrictEqual(
      hits.slice(0, 3).map((h) => h.code),
      ['W54.0XXA', 'W54.0XXD', 'W54.0XXS'],
    );
    assert.deepStrictEqual(hits[0].index, { table: 'External Cause Index', year: 2025, path: ['Bite, bitten by', 'dog'], code: 'W54.0-' });
    assert.strictEqual(search('fall from ladder')[0].code, 'W11.XXXA');
  });

  it('triamcinolone: the Table of Drugs row, a code per column', () => {
    const hits = search('triamcinolone');
    const fromTable = hits.filter((h) => h.index);
    assert.deepStrictEqual(
      fromTable.slice(0, 2).map((h) => [h.code, h.index!.column]),
      [
        ['T38.0X1A', 'Poisoning Accidental (unintentional)'],
        ['T38.0X5A', 'Adverse effect'],
      ],
    );
    assert.ok(
      hits.some((h) => h.code === 'J3301'),
      'the HCPCS drug is still offered',
    );
    assert.strictEqual(search('triamcinolone adverse effect')[0].code, 'T38.0X5A', 'a column word chooses the column');
  });

  it('lung cancer and neoplasm lung malignant: the Neoplasm Table row, primary then secondary', () => {
    const hits = search('neoplasm lung malignant');
    assert.deepStrictEqual(
      hits.slice(0, 2).map((h) => [h.code, h.index?.column]),
      [
        ['C34.90', 'Malignant Primary'],
        ['C78.00', 'Malignant Secondary'],
      ],
    );
    assert.deepStrictEqual(hits[0].index!.path, ['Neoplasm, neoplastic', 'lung']);
    assert.strictEqual(search('lung cancer')[0].code, 'C34.90');
    assert.strictEqual(search('metastatic lung right')[0].code, 'C78.01', 'the side picks among the resolved codes');
    assert.ok(!search('lung').some((h) => h.index), 'the Neoplasm Table answers only when a neoplasm is asked for');
  });
});

describe('Tabular drill-down', () => {
  it('lists the codes directly below a category with billable flags and 7th-character need', () => {
    assert.deepStrictEqual(
      tabularChildren(icd, 'E11.6').map((n) => [n.code, n.billable, n.hasChildren]),
      [
        ['E11.61', false, true],
        ['E11.65', true, false],
        ['E11.69', true, false],
      ],
    );
    assert.deepStrictEqual(
      tabularChildren(icd, 'E11').map((n) => n.code),
      ['E11.6', 'E11.8', 'E11.9'],
    );
    const colles = tabularChildren(icd, 'S52.53');
    assert.deepStrictEqual(
      colles.map((n) => [n.code, n.needsSeventhCharacter]),
      [
        ['S52.531', true],
        ['S52.532A', false],
      ],
    );
    assert.deepStrictEqual(
      tabularChildren(icd, 'W54.0').map((n) => n.code),
      ['W54.0XXA', 'W54.0XXD', 'W54.0XXS'],
    );
    assert.deepStrictEqual(tabularChildren(icd, 'I10'), []);
    assert.strictEqual(tabularParent(icd, 'E11.610')?.code, 'E11.61');
  });
});
