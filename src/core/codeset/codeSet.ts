// A code set as stored and searched: one (system, year), kept in a compact binary file that loads
// in milliseconds. Records are stored pre-sorted in rank order (rank.ts: billable first, initial
// encounter before subsequent and sequela, fewer words beyond the usual ones, shorter titles, file
// order), so every posting list is already ranked and a search can stop after `limit` hits.
import type { CodeSystem } from '../model';
import { displayCode } from '../codes';
import type { CodeSetKind, ImportedCodeSet, ModifierRecord } from './import';
import { titleWords } from './text';
import { NEUTRAL_WORDS, encounterRank } from './rank';

export type CodeStatus = 'billable' | 'category' | 'discontinued';

/** Search ranks billable codes first, then category headers, then discontinued codes. */
export const STATUS_RANK: Record<CodeStatus, number> = { billable: 0, category: 1, discontinued: 2 };

const MAGIC = 0x53434243; // "CBCS" read as little-endian u32
const FORMAT = 1;

/** Flags per record. A record with neither flag is a category header (needs more characters). */
export const BILLABLE = 1;
export const TERMINATED = 2;

/** A code dropped since the previous stored year, kept for "was deleted" messages. */
export interface DeletedCode {
  code: string;
  title: string;
  /** The last year it was valid in. */
  lastYear: number;
}

interface Header {
  format: number;
  system: CodeSystem;
  year: number;
  kind: CodeSetKind;
  source: string;
  count: number;
  wordCount: number;
  modifiers: ModifierRecord[];
  deleted: DeletedCode[];
  /** Terminated dates by record id (few records have one). */
  terminated: Record<number, string>;
  sections: Record<SectionName, [offset: number, length: number]>;
  /** FNV-1a over the body's 32-bit words (absent in files imported before it was added). */
  checksum?: number;
}

const SECTION_NAMES: readonly SectionName[] = [
  'codes',
  'codeStart',
  'titles',
  'titleStart',
  'flags',
  'byCode',
  'words',
  'wordTextStart',
  'postingStart',
  'postings',
  'wordStart',
  'recordWords',
];
const U32_SECTIONS: readonly SectionName[] = ['codeStart', 'titleStart', 'byCode', 'wordTextStart', 'postingStart', 'postings', 'wordStart', 'recordWords'];

/** FNV-1a over 32-bit words (the body's length is a multiple of 4): a few ms for a whole ICD-10-CM set. */
export function bodyChecksum(body: Uint8Array): number {
  const words = new Uint32Array(body.buffer, body.byteOffset, body.byteLength >>> 2);
  let h = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i], 0x01000193) >>> 0;
  return h;
}

type SectionName =
  'codes' | 'codeStart' | 'titles' | 'titleStart' | 'flags' | 'byCode' | 'words' | 'wordTextStart' | 'postingStart' | 'postings' | 'wordStart' | 'recordWords';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');

/** The stored bytes of an imported set (its index built here, once, at import time). */
export function encodeCodeSet(set: ImportedCodeSet, deleted: DeletedCode[] = []): Uint8Array {
  // Keep one record per code (a later duplicate replaces an earlier one), then sort into rank order.
  const byCodeMap = new Map<string, number>();
  set.records.forEach((r, i) => byCodeMap.set(r.code, i));
  const kept = [...byCodeMap.values()].sort((a, b) => a - b).map((i) => set.records[i]);
  const keptWords = kept.map((r) => [...new Set(titleWords(r.title))]);
  const rank = kept.map((r, i) => ({
    status: r.billable ? 0 : r.terminated ? 2 : 1,
    encounter: encounterRank(set.system, r.code.length, r.title),
    words: keptWords[i].filter((w) => !NEUTRAL_WORDS.has(w)).length,
  }));
  const order = kept
    .map((_, i) => i)
    .sort((a, b) => {
      const ra = rank[a];
      const rb = rank[b];
      return ra.status - rb.status || ra.encounter - rb.encounter || ra.words - rb.words || kept[a].title.length - kept[b].title.length || a - b;
    });
  const records = order.map((i) => kept[i]);
  const count = records.length;

  const flags = new Uint8Array(count);
  const terminated: Record<number, string> = {};
  records.forEach((r, i) => {
    flags[i] = (r.billable ? BILLABLE : 0) | (r.terminated && !r.billable ? TERMINATED : 0);
    if (r.terminated) terminated[i] = r.terminated;
  });

  const codes = joinWithStarts(records.map((r) => r.code));
  const titles = joinWithStarts(records.map((r) => r.title));

  const byCode = Uint32Array.from(records.map((_, i) => i).sort((a, b) => compareCodes(records[a].code, records[b].code)));

  // Title words: distinct per record, sorted globally; posting lists in record (= rank) order.
  const recordWordLists = order.map((i) => keptWords[i]);
  const wordList = [...new Set(recordWordLists.flat())].sort(compareStrings);
  const wordId = new Map(wordList.map((w, i) => [w, i]));
  const postingCounts = new Uint32Array(wordList.length + 1);
  const wordStart = new Uint32Array(count + 1);
  let total = 0;
  const idLists = recordWordLists.map((words, i) => {
    const ids = Uint32Array.from(words.map((w) => wordId.get(w)!)).sort();
    for (const id of ids) postingCounts[id + 1]++;
    wordStart[i] = total;
    total += ids.length;
    return ids;
  });
  wordStart[count] = total;
  const recordWords = new Uint32Array(total);
  idLists.forEach((ids, i) => recordWords.set(ids, wordStart[i]));
  const postingStart = new Uint32Array(wordList.length + 1);
  for (let w = 0; w < wordList.length; w++) postingStart[w + 1] = postingStart[w] + postingCounts[w + 1];
  const fill = postingStart.slice(0, wordList.length);
  const postings = new Uint32Array(total);
  idLists.forEach((ids, i) => {
    for (const id of ids) postings[fill[id]++] = i;
  });
  const words = joinWithStarts(wordList);

  const sections: [SectionName, Uint8Array][] = [
    ['codes', encoder.encode(codes.text)],
    ['codeStart', bytesOf(codes.starts)],
    ['titles', encoder.encode(titles.text)],
    ['titleStart', bytesOf(titles.starts)],
    ['flags', flags],
    ['byCode', bytesOf(byCode)],
    ['words', encoder.encode(words.text)],
    ['wordTextStart', bytesOf(words.starts)],
    ['postingStart', bytesOf(postingStart)],
    ['postings', bytesOf(postings)],
    ['wordStart', bytesOf(wordStart)],
    ['recordWords', bytesOf(recordWords)],
  ];
  const header: Header = {
    format: FORMAT,
    system: set.system,
    year: set.year,
    kind: set.kind,
    source: set.source,
    count,
    wordCount: wordList.length,
    modifiers: set.modifiers,
    deleted,
    terminated,
    sections: {} as Header['sections'],
  };
  // Offsets are relative to the end of the header and 4-byte aligned, so the header can be written last.
  let offset = 0;
  for (const [name, bytes] of sections) {
    header.sections[name] = [offset, bytes.length];
    offset = align4(offset + bytes.length);
  }
  const body = new Uint8Array(offset);
  for (const [name, bytes] of sections) body.set(bytes, header.sections[name][0]);
  header.checksum = bodyChecksum(body);
  const headerBytes = encoder.encode(JSON.stringify(header));
  const bodyStart = align4(8 + headerBytes.length);
  const out = new Uint8Array(bodyStart + offset);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, headerBytes.length, true);
  out.set(headerBytes, 8);
  out.set(body, bodyStart);
  return out;
}

/** The same stored set with a new list of deleted codes; only the header is rewritten. */
export function withDeleted(bytes: Uint8Array, deleted: DeletedCode[]): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(4, true);
  const header = JSON.parse(decoder.decode(bytes.subarray(8, 8 + headerLength))) as Header;
  const body = bytes.subarray(align4(8 + headerLength));
  const headerBytes = encoder.encode(JSON.stringify({ ...header, deleted }));
  const bodyStart = align4(8 + headerBytes.length);
  const out = new Uint8Array(bodyStart + body.length);
  const outView = new DataView(out.buffer);
  outView.setUint32(0, MAGIC, true);
  outView.setUint32(4, headerBytes.length, true);
  out.set(headerBytes, 8);
  out.set(body, bodyStart);
  return out;
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

function bytesOf(array: Uint32Array): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** Strings joined end to end, with the UTF-16 start of each (and the end) to slice them back. */
function joinWithStarts(strings: string[]): { text: string; starts: Uint32Array } {
  const starts = new Uint32Array(strings.length + 1);
  let at = 0;
  strings.forEach((s, i) => {
    starts[i] = at;
    at += s.length;
  });
  starts[strings.length] = at;
  return { text: strings.join(''), starts };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Code order for prefix search: shorter codes first (a category before its subcodes), then by character. */
export function compareCodes(a: string, b: string): number {
  return a.length - b.length || compareStrings(a, b);
}

/** A loaded code set: read-only views over the stored bytes. */
export class CodeSet {
  readonly system: CodeSystem;
  readonly year: number;
  readonly kind: CodeSetKind;
  readonly source: string;
  readonly count: number;
  readonly modifiers: ModifierRecord[];
  readonly deleted: DeletedCode[];
  private readonly terminatedDates: Record<number, string>;
  private readonly codesText: string;
  private readonly codeStart: Uint32Array;
  private readonly titlesText: string;
  private readonly titleStart: Uint32Array;
  readonly flags: Uint8Array;
  /** Record ids sorted by (code length, code). */
  private readonly byCode: Uint32Array;
  /** Where codes of each length begin in `byCode` (index = length, 0..8). */
  private readonly lengthStart: Uint32Array;
  private readonly wordsText: string;
  private readonly wordTextStart: Uint32Array;
  readonly wordCount: number;
  readonly postingStart: Uint32Array;
  readonly postings: Uint32Array;
  readonly wordStart: Uint32Array;
  readonly recordWords: Uint32Array;
  private modifierMap?: Map<string, ModifierRecord>;
  private deletedMap?: Map<string, DeletedCode>;

  constructor(bytes: Uint8Array) {
    // Typed-array views need 4-byte alignment; copy once when the bytes are not aligned.
    if (bytes.byteOffset % 4 !== 0) bytes = bytes.slice();
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const header = readHeader(bytes, view);
    const bodyStart = align4(8 + view.getUint32(4, true));
    const section = (name: SectionName) => {
      const [offset, length] = header.sections[name];
      return bytes.subarray(bodyStart + offset, bodyStart + offset + length);
    };
    const u32 = (name: SectionName) => {
      const s = section(name);
      return new Uint32Array(s.buffer, s.byteOffset, s.byteLength / 4);
    };
    this.system = header.system;
    this.year = header.year;
    this.kind = header.kind;
    this.source = header.source;
    this.count = header.count;
    this.modifiers = header.modifiers;
    this.deleted = header.deleted;
    this.terminatedDates = header.terminated;
    this.codesText = decoder.decode(section('codes'));
    this.codeStart = u32('codeStart');
    this.titlesText = decoder.decode(section('titles'));
    this.titleStart = u32('titleStart');
    this.flags = section('flags');
    this.byCode = u32('byCode');
    this.wordsText = decoder.decode(section('words'));
    this.wordTextStart = u32('wordTextStart');
    this.wordCount = header.wordCount;
    this.postingStart = u32('postingStart');
    this.postings = u32('postings');
    this.wordStart = u32('wordStart');
    this.recordWords = u32('recordWords');
    checkShape(this, header);
    this.lengthStart = new Uint32Array(10);
    let at = 0;
    for (let len = 0; len < 10; len++) {
      while (at < this.count && this.codeLength(this.byCode[at]) < len) at++;
      this.lengthStart[len] = at;
    }
  }

  /** The normal form of record `i`'s code (no dot). */
  code(i: number): string {
    return this.codesText.slice(this.codeStart[i], this.codeStart[i + 1]);
  }

  codeLength(i: number): number {
    return this.codeStart[i + 1] - this.codeStart[i];
  }

  displayCode(i: number): string {
    return displayCode(this.system, this.code(i));
  }

  title(i: number): string {
    return this.titlesText.slice(this.titleStart[i], this.titleStart[i + 1]);
  }

  titleLength(i: number): number {
    return this.titleStart[i + 1] - this.titleStart[i];
  }

  billable(i: number): boolean {
    return (this.flags[i] & BILLABLE) !== 0;
  }

  /** Whether a record can be coded: billable, a category header (needs more characters), or discontinued. */
  status(i: number): CodeStatus {
    const f = this.flags[i];
    return f & BILLABLE ? 'billable' : f & TERMINATED ? 'discontinued' : 'category';
  }

  terminated(i: number): string | undefined {
    return this.terminatedDates[i];
  }

  word(w: number): string {
    return this.wordsText.slice(this.wordTextStart[w], this.wordTextStart[w + 1]);
  }

  /** The length of word `w` (without slicing it). */
  wordLength(w: number): number {
    return this.wordTextStart[w + 1] - this.wordTextStart[w];
  }

  /** The record of a code in normal form, or -1. */
  find(code: string): number {
    const [lo, hi] = this.codePrefixRange(code, code.length);
    return lo < hi ? this.byCode[lo] : -1;
  }

  /** Positions in `byCode` of the codes of length `length` that start with `prefix`. */
  codePrefixRange(prefix: string, length: number): [number, number] {
    if (length >= this.lengthStart.length - 1) return [0, 0];
    const start = this.lengthStart[length];
    const end = this.lengthStart[length + 1];
    // Codes of one length sharing a prefix are contiguous; '~' sorts after every code character.
    const lo = this.lowerCode(prefix, start, end);
    return [lo, this.lowerCode(prefix + '~', lo, end)];
  }

  private lowerCode(prefix: string, lo: number, hi: number): number {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.code(this.byCode[mid]) < prefix) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The record at position `p` of the code order (for walking a `codePrefixRange`). */
  byCodeAt(p: number): number {
    return this.byCode[p];
  }

  /** Record ids whose code starts with `prefix`, shorter codes first, then by character; at most `limit`. */
  codesWithPrefix(prefix: string, limit: number): number[] {
    const hits: number[] = [];
    for (let len = prefix.length; len < this.lengthStart.length - 1 && hits.length < limit; len++) {
      const [lo, hi] = this.codePrefixRange(prefix, len);
      for (let p = lo; p < hi && hits.length < limit; p++) hits.push(this.byCode[p]);
    }
    return hits;
  }

  /** Whether any code is longer than `code` and starts with it (a category with subcodes). */
  hasSubcodes(code: string): boolean {
    for (let len = code.length + 1; len < this.lengthStart.length - 1; len++) {
      const [lo, hi] = this.codePrefixRange(code, len);
      if (lo < hi) return true;
    }
    return false;
  }

  /** The range [lo, hi) of word ids starting with `prefix` (words are sorted). */
  wordRange(prefix: string): [number, number] {
    let lo = 0;
    let hi = this.wordCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.word(mid) < prefix) lo = mid + 1;
      else hi = mid;
    }
    const first = lo;
    hi = this.wordCount;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.word(mid).startsWith(prefix)) lo = mid + 1;
      else hi = mid;
    }
    return [first, lo];
  }

  /** The id of the title word `word`, or -1. */
  wordId(word: string): number {
    const [lo, hi] = this.wordRange(word);
    return lo < hi && this.word(lo) === word ? lo : -1;
  }

  /** Whether record `i`'s title has the word `id` (a record's word ids are sorted). */
  hasWord(i: number, id: number): boolean {
    const ids = this.recordWords;
    for (let p = this.wordStart[i], end = this.wordStart[i + 1]; p < end; p++) if (ids[p] >= id) return ids[p] === id;
    return false;
  }

  modifier(code: string): ModifierRecord | undefined {
    this.modifierMap ??= new Map(this.modifiers.map((m) => [m.code, m]));
    return this.modifierMap.get(code.trim().toUpperCase());
  }

  deletedCode(code: string): DeletedCode | undefined {
    this.deletedMap ??= new Map(this.deleted.map((d) => [d.code, d]));
    return this.deletedMap.get(code);
  }
}

/** The damage found in a stored set's bytes (thrown by the constructor; the store names the file). */
export class DamagedCodeSet extends Error {}

/** The header, after checking the magic number, the header's length and every section's bounds. */
function readHeader(bytes: Uint8Array, view: DataView): Header {
  if (bytes.byteLength < 8 || view.getUint32(0, true) !== MAGIC) throw new DamagedCodeSet('not a Casebook code-set file');
  const headerLength = view.getUint32(4, true);
  if (8 + headerLength > bytes.byteLength) throw new DamagedCodeSet(`cut short: ${bytes.byteLength} bytes, less than its own header says`);
  let header: Header;
  try {
    header = JSON.parse(decoder.decode(bytes.subarray(8, 8 + headerLength))) as Header;
  } catch {
    throw new DamagedCodeSet('its header is damaged');
  }
  if (typeof header !== 'object' || header === null) throw new DamagedCodeSet('its header is damaged');
  if (header.format !== FORMAT) throw new DamagedCodeSet(`code-set file format ${String(header.format)} is not supported (expected ${FORMAT})`);
  const whole = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0;
  if (!whole(header.count) || !whole(header.wordCount) || typeof header.sections !== 'object' || header.sections === null)
    throw new DamagedCodeSet('its header is damaged');
  const bodyStart = align4(8 + headerLength);
  let end = 0;
  for (const name of SECTION_NAMES) {
    const bounds = header.sections[name];
    if (!Array.isArray(bounds) || !whole(bounds[0]) || !whole(bounds[1])) throw new DamagedCodeSet(`its header lacks the ${name} section`);
    const [offset, length] = bounds;
    if (bodyStart + offset + length > bytes.byteLength) {
      throw new DamagedCodeSet(`cut short: ${bytes.byteLength} bytes, but its ${name} section ends at byte ${bodyStart + offset + length}`);
    }
    if (U32_SECTIONS.includes(name) && (offset % 4 !== 0 || length % 4 !== 0)) throw new DamagedCodeSet(`its ${name} section is misaligned`);
    end = Math.max(end, align4(offset + length));
  }
  if (header.checksum !== undefined) {
    const body = bytes.subarray(bodyStart, bodyStart + end);
    if (bytes.byteLength !== bodyStart + end) throw new DamagedCodeSet(`${bytes.byteLength} bytes where ${bodyStart + end} were written`);
    if (bodyChecksum(body) !== header.checksum) throw new DamagedCodeSet('its checksum does not match: the file was changed or damaged');
  }
  return header;
}

/** Section sizes that must agree with the counts, so no look-up reads past an array. */
function checkShape(set: CodeSet, header: Header): void {
  const sizes: Array<[string, number, number]> = [
    ['flags', set.flags.length, header.count],
    ['byCode', (header.sections.byCode[1] / 4) | 0, header.count],
    ['codeStart', (header.sections.codeStart[1] / 4) | 0, header.count + 1],
    ['titleStart', (header.sections.titleStart[1] / 4) | 0, header.count + 1],
    ['wordStart', set.wordStart.length, header.count + 1],
    ['postingStart', set.postingStart.length, header.wordCount + 1],
    ['wordTextStart', (header.sections.wordTextStart[1] / 4) | 0, header.wordCount + 1],
  ];
  for (const [name, actual, expected] of sizes) {
    if (actual !== expected) throw new DamagedCodeSet(`its ${name} section holds ${actual} entries, not ${expected}`);
  }
}
