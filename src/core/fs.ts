// The small file-system interface the core does its I/O through, so the domain stays free of
// Node and VS Code and tests can simulate failures (e.g. a crash between write and rename).
// Paths are absolute, with forward slashes.
import { randomBytes } from 'crypto';
import { posix } from 'path';

export type EntryKind = 'file' | 'directory' | 'symlink' | 'other';

export interface DirEntry {
  name: string;
  kind: EntryKind;
}

export interface FileStat {
  kind: EntryKind;
  size: number;
}

export interface FileSystem {
  readFile(path: string): Promise<Uint8Array>;
  /** Writes the whole file and flushes it to disk (fsync) before resolving. */
  writeFile(path: string, data: Uint8Array): Promise<void>;
  /** Atomic replace of `to` by `from` (POSIX rename). */
  rename(from: string, to: string): Promise<void>;
  /** Entries of a folder; symbolic links are reported as `symlink`, not followed. */
  readdir(path: string): Promise<DirEntry[]>;
  /** Like lstat: does not follow a final symbolic link. Undefined when nothing is there. */
  stat(path: string): Promise<FileStat | undefined>;
  /** The path with every symbolic link resolved. */
  realpath(path: string): Promise<string>;
  /** Creates the folder and its parents. */
  mkdir(path: string): Promise<void>;
  remove(path: string): Promise<void>;
}

const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();

/** Text without a leading byte-order mark (VS Code hides it too, so offsets agree). */
export function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** UTF-8 text without a leading BOM. */
export function decodeText(bytes: Uint8Array): string {
  return stripBom(decoder.decode(bytes));
}

export function encodeText(text: string): Uint8Array {
  return encoder.encode(text);
}

/**
 * Writes PATH.tmp-<random> (writeFile flushes it), then renames it over PATH, so PATH always holds
 * either the old or the new text. Creates the folder. On failure the temp file is removed when possible.
 * Generic (the CLI writes exports outside packs): learner state goes through core/learnerState.
 */
export async function atomicWriteText(fs: FileSystem, path: string, text: string): Promise<void> {
  await fs.mkdir(posix.dirname(path));
  const temp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
  try {
    await fs.writeFile(temp, encodeText(text));
    await fs.rename(temp, path);
  } catch (e) {
    try {
      await fs.remove(temp);
    } catch {
      // Best effort: the error that matters is the one being rethrown.
    }
    throw e;
  }
}
