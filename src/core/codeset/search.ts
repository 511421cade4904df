// Ranked search over loaded code sets: by code prefix (with or without the dot) and by word
// prefixes of the title in any order. Ranking: the exact code, then codes starting with the query
// (shorter first, then by character), then titles matching every word, in the stored rank order
// (billable, then category headers, then discontinued codes; shorter titles first).
import type { CodeSystem } from '../model';
import { CODE_SYSTEMS } from '../model';
import { STATUS_RANK, type CodeSet } from './codeSet';
import { titleWords } from './text';

export interface CodeHit {
  /** The usual printed form (ICD-10-CM with its dot). */
  code: string;
  system: CodeSystem;
  year: number;
  title: string;
  billable: boolean;
  /** A category header: the UI says "E11.6 needs more characters". */
  needsMoreCharacters?: boolean;
  /** A discontinued code: its last valid date. */
  terminated?: string;
}

export interface SearchOptions {
  limit?: number;
}

const CODE_QUERY = /^[A-Z0-9]{1,7}$/;

/** Searches the given sets (typically the latest year of each system) and merges their hits. */
export function searchCodeSets(sets: CodeSet[], query: string, options: SearchOptions = {}): CodeHit[] {
  const limit = options.limit ?? 20;
  if (limit <= 0) return [];
  const trimmed = query.trim().toUpperCase();
  const codeQuery = trimmed.replace('.', '');
  // A dot marks an ICD-10-CM code; without one, J1100 may be HCPCS or ICD-10-CM J11.00.
  const codeSets = trimmed.includes('.') ? sets.filter((s) => s.system === 'ICD-10-CM') : sets;
  const candidates: { set: CodeSet; record: number; key: [number, number, number, string] }[] = [];
  if (CODE_QUERY.test(codeQuery)) {
    for (const set of codeSets) {
      // Exact codes first, then one system's codes together, shorter before longer, then by character.
      const systemOrder = CODE_SYSTEMS.indexOf(set.system);
      for (const record of set.codesWithPrefix(codeQuery, limit)) {
        const exact = set.codeLength(record) === codeQuery.length ? 0 : 1;
        candidates.push({ set, record, key: [exact, systemOrder, set.codeLength(record), set.code(record)] });
      }
    }
  }
  const words = [...new Set(titleWords(query))];
  if (words.length > 0) {
    for (const set of sets) {
      for (const record of titleSearch(set, words, limit)) {
        candidates.push({ set, record, key: [2 + STATUS_RANK[set.status(record)], set.titleLength(record), record, ''] });
      }
    }
  }
  candidates.sort((a, b) => compareKeys(a.key, b.key));
  const seen = new Set<string>();
  const hits: CodeHit[] = [];
  for (const { set, record } of candidates) {
    const id = `${set.system}|${set.year}|${record}`;
    if (seen.has(id)) continue;
    seen.add(id);
    hits.push(hitOf(set, record));
    if (hits.length >= limit) break;
  }
  return hits;
}

function compareKeys(a: [number, number, number, string], b: [number, number, number, string]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2] || (a[3] < b[3] ? -1 : a[3] > b[3] ? 1 : 0);
}

export function hitOf(set: CodeSet, record: number): CodeHit {
  const hit: CodeHit = { code: set.displayCode(record), system: set.system, year: set.year, title: set.title(record), billable: set.billable(record) };
  const status = set.status(record);
  if (status === 'category') hit.needsMoreCharacters = true;
  const end = set.terminated(record);
  if (end && status === 'discontinued') hit.terminated = end;
  return hit;
}

/** Above this many postings a single word's prefix range is not gathered and sorted; records are scanned in rank order instead. */
const GATHER_LIMIT = 4096;

/**
 * Records whose title has, for every query word, some word starting with it; the first `limit`
 * in rank order. Each query word is a range of word ids (words are sorted, so a prefix is a range).
 * Walk the rarest word's postings (already in rank order), checking the other words on the
 * record's own sorted word ids, and stop after `limit` hits. When matches are sparse that walk can
 * be long, so it has a budget: the cost of counting, per record, how many query words it has over
 * every word's postings; past the budget it counts instead. Either way the cost stays bounded.
 */
export function titleSearch(set: CodeSet, words: string[], limit: number): number[] {
  const ranges = words.slice(0, 250).map((w) => set.wordRange(w));
  const counts = ranges.map(([lo, hi]) => set.postingStart[hi] - set.postingStart[lo]);
  if (counts.some((c) => c === 0)) return [];
  let rarest = 0;
  for (let j = 1; j < ranges.length; j++) if (counts[j] < counts[rarest]) rarest = j;
  const rarestCount = counts[rarest];
  const [lo, hi] = ranges[rarest];
  const others = ranges.filter((_, j) => j !== rarest);

  const budget = counts.reduce((a, b) => a + b, 0) + set.count / 8;
  // A short prefix matching many words: rather than gather and sort their postings, walk the
  // records in rank order (matches are dense, so hits come soon) within the same budget.
  if (hi - lo > 1 && (rarestCount > GATHER_LIMIT || rarestCount * 4 > budget)) {
    return scanInRankOrder(set, ranges, limit, budget) ?? countInRankOrder(set, ranges, limit);
  }

  // One word's list is already in rank order; several are gathered and sorted.
  let candidates = set.postings.subarray(set.postingStart[lo], set.postingStart[hi]);
  if (hi - lo > 1) candidates = candidates.slice().sort();
  const perCandidate = 1 + 3 * others.length;
  let work = 0;
  const hits: number[] = [];
  let previous = -1;
  for (let p = 0; p < candidates.length && hits.length < limit; p++) {
    const record = candidates[p];
    if (record === previous) continue;
    previous = record;
    if ((work += perCandidate) > budget) return countInRankOrder(set, ranges, limit);
    if (others.every(([a, b]) => hasWordIn(set, record, a, b))) hits.push(record);
  }
  return hits;
}

/** Checks every record in rank order; undefined when that goes past the budget. */
function scanInRankOrder(set: CodeSet, ranges: [number, number][], limit: number, budget: number): number[] | undefined {
  const hits: number[] = [];
  const perRecord = 3 * ranges.length;
  let work = 0;
  for (let record = 0; record < set.count && hits.length < limit; record++) {
    if ((work += perRecord) > budget) return undefined;
    if (ranges.every(([a, b]) => hasWordIn(set, record, a, b))) hits.push(record);
  }
  return hits;
}

const scratch = new WeakMap<CodeSet, Uint8Array>();

/** Counts the query words of each record over all postings (a record counts once per query word). */
function countInRankOrder(set: CodeSet, ranges: [number, number][], limit: number): number[] {
  let counts = scratch.get(set);
  if (!counts) scratch.set(set, (counts = new Uint8Array(set.count)));
  counts.fill(0);
  const { postings, postingStart } = set;
  for (let j = 0; j < ranges.length; j++) {
    const [lo, hi] = ranges[j];
    for (let p = postingStart[lo], end = postingStart[hi]; p < end; p++) {
      const record = postings[p];
      if (counts[record] === j) counts[record] = j + 1;
    }
  }
  const all = ranges.length;
  const hits: number[] = [];
  for (let record = 0; record < set.count && hits.length < limit; record++) if (counts[record] === all) hits.push(record);
  return hits;
}

/** Whether the record's title has a word whose id is in [lo, hi). Its word ids are sorted. */
function hasWordIn(set: CodeSet, record: number, lo: number, hi: number): boolean {
  const ids = set.recordWords;
  for (let p = set.wordStart[record], end = set.wordStart[record + 1]; p < end; p++) {
    const id = ids[p];
    if (id >= lo) return id < hi;
  }
  return false;
}
