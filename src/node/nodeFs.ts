// The core's FileSystem on Node's fs, used by the CLI and the extension host.
import { promises as fsp, constants } from 'fs';
import type { DirEntry, EntryKind, FileStat, FileSystem } from '../core/fs';

function kindOf(d: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): EntryKind {
  if (d.isSymbolicLink()) return 'symlink';
  if (d.isFile()) return 'file';
  if (d.isDirectory()) return 'directory';
  return 'other';
}

export const nodeFs: FileSystem = {
  async readFile(path) {
    return fsp.readFile(path);
  },
  async writeFile(path, data) {
    const handle = await fsp.open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  async rename(from, to) {
    await fsp.rename(from, to);
  },
  async readdir(path): Promise<DirEntry[]> {
    const entries = await fsp.readdir(path, { withFileTypes: true });
    return entries.map((e) => ({ name: e.name, kind: kindOf(e) }));
  },
  async stat(path): Promise<FileStat | undefined> {
    try {
      const s = await fsp.lstat(path);
      return { kind: kindOf(s), size: s.size };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
      throw e;
    }
  },
  async realpath(path) {
    return fsp.realpath(path);
  },
  async mkdir(path) {
    await fsp.mkdir(path, { recursive: true });
  },
  async remove(path) {
    await fsp.rm(path, { force: true, recursive: true });
  },
};
