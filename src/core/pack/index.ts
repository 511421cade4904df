// Reading and validating a case pack: casebook.json, cases/*.md, keys/*.md and codes/*.csv.
// Every mistake an author can make becomes a Problem with a file, a place and a fix; nothing throws.
// One file a format: manifest.ts, case.ts, key.ts, glossary.ts; paths.ts keeps every read inside the pack.
import path from 'path';
import type { FileSystem } from '../fs';
import type { AnswerKey, CaseNote, GlossaryEntry, Manifest, Pack, PackLoad, Problem } from '../model';
import { parseCase } from './case';
import { fileStem } from './frontMatterReader';
import { parseGlossary } from './glossary';
import { parseKey, validateKey } from './key';
import { parseManifest } from './manifest';
import { QUESTIONS_DIR, loadExamContent } from '../exam/content';
import { isQuestionKeyText } from '../exam/question';
import { learnerLayoutProblems } from '../learnerState';
import { packFolders, PackReader, portableNameProblems, problemAt, readAll } from './paths';
import { sortProblems } from './problems';
import { BUG_HINT, MANIFEST, type LoadOptions } from './types';

export { parseCase } from './case';
export { parseGlossary } from './glossary';
export { parseKey, validateKey } from './key';
export { parseManifest } from './manifest';
export { formatProblem, sortProblems } from './problems';
export { caseFileOf, packFolders } from './paths';
export type { LoadOptions } from './types';

/** Reads and validates the pack in `root` (absolute, forward slashes). Never throws. */
export async function loadPack(fs: FileSystem, root: string, options: LoadOptions = {}): Promise<PackLoad> {
  const problems: Problem[] = [];
  let pack: Pack | undefined;
  try {
    pack = await readPack(fs, root, options, problems);
  } catch (e) {
    // A bug or a file system failure must still come back as a problem, not an exception.
    problems.push(problemAt(MANIFEST, `could not read the pack: ${(e as Error)?.message ?? String(e)}`, BUG_HINT));
  }
  return { pack, problems: sortProblems(problems) };
}

async function readPack(fs: FileSystem, root: string, options: LoadOptions, problems: Problem[]): Promise<Pack | undefined> {
  const reader = await PackReader.open(fs, root, options.overrides);
  if (!reader) {
    problems.push(problemAt(MANIFEST, `${root} is not a folder`, 'give the path of a pack folder (a folder holding casebook.json)'));
    return undefined;
  }

  let manifest: Manifest | undefined;
  const manifestText = await reader.readText(MANIFEST);
  if ('problem' in manifestText) {
    const missing = !(await reader.exists(MANIFEST));
    problems.push(
      missing
        ? problemAt(MANIFEST, 'casebook.json is missing: this folder is not a case pack', 'add casebook.json with "format": 1, "id" and "title"')
        : manifestText.problem,
    );
  } else {
    const parsed = parseManifest(manifestText.text, MANIFEST);
    problems.push(...parsed.problems);
    manifest = parsed.manifest;
  }

  const folders = packFolders(manifest);
  if (!options.checkCode && options.checkCodeFor) options = { ...options, checkCode: await options.checkCodeFor(manifest?.codeSetYear) };

  // Cases
  const casesDir = folders.cases;
  const caseFiles = await reader.listFiles(casesDir, '.md', problems);
  // A pack of exam questions needs no cases.
  if (!caseFiles && 'text' in manifestText && !(await reader.exists(QUESTIONS_DIR))) {
    problems.push(
      manifest?.cases
        ? problemAt(MANIFEST, `cases: the folder "${manifest.cases}" does not exist`, 'create it, or fix the name in casebook.json')
        : problemAt(MANIFEST, 'the pack has no cases/ folder, so no cases', 'add cases/ID.md files', 'warning'),
    );
  }
  // Every case file counts as present, even one that cannot be read (its own problem says why).
  const caseStems = new Set((caseFiles ?? []).map(fileStem));
  problems.push(...portableNameProblems(caseFiles ?? [], 'case'));
  const notes = new Map<string, CaseNote>();
  const cases: CaseNote[] = [];
  for (const { file, text } of await readAll(reader, caseFiles ?? [], problems)) {
    const { note, problems: found } = parseCase(text, file);
    problems.push(...found);
    if (note) {
      cases.push(note);
      notes.set(note.id, note);
    }
  }

  // Keys (a released pack has none)
  const keysDir = folders.keys;
  const keyFiles = await reader.listFiles(keysDir, '.md', problems);
  if (!keyFiles && manifest?.keys) {
    problems.push(problemAt(MANIFEST, `keys: the folder "${manifest.keys}" does not exist`, 'create it, or fix the name in casebook.json'));
  }
  const keys = new Map<string, AnswerKey>();
  const keyStems = new Set((keyFiles ?? []).map(fileStem));
  // Keys of exam questions (`question:` instead of `case:`) are read with the exam content below.
  const keyTexts = await readAll(reader, keyFiles ?? [], problems);
  const questionKeyFiles = keyTexts.filter((k) => isQuestionKeyText(k.text));
  for (const { file, text } of keyTexts.filter((k) => !questionKeyFiles.includes(k))) {
    const stem = fileStem(file);
    const { key, problems: found } = parseKey(text, file);
    problems.push(...found);
    if (!caseStems.has(stem)) {
      problems.push(problemAt(file, `no case for this key: ${casesDir}/${stem}.md does not exist`, `add the case, or rename the key after its case`));
    }
    if (key) {
      problems.push(...validateKey(key, notes.get(stem), options));
      keys.set(stem, key);
    }
  }
  if (keyFiles) {
    for (const stem of caseStems) {
      if (!keyStems.has(stem)) {
        problems.push(
          problemAt(`${casesDir}/${stem}.md`, `no answer key: ${keysDir}/${stem}.md does not exist`, 'add the key, or this case cannot be graded', 'warning'),
        );
      }
    }
  }

  // Glossary
  const codesDir = folders.codes;
  const codeFiles = await reader.listFiles(codesDir, '.csv', problems);
  if (!codeFiles && manifest?.codes) {
    problems.push(problemAt(MANIFEST, `codes: the folder "${manifest.codes}" does not exist`, 'create it, or fix the name in casebook.json'));
  }
  const glossary: GlossaryEntry[] = [];
  for (const { file, text } of await readAll(reader, codeFiles ?? [], problems)) {
    const parsed = parseGlossary(text, file);
    problems.push(...parsed.problems);
    glossary.push(...parsed.entries);
  }

  const exam = await loadExamContent({ reader, cases, questionKeyFiles, keysPresent: !!keyFiles, keysDir, checkCode: options.checkCode }, problems);

  // The learner's state must be able to stay inside the pack (core/learnerState).
  problems.push(...(await learnerLayoutProblems(fs, reader.root)));

  if (!manifest) return undefined;
  return { root: reader.root, manifest, cases, keys, glossary, ...(exam ? { exam } : {}) };
}

const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.casebook']);

/** Finds pack folders (folders holding casebook.json) under `root`, at most `depth` levels down (default 3), skipping node_modules, .git and .casebook. */
export async function findPacks(fs: FileSystem, root: string, depth = 3): Promise<string[]> {
  const found: string[] = [];
  async function visit(dir: string, level: number): Promise<void> {
    let entries;
    try {
      entries = await fs.readdir(dir);
    } catch {
      return;
    }
    if (entries.some((e) => e.name === MANIFEST && (e.kind === 'file' || e.kind === 'symlink'))) {
      found.push(dir);
      return; // a pack's own folders are not packs
    }
    if (level >= depth) return;
    // Symbolic links to folders are not followed: they could loop.
    const folders = entries.filter((e) => e.kind === 'directory' && !SKIPPED_FOLDERS.has(e.name));
    await Promise.all(folders.map((e) => visit(path.posix.join(dir, e.name), level + 1)));
  }
  await visit(path.posix.normalize(root).replace(/(.)\/+$/, '$1'), 0);
  return found.sort();
}
