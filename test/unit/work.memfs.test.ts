// The in-memory FileSystem the work tests (and others) rely on behaves like the Node one.
import assert from 'assert/strict';
import { mkdtempSync, rmSync, symlinkSync } from 'fs';
import { tmpdir } from 'os';
import type { FileSystem } from '../../src/core/fs';
import { decodeText, encodeText } from '../../src/core/fs';
import { nodeFs } from '../../src/node/nodeFs';
import { MemFs } from './memfs';

interface Subject {
  fs: FileSystem;
  root: string;
  symlink(target: string, path: string): void;
  done(): void;
}

const subjects: Record<string, () => Subject> = {
  MemFs: () => {
    const fs = new MemFs();
    return { fs, root: '/root', symlink: (t, p) => fs.symlink(t, p), done: () => undefined };
  },
  nodeFs: () => {
    const root = mkdtempSync(`${tmpdir()}/casebook-memfs-`).split('\\').join('/');
    return { fs: nodeFs, root, symlink: (t, p) => symlinkSync(t, p), done: () => rmSync(root, { recursive: true, force: true }) };
  },
};

for (const [name, make] of Object.entries(subjects)) {
  describe(`FileSystem contract: ${name}`, () => {
    let s: Subject;
    beforeEach(() => (s = make()));
    afterEach(() => s.done());

    it('writes, reads and lists files and folders', async () => {
      await s.fs.mkdir(`${s.root}/a/b`);
      await s.fs.writeFile(`${s.root}/a/b/f.txt`, encodeText('héllo'));
      assert.equal(decodeText(await s.fs.readFile(`${s.root}/a/b/f.txt`)), 'héllo');
      assert.deepEqual(await s.fs.readdir(`${s.root}/a`), [{ name: 'b', kind: 'directory' }]);
      assert.deepEqual(await s.fs.stat(`${s.root}/a/b/f.txt`), { kind: 'file', size: 6 });
      assert.equal(await s.fs.stat(`${s.root}/missing`), undefined);
      assert.equal(await s.fs.stat(`${s.root}/a/b/f.txt/below`), undefined);
    });

    it('fails to read a missing file or write into a missing folder with ENOENT', async () => {
      await assert.rejects(s.fs.readFile(`${s.root}/nope`), { code: 'ENOENT' });
      await assert.rejects(s.fs.writeFile(`${s.root}/no/such/f`, encodeText('x')), { code: 'ENOENT' });
    });

    it('renames over an existing file, atomically replacing it', async () => {
      await s.fs.mkdir(s.root);
      await s.fs.writeFile(`${s.root}/new`, encodeText('new'));
      await s.fs.writeFile(`${s.root}/old`, encodeText('old'));
      await s.fs.rename(`${s.root}/new`, `${s.root}/old`);
      assert.equal(decodeText(await s.fs.readFile(`${s.root}/old`)), 'new');
      assert.equal(await s.fs.stat(`${s.root}/new`), undefined);
    });

    it('reports symbolic links without following them, and resolves them in realpath', async () => {
      await s.fs.mkdir(`${s.root}/real`);
      await s.fs.writeFile(`${s.root}/real/f`, encodeText('x'));
      s.symlink(`${s.root}/real`, `${s.root}/link`);
      assert.equal((await s.fs.stat(`${s.root}/link`))?.kind, 'symlink');
      const entries = await s.fs.readdir(s.root);
      assert.deepEqual(
        entries.find((e) => e.name === 'link'),
        { name: 'link', kind: 'symlink' },
      );
      assert.equal(decodeText(await s.fs.readFile(`${s.root}/link/f`)), 'x');
      assert.equal(await s.fs.realpath(`${s.root}/link/f`), await s.fs.realpath(`${s.root}/real/f`));
      await assert.rejects(s.fs.realpath(`${s.root}/link/missing`), { code: 'ENOENT' });
    });

    it('removes folders with their contents, and missing paths quietly', async () => {
      await s.fs.mkdir(`${s.root}/d/e`);
      await s.fs.writeFile(`${s.root}/d/e/f`, encodeText('x'));
      await s.fs.remove(`${s.root}/d`);
      assert.equal(await s.fs.stat(`${s.root}/d`), undefined);
      await s.fs.remove(`${s.root}/never-there`);
    });
  });
}
