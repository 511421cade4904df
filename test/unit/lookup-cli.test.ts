// `casebook codes import|search` with the ICD-10-CM index tables, through the real CLI entry point.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/io';
import { nodeFs } from '../../src/node/nodeFs';

const FIXTURES = path.resolve(__dirname, '../fixtures/index-tables');

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t + '\n'), err: (t) => void (err += t + '\n'), fs: nodeFs, cwd: FIXTURES, env: {} };
  const code = await main(args, io);
  return { code, out, err };
}

describe('casebook codes with index tables (CLI)', () => {
  let store: string;
  before(() => {
    store = fs.mkdtempSync(path.join(os.tmpdir(), 'casebook-cli-index-'));
  });
  after(() => fs.rmSync(store, { recursive: true, force: true }));

  it('imports index XML beside the code sets and says what each is', async () => {
    const r = await run([
      'codes',
      'import',
      'fixture-icd-order-2026.txt',
      'fixture-eindex-2025.xml',
      'fixture-drug-2025.xml',
      'fixture-neoplasm-2025.xml',
      '--store',
      store,
    ]);
    assert.strictEqual(r.code, 0, r.err);
    assert.match(r.out, /^imported ICD-10-CM FY2025 External Cause Index from fixture-eindex-2025\.xml: 6 entries$/m);
    assert.match(r.out, /^imported ICD-10-CM FY2025 Table of Drugs and Chemicals from fixture-drug-2025\.xml: 2 entries$/m);
    assert.match(r.out, /^imported ICD-10-CM FY2025 Neoplasm Table from fixture-neoplasm-2025\.xml: 2 entries$/m);
  });

  it('searches them: dog bite gives the index path and the billable codes', async () => {
    const r = await run(['codes', 'search', 'dog', 'bite', '--store', store, '--limit', '3']);
    assert.strictEqual(r.code, 0, r.err);
    assert.deepStrictEqual(r.out.trim().split('\n'), [
      'W54.0XXA\tICD-10-CM\tBitten by dog, initial encounter\tExternal Cause Index: Bite, bitten by › dog W54.0-',
      'W54.0XXD\tICD-10-CM\tBitten by dog, subsequent encounter\tExternal Cause Index: Bite, bitten by › dog W54.0-',
      'W54.0XXS\tICD-10-CM\tBitten by dog, sequela\tExternal Cause Index: Bite, bitten by › dog W54.0-',
    ]);
    const json = JSON.parse((await run(['codes', 'search', 'neoplasm lung malignant', '--store', store, '--json', '--limit', '1'])).out);
    assert.deepStrictEqual(json[0].index, {
      table: 'Neoplasm Table',
      year: 2025,
      path: ['Neoplasm, neoplastic', 'lung'],
      code: 'C34.9-',
      column: 'Malignant Primary',
    });
    assert.strictEqual(json[0].code, 'C34.90');
    const htn = await run(['codes', 'search', 'htn', '--store', store, '--limit', '1']);
    assert.strictEqual(htn.out, 'I10\tICD-10-CM\tEssential (primary) hypertension\thtn → hypertension\n');
  });

  it('a cut-short or wrong-schema index file exits 1 naming the file and line, and keeps what was imported', async () => {
    const r = await run(['codes', 'import', 'truncated-eindex-2025.xml', 'wrongschema-2025.xml', '--store', store]);
    assert.strictEqual(r.code, 1);
    assert.match(r.err, /truncated-eindex-2025\.xml:28:\d+: error: line 28: .*cut short/);
    assert.match(r.err, /wrongschema-2025\.xml:8:\d+: error: line 8: <row> is not part of the ICD-10-CM index schema/);
    const again = await run(['codes', 'search', 'dog bite', '--store', store, '--limit', '1']);
    assert.match(again.out, /^W54\.0XXA\t.*External Cause Index/);
  });
});
