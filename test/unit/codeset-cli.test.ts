// `casebook codes import|search|diff` on the small fixtures, through the real CLI entry point.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/io';
import { nodeFs } from '../../src/node/nodeFs';

const FIXTURES = path.resolve(__dirname, '../fixtures/codesets');

async function run(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t + '\n'), err: (t) => void (err += t + '\n'), fs: nodeFs, cwd: FIXTURES, env };
  const code = await main(args, io);
  return { code, out, err };
}

describe('casebook codes (CLI)', () => {
  let store: string;
  let empty: string;
  before(() => {
    store = fs.mkdtempSync(path.join(os.tmpdir(), 'casebook-cli-codes-'));
    empty = fs.mkdtempSync(path.join(os.tmpdir(), 'casebook-cli-empty-'));
  });
  after(() => {
    fs.rmSync(store, { recursive: true, force: true });
    fs.rmSync(empty, { recursive: true, force: true });
  });

  it('imports files into the store and prints what was imported with counts', async () => {
    const r = await run(['codes', 'import', 'fixture-icd-order-2025.txt', 'fixture-icd-order-2026.txt', 'fixture-hcpcs-anweb-2026.txt', '--store', store]);
    assert.strictEqual(r.code, 0, r.err);
    assert.match(r.out, /^imported ICD-10-CM FY2026 from fixture-icd-order-2026\.txt: 20 codes \(14 billable codes, 6 category headers\)$/m);
    assert.match(r.out, /^imported HCPCS 2026 from fixture-hcpcs-anweb-2026\.txt: 8 codes \(7 billable codes, 1 discontinued code, 3 modifiers\)$/m);
    assert.ok(fs.existsSync(path.join(store, 'manifest.json')));
  });

  it('imports a folder, reporting the broken files in it and exiting 1', async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'casebook-cli-dir-'));
    try {
      const r = await run(['codes', 'import', FIXTURES, '--store', other]);
      assert.strictEqual(r.code, 1);
      assert.match(r.err, /badflag_order_2026\.txt:3:15: error: line 3: expected a billable flag 0 or 1 at column 15/);
      assert.match(r.err, /skipped README\.md: not a code-set file/);
      assert.match(r.out, /imported ICD-10-CM FY2026 from fixture-icd-order-2026\.txt/, 'the order file wins over the codes file of the same year');
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('exits 1 naming the file and the fix when the year cannot be told', async () => {
    const file = path.join(empty, 'cpt.csv');
    fs.writeFileSync(file, 'code,description\n99213,Sample description\n');
    const r = await run(['codes', 'import', file, '--store', empty]);
    assert.strictEqual(r.code, 1);
    assert.match(r.err, /cpt\.csv: cannot tell which code-set year this file is for: give the year \(--year YYYY\)/);
    fs.rmSync(file);
  });

  it('searches: one match a line, CODE<TAB>SYSTEM<TAB>title, codes in their usual form', async () => {
    const r = await run(['codes', 'search', 'e112', '--store', store]);
    assert.strictEqual(r.code, 0);
    assert.deepStrictEqual(r.out.trim().split('\n'), [
      'E11.2\tICD-10-CM\tType 2 diabetes mellitus with kidney complications',
      'E11.21\tICD-10-CM\tType 2 diabetes mellitus with diabetic nephropathy',
      'E11.22\tICD-10-CM\tType 2 diabetes mellitus with diabetic chronic kidney disease',
    ]);
  });

  it('searches with --json, --system, --year and --limit', async () => {
    const r = await run(['codes', 'search', 'wheelchair', '--system', 'HCPCS', '--limit', '1', '--json', '--store', store]);
    assert.strictEqual(r.code, 0);
    assert.deepStrictEqual(JSON.parse(r.out), [{ code: 'K0001', system: 'HCPCS', title: 'Standard wheelchair', billable: true }]);
    const old = await run(['codes', 'search', 'hot fluids', '--year', '2025', '--json', '--store', store]);
    assert.deepStrictEqual(
      JSON.parse(old.out).map((h: { code: string }) => h.code),
      ['X12.3'],
    );
  });

  it('exits 0 with an empty list when nothing matches', async () => {
    const r = await run(['codes', 'search', 'zzzz', '--json', '--store', store]);
    assert.deepStrictEqual([r.code, JSON.parse(r.out)], [0, []]);
  });

  it('exits 1 when no code set is imported, and 2 for bad usage', async () => {
    assert.strictEqual((await run(['codes', 'search', 'diab', '--store', empty])).code, 1);
    assert.strictEqual((await run(['codes', 'search', '--store', store])).code, 2);
    assert.strictEqual((await run(['codes', 'search', 'diab', '--limit', 'many', '--store', store])).code, 2);
    assert.strictEqual((await run(['codes', 'search', 'diab', '--system', 'SNOMED', '--store', store])).code, 2);
    assert.strictEqual((await run(['codes', 'frobnicate'])).code, 2);
    assert.strictEqual((await run(['codes', 'import', '--store', store])).code, 2);
    assert.strictEqual((await run(['codes', 'diff', '2025', '--store', store])).code, 2);
  });

  it('uses $CASEBOOK_HOME when --store is not given', async () => {
    const r = await run(['codes', 'search', 'E11.9'], { CASEBOOK_HOME: store });
    assert.strictEqual(r.out, 'E11.9\tICD-10-CM\tType 2 diabetes mellitus without complications\n');
  });

  it('diffs two years as text sections with counts', async () => {
    const r = await run(['codes', 'diff', '2025', '2026', '--store', store]);
    assert.strictEqual(r.code, 0);
    assert.match(r.out, /^Added \(2\):\n  E11\.A\tType 2 diabetes mellitus without complications in remission$/m);
    assert.match(r.out, /^Deleted \(1\):\n  X12\.3\tContact with hot fluids, old style$/m);
    assert.match(r.out, /^Retitled \(1\):\n  L02\.12\tCutaneous abscess of back$/m);
  });

  it('diffs two years as JSON', async () => {
    const r = await run(['codes', 'diff', '2025', '2026', '--json', '--store', store]);
    const diff = JSON.parse(r.out);
    assert.deepStrictEqual(Object.keys(diff), ['system', 'old', 'new', 'added', 'deleted', 'retitled']);
    assert.deepStrictEqual([diff.system, diff.old, diff.new], ['ICD-10-CM', 2025, 2026]);
    assert.deepStrictEqual(diff.deleted, [{ code: 'X12.3', title: 'Contact with hot fluids, old style' }]);
    assert.deepStrictEqual(diff.retitled[0].code, 'L02.12');
  });

  it('exits 1 when a year to compare is not imported', async () => {
    const r = await run(['codes', 'diff', '2024', '2026', '--store', store]);
    assert.strictEqual(r.code, 1);
    assert.match(r.err, /ICD-10-CM FY2024 not imported .* \(imported: FY2025, FY2026\)/);
  });
});
