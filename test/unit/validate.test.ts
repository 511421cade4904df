import assert from 'assert';
import { spawnSync } from 'child_process';
import { buildSync } from 'esbuild';
import path from 'path';
import { validateCommand } from '../../src/cli/validate';
import { main } from '../../src/cli/main';
import type { CliIo } from '../../src/cli/io';
import { nodeFs } from '../../src/node/nodeFs';
import { removeTempPacks, tempDir, tempPack } from '../fixtures/packs/tempPack';

function capture(cwd: string): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { out: (t) => stdout.push(t), err: (t) => stderr.push(t), fs: nodeFs, cwd, env: {}, stdout, stderr };
}

const BAD_KEY = '---\ncase: uri-01\ndiagnoses:\n  - code: J6\n  - code: Z23\n---\n';

describe('casebook validate', () => {
  after(removeTempPacks);

  it('exits 0 with no output lines for a valid pack, and a summary on stderr', async () => {
    const root = tempPack();
    const io = capture(path.dirname(root));
    assert.strictEqual(await validateCommand(['pack'], io), 0);
    assert.deepStrictEqual(io.stdout, []);
    assert.deepStrictEqual(io.stderr, ['0 errors, 0 warnings in 1 pack']);
  });

  it('prints one problem a line, relative to the pack, and exits 1 on errors', async () => {
    const root = tempPack({ 'keys/uri-01.md': BAD_KEY, 'cases/extra.txt': 'x' });
    const io = capture('/');
    assert.strictEqual(await validateCommand([root], io), 1);
    assert.deepStrictEqual(io.stdout, [
      'cases/extra.txt:1:1: warning: ignored: only .md files are read in cases/',
      'keys/uri-01.md:4:11: error: diagnoses #1 code "J6" is not a valid ICD-10-CM code',
    ]);
    assert.deepStrictEqual(io.stderr, ['1 error, 1 warning in 1 pack']);
  });

  it('checks key codes against imported code sets for the pack year when given a store', async () => {
    const store = path.join(tempDir(), 'store');
    const fixture = path.resolve(__dirname, '../fixtures/codesets/fixture-icd-order-2026.txt');
    const quiet = capture('/');
    assert.strictEqual(await main(['codes', 'import', fixture, '--store', store], quiet), 0, quiet.stderr.join('\n'));
    const key = '---\ncase: uri-01\ndiagnoses:\n  - code: E11\n    evidence: []\n---\n';
    const root = tempPack({ 'keys/uri-01.md': key });
    const io = capture('/');
    assert.strictEqual(await validateCommand([root, '--store', store], io), 1);
    assert.ok(
      io.stdout.some((l) => l.startsWith('keys/uri-01.md:4:') && l.includes('E11 is a category, not a billable code in FY2026')),
      io.stdout.join('\n'),
    );
    const shapesOnly = capture('/');
    assert.strictEqual(await validateCommand([root], shapesOnly), 0, 'without a store only shapes are checked');
  });

  it('exits 0 when there are only warnings', async () => {
    const io = capture('/');
    assert.strictEqual(await validateCommand([tempPack({ 'keys/uri-01.md': null })], io), 0);
    assert.deepStrictEqual(io.stdout, ['cases/uri-01.md:1:1: warning: no answer key: keys/uri-01.md does not exist']);
  });

  it('prefixes each line with the pack folder as given when several packs are checked', async () => {
    const first = tempPack({ 'keys/uri-01.md': BAD_KEY });
    const second = tempPack({ 'casebook.json': '{"format": 1, "id": "x"}' });
    const io = capture(path.dirname(path.dirname(first)));
    const firstArg = path.relative(io.cwd, first) + '/';
    assert.strictEqual(await validateCommand([firstArg, second], io), 1);
    assert.deepStrictEqual(io.stdout, [
      `${firstArg}keys/uri-01.md:4:11: error: diagnoses #1 code "J6" is not a valid ICD-10-CM code`,
      `${second}/casebook.json:1:1: error: title is required`,
    ]);
    assert.deepStrictEqual(io.stderr, ['2 errors, 0 warnings in 2 packs']);
  });

  it('treats a folder without casebook.json as an invalid pack (exit 1)', async () => {
    const io = capture(tempDir());
    assert.strictEqual(await validateCommand(['.'], io), 1);
    assert.deepStrictEqual(io.stdout, ['casebook.json:1:1: error: casebook.json is missing: this folder is not a case pack']);
  });

  it('exits 2 without a pack or with an unknown option', async () => {
    const io = capture('/');
    assert.strictEqual(await main(['validate'], io), 2);
    assert.strictEqual(await main(['validate', '--strict', tempPack()], io), 2);
    assert.match(io.stderr.join('\n'), /unknown option --strict/);
  });

  it('works as the bundled command line', function () {
    // Bundled into a temporary folder like scripts/build.js does, so a stale or busy dist/ does not matter.
    this.timeout(60000);
    const cli = path.join(tempDir(), 'cli.js');
    buildSync({
      entryPoints: [path.join(__dirname, '../../src/cli/main.ts')],
      bundle: true,
      platform: 'node',
      target: 'node20',
      outfile: cli,
      logLevel: 'silent',
    });
    const root = tempPack({ 'keys/uri-01.md': BAD_KEY });
    const run = spawnSync(process.execPath, [cli, 'validate', root], { encoding: 'utf8' });
    assert.strictEqual(run.status, 1);
    assert.strictEqual(run.stdout, 'keys/uri-01.md:4:11: error: diagnoses #1 code "J6" is not a valid ICD-10-CM code\n');
    assert.strictEqual(run.stderr, '1 error, 0 warnings in 1 pack\n');
    assert.strictEqual(spawnSync(process.execPath, [cli, 'validate'], { encoding: 'utf8' }).status, 2);
  });
});
