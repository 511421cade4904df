// The code-set store: a folder with one compact file per (system, year) and a small manifest.json
// listing what is imported. Nothing is read until needed; each set is loaded once and kept.
import * as path from 'path';
import type { CodeSystem, Problem } from '../model';
import { CODE_SYSTEMS } from '../model';
import { normalizeCode } from '../codes';
import type { FileSystem } from '../fs';
import { decodeText, encodeText } from '../fs';
import { CodeSet, type DeletedCode, encodeCodeSet, withDeleted } from './codeSet';
import type { CodeSetKind, ImportedCodeSet, ModifierRecord } from './import';
import { type CodeHit, hitOf, searchCodeSets } from './search';
import { type CodeSetDiff, diffCodeSets } from './diff';
import { type TabularNode, tabularChildren, tabularNode } from './tabular';
import { type ImportedIndex, type IndexTableName, LoadedIndex, checkStoredIndex } from './indexTables';

const posix = path.posix;

/** One imported set, as listed in manifest.json. */
export interface StoredSetInfo {
  system: CodeSystem;
  year: number;
  kind: CodeSetKind;
  /** The file it was imported from. */
  source: string;
  /** The stored file, relative to the store folder. */
  file: string;
  imported: string;
  codes: number;
  billable: number;
  /** Category headers (not billable, need more characters). */
  headers: number;
  /** Discontinued codes still listed in the file. */
  discontinued: number;
  modifiers: number;
}

/** One imported ICD-10-CM index table, as listed in manifest.json. */
export interface StoredIndexInfo {
  table: IndexTableName;
  year: number;
  source: string;
  /** The stored file, relative to the store folder. */
  file: string;
  imported: string;
  /** Main terms and subterms. */
  entries: number;
}

interface StoreManifest {
  format: 1;
  sets: StoredSetInfo[];
  /** Added with the index tables; a manifest without it has none. */
  indexes?: StoredIndexInfo[];
}

/** How to repair a damaged store: the import rebuilds the manifest and replaces the set files. */
export const REIMPORT_HINT =
  'import the official files again (casebook codes import FILE…, or Casebook: Import Code Set… in the editor): that rebuilds the store';

/**
 * A damaged or unwritable store, with the Problem naming the file and the fix. Thrown by the look-up
 * functions (callers catch it, e.g. the CLI prints it); `check()` returns the problems instead.
 */
export class StoreProblem extends Error {
  constructor(readonly problem: Problem) {
    super(`${problem.file}: ${problem.message}; ${problem.hint ?? ''}`);
  }
}

function storeProblem(file: string, message: string, hint = REIMPORT_HINT): StoreProblem {
  return new StoreProblem({ file, line: 1, column: 1, severity: 'error', message, hint });
}

/** Why a manifest entry is not a stored set's description, or undefined. */
function badEntry(entry: unknown): string | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return 'is not an object';
  const e = entry as Record<string, unknown>;
  if (!CODE_SYSTEMS.includes(e.system as CodeSystem)) return `has system ${JSON.stringify(e.system)}, not one of ${CODE_SYSTEMS.join(', ')}`;
  if (!(typeof e.year === 'number' && Number.isInteger(e.year) && e.year >= 1900 && e.year < 3000)) return 'has no year';
  // The file stays in the store folder and is the one import writes for that system and year.
  if (e.file !== `${(e.system as string).toLowerCase()}-${e.year}.codes`)
    return `points at ${JSON.stringify(e.file)}, not ${(e.system as string).toLowerCase()}-${e.year}.codes`;
  for (const field of ['codes', 'billable', 'headers', 'discontinued', 'modifiers']) if (typeof e[field] !== 'number') return `has no ${field} count`;
  return undefined;
}

/** Which year to use: one year for every system, a year per system, or the latest of each. */
export type YearChoice = number | Partial<Record<CodeSystem, number>> | undefined;

export interface CodeSearchOptions {
  system?: CodeSystem;
  year?: number;
  limit?: number;
}

/** What a hover or description needs about one code: the same facts a search hit carries. */
export type CodeDescription = CodeHit;

export class CodeStore {
  private manifest?: StoreManifest;
  private readonly sets = new Map<string, Promise<CodeSet | undefined>>();
  private readonly ready = new Map<string, CodeSet>();
  private readonly indexCache = new Map<string, Promise<LoadedIndex>>();

  constructor(
    readonly fs: FileSystem,
    /** Absolute path with forward slashes. */
    readonly dir: string,
  ) {}

  /** What is imported, oldest year first within each system. */
  async list(): Promise<StoredSetInfo[]> {
    return (await this.readManifest()).sets;
  }

  /** The imported years of a system, ascending. */
  async years(system: CodeSystem): Promise<number[]> {
    return (await this.list())
      .filter((s) => s.system === system)
      .map((s) => s.year)
      .sort((a, b) => a - b);
  }

  /** Loads a set on first use; undefined when that system and year are not imported. */
  async load(system: CodeSystem, year: number): Promise<CodeSet | undefined> {
    const key = `${system}|${year}`;
    let pending = this.sets.get(key);
    if (!pending) {
      pending = this.readSet(system, year);
      this.sets.set(key, pending);
      pending.then(
        (set) => set && this.ready.set(key, set),
        () => this.sets.delete(key),
      );
    }
    return pending;
  }

  /**
   * A set already loaded (for synchronous checks and descriptions): the latest loaded year not after
   * `year` (as `yearFor` chooses: a FY2026 pack uses HCPCS 2025), or the latest loaded year.
   */
  loaded(system: CodeSystem, year?: number): CodeSet | undefined {
    let best: CodeSet | undefined;
    for (const set of this.ready.values()) {
      if (set.system !== system || (year !== undefined && set.year > year)) continue;
      if (!best || set.year > best.year) best = set;
    }
    return best;
  }

  /** The year used for a system under a choice: that year, else the latest imported year not after it. */
  async yearFor(system: CodeSystem, choice: YearChoice): Promise<number | undefined> {
    const years = await this.years(system);
    const wanted = typeof choice === 'number' ? choice : choice?.[system];
    if (wanted === undefined) return years[years.length - 1];
    return years.filter((y) => y <= wanted).pop();
  }

  /** Loads the set of each system that a choice selects (call before `codeChecker`). */
  async prepare(choice?: YearChoice, systems: readonly CodeSystem[] = CODE_SYSTEMS): Promise<CodeSet[]> {
    const sets: CodeSet[] = [];
    for (const system of systems) {
      const year = await this.yearFor(system, choice);
      const set = year === undefined ? undefined : await this.load(system, year);
      if (set) sets.push(set);
    }
    return sets;
  }

  /** Ranked matches; by default over the latest year of each system, with the index tables of that ICD-10-CM year. */
  async search(query: string, options: CodeSearchOptions = {}): Promise<CodeHit[]> {
    const sets = await this.prepare(options.year, options.system ? [options.system] : CODE_SYSTEMS);
    const icd = sets.find((s) => s.system === 'ICD-10-CM');
    const indexes = icd ? await this.loadIndexes(icd.year) : [];
    return searchCodeSets(sets, query, { limit: options.limit ?? 20, indexes });
  }

  /** The imported index tables, each table's latest year. */
  async listIndexes(): Promise<StoredIndexInfo[]> {
    return (await this.readManifest()).indexes ?? [];
  }

  /** The index tables to use with an ICD-10-CM year: per table, the latest year not after it. */
  async loadIndexes(year?: number): Promise<LoadedIndex[]> {
    const infos = await this.listIndexes();
    const chosen = new Map<string, StoredIndexInfo>();
    for (const info of infos) {
      if (year !== undefined && info.year > year) continue;
      const best = chosen.get(info.table);
      if (!best || info.year > best.year) chosen.set(info.table, info);
    }
    return Promise.all([...chosen.values()].map((info) => this.loadIndex(info)));
  }

  private loadIndex(info: StoredIndexInfo): Promise<LoadedIndex> {
    const key = `${info.table}|${info.year}`;
    let pending = this.indexCache.get(key);
    if (!pending) {
      const file = posix.join(this.dir, info.file);
      pending = this.fs.readFile(file).then((bytes) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(decodeText(bytes));
        } catch (e) {
          throw new Error(`cannot read the stored ${info.table} index ${file} (${(e as Error).message}): import it again`);
        }
        if (!checkStoredIndex(parsed)) throw new Error(`the stored ${info.table} index ${file} is damaged: import it again`);
        return new LoadedIndex(parsed);
      });
      pending.catch(() => this.indexCache.delete(key));
      this.indexCache.set(key, pending);
    }
    return pending;
  }

  /** Stores imported index tables, replacing any of the same table and year. */
  async saveIndexes(imported: ImportedIndex[]): Promise<StoredIndexInfo[]> {
    const manifest = await this.readManifest();
    await this.fs.mkdir(this.dir);
    const saved: StoredIndexInfo[] = [];
    for (const index of imported) {
      const file = `icd10cm-${index.table}-${index.year}.index.json`;
      await this.writeAtomic(file, encodeText(JSON.stringify(index)));
      const info: StoredIndexInfo = {
        table: index.table,
        year: index.year,
        source: index.source,
        file,
        imported: new Date().toISOString(),
        entries: index.rows.length,
      };
      manifest.indexes = [...(manifest.indexes ?? []).filter((i) => !(i.table === index.table && i.year === index.year)), info].sort(
        (a, b) => a.table.localeCompare(b.table) || a.year - b.year,
      );
      this.indexCache.set(`${index.table}|${index.year}`, Promise.resolve(new LoadedIndex(index)));
      saved.push(info);
    }
    await this.writeAtomic('manifest.json', encodeText(JSON.stringify(manifest, null, 2) + '\n'));
    return saved;
  }

  /** Title and status of one code (any form: `e11.9`, `E119`); by default in the latest year. */
  async lookup(system: CodeSystem, code: string, year?: number): Promise<CodeDescription | undefined> {
    const chosen = year ?? (await this.yearFor(system, undefined));
    const set = chosen === undefined ? undefined : await this.load(system, chosen);
    const record = set ? set.find(normalizeCode(system, code)) : -1;
    return set && record >= 0 ? hitOf(set, record) : undefined;
  }

  /** A code and the codes directly below it (the Tabular drill-down); undefined when the code is not in the set. */
  async children(system: CodeSystem, code: string, year?: number): Promise<{ node: TabularNode; children: TabularNode[] } | undefined> {
    const chosen = year ?? (await this.yearFor(system, undefined));
    const set = chosen === undefined ? undefined : await this.load(system, chosen);
    const node = set ? tabularNode(set, code) : undefined;
    return set && node ? { node, children: tabularChildren(set, code) } : undefined;
  }

  /** A modifier's title from the HCPCS set of that year (or the latest). */
  async lookupModifier(modifier: string, year?: number): Promise<ModifierRecord | undefined> {
    const chosen = year ?? (await this.yearFor('HCPCS', undefined));
    const set = chosen === undefined ? undefined : await this.load('HCPCS', chosen);
    return set?.modifier(modifier);
  }

  /** Changes between two imported years; undefined when either is not imported. */
  async diff(system: CodeSystem, oldYear: number, newYear: number): Promise<CodeSetDiff | undefined> {
    const [oldSet, newSet] = await Promise.all([this.load(system, oldYear), this.load(system, newYear)]);
    return oldSet && newSet ? diffCodeSets(oldSet, newSet) : undefined;
  }

  /**
   * Stores imported sets, replacing any of the same system and year (a list of modifiers only is
   * added to the stored set instead). Records which codes each year deleted since the year before.
   */
  async save(imported: ImportedCodeSet[]): Promise<StoredSetInfo[]> {
    const manifest = await this.manifestForImport();
    try {
      await this.fs.mkdir(this.dir);
    } catch (e) {
      throw readOnly(this.dir, e) ?? e;
    }
    const saved: StoredSetInfo[] = [];
    for (let set of imported) {
      const existing = manifest.sets.find((s) => s.system === set.system && s.year === set.year);
      if (set.records.length === 0 && existing) {
        const stored = await this.load(set.system, set.year);
        if (stored) set = { ...asImported(stored), modifiers: set.modifiers };
      }
      const previous = await this.neighbour(manifest, set.system, set.year, -1);
      const bytes = encodeCodeSet(set, previous ? deletedSince(previous, new Set(set.records.filter((r) => r.billable).map((r) => r.code))) : []);
      const file = `${set.system.toLowerCase()}-${set.year}.codes`;
      await this.writeAtomic(file, bytes);
      const loaded = new CodeSet(bytes);
      this.keep(loaded);
      const info = describe(loaded, file);
      manifest.sets = manifest.sets.filter((s) => !(s.system === set.system && s.year === set.year));
      manifest.sets.push(info);
      manifest.sets.sort((a, b) => a.system.localeCompare(b.system) || a.year - b.year);
      saved.push(info);
      // The next newer year's deleted list depends on this year: refresh it.
      const next = await this.neighbour(manifest, set.system, set.year, +1);
      if (next) {
        const nextInfo = manifest.sets.find((s) => s.system === next.system && s.year === next.year)!;
        const billableNext = new Set<string>();
        for (let i = 0; i < next.count; i++) if (next.billable(i)) billableNext.add(next.code(i));
        const bytesNext = withDeleted(await this.fs.readFile(posix.join(this.dir, nextInfo.file)), deletedSince(loaded, billableNext));
        await this.writeAtomic(nextInfo.file, bytesNext);
        this.forget(next.system, next.year);
      }
    }
    await this.writeAtomic('manifest.json', encodeText(JSON.stringify(manifest, null, 2) + '\n'));
    return saved;
  }

  private async neighbour(manifest: StoreManifest, system: CodeSystem, year: number, direction: -1 | 1): Promise<CodeSet | undefined> {
    const years = manifest.sets.filter((s) => s.system === system && (direction < 0 ? s.year < year : s.year > year)).map((s) => s.year);
    if (years.length === 0) return undefined;
    // A damaged neighbour is skipped: only its deleted-codes list depends on this import.
    return this.load(system, direction < 0 ? Math.max(...years) : Math.min(...years)).catch((e: unknown) => {
      if (e instanceof StoreProblem) return undefined;
      throw e;
    });
  }

  private keep(set: CodeSet): void {
    this.sets.set(`${set.system}|${set.year}`, Promise.resolve(set));
    this.ready.set(`${set.system}|${set.year}`, set);
  }

  private forget(system: CodeSystem, year: number): void {
    this.sets.delete(`${system}|${year}`);
    this.ready.delete(`${system}|${year}`);
  }

  private async readManifest(): Promise<StoreManifest> {
    if (this.manifest) return this.manifest;
    const file = posix.join(this.dir, 'manifest.json');
    if (!(await this.fs.stat(file))) return (this.manifest = { format: 1, sets: [] });
    let parsed: unknown;
    try {
      parsed = JSON.parse(decodeText(await this.fs.readFile(file)));
    } catch (e) {
      throw storeProblem(file, `is not valid JSON (${(e as Error).message})`);
    }
    const m = parsed as { format?: unknown; sets?: unknown; indexes?: unknown } | null;
    if (typeof m !== 'object' || m === null || m.format !== 1 || !Array.isArray(m.sets) || (m.indexes !== undefined && !Array.isArray(m.indexes))) {
      throw storeProblem(file, 'is not a Casebook code-set manifest');
    }
    m.sets.forEach((entry, i) => {
      const why = badEntry(entry);
      if (why) throw storeProblem(file, `sets[${i}] ${why}`);
    });
    return (this.manifest = m as StoreManifest);
  }

  /** The manifest for an import: the stored one, or one rebuilt from the set files that still load. */
  private async manifestForImport(): Promise<StoreManifest> {
    try {
      return await this.readManifest();
    } catch (e) {
      if (!(e instanceof StoreProblem)) throw e;
    }
    const sets: StoredSetInfo[] = [];
    const entries = (await this.fs.stat(this.dir))?.kind === 'directory' ? await this.fs.readdir(this.dir) : [];
    for (const entry of entries) {
      const m = /^(icd-10-cm|cpt|hcpcs)-(\d{4})\.codes$/.exec(entry.name);
      if (!m || entry.kind !== 'file') continue;
      try {
        const set = new CodeSet(await this.fs.readFile(posix.join(this.dir, entry.name)));
        if (set.system.toLowerCase() === m[1] && set.year === Number(m[2])) sets.push(describe(set, entry.name));
      } catch {
        // A damaged set file is left out; importing its files again replaces it.
      }
    }
    sets.sort((a, b) => a.system.localeCompare(b.system) || a.year - b.year);
    this.sets.clear();
    this.ready.clear();
    return (this.manifest = { format: 1, sets });
  }

  /** Every problem of the store (manifest, each set file); never throws. Empty when all is well. */
  async check(): Promise<Problem[]> {
    const problems: Problem[] = [];
    try {
      for (const info of await this.list()) {
        try {
          await this.load(info.system, info.year);
        } catch (e) {
          if (e instanceof StoreProblem) problems.push(e.problem);
          else throw e;
        }
      }
    } catch (e) {
      problems.push(
        e instanceof StoreProblem
          ? e.problem
          : {
              file: this.dir,
              line: 1,
              column: 1,
              severity: 'error',
              message: `cannot be read: ${(e as Error).message}`,
              hint: 'check that the folder can be read',
            },
      );
    }
    return problems;
  }

  private async readSet(system: CodeSystem, year: number): Promise<CodeSet | undefined> {
    const info = (await this.list()).find((s) => s.system === system && s.year === year);
    if (!info) return undefined;
    const file = posix.join(this.dir, info.file);
    let set: CodeSet;
    try {
      set = new CodeSet(await this.fs.readFile(file));
    } catch (e) {
      throw storeProblem(file, `the stored ${system} ${year} code set cannot be used: ${(e as Error).message}`);
    }
    if (set.system !== system || set.year !== year) throw storeProblem(file, `holds ${set.system} ${set.year}, but the manifest lists it as ${system} ${year}`);
    return set;
  }

  private async writeAtomic(name: string, bytes: Uint8Array): Promise<void> {
    const target = posix.join(this.dir, name);
    const temp = `${target}.tmp-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    try {
      await this.fs.writeFile(temp, bytes);
      await this.fs.rename(temp, target);
    } catch (e) {
      await this.fs.remove(temp).catch(() => undefined);
      throw readOnly(this.dir, e) ?? e;
    }
  }
}

/** The problem of a store folder that cannot be written (read-only disk, no permission), or undefined. */
function readOnly(dir: string, e: unknown): StoreProblem | undefined {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code !== 'EACCES' && code !== 'EPERM' && code !== 'EROFS') return undefined;
  return storeProblem(
    dir,
    `the code-set store cannot be written (${code}: read-only or no permission)`,
    "give a folder you can write with --store DIR or CASEBOOK_HOME (in the editor, make its storage folder writable), or fix the folder's permissions",
  );
}

/** Billable codes of `previous` (and codes it already listed as deleted) that are not billable now. */
function deletedSince(previous: CodeSet, billableNow: Set<string>): DeletedCode[] {
  const deleted: DeletedCode[] = previous.deleted.filter((d) => !billableNow.has(d.code));
  for (let i = 0; i < previous.count; i++) {
    if (previous.billable(i) && !billableNow.has(previous.code(i))) deleted.push({ code: previous.code(i), title: previous.title(i), lastYear: previous.year });
  }
  return deleted;
}

function describe(set: CodeSet, file: string): StoredSetInfo {
  let billable = 0;
  let discontinued = 0;
  for (let i = 0; i < set.count; i++) {
    const status = set.status(i);
    if (status === 'billable') billable++;
    else if (status === 'discontinued') discontinued++;
  }
  return {
    system: set.system,
    year: set.year,
    kind: set.kind,
    source: set.source,
    file,
    imported: new Date().toISOString(),
    codes: set.count,
    billable,
    headers: set.count - billable - discontinued,
    discontinued,
    modifiers: set.modifiers.length,
  };
}

/** A stored set back in imported form (rank order stands in for file order). */
function asImported(set: CodeSet): ImportedCodeSet {
  const records = [];
  for (let i = 0; i < set.count; i++) {
    const end = set.terminated(i);
    records.push({ code: set.code(i), title: set.title(i), billable: set.billable(i), ...(end ? { terminated: end } : {}) });
  }
  return { system: set.system, year: set.year, kind: set.kind, source: set.source, records, modifiers: set.modifiers };
}
