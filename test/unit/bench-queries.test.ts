// The public query set (bench/queries.json): at least 150 queries, each with accepted codes that
// are real: ICD-10-CM billable in FY2026, HCPCS valid (not terminated) in 2025. Skipped with a
// note when ../shared/codesets is absent.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const repoRoot = path.resolve(__dirname, '../..');
const SHARED = process.env.CASEBOOK_CODESETS ?? path.resolve(repoRoot, '..', 'shared', 'codesets');
const ORDER = path.join(SHARED, 'icd10cm/fy2026/icd10cm_order_2026.txt');
const HCPCS_TSV = path.join(SHARED, 'hcpcs/2025/hcpcs_2025_codes.tsv');

interface PublicQuery {
  q: string;
  kind: string;
  icd?: string[];
  hcpcs?: string[];
}
const queries = (JSON.parse(fs.readFileSync(path.join(repoRoot, 'bench', 'queries.json'), 'utf8')) as { queries: PublicQuery[] }).queries;

describe('bench/queries.json', () => {
  it('has at least 150 queries of the kinds the look-up serves, each with accepted codes, none twice', () => {
    assert.ok(queries.length >= 150, String(queries.length));
    const kinds = new Set(queries.map((q) => q.kind));
    for (const k of ['abbreviation', 'lay term', 'misspelling', 'drug', 'index', 'index order', 'supply']) assert.ok(kinds.has(k), k);
    for (const q of queries) assert.ok((q.icd?.length ?? 0) + (q.hcpcs?.length ?? 0) > 0, q.q);
    const texts = queries.map((q) => `${q.kind}|${q.q}`);
    assert.deepStrictEqual(
      texts.filter((t, i) => texts.indexOf(t) !== i),
      [],
    );
  });

  it('expects only real codes: billable ICD-10-CM FY2026, valid HCPCS 2025', function () {
    if (!fs.existsSync(ORDER) || !fs.existsSync(HCPCS_TSV)) {
      console.log(`    (skipped: ${ORDER} or ${HCPCS_TSV} not found; set CASEBOOK_CODESETS to the folder of the official files)`);
      this.skip();
    }
    const billable = new Set<string>();
    for (const line of fs.readFileSync(ORDER, 'utf8').split('\n')) if (line[14] === '1') billable.add(line.slice(6, 13).trim());
    const terminated = new Map<string, string>();
    for (const line of fs.readFileSync(HCPCS_TSV, 'utf8').split('\n').slice(1)) {
      const f = line.split('\t');
      if (f[0]) terminated.set(f[0], f[7] ?? '');
    }
    const bad: string[] = [];
    for (const q of queries) {
      for (const c of q.icd ?? []) if (!billable.has(c.replace('.', ''))) bad.push(`${q.q}: ${c} is not billable in FY2026`);
      for (const c of q.hcpcs ?? [])
        if (terminated.get(c) !== '') bad.push(`${q.q}: ${c} is ${terminated.has(c) ? `terminated ${terminated.get(c)}` : 'not in HCPCS 2025'}`);
    }
    assert.deepStrictEqual(bad, []);
  });
});
