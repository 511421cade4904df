// Code sets on the real CMS/CDC files in ../shared/codesets (public domain), when present:
// counts, the HCPCS record layout against the TSV of the same codes, and the year-over-year
// diff against the addenda. Skipped with a note when the files are absent.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { CodeSet, diffCodeSets, encodeCodeSet, importCodeFile, searchCodeSets } from '../../src/core/codeset';
import type { ImportedCodeSet } from '../../src/core/codeset';

const repoRoot = path.resolve(__dirname, '../..');
const SHARED = process.env.CASEBOOK_CODESETS ?? path.resolve(repoRoot, '..', 'shared', 'codesets');
const file = (rel: string) => path.join(SHARED, rel);

async function importReal(rel: string, name = path.basename(rel)): Promise<ImportedCodeSet> {
  const result = await importCodeFile(fs.readFileSync(file(rel), 'utf8'), { fileName: name });
  if (result.problem) assert.fail(result.problem.message);
  return result.sets[0];
}

function tsvRows(rel: string): string[][] {
  return fs
    .readFileSync(file(rel), 'utf8')
    .split(/\r?\n/)
    .filter((l) => l !== '')
    .slice(1)
    .map((l) => l.split('\t'));
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

// The FY2026 order file is used by two groups: import and index it once.
let fy2026: Promise<CodeSet> | undefined;
const loadFy2026 = () => (fy2026 ??= importReal('icd10cm/fy2026/icd10cm_order_2026.txt').then((set) => new CodeSet(encodeCodeSet(set))));

describe('code sets: the real CMS/CDC files', function () {
  this.timeout(30000);

  function needs(...rels: string[]) {
    return function (this: Mocha.Context) {
      const missing = rels.filter((r) => !fs.existsSync(file(r)));
      if (missing.length) {
        console.log(`    (skipped: ${missing.join(', ')} not found under ${SHARED}; set CASEBOOK_CODESETS to the folder of the official files)`);
        this.skip();
      }
    };
  }

  describe('ICD-10-CM FY2026', () => {
    let order: ImportedCodeSet;
    let codes: ImportedCodeSet;
    before(needs('icd10cm/fy2026/icd10cm_order_2026.txt', 'icd10cm/fy2026/icd10cm_codes_2026.txt'));
    before(async () => {
      order = await importReal('icd10cm/fy2026/icd10cm_order_2026.txt');
      codes = await importReal('icd10cm/fy2026/icd10cm_codes_2026.txt');
    });

    it('has 74,719 billable codes in the codes file', () => {
      assert.strictEqual(codes.kind, 'icd10cm-codes');
      assert.strictEqual(codes.records.length, 74719);
      assert.ok(codes.records.every((r) => r.billable));
    });

    it('has the same 74,719 billable codes and titles in the order file, plus its category headers', () => {
      const billable = order.records.filter((r) => r.billable);
      assert.strictEqual(billable.length, 74719);
      assert.strictEqual(order.records.length - billable.length, 23467);
      const titles = new Map(codes.records.map((r) => [r.code, r.title]));
      assert.ok(billable.every((r) => titles.get(r.code) === r.title));
    });

    // How fast is `npm run bench -- codeset` (p95 and p99 over real queries); here only what it finds.
    it('finds real codes by code and by title words', async () => {
      const set = await loadFy2026();
      const first = (q: string) => searchCodeSets([set], q, { limit: 5 }).map((h) => h.code);
      assert.deepStrictEqual(first('e11.6')[0], 'E11.6');
      assert.deepStrictEqual(first('S525').slice(0, 2), ['S52.5', 'S52.50']);
      assert.ok(first('type 2 diab kidney').includes('E11.22'));
      assert.strictEqual(first('pneumonia unspecified organism')[0], 'J18.9');
      assert.ok(searchCodeSets([set], 'fract radius', { limit: 20 }).some((h) => h.code.startsWith('S52')));
    });
  });

  describe('HCPCS 2025 fixed-width file (record layout)', () => {
    let set: ImportedCodeSet;
    before(needs('hcpcs/2025/HCPC2025_JAN_ANWEB_12172024.txt', 'hcpcs/2025/hcpcs_2025_codes.tsv', 'hcpcs/2025/hcpcs_2025_modifiers.tsv'));
    before(async () => {
      set = await importReal('hcpcs/2025/HCPC2025_JAN_ANWEB_12172024.txt');
    });

    it('has as many distinct codes as the TSV has rows (8,259), with the same long descriptions', () => {
      const rows = tsvRows('hcpcs/2025/hcpcs_2025_codes.tsv');
      assert.strictEqual(rows.length, 8259);
      assert.strictEqual(new Set(set.records.map((r) => r.code)).size, 8259);
      assert.strictEqual(set.records.length, 8259);
      const byCode = new Map(set.records.map((r) => [r.code, r.title]));
      // Continuation lines joined with one space; the TSV keeps some double spaces, so compare squashed.
      const different = rows.filter(([code, , long]) => squash(byCode.get(code) ?? '') !== squash(long));
      assert.deepStrictEqual(
        different.map((r) => r[0]),
        [],
      );
    });

    it('keeps the 383 modifiers apart from the codes', () => {
      const rows = tsvRows('hcpcs/2025/hcpcs_2025_modifiers.tsv');
      assert.strictEqual(rows.length, 383);
      assert.strictEqual(set.modifiers.length, 383);
      assert.deepStrictEqual(set.modifiers.map((m) => m.code).sort(), rows.map((r) => r[0]).sort());
    });

    it('marks as discontinued exactly the codes with a termination date in the TSV', () => {
      const ended = tsvRows('hcpcs/2025/hcpcs_2025_codes.tsv')
        .filter((r) => r[7] !== '')
        .map((r) => r[0])
        .sort();
      assert.deepStrictEqual(
        set.records
          .filter((r) => r.terminated)
          .map((r) => r.code)
          .sort(),
        ended,
      );
      assert.ok(
        set.records.filter((r) => r.terminated).every((r) => !r.billable),
        'all ended before 2025',
      );
    });

    it('imports the TSV through the code-list importer to the same codes', async () => {
      const tsv = await importReal('hcpcs/2025/hcpcs_2025_codes.tsv');
      assert.deepStrictEqual([tsv.system, tsv.year, tsv.records.length], ['HCPCS', 2025, 8259]);
      assert.strictEqual(tsv.records.filter((r) => r.billable).length, set.records.filter((r) => r.billable).length);
    });
  });

  describe('ICD-10-CM FY2025 -> FY2026 diff', () => {
    before(needs('icd10cm/fy2025/icd10cm_order_2025.txt', 'icd10cm/fy2026/icd10cm_order_2026.txt', 'icd10cm/fy2026/icd10cm_codes_addenda_2026.txt'));

    it('matches the addenda: the same codes added, deleted and revised', async () => {
      const older = new CodeSet(encodeCodeSet(await importReal('icd10cm/fy2025/icd10cm_order_2025.txt')));
      const newer = await loadFy2026();
      const diff = diffCodeSets(older, newer);
      const addenda = fs.readFileSync(file('icd10cm/fy2026/icd10cm_codes_addenda_2026.txt'), 'utf8').split(/\r?\n/);
      const codesOf = (prefix: string) =>
        addenda
          .filter((l) => l.startsWith(prefix))
          .map((l) => l.slice(prefix.length).trim().split(/\s+/)[0])
          .sort();
      const normal = (list: { code: string }[]) => list.map((c) => c.code.replace('.', '')).sort();
      assert.deepStrictEqual([diff.added.length, diff.deleted.length, diff.retitled.length], [487, 28, 38]);
      assert.deepStrictEqual(normal(diff.added), codesOf('Add:'));
      assert.deepStrictEqual(normal(diff.deleted), codesOf('Delete:'));
      assert.deepStrictEqual(normal(diff.retitled), [...new Set(codesOf('Revise from:'))]);
    });
  });
});
