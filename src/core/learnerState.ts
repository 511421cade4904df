// The one containment rule for the learner's state under PACK/.casebook/ (work files, history,
// exam attempts): a pack is content from someone else, and it could ship `.casebook` (or
// `.casebook/work`, or a work file) as a symbolic link to a folder outside the pack, or as a plain
// file. Before anything under .casebook/ is read, renamed or written, every path component from the
// pack root down must be missing or of the right kind (a folder, the last one a file) and not a
// link, and the real path must stay inside the pack. Otherwise the caller gets a Problem naming
// the component and the fix, and nothing is touched there.
import { posix } from 'path';
import { atomicWriteText, decodeText, type FileSystem } from './fs';
import type { Problem } from './model';

/** The learner-state folder of a pack, relative to the pack root. */
export const LEARNER_DIR = '.casebook';

/** PACK/.casebook/...segments, absolute. */
export function learnerPath(packRoot: string, ...segments: string[]): string {
  return posix.join(packRoot, LEARNER_DIR, ...segments);
}

/** What the last component must be: a file (work file, history) or a folder (work/, exams/EXAM/). */
export type LearnerKind = 'file' | 'directory';

function refused(rel: string, message: string, hint: string): Problem {
  return { file: rel, line: 1, column: 1, severity: 'error', message, hint };
}

function isInside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith('/') ? parent : parent + '/');
}

/**
 * Why PACK/.casebook/...segments is not a safe place for learner state, or undefined when it is.
 * Components that do not exist yet are fine (a writer creates them as plain folders). Never throws.
 */
export async function unsafeLearnerPath(fs: FileSystem, packRoot: string, segments: string[], kind: LearnerKind): Promise<Problem | undefined> {
  const parts = [LEARNER_DIR, ...segments];
  let current = packRoot;
  let deepest = packRoot;
  try {
    for (let i = 0; i < parts.length; i++) {
      current = posix.join(current, parts[i]);
      const rel = parts.slice(0, i + 1).join('/');
      const last = i === parts.length - 1;
      const want = last ? kind : 'directory';
      const stat = await fs.stat(current);
      if (!stat) break;
      if (stat.kind === 'symlink') {
        return refused(
          rel,
          `${rel} is a symbolic link: Casebook keeps your work only inside the pack folder, so it reads and writes nothing there`,
          want === 'directory' ? `remove the link ${rel}, or make it a folder` : `remove the link ${rel} (Casebook writes a plain file there)`,
        );
      }
      if (stat.kind !== want) {
        return refused(
          rel,
          `${rel} is ${stat.kind === 'file' ? 'a file' : stat.kind === 'directory' ? 'a folder' : 'neither a file nor a folder'}, not ${want === 'directory' ? 'a folder' : 'a file'}: Casebook cannot keep your work there`,
          want === 'directory' ? `remove or rename ${rel}, or make it a folder` : `remove or rename ${rel}`,
        );
      }
      deepest = current;
    }
    // No component is a link, so this holds; checked anyway in case the file system says otherwise.
    if (deepest === packRoot) return undefined;
    const [rootReal, real] = await Promise.all([fs.realpath(packRoot), fs.realpath(deepest)]);
    if (!isInside(real, rootReal)) {
      const rel = posix.relative(packRoot, deepest) || LEARNER_DIR;
      return refused(rel, `${rel} leads outside the pack folder`, `remove ${rel}, or make it a plain folder inside the pack`);
    }
  } catch (e) {
    return refused(parts.join('/'), `cannot check ${parts.join('/')}: ${(e as Error).message}`, 'check that the pack folder can be read');
  }
  return undefined;
}

/** `unsafe`: refused by the containment rule (nothing read); `problem`: the file is there but could not be read. */
export type LearnerRead = { text: string } | { missing: true } | { unsafe: Problem } | { problem: Problem };

/** Reads PACK/.casebook/...segments (a file) after the containment check; never throws. */
export async function readLearnerFile(fs: FileSystem, packRoot: string, segments: string[]): Promise<LearnerRead> {
  const unsafe = await unsafeLearnerPath(fs, packRoot, segments, 'file');
  if (unsafe) return { unsafe };
  const path = learnerPath(packRoot, ...segments);
  const rel = [LEARNER_DIR, ...segments].join('/');
  try {
    if (!(await fs.stat(path))) return { missing: true };
    return { text: decodeText(await fs.readFile(path)) };
  } catch (e) {
    return { problem: refused(rel, `cannot be read: ${(e as Error).message}`, 'check that the file can be read') };
  }
}

/** Writes PACK/.casebook/...segments atomically after the containment check; the Problem when refused. I/O failures still throw. */
export async function writeLearnerFile(fs: FileSystem, packRoot: string, segments: string[], text: string): Promise<Problem | undefined> {
  const problem = await unsafeLearnerPath(fs, packRoot, segments, 'file');
  if (problem) return problem;
  await atomicWriteText(fs, learnerPath(packRoot, ...segments), text);
  return undefined;
}

/**
 * The entries of PACK/.casebook/...segments (a folder) after the containment check: none when it
 * does not exist, the Problem when it is unsafe. Never throws.
 */
export async function listLearnerFolder(
  fs: FileSystem,
  packRoot: string,
  segments: string[],
): Promise<{ entries: Array<{ name: string; kind: string }> } | { problem: Problem }> {
  const problem = await unsafeLearnerPath(fs, packRoot, segments, 'directory');
  if (problem) return { problem };
  const path = learnerPath(packRoot, ...segments);
  try {
    if ((await fs.stat(path))?.kind !== 'directory') return { entries: [] };
    return { entries: await fs.readdir(path) };
  } catch (e) {
    const rel = [LEARNER_DIR, ...segments].join('/');
    return { problem: refused(rel, `cannot list the folder: ${(e as Error).message}`, 'check that the folder can be read') };
  }
}

/** Problems of the pack's .casebook/ layout for `casebook validate`: a link or a non-folder where a folder belongs. */
export async function learnerLayoutProblems(fs: FileSystem, packRoot: string): Promise<Problem[]> {
  const problems: Problem[] = [];
  const top = await unsafeLearnerPath(fs, packRoot, [], 'directory');
  if (top) return [top];
  for (const folder of ['work', 'exams']) {
    const problem = await unsafeLearnerPath(fs, packRoot, [folder], 'directory');
    if (problem) problems.push(problem);
  }
  return problems;
}
