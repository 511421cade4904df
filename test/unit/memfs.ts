// An in-memory FileSystem for tests: files, folders and symbolic links, with Node-like error codes
// (ENOENT, ENOTDIR, EISDIR, EEXIST, ELOOP) and hooks to simulate failures (e.g. a crash before rename).
import { posix } from 'path';
import type { DirEntry, FileStat, FileSystem } from '../../src/core/fs';

type Entry = { kind: 'file'; data: Uint8Array } | { kind: 'directory' } | { kind: 'symlink'; target: string } | { kind: 'other' };

export type Operation = keyof FileSystem;

function fsError(code: string, operation: string, path: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: ${operation} '${path}'`);
  error.code = code;
  error.path = path;
  return error;
}

function normalize(path: string): string {
  if (!path.startsWith('/')) throw new Error(`MemFs needs absolute paths, got '${path}'`);
  const p = posix.normalize(path);
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

export class MemFs implements FileSystem {
  private readonly entries = new Map<string, Entry>([['/', { kind: 'directory' }]]);
  /**
   * Called before every operation with its name and arguments; throw from it to simulate a
   * failure (a full disk, a crash between write and rename …).
   */
  beforeOperation?: (operation: Operation, ...paths: string[]) => void;

  // ---- helpers for setting up and inspecting tests ----

  /** Writes a file, creating its folders. */
  put(path: string, content: string | Uint8Array): this {
    const p = normalize(path);
    this.makeDirs(posix.dirname(p));
    this.entries.set(p, { kind: 'file', data: typeof content === 'string' ? new TextEncoder().encode(content) : content });
    return this;
  }

  symlink(target: string, path: string): this {
    const p = normalize(path);
    this.makeDirs(posix.dirname(p));
    this.entries.set(p, { kind: 'symlink', target });
    return this;
  }

  /** A FIFO, socket or device: something that is neither file, folder nor link. */
  special(path: string): this {
    const p = normalize(path);
    this.makeDirs(posix.dirname(p));
    this.entries.set(p, { kind: 'other' });
    return this;
  }

  /** The text of a file (following links), or undefined when there is none. */
  text(path: string): string | undefined {
    const entry = this.entries.get(this.resolve(normalize(path), true));
    return entry?.kind === 'file' ? new TextDecoder().decode(entry.data) : undefined;
  }

  /** Every path under a folder (itself excluded), sorted. */
  list(folder = '/'): string[] {
    const f = normalize(folder);
    const prefix = f === '/' ? '/' : `${f}/`;
    return [...this.entries.keys()].filter((p) => p.startsWith(prefix) && p !== f).sort();
  }

  // ---- FileSystem ----

  async readFile(path: string): Promise<Uint8Array> {
    this.beforeOperation?.('readFile', path);
    const p = this.resolve(normalize(path), true);
    const entry = this.entries.get(p);
    if (!entry) throw fsError('ENOENT', 'open', path);
    if (entry.kind === 'directory') throw fsError('EISDIR', 'read', path);
    if (entry.kind !== 'file') throw fsError('EINVAL', 'read', path);
    return entry.data.slice();
  }

  async writeFile(path: string, data: Uint8Array): Promise<void> {
    this.beforeOperation?.('writeFile', path);
    const p = this.resolve(normalize(path), true);
    this.requireFolder(posix.dirname(p), 'open', path);
    if (this.entries.get(p)?.kind === 'directory') throw fsError('EISDIR', 'open', path);
    this.entries.set(p, { kind: 'file', data: data.slice() });
  }

  async rename(from: string, to: string): Promise<void> {
    this.beforeOperation?.('rename', from, to);
    const source = this.resolve(normalize(from), false);
    const target = this.resolve(normalize(to), false);
    const entry = this.entries.get(source);
    if (!entry) throw fsError('ENOENT', 'rename', from);
    this.requireFolder(posix.dirname(target), 'rename', to);
    if (source === target) return;
    const existing = this.entries.get(target);
    if (existing?.kind === 'directory') {
      if (entry.kind !== 'directory') throw fsError('EISDIR', 'rename', to);
      if (this.list(target).length > 0) throw fsError('ENOTEMPTY', 'rename', to);
    } else if (existing && entry.kind === 'directory') {
      throw fsError('ENOTDIR', 'rename', to);
    }
    if (target.startsWith(`${source}/`)) throw fsError('EINVAL', 'rename', to);
    // Move the entry and, for a folder, everything under it.
    for (const p of [source, ...this.list(source)]) {
      const moved = this.entries.get(p) as Entry;
      this.entries.delete(p);
      this.entries.set(target + p.slice(source.length), moved);
    }
  }

  async readdir(path: string): Promise<DirEntry[]> {
    this.beforeOperation?.('readdir', path);
    const p = this.resolve(normalize(path), true);
    this.requireFolder(p, 'scandir', path);
    const prefix = p === '/' ? '/' : `${p}/`;
    const out: DirEntry[] = [];
    for (const [name, entry] of this.entries) {
      if (name.startsWith(prefix) && name !== p && !name.slice(prefix.length).includes('/')) {
        out.push({ name: name.slice(prefix.length), kind: entry.kind });
      }
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async stat(path: string): Promise<FileStat | undefined> {
    this.beforeOperation?.('stat', path);
    let p: string;
    try {
      p = this.resolve(normalize(path), false);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
      throw e;
    }
    const entry = this.entries.get(p);
    if (!entry) return undefined;
    const size = entry.kind === 'file' ? entry.data.length : entry.kind === 'symlink' ? entry.target.length : 0;
    return { kind: entry.kind, size };
  }

  async realpath(path: string): Promise<string> {
    this.beforeOperation?.('realpath', path);
    const p = this.resolve(normalize(path), true);
    if (!this.entries.has(p)) throw fsError('ENOENT', 'realpath', path);
    return p;
  }

  async mkdir(path: string): Promise<void> {
    this.beforeOperation?.('mkdir', path);
    this.makeDirs(this.resolve(normalize(path), true));
  }

  async remove(path: string): Promise<void> {
    this.beforeOperation?.('remove', path);
    let p: string;
    try {
      p = this.resolve(normalize(path), false);
    } catch {
      return; // like rm -f: nothing there is fine
    }
    if (p === '/') throw fsError('EPERM', 'rm', path);
    for (const child of this.list(p)) this.entries.delete(child);
    this.entries.delete(p);
  }

  // ---- internals ----

  /** Resolves symbolic links in the folders of a path (and in its last part when followLast). */
  private resolve(path: string, followLast: boolean): string {
    let parts = path.split('/').filter(Boolean);
    let resolved = '/';
    let hops = 0;
    for (let i = 0; i < parts.length; i++) {
      const next = posix.join(resolved, parts[i]);
      const entry = this.entries.get(next);
      const last = i === parts.length - 1;
      if (entry?.kind === 'symlink' && (!last || followLast)) {
        if (++hops > 40) throw fsError('ELOOP', 'resolve', path);
        parts = [...posix.resolve(resolved, entry.target).split('/').filter(Boolean), ...parts.slice(i + 1)];
        resolved = '/';
        i = -1;
        continue;
      }
      if (!last && entry && entry.kind !== 'directory') throw fsError('ENOTDIR', 'resolve', path);
      resolved = next;
    }
    return resolved;
  }

  private requireFolder(folder: string, operation: string, path: string): void {
    const entry = this.entries.get(folder);
    if (!entry) throw fsError('ENOENT', operation, path);
    if (entry.kind !== 'directory') throw fsError('ENOTDIR', operation, path);
  }

  private makeDirs(folder: string): void {
    const p = this.resolve(folder, true);
    const entry = this.entries.get(p);
    if (entry?.kind === 'directory') return;
    if (entry) throw fsError('EEXIST', 'mkdir', folder);
    this.makeDirs(posix.dirname(p));
    this.entries.set(p, { kind: 'directory' });
  }
}
