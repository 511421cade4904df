// Importing files and folders into a store, as the CLI and the editor's Import command do it:
// a folder imports every recognized file in it (code sets and ICD-10-CM index tables); several files
// for one system and year keep the richest.
import * as path from 'path';
import type { CodeSystem } from '../model';
import { decodeText } from '../fs';
import type { CodeStore, StoredIndexInfo, StoredSetInfo } from './store';
import type { ImportedIndex } from './indexTables';
import { type ImportedCodeSet, detectKind, importCodeFile, yearInName } from './import';
import { firstLines } from './text';
import { yearLabel } from './check';

export interface ImportPathsOptions {
  /** The year for every file (else detected from each file's name or its folder's name). */
  year?: number;
  /** The system of code lists whose codes' shapes do not tell it. */
  system?: CodeSystem;
  /**
   * Asked when a file's year cannot be detected, or when its name, its content and its folder name
   * disagree (`why` says how); undefined skips the file with an error.
   */
  askYear?: (file: string, why?: string) => Promise<number | undefined>;
}

export interface ImportPathsResult {
  saved: StoredSetInfo[];
  /** Index tables stored (ICD-10-CM Drugs, Neoplasms, External Causes). */
  savedIndexes: StoredIndexInfo[];
  /** One line each: `file:line:column: error: message (hint)` or `file: message`. */
  errors: string[];
  /** Files not imported and why (not code-set files, or covered by a richer file). */
  skipped: string[];
}

const KIND_RANK: Record<string, number> = { 'icd10cm-order': 3, 'hcpcs-fixed': 3, 'icd10cm-codes': 2, 'code-list': 1 };

/** Imports files and folders (absolute paths, forward slashes) into the store. */
export async function importPaths(store: CodeStore, paths: string[], options: ImportPathsOptions = {}): Promise<ImportPathsResult> {
  const fs = store.fs;
  const result: ImportPathsResult = { saved: [], savedIndexes: [], errors: [], skipped: [] };
  const files: { file: string; named: boolean }[] = [];
  for (const target of paths) {
    const stat = await fs.stat(target);
    if (!stat) result.errors.push(`${target}: no such file or folder`);
    else if (stat.kind === 'directory') {
      const names = (await fs.readdir(target))
        .filter((e) => e.kind === 'file')
        .map((e) => e.name)
        .sort();
      for (const name of names) files.push({ file: path.posix.join(target, name), named: false });
    } else files.push({ file: target, named: true });
  }

  const chosen = new Map<string, ImportedCodeSet>();
  const indexes = new Map<string, ImportedIndex>();
  for (const { file, named } of files) {
    const name = path.posix.basename(file);
    const text = decodeText(await fs.readFile(file));
    const detected = detectKind(name, firstLines(text));
    if (!detected) {
      if (named)
        result.errors.push(
          `${file}: not a code-set file Casebook can import (an ICD-10-CM order or codes file, an ICD-10-CM index table XML, the HCPCS fixed-width file, or a code,description CSV)`,
        );
      else result.skipped.push(`${name}: not a code-set file`);
      continue;
    }
    // The year from the file's name, a year its first lines name, and its folder's name: all must agree.
    const folder = path.posix.basename(path.posix.dirname(file));
    const said = [
      { where: 'its name', year: detected.year },
      { where: 'its first lines', year: yearInText(firstLines(text, 3)) },
      { where: `its folder ${folder}`, year: yearInName(folder) },
    ].filter((s): s is { where: string; year: number } => s.year !== undefined);
    const disagree = new Set(said.map((s) => s.year)).size > 1 ? said.map((s) => `${s.where} says ${s.year}`).join(', ') : undefined;
    const year = options.year ?? (disagree ? await options.askYear?.(file, disagree) : (said[0]?.year ?? (await options.askYear?.(file))));
    if (year === undefined) {
      result.errors.push(
        disagree
          ? `${file}: which code-set year is it? ${disagree}: give the year (--year YYYY)`
          : `${file}: cannot tell which code-set year this file is for: give the year (--year YYYY)`,
      );
      continue;
    }
    const imported = await importCodeFile(text, { fileName: file, kind: detected.kind, year, system: options.system ?? detected.system });
    if (imported.problem) {
      const p = imported.problem;
      result.errors.push(`${p.file}:${p.line}:${p.column}: error: ${p.message}${p.hint ? ` (${p.hint})` : ''}`);
      continue;
    }
    for (const index of imported.indexes ?? []) indexes.set(`${index.table}|${index.year}`, index);
    for (const set of imported.sets) {
      const key = `${set.system}|${set.year}`;
      const earlier = chosen.get(key);
      if (!earlier) {
        chosen.set(key, set);
        continue;
      }
      // Several files for one system and year: keep the richest; a list of modifiers only joins it.
      const [keep, drop] = rank(set) > rank(earlier) ? [set, earlier] : [earlier, set];
      if (drop.records.length === 0 && keep.modifiers.length === 0) keep.modifiers = drop.modifiers;
      else result.skipped.push(`${drop.source}: ${set.system} ${yearLabel(set.system, set.year)} comes from ${keep.source}`);
      chosen.set(key, keep);
    }
  }
  // Everything is parsed before anything is written: a broken file leaves the store as it was.
  if (chosen.size > 0) result.saved = await store.save([...chosen.values()]);
  if (indexes.size > 0) result.savedIndexes = await store.saveIndexes([...indexes.values()]);
  return result;
}

/** A year a file's opening text names as such (`FY2026`, `2025 ICD-10-CM`, `Effective 2026`); not a date like 20250101. */
function yearInText(lines: string[]): number | undefined {
  const m = /(?:^|[^0-9])(?:FY\s?)?(20\d\d)(?![0-9])/i.exec(lines.join('\n').replace(/\d{4}-\d\d-\d\d/g, ''));
  return m ? Number(m[1]) : undefined;
}

function rank(set: ImportedCodeSet): number {
  return KIND_RANK[set.kind] * 1e7 + set.records.length;
}
