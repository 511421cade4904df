// Reading files of a pack without ever leaving it: every path is resolved (symbolic links too)
// and must stay under the pack folder; files are size-limited and must be UTF-8 text.
import path from 'path';
import { stripBom, type FileSystem } from '../fs';
import type { Manifest, Problem } from '../model';
import { TextPositions } from '../frontmatter';

/** Files over 1 MB are refused: no real case, key or glossary is that big. */
export const MAX_FILE_BYTES = 1_048_576;

const posix = path.posix;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const lossyUtf8 = new TextDecoder('utf-8');

export type ReadResult = { text: string } | { problem: Problem };

export function problemAt(file: string, message: string, hint?: string, severity: Problem['severity'] = 'error'): Problem {
  return { file, line: 1, column: 1, severity, message, hint };
}

/** Why a sub-folder name from casebook.json would leave the pack, or undefined when it stays inside. */
export function unsafeFolderName(name: string): string | undefined {
  if (name.trim() === '') return 'is empty';
  if (name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name)) return 'is an absolute path';
  if (name.split(/[\\/]/).includes('..')) return "goes up with '..'";
  return undefined;
}

/** A sub-folder name from casebook.json in one form: forward slashes, no `./`, no trailing slash. */
export function normalizeFolder(dir: string): string {
  return posix.normalize(dir.replace(/\\/g, '/')).replace(/\/+$/, '') || '.';
}

/** The pack's cases, keys and codes folders (relative, normalized), with their defaults. */
export function packFolders(manifest: Pick<Manifest, 'cases' | 'keys' | 'codes'> | undefined): { cases: string; keys: string; codes: string } {
  return {
    cases: normalizeFolder(manifest?.cases ?? 'cases'),
    keys: normalizeFolder(manifest?.keys ?? 'keys'),
    codes: normalizeFolder(manifest?.codes ?? 'codes'),
  };
}

/** Whether `file` (relative to the pack, forward slashes) is a case note of the pack: CASES/ID.md. */
export function caseFileOf(manifest: Pick<Manifest, 'cases'> | undefined, file: string): boolean {
  return file.endsWith('.md') && posix.dirname(posix.normalize(file)) === packFolders(manifest).cases;
}

/** Bytes to text: UTF-8 only, BOM dropped (offsets then match VS Code's). */
export function decodeUtf8(bytes: Uint8Array, file: string): ReadResult {
  if (bytes.includes(0)) {
    return { problem: problemAt(file, 'binary file, not UTF-8 text', 'save it as plain UTF-8 text (or move it out of the pack)') };
  }
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    // Point at the first byte that is not UTF-8 (shown as U+FFFD by a lossy decode).
    const lossy = lossyUtf8.decode(bytes);
    const { line, column } = new TextPositions(lossy).at(Math.max(0, lossy.indexOf('\uFFFD')));
    return {
      problem: { file, line, column, severity: 'error', message: 'not valid UTF-8 text', hint: 'save the file with UTF-8 encoding' },
    };
  }
  // Classic Mac line ends (CR alone) read as one long line: the front matter would seem missing.
  if (text.includes('\r') && !text.includes('\n')) {
    return {
      problem: problemAt(
        file,
        'uses CR-only line ends (old Mac style), so Casebook sees one long line',
        'convert the line ends to LF or CRLF (in VS Code: click "CR"/"LF" in the status bar, or Change End of Line Sequence)',
      ),
    };
  }
  return { text: stripBom(text) };
}

function isInside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith('/') ? parent : parent + '/');
}

/** Reads one pack's files by paths relative to the pack folder. */
export class PackReader {
  private constructor(
    private readonly fs: FileSystem,
    readonly root: string,
    private readonly rootReal: string,
    private readonly overrides: Map<string, string> | undefined,
  ) {}

  /** Undefined when `root` is not an existing folder. */
  static async open(fs: FileSystem, root: string, overrides?: Map<string, string>): Promise<PackReader | undefined> {
    const clean = posix.normalize(root).replace(/(.)\/+$/, '$1');
    try {
      const real = await fs.realpath(clean);
      const stat = await fs.stat(real);
      if (stat?.kind !== 'directory') return undefined;
      return new PackReader(fs, clean, real, overrides);
    } catch {
      return undefined;
    }
  }

  absolute(rel: string): string {
    return posix.join(this.root, rel);
  }

  /** The real path of `rel`, if it exists and stays inside the pack; otherwise why not. */
  private async resolve(rel: string): Promise<{ real: string } | { missing: true } | { outside: true }> {
    let real: string;
    try {
      real = await this.fs.realpath(this.absolute(rel));
    } catch {
      return { missing: true };
    }
    return isInside(real, this.rootReal) ? { real } : { outside: true };
  }

  private override(rel: string): string | undefined {
    if (!this.overrides) return undefined;
    return this.overrides.get(this.absolute(rel)) ?? this.overrides.get(posix.join(this.rootReal, rel));
  }

  async exists(rel: string): Promise<boolean> {
    if (this.override(rel) !== undefined) return true;
    const r = await this.resolve(rel);
    return 'real' in r || 'outside' in r;
  }

  /** Text of a file in the pack; never throws. */
  async readText(rel: string): Promise<ReadResult> {
    const override = this.override(rel);
    if (override !== undefined) {
      if (override.length > MAX_FILE_BYTES) return { problem: tooBig(rel, override.length) };
      return { text: stripBom(override) };
    }
    try {
      const r = await this.resolve(rel);
      if ('missing' in r) return { problem: problemAt(rel, 'file not found', 'check that the file exists') };
      if ('outside' in r) return { problem: outside(rel) };
      const stat = await this.fs.stat(r.real);
      if (stat?.kind !== 'file') return { problem: problemAt(rel, 'not a regular file', 'replace it with a plain file') };
      if (stat.size > MAX_FILE_BYTES) return { problem: tooBig(rel, stat.size) };
      const bytes = await this.fs.readFile(r.real);
      if (bytes.length > MAX_FILE_BYTES) return { problem: tooBig(rel, bytes.length) };
      return decodeUtf8(bytes, rel);
    } catch (e) {
      return { problem: problemAt(rel, `cannot read the file: ${(e as Error).message ?? String(e)}`, 'check that it exists and can be read') };
    }
  }

  /**
   * Files directly in a folder of the pack whose names end with `extension` (relative paths, sorted).
   * Undefined when the folder does not exist. Links leaving the pack are reported, not followed.
   */
  async listFiles(relDir: string, extension: string, problems: Problem[]): Promise<string[] | undefined> {
    const dir = await this.resolve(relDir);
    if ('missing' in dir) return undefined;
    if ('outside' in dir) {
      problems.push(outside(relDir));
      return [];
    }
    let entries;
    try {
      const stat = await this.fs.stat(dir.real);
      if (stat?.kind !== 'directory') {
        problems.push(problemAt(relDir, 'is not a folder', `casebook expects a folder named ${relDir}`));
        return [];
      }
      entries = await this.fs.readdir(dir.real);
    } catch (e) {
      problems.push(problemAt(relDir, `cannot list the folder: ${(e as Error).message ?? String(e)}`, 'check that the folder can be read'));
      return [];
    }
    const files: string[] = [];
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.kind === 'directory') continue;
      const rel = relDir === '.' ? entry.name : posix.join(relDir, entry.name);
      if (!entry.name.toLowerCase().endsWith(extension)) {
        problems.push(
          problemAt(
            rel,
            `ignored: only ${extension} files are read in ${relDir}/`,
            `rename it to end in ${extension}, or move it out of ${relDir}/`,
            'warning',
          ),
        );
        continue;
      }
      files.push(rel);
    }
    // Unsaved editor buffers of files that exist only in the editor are not listed: the editor saves them first.
    return files.sort();
  }
}

/** Names Windows reserves for devices, whatever the case or extension (CON, con.md, LPT1 …). */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/**
 * Why a file stem (a case or key id) cannot be a file name on Windows, or undefined when it can:
 * a reserved device name, a character Windows forbids, or a trailing dot or space.
 */
export function windowsUnsafeName(stem: string): string | undefined {
  if (WINDOWS_RESERVED.test(stem)) return `"${stem}" is a device name Windows reserves`;
  const bad = /[<>:"/\\|?*\u0000-\u001f]/.exec(stem);
  if (bad) return `"${stem}" holds ${JSON.stringify(bad[0])}, which Windows does not allow in file names`;
  if (/[. ]$/.test(stem)) return `"${stem}" ends with a dot or a space, which Windows drops`;
  return undefined;
}

/**
 * Problems for file stems that collide on a case-insensitive file system (macOS, Windows: one's work
 * file is the other's) and for names Windows cannot hold. `files`: relative paths, one folder.
 */
export function portableNameProblems(files: string[], what: string): Problem[] {
  const problems: Problem[] = [];
  const byLower = new Map<string, string[]>();
  for (const file of files) {
    const stem = posix.basename(file).replace(/\.md$/i, '');
    const key = stem.toLowerCase();
    byLower.set(key, [...(byLower.get(key) ?? []), file]);
    const unsafe = windowsUnsafeName(stem);
    if (unsafe)
      problems.push(
        problemAt(
          file,
          `${what} id ${unsafe}: the pack cannot be used on Windows`,
          'rename the file (letters, digits, - and _ are safe everywhere)',
          'warning',
        ),
      );
  }
  for (const same of byLower.values()) {
    if (same.length < 2) continue;
    for (const file of same) {
      const others = same.filter((f) => f !== file).join(', ');
      problems.push(
        problemAt(
          file,
          `${what} ids differ only by upper/lower case from ${others}: on macOS and Windows they are the same file, and the learner's work of one replaces the other's`,
          'rename one of them so the ids differ by more than case',
        ),
      );
    }
  }
  return problems;
}

function tooBig(file: string, size: number): Problem {
  return problemAt(file, `file is too large (${size} bytes; the limit is ${MAX_FILE_BYTES} bytes, 1 MB)`, 'split it into smaller files');
}

function outside(file: string): Problem {
  return problemAt(file, 'refused: it links to a place outside the pack folder', 'replace the symbolic link with the file or folder itself');
}

/** Reads files concurrently (the I/O overlaps), keeping their order; unreadable ones become problems. */
export async function readAll(reader: PackReader, files: string[], problems: Problem[]): Promise<Array<{ file: string; text: string }>> {
  const results = await Promise.all(files.map((file) => reader.readText(file)));
  const texts: Array<{ file: string; text: string }> = [];
  results.forEach((r, i) => {
    if ('problem' in r) problems.push(r.problem);
    else texts.push({ file: files[i], text: r.text });
  });
  return texts;
}
