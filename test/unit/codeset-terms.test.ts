// The curated look-up vocabulary (src/core/codeset/data): well formed, no term twice in a file, and
// every code it offers valid in the official files (ICD-10-CM billable in FY2026, HCPCS not
// terminated in 2025). The code checks skip with a note when ../shared/codesets is absent.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { SHIPPED_TERM_FILES, checkTermFile, shippedVocabulary, termKey, titleWords } from '../../src/core/codeset';

const SHARED = process.env.CASEBOOK_CODESETS ?? path.resolve(__dirname, '../..', '..', 'shared', 'codesets');
const ORDER = path.join(SHARED, 'icd10cm/fy2026/icd10cm_order_2026.txt');
const HCPCS_TSV = path.join(SHARED, 'hcpcs/2025/hcpcs_2025_codes.tsv');

describe('look-up vocabulary (data files)', () => {
  for (const [name, file] of Object.entries(SHIPPED_TERM_FILES)) {
    it(`${name} is well formed and lists each term once`, () => {
      assert.deepStrictEqual(checkTermFile(name, file), []);
      const keys = file.entries.map((e) => termKey(titleWords(e.term)));
      const twice = keys.filter((k, i) => keys.indexOf(k) !== i);
      assert.deepStrictEqual(twice, []);
    });
  }

  it('has several hundred entries, with the ones the issue names', () => {
    const v = shippedVocabulary();
    assert.ok(v.size >= 700, String(v.size));
    for (const term of [
      'htn',
      'dm2',
      't2dm',
      'chf',
      'copd',
      'ckd',
      'afib',
      'cad',
      'gerd',
      'bph',
      'luts',
      'osa',
      'uri',
      'uti',
      'mi',
      'nstemi',
      'stemi',
      'tia',
      'cva',
      'mdd',
      'gad',
      'hld',
      'lbp',
      'oa',
      'ra',
      'sob',
      'n v',
      'pe',
      'dvt',
      'fx',
      'hx',
      'h o',
      's p',
      'w',
      'w o',
      'r o',
      'bilat',
      'lle',
      'rle',
      'heart attack',
      'kenalog',
      'toradol',
      'depo provera',
      'b12',
    ]) {
      assert.ok(v.get(termKey(titleWords(term))), term);
    }
    // Ambiguous abbreviations stand for each meaning.
    for (const [term, count] of [
      ['pe', 3],
      ['ra', 3],
      ['ms', 2],
      ['cp', 2],
    ] as const)
      assert.ok(v.get(term)!.means.length >= count, term);
  });

  describe('codes against the official files', () => {
    before(function () {
      if (!fs.existsSync(ORDER) || !fs.existsSync(HCPCS_TSV)) {
        console.log(`    (skipped: ${ORDER} or ${HCPCS_TSV} not found; set CASEBOOK_CODESETS to the folder of the official files)`);
        this.skip();
      }
    });

    it('every ICD-10-CM code is billable in FY2026 and every HCPCS code valid in 2025', () => {
      const billable = new Set<string>();
      for (const line of fs.readFileSync(ORDER, 'utf8').split('\n')) if (line[14] === '1') billable.add(line.slice(6, 13).trim());
      const hcpcs = new Map<string, string>();
      for (const line of fs.readFileSync(HCPCS_TSV, 'utf8').split('\n').slice(1)) {
        const f = line.split('\t');
        if (f[0]) hcpcs.set(f[0], f[7] ?? '');
      }
      const bad: string[] = [];
      for (const [name, file] of Object.entries(SHIPPED_TERM_FILES)) {
        for (const e of file.entries) {
          for (const c of e.icd ?? []) if (!billable.has(c.replace('.', ''))) bad.push(`${name} ${e.term}: ${c} is not billable in FY2026`);
          for (const c of e.hcpcs ?? []) {
            if (!hcpcs.has(c)) bad.push(`${name} ${e.term}: ${c} is not in HCPCS 2025`);
            else if (hcpcs.get(c)) bad.push(`${name} ${e.term}: ${c} was terminated ${hcpcs.get(c)}`);
          }
        }
      }
      assert.deepStrictEqual(bad, []);
    });
  });
});
