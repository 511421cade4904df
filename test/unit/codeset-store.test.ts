// Issue 17 item 4 (and the store parts of item 7): the code-set store checks itself. A cut or
// changed .codes file, a manifest of null or of the wrong shape, an entry pointing at another
// system's file are errors naming the file with a fix; importing again rebuilds a damaged manifest;
// a read-only store says what to do; titles with terminal escapes are printed inert.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/io';
import { CodeStore, StoreProblem, importPaths } from '../../src/core/codeset';
import { nodeFs } from '../../src/node/nodeFs';
import { MemFs } from './memfs';

const FIXTURES = path.resolve(__dirname, '../fixtures/codesets');

async function run(args: string[], cwd = FIXTURES): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { out: (t) => void (out += t + '\n'), err: (t) => void (err += t + '\n'), fs: nodeFs, cwd, env: {} };
  const code = await main(args, io);
  return { code, out, err };
}

async function problemOf(promise: Promise<unknown>): Promise<StoreProblem> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof StoreProblem) return e;
    throw e;
  }
  throw new Error('expected a StoreProblem');
}

describe('code-set store integrity (issue 17 item 4)', () => {
  let dir: string;
  const icd = () => path.join(dir, 'icd-10-cm-2026.codes');
  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'casebook-store-')).split(path.sep).join('/');
    const r = await run(['codes', 'import', 'fixture-icd-order-2025.txt', 'fixture-icd-order-2026.txt', 'fixture-hcpcs-anweb-2026.txt', '--store', dir]);
    assert.strictEqual(r.code, 0, r.err);
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('refuses a .codes file cut to half, naming the file and the fix, in the store and in codes search', async () => {
    const bytes = fs.readFileSync(icd());
    fs.writeFileSync(icd(), bytes.subarray(0, bytes.length >> 1));
    const problem = await problemOf(new CodeStore(nodeFs, dir).lookup('ICD-10-CM', 'E11.9'));
    assert.strictEqual(problem.problem.file, icd());
    assert.match(problem.problem.message, /cut short/);
    assert.match(problem.problem.hint!, /casebook codes import/);
    const checked = await new CodeStore(nodeFs, dir).check();
    assert.deepStrictEqual(
      checked.map((p) => p.file),
      [icd()],
    );
    const r = await run(['codes', 'search', 'E11.9', '--store', dir]);
    assert.strictEqual(r.code, 1);
    assert.match(r.err, /icd-10-cm-2026\.codes: the stored ICD-10-CM 2026 code set cannot be used: cut short/);
    assert.doesNotMatch(r.err, /no codes match/);
  });

  it('refuses a .codes file whose bytes were changed (checksum)', async () => {
    const bytes = fs.readFileSync(icd());
    bytes[bytes.length - 20] ^= 0x20;
    fs.writeFileSync(icd(), bytes);
    assert.match((await problemOf(new CodeStore(nodeFs, dir).search('cholera'))).problem.message, /checksum does not match/);
  });

  it('reports a manifest of null, a null set, or a wrong shape as an error naming manifest.json', async () => {
    const manifest = path.join(dir, 'manifest.json');
    const good = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    const cases: Array<[unknown, RegExp]> = [
      [null, /is not a Casebook code-set manifest/],
      [{ format: 1, sets: [null] }, /sets\[0\] is not an object/],
      [{ format: 1, sets: 'x' }, /is not a Casebook code-set manifest/],
      [{ ...good, sets: [{ ...good.sets[1], year: 'soon' }] }, /sets\[0\] has no year/],
    ];
    for (const [content, message] of cases) {
      fs.writeFileSync(manifest, JSON.stringify(content));
      const problem = await problemOf(new CodeStore(nodeFs, dir).list());
      assert.strictEqual(problem.problem.file, manifest);
      assert.match(problem.problem.message, message);
      assert.match(problem.problem.hint!, /rebuilds the store/);
    }
  });

  it("refuses an entry pointing at another system's file", async () => {
    const manifest = path.join(dir, 'manifest.json');
    const m = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    const entry = m.sets.find((s: { system: string; year: number }) => s.system === 'ICD-10-CM' && s.year === 2026);
    entry.file = 'hcpcs-2026.codes';
    fs.writeFileSync(manifest, JSON.stringify(m));
    assert.match((await problemOf(new CodeStore(nodeFs, dir).list())).problem.message, /points at "hcpcs-2026\.codes", not icd-10-cm-2026\.codes/);
    // Even with the right name, a file holding another system's set is refused.
    entry.file = 'icd-10-cm-2026.codes';
    fs.writeFileSync(manifest, JSON.stringify(m));
    fs.copyFileSync(path.join(dir, 'hcpcs-2026.codes'), icd());
    assert.match(
      (await problemOf(new CodeStore(nodeFs, dir).lookup('ICD-10-CM', 'E11.9'))).problem.message,
      /holds HCPCS 2026, but the manifest lists it as ICD-10-CM 2026/,
    );
  });

  it('codes import rebuilds a damaged manifest, keeping the sets that still load', async () => {
    fs.writeFileSync(path.join(dir, 'manifest.json'), 'null');
    const r = await run(['codes', 'import', 'fixture-hcpcs-anweb-2026.txt', '--store', dir]);
    assert.strictEqual(r.code, 0, r.err);
    const sets = await new CodeStore(nodeFs, dir).list();
    assert.deepStrictEqual(
      sets.map((s) => `${s.system} ${s.year}`),
      ['HCPCS 2026', 'ICD-10-CM 2025', 'ICD-10-CM 2026'],
    );
    assert.strictEqual((await run(['codes', 'search', 'E11.9', '--store', dir])).code, 0);
  });

  it('says what to do when the store cannot be written (issue 17 item 7)', async () => {
    const mem = new MemFs();
    mem.beforeOperation = (op) => {
      if (op === 'writeFile' || op === 'mkdir') throw Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' });
    };
    const store = new CodeStore(mem, '/ro/store');
    const problem = await problemOf(
      store.save([
        {
          system: 'HCPCS',
          year: 2026,
          kind: 'code-list',
          source: 'x.csv',
          records: [{ code: 'J1100', title: 'Dexamethasone', billable: true }],
          modifiers: [],
        },
      ]),
    );
    assert.match(problem.problem.message, /cannot be written \(EROFS/);
    assert.match(problem.problem.hint!, /--store DIR or CASEBOOK_HOME/);
  });

  it('prints code-set titles with terminal escape sequences inert (issue 17 item 7)', async () => {
    const csvDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casebook-esc-'));
    try {
      fs.writeFileSync(path.join(csvDir, 'esc-2026.csv'), 'code,description\nJ1100,"Dexa \x1b[2J\x1b]0;pwned\x07 \x9b31m"\n');
      assert.strictEqual((await run(['codes', 'import', path.join(csvDir, 'esc-2026.csv'), '--system', 'HCPCS', '--year', '2026', '--store', dir])).code, 0);
      const r = await run(['codes', 'search', 'J1100', '--system', 'HCPCS', '--store', dir]);
      assert.strictEqual(r.code, 0, r.err);
      assert.doesNotMatch(r.out, /[\x1b\x07\x9b]/);
      assert.match(r.out, /Dexa \\x1b\[2J\\x1b\]0;pwned\\x07 \\x9b31m/);
    } finally {
      fs.rmSync(csvDir, { recursive: true, force: true });
    }
  });
});

describe('code-set import: a year that disagrees with its folder (issue 17 item 7)', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'casebook-fy-'));
    fs.mkdirSync(path.join(root, 'fy2026'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('asks (or, without a way to ask, refuses) when a file in fy2026/ says 2025, and imports when the year is given', async () => {
    fs.copyFileSync(path.join(FIXTURES, 'fixture-icd-order-2025.txt'), path.join(root, 'fy2026', 'icd10cm_order_2025.txt'));
    const store = path.join(root, 'store');
    const r = await run(['codes', 'import', path.join(root, 'fy2026'), '--store', store]);
    assert.strictEqual(r.code, 1);
    assert.match(r.err, /icd10cm_order_2025\.txt: which code-set year is it\? its name says 2025, its folder fy2026 says 2026: give the year \(--year YYYY\)/);
    const asked: string[] = [];
    const result = await importPaths(new CodeStore(nodeFs, store.split(path.sep).join('/')), [path.join(root, 'fy2026').split(path.sep).join('/')], {
      askYear: async (_file, why) => {
        asked.push(why ?? '');
        return 2025;
      },
    });
    assert.deepStrictEqual(asked, ['its name says 2025, its folder fy2026 says 2026']);
    assert.deepStrictEqual(
      result.saved.map((s) => `${s.system} ${s.year}`),
      ['ICD-10-CM 2025'],
    );
    assert.strictEqual((await run(['codes', 'import', path.join(root, 'fy2026'), '--year', '2025', '--store', store])).code, 0);
  });

  it('takes the folder year when the file says nothing else', async () => {
    fs.copyFileSync(path.join(FIXTURES, 'fixture-icd-order-2026.txt'), path.join(root, 'fy2026', 'order.txt'));
    assert.strictEqual((await run(['codes', 'import', path.join(root, 'fy2026'), '--store', path.join(root, 'store')])).code, 0);
  });
});
