// The learner's work file, PACK/.casebook/work/ID.json: read, validate, write atomically, and
// keep its tags on their text when the note changes. Nothing the learner did is ever overwritten.
import { createHash } from 'crypto';
import { posix } from 'path';
import { LineCounter, parseDocument } from 'yaml';
import { reanchor } from './anchor';
import { isCodeSystem } from './codes';
import { type FileSystem, stripBom } from './fs';
import { findTooDeep, tooDeepMessage } from './jsonDepth';
import { learnerPath, listLearnerFolder, readLearnerFile, writeLearnerFile } from './learnerState';
import type { Anchor, Problem, Tag, WorkFile } from './model';

export { atomicWriteText } from './fs';

function workSegments(caseId: string): string[] {
  return ['work', `${caseId}.json`];
}

export function workPath(packRoot: string, caseId: string): string {
  return learnerPath(packRoot, ...workSegments(caseId));
}

export function noteSha256(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex');
}

export function newWork(caseId: string, body: string): WorkFile {
  return { format: 1, case: caseId, noteSha256: noteSha256(body), updated: new Date().toISOString(), tags: [] };
}

// ---- reading ----

const TAG_FIELDS = ['id', 'system', 'code', 'modifiers', 'units', 'links', 'anchor', 'detached'];
const ANCHOR_FIELDS = ['start', 'end', 'quote', 'prefix', 'suffix'];

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function isOffset(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** A shape mistake found at a JSON path; turned into a Problem with a line once all are known. */
interface ShapeError {
  path: Array<string | number>;
  message: string;
  hint?: string;
}

/**
 * Parses and checks a work file. Fields this version does not know (top level, per tag, per anchor)
 * are kept. Omitted `modifiers`/`links` read as empty and omitted `units` as 1.
 */
export function parseWorkFile(text: string, file: string): { work?: WorkFile; problems: Problem[]; trimmed?: boolean } {
  let data: unknown;
  const source = stripBom(text);
  try {
    data = JSON.parse(source);
  } catch (e) {
    const { line, column } = jsonErrorPlace(text, e as Error);
    return {
      problems: [
        {
          file,
          line,
          column,
          severity: 'error',
          message: `not valid JSON: ${(e as Error).message}`,
          hint: 'The work file was damaged; Casebook keeps it aside and starts fresh work.',
        },
      ],
    };
  }
  // Values nested too deep are dropped (everything else kept): saving them would overflow the stack.
  const deep = findTooDeep(data, { text: source, prune: true, max: Number.POSITIVE_INFINITY });
  const warnings: Problem[] = deep.map((d) => ({
    file,
    line: d.line,
    column: d.column,
    severity: 'warning',
    message: `${tooDeepMessage(d.path)}; left out of your work`,
    hint: 'Casebook keeps the rest of the work and the original file beside it (.deep-…)',
  }));
  const errors: ShapeError[] = [];
  const work = readWork(data, errors);
  if (errors.length > 0) {
    // The places come from the YAML parser, which recurses: not for a file that was too deep.
    const places = deep.length ? '' : source;
    return { problems: [...warnings, ...errors.map((e) => shapeProblem(places, file, e))] };
  }
  return { work, problems: warnings, ...(deep.length ? { trimmed: true } : {}) };
}

function readWork(data: unknown, errors: ShapeError[]): WorkFile | undefined {
  if (!isObject(data)) {
    errors.push({ path: [], message: 'a work file must be a JSON object' });
    return undefined;
  }
  if (data.format !== 1) {
    const newer = typeof data.format === 'number' && data.format > 1;
    errors.push({
      path: ['format'],
      message: newer ? `format ${String(data.format)} is newer than this version of Casebook reads` : 'format must be 1',
      hint: newer ? 'Update the Casebook extension.' : undefined,
    });
  }
  if (typeof data.case !== 'string' || data.case === '') errors.push({ path: ['case'], message: 'case must be the case id' });
  if (data.noteSha256 !== undefined && typeof data.noteSha256 !== 'string') {
    errors.push({ path: ['noteSha256'], message: 'noteSha256 must be a string' });
  }
  if (data.updated !== undefined && typeof data.updated !== 'string') {
    errors.push({ path: ['updated'], message: 'updated must be an ISO time string' });
  }
  if (!Array.isArray(data.tags)) {
    errors.push({ path: ['tags'], message: 'tags must be a list' });
    return undefined;
  }
  const ids = new Set<string>();
  const tags: Tag[] = [];
  data.tags.forEach((raw, index) => {
    const tag = readTag(raw, ['tags', index], errors);
    if (!tag) return;
    if (ids.has(tag.id)) errors.push({ path: ['tags', index, 'id'], message: `tag id ${tag.id} is used twice` });
    ids.add(tag.id);
    tags.push(tag);
  });
  // A missing hash reads as "unknown", so the tags are re-anchored against the note on load.
  return { ...data, format: 1, case: String(data.case), noteSha256: (data.noteSha256 as string) ?? '', updated: (data.updated as string) ?? '', tags };
}

function readTag(raw: unknown, path: Array<string | number>, errors: ShapeError[]): Tag | undefined {
  if (!isObject(raw)) {
    errors.push({ path, message: 'a tag must be an object' });
    return undefined;
  }
  const before = errors.length;
  if (typeof raw.id !== 'string' || raw.id === '') errors.push({ path: [...path, 'id'], message: 'a tag needs an id' });
  if (!isCodeSystem(raw.system)) {
    errors.push({ path: [...path, 'system'], message: 'system must be ICD-10-CM, CPT or HCPCS' });
  }
  if (typeof raw.code !== 'string' || raw.code.trim() === '') errors.push({ path: [...path, 'code'], message: 'a tag needs a code' });
  if (raw.modifiers !== undefined && !isStringArray(raw.modifiers)) {
    errors.push({ path: [...path, 'modifiers'], message: 'modifiers must be a list of strings' });
  }
  if (raw.units !== undefined && !(typeof raw.units === 'number' && Number.isInteger(raw.units) && raw.units >= 1)) {
    errors.push({ path: [...path, 'units'], message: 'units must be a whole number of 1 or more' });
  }
  if (raw.links !== undefined && !isStringArray(raw.links)) {
    errors.push({ path: [...path, 'links'], message: 'links must be a list of diagnosis codes' });
  }
  if (raw.detached !== undefined && typeof raw.detached !== 'boolean') {
    errors.push({ path: [...path, 'detached'], message: 'detached must be true or false' });
  }
  if (raw.anchor !== undefined && !isAnchor(raw.anchor)) {
    errors.push({
      path: [...path, 'anchor'],
      message: 'anchor must have start <= end (whole numbers) and quote, prefix, suffix strings',
    });
  }
  if (errors.length > before) return undefined;
  return {
    ...raw,
    id: raw.id as string,
    system: raw.system as Tag['system'],
    code: raw.code as string,
    modifiers: (raw.modifiers as string[] | undefined) ?? [],
    units: (raw.units as number | undefined) ?? 1,
    links: (raw.links as string[] | undefined) ?? [],
  };
}

function isAnchor(value: unknown): value is Anchor {
  return (
    isObject(value) &&
    isOffset(value.start) &&
    isOffset(value.end) &&
    value.start <= value.end &&
    typeof value.quote === 'string' &&
    typeof value.prefix === 'string' &&
    typeof value.suffix === 'string'
  );
}

/** Node's JSON.parse often names a position ("at position 12" or "line 2 column 5"); otherwise 1:1, or the end. */
function jsonErrorPlace(text: string, error: Error): { line: number; column: number } {
  const lineColumn = /line (\d+) column (\d+)/.exec(error.message);
  if (lineColumn) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  const position = /position (\d+)/.exec(error.message);
  const at = position ? Number(position[1]) : /end of JSON/.test(error.message) ? text.length : 0;
  const before = text.slice(0, at).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

/** Places a shape error on the line of the offending value (JSON is YAML, whose parser keeps ranges). */
function shapeProblem(text: string, file: string, error: ShapeError): Problem {
  let line = 1;
  let column = 1;
  try {
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter });
    let node = error.path.length === 0 ? doc.contents : doc.getIn(error.path, true);
    // A missing field is reported at the object that should hold it.
    for (let depth = error.path.length - 1; !node && depth >= 0; depth--) node = doc.getIn(error.path.slice(0, depth), true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (range) ({ line, col: column } = lineCounter.linePos(range[0]));
  } catch {
    // The place is a convenience; the message stands on its own.
  }
  const where = error.path.length ? `${error.path.join('.')}: ` : '';
  return { file, line, column, severity: 'error', message: where + error.message, ...(error.hint ? { hint: error.hint } : {}) };
}

// ---- writing ----

/**
 * Known fields first in a fixed order, then unknown ones as they came, so diffs stay small. Own
 * properties only, whatever their name (`constructor`, `toString`, `__proto__` are data here).
 */
export function ordered(value: Json, known: readonly string[]): Json {
  const has = (key: string) => Object.prototype.hasOwnProperty.call(value, key) && value[key] !== undefined;
  const first = known.filter(has);
  const rest = Object.keys(value).filter((key) => !known.includes(key) && has(key));
  // fromEntries defines own data properties, so a field named __proto__ stays a field.
  return Object.fromEntries([...first, ...rest].map((key) => [key, value[key]]));
}

export function serializeWork(work: WorkFile): string {
  const tags = work.tags.map((tag) => {
    const out = ordered(tag, TAG_FIELDS);
    if (tag.anchor) out.anchor = ordered(tag.anchor as unknown as Json, ANCHOR_FIELDS);
    return out;
  });
  const top = ordered({ ...work, tags }, ['format', 'case', 'noteSha256', 'updated', 'tags']);
  return JSON.stringify(top, null, 2) + '\n';
}

/**
 * Saves the work to PACK/.casebook/work/CASE.json atomically (temp file, flush, rename). Refused,
 * with the Problem and nothing written, when that place is not safely inside the pack (core/learnerState).
 * I/O failures (a full disk, no permission) still reject.
 */
export async function saveWork(fs: FileSystem, packRoot: string, work: WorkFile): Promise<Problem | undefined> {
  return writeLearnerFile(fs, packRoot, workSegments(work.case), serializeWork(work));
}

// ---- loading ----

export interface LoadedWork {
  work: WorkFile;
  /** Set when an unreadable file was moved aside: the path it was moved to. */
  movedAside?: string;
  /** Problems that made the file unreadable (empty otherwise). */
  problems?: Problem[];
  /**
   * Set when the work's place is not safely inside the pack (a linked or misplaced .casebook):
   * nothing was read or moved, the work starts fresh in memory, and every save is refused until fixed.
   */
  refused?: Problem;
  /**
   * Set when values nested too deep (core/jsonDepth) were left out: the rest is loaded, the original
   * was moved aside (`movedAside`), `problems` says where, and the caller should save at once.
   */
  trimmed?: boolean;
  /** Tags whose text moved or changed because the note changed (and were found again). */
  reanchored: number;
  /** Tags whose text can no longer be found in the note (kept, marked `detached`). */
  detached: number;
}

/**
 * Loads the work of a case; no file means new work. A file that cannot be read or parsed (or is
 * another case's) is never overwritten: it is renamed to `ID.json.corrupt-<timestamp>` and work
 * starts fresh. When the note's hash differs from the file's, every anchored tag is re-anchored
 * and the hash updated. Nothing is written besides that rename: the caller saves when it wants
 * the re-anchoring kept (e.g. when `reanchored` or `detached` is non-zero). When the place is not
 * safely inside the pack (core/learnerState), nothing is read or renamed: `refused` says why.
 */
export async function loadWork(fs: FileSystem, packRoot: string, caseId: string, body: string, now: Date = new Date()): Promise<LoadedWork> {
  const path = workPath(packRoot, caseId);
  const read = await readLearnerFile(fs, packRoot, workSegments(caseId));
  if ('missing' in read) {
    await removeOrphanedTemps(fs, packRoot, caseId);
    return { work: newWork(caseId, body), reanchored: 0, detached: 0 };
  }
  if ('unsafe' in read) return { work: newWork(caseId, body), refused: read.unsafe, problems: [read.unsafe], reanchored: 0, detached: 0 };
  await removeOrphanedTemps(fs, packRoot, caseId);

  const file = posix.join('.casebook', 'work', `${caseId}.json`);
  let parsed: { work?: WorkFile; problems: Problem[]; trimmed?: boolean } = 'text' in read ? parseWorkFile(read.text, file) : { problems: [read.problem] };
  if (parsed.work && parsed.work.case !== caseId) {
    parsed = {
      problems: [{ file, line: 1, column: 1, severity: 'error', message: `holds the work of case ${parsed.work.case}, not ${caseId}` }],
    };
  }
  if (!parsed.work) {
    const movedAside = await moveAside(fs, path, now);
    return { work: newWork(caseId, body), movedAside, problems: parsed.problems, reanchored: 0, detached: 0 };
  }
  if (parsed.trimmed) {
    // The work goes on without the too-deep values; the original is kept beside it, never lost.
    const movedAside = await moveAside(fs, path, now, 'deep');
    return { ...reanchorWork(parsed.work, body), movedAside, problems: parsed.problems, trimmed: true };
  }
  return { ...reanchorWork(parsed.work, body), problems: [] };
}

/**
 * Removes ID.json.tmp-* left by a save that was interrupted (a crash between write and rename):
 * they hold a save that never completed (the work file is whole). Best effort, after the
 * containment check, and only this case's temp files (plain files, not links).
 */
async function removeOrphanedTemps(fs: FileSystem, packRoot: string, caseId: string): Promise<void> {
  const listed = await listLearnerFolder(fs, packRoot, ['work']);
  if ('problem' in listed) return;
  const prefix = `${caseId}.json.tmp-`;
  for (const entry of listed.entries) {
    if (entry.kind !== 'file' || !entry.name.startsWith(prefix)) continue;
    try {
      await fs.remove(learnerPath(packRoot, 'work', entry.name));
    } catch {
      // Left for the next load: a temp file harms nothing.
    }
  }
}

/**
 * Renames an unreadable file to PATH.corrupt-<UTC time> (PATH.deep-<time> for one whose too-deep
 * values were left out; a numeric suffix when taken); never overwrites.
 */
export async function moveAside(fs: FileSystem, path: string, now: Date, why: 'corrupt' | 'deep' = 'corrupt'): Promise<string> {
  // Colons are not allowed in Windows file names.
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  let target = `${path}.${why}-${stamp}`;
  for (let n = 1; await fs.stat(target); n++) target = `${path}.${why}-${stamp}-${n}`;
  await fs.rename(path, target);
  return target;
}

/** Re-anchors every anchored tag when the note is not the one the work was made on. */
export function reanchorWork(work: WorkFile, body: string): { work: WorkFile; reanchored: number; detached: number } {
  const sha = noteSha256(body);
  if (work.noteSha256 === sha) return { work, reanchored: 0, detached: 0 };
  let reanchored = 0;
  let detached = 0;
  const tags = [...work.tags];
  // In note order, so each tag first looks where its neighbour went (an edit shifts what follows it).
  const anchored = tags.map((tag, index) => ({ tag, index })).filter(({ tag }) => tag.anchor);
  anchored.sort((a, b) => a.tag.anchor!.start - b.tag.anchor!.start);
  let shift = 0;
  for (const { tag, index } of anchored) {
    const old = tag.anchor as Anchor;
    const found = reanchor(body, old, shift);
    if (!found) {
      detached++;
      tags[index] = { ...tag, detached: true };
      continue;
    }
    shift = found.start - old.start;
    if (found.start !== old.start || found.end !== old.end || found.quote !== old.quote || tag.detached) reanchored++;
    const { detached: _wasDetached, ...rest } = tag;
    tags[index] = { ...rest, anchor: { ...old, ...found } };
  }
  return { work: { ...work, noteSha256: sha, tags }, reanchored, detached };
}
