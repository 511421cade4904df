// Ranked search over loaded code sets: the one search behind the tag quick pick, Find Code and
// `casebook codes search`. A query is a code (prefix, with or without the dot) or words. Words are
// read as a coder types them: abbreviations, lay terms and drug names expand to the title words
// they stand for (the typed words are still searched as written), a misspelt word of five or more
// letters that matches nothing matches the nearest title words, and stop words are dropped while
// with/without/due to only rank. Ranking (docs/decisions.md): the usual code of a term searched
// alone, then index entries, then titles by how well they match, billable first, initial encounter
// before subsequent and sequela, fewest title words the query did not ask for, shorter titles.
import type { CodeSystem } from '../model';
import { CODE_SYSTEMS } from '../model';
import { STATUS_RANK, type CodeSet } from './codeSet';
import { titleWords } from './text';
import { type Expansion, RANKING_WORDS, STOP_WORDS, type Vocabulary, shippedVocabulary, singular, termKey } from './terms';
import { type IndexHitInfo, type LoadedIndex, searchIndexes } from './indexTables';
import { NEUTRAL_WORDS, encounterOf } from './rank';

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
  /** How the query reached this code when not by its own words: "htn → hypertension", "pnuemonia → pneumonia". */
  via?: string;
  /** Found through an ICD-10-CM index table: which, the index path and the code it gives. */
  index?: IndexHitInfo;
  /** A HCPCS drug or supply: the amount one unit is, from the descriptor ("per 15 mg"). */
  dose?: string;
}

export interface SearchOptions {
  limit?: number;
  /** The terms to expand; the shipped vocabulary by default. */
  vocabulary?: Vocabulary;
  /** Index tables to search too (Drugs, Neoplasms, External Causes). */
  indexes?: LoadedIndex[];
}

const CODE_QUERY = /^[A-Z0-9]{1,7}$/;
/** Title matches gathered per alternative reading of the query, before ranking. */
const CANDIDATES = 60;
/** At most this many readings (choices of literal or expansion per term) are searched. */
const MAX_READINGS = 24;
const LATERALITY = new Set(['right', 'left', 'bilateral']);

/** Searches the given sets (typically the latest year of each system) and merges their hits. */
export function searchCodeSets(sets: CodeSet[], query: string, options: SearchOptions = {}): CodeHit[] {
  const limit = options.limit ?? 20;
  if (limit <= 0) return [];
  const trimmed = query.trim().toUpperCase();
  const codeQuery = trimmed.replace('.', '');
  // A dot marks an ICD-10-CM code; without one, J1100 may be HCPCS or ICD-10-CM J11.00.
  const codeSets = trimmed.includes('.') ? sets.filter((s) => s.system === 'ICD-10-CM') : sets;
  const hits: CodeHit[] = [];
  const seen = new Set<string>();
  const add = (hit: CodeHit) => {
    const id = `${hit.system}|${hit.code}`;
    if (seen.has(id) || hits.length >= limit) return;
    seen.add(id);
    hits.push(hit);
  };
  if (CODE_QUERY.test(codeQuery)) {
    // Exact codes first, then one system's codes together, shorter before longer, then by character.
    const byCode: { set: CodeSet; record: number; key: [number, number, number, string] }[] = [];
    for (const set of codeSets) {
      const systemOrder = CODE_SYSTEMS.indexOf(set.system);
      for (const record of set.codesWithPrefix(codeQuery, limit)) {
        byCode.push({ set, record, key: [set.codeLength(record) === codeQuery.length ? 0 : 1, systemOrder, set.codeLength(record), set.code(record)] });
      }
    }
    byCode.sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2] || (a.key[3] < b.key[3] ? -1 : a.key[3] > b.key[3] ? 1 : 0));
    for (const { set, record } of byCode) add(hitOf(set, record));
  }
  if (hits.length < limit) for (const hit of wordSearch(sets, query, limit, options)) add(hit);
  return hits;
}

export function hitOf(set: CodeSet, record: number): CodeHit {
  const hit: CodeHit = { code: set.displayCode(record), system: set.system, year: set.year, title: set.title(record), billable: set.billable(record) };
  const status = set.status(record);
  if (status === 'category') hit.needsMoreCharacters = true;
  const end = set.terminated(record);
  if (end && status === 'discontinued') hit.terminated = end;
  if (set.system === 'HCPCS') {
    const dose = doseOf(hit.title);
    if (dose) hit.dose = dose;
  }
  return hit;
}

const DOSE = /\b((?:per |up to )?\d[\d,.]*\s?(?:mg|mcg|micrograms?|g|grams?|ml|cc|units?|meq|iu)\b)/gi;

/** The amount one unit of a HCPCS drug is, as its descriptor says it: the last amount in the title. */
export function doseOf(title: string): string | undefined {
  const all = title.match(DOSE);
  return all ? all[all.length - 1] : undefined;
}

// ---------------------------------------------------------------------------------------------
// Reading the query

/** One part of a query: a word or a phrase the vocabulary knows. Every part has every field (one object shape for the JIT). */
export interface QueryPart {
  /** The words as typed (normal form). */
  words: string[];
  /** What it stands for, when the vocabulary knows it. */
  expansion: Expansion | undefined;
  /** The misspelt word it was taken for ("pnuemonia" → "pneumonia" is found later, per set). */
  misspelt: boolean;
  /** with / without / due to: ranks titles that have it, never required. */
  ranking: boolean;
  /** right / left / bilateral and numbers: dropped when nothing matches with them. */
  relaxable: boolean;
}

function queryPart(words: string[], expansion: Expansion | undefined, ranking: boolean, relaxable: boolean): QueryPart {
  return { words, expansion, misspelt: false, ranking, relaxable };
}

/** Splits a query into parts: the longest phrases the vocabulary knows, else single words; stop words dropped. */
export function readQuery(query: string, vocabulary: Vocabulary = shippedVocabulary()): QueryPart[] {
  // Stop words go first, so "hx of dvt" reads as the term "hx dvt".
  const words = titleWords(query).filter((w) => !STOP_WORDS.has(w));
  const parts: QueryPart[] = [];
  for (let i = 0; i < words.length;) {
    let matched = false;
    for (let n = Math.min(vocabulary.longest, words.length - i); n >= 1 && !matched; n--) {
      const slice = words.slice(i, i + n);
      const expansion = vocabulary.get(termKey(slice));
      if (!expansion) continue;
      parts.push(queryPart(slice, expansion, false, false));
      i += n;
      matched = true;
    }
    if (matched) continue;
    const word = words[i++];
    if (word === 'due' && words[i] === 'to') {
      parts.push(queryPart(['due', 'to'], undefined, true, false));
      i++;
    } else if (RANKING_WORDS.has(word)) parts.push(queryPart([word], undefined, true, false));
    else parts.push(queryPart([word], undefined, false, LATERALITY.has(word) || /^\d+$/.test(word)));
  }
  return parts;
}

// ---------------------------------------------------------------------------------------------
// Matching words of one set

/** A required word in one set: the word ids it may be (ranges), and how good a match is. */
interface Term {
  /** [lo, hi) pairs of word ids. */
  ranges: number[];
  /** The word id of an exact match, or -1. */
  exact: number;
  /** The quality when the record has no exact match: 0 best. */
  quality: number;
  /** The query part it belongs to. */
  part: number;
}

const PREFIX_QUALITY = 1;
const FUZZY_QUALITY = 2;
/** The typed letters of an abbreviation matching the start of a longer word (afib → afibrinogenemia). */
const ABBREVIATION_PREFIX_QUALITY = 3;

/** A typed word: every word starting with it (or with its singular when the plural starts none). */
function literalTerm(set: CodeSet, word: string, part: number, quality: number): Term | undefined {
  const [lo, hi] = set.wordRange(word);
  if (lo < hi) return { ranges: [lo, hi], exact: set.word(lo) === word ? lo : -1, quality, part };
  // A plural whose singular is a title word: "stones" finds "stone" (but "diabetis" is no plural of "diabeti").
  const one = singular(word) !== word ? set.wordId(singular(word)) : -1;
  return one >= 0 ? { ranges: [one, one + 1], exact: one, quality, part } : undefined;
}

function wholeTerm(set: CodeSet, word: string, part: number): Term | undefined {
  const id = set.wordId(word);
  return id >= 0 ? { ranges: [id, id + 1], exact: id, quality: 0, part } : undefined;
}

function expansionTerm(set: CodeSet, word: { text: string; prefix: boolean }, part: number): Term | undefined {
  if (word.prefix) {
    const [lo, hi] = set.wordRange(word.text);
    return lo < hi ? { ranges: [lo, hi], exact: -1, quality: 0, part } : undefined;
  }
  const id = set.wordId(word.text);
  return id >= 0 ? { ranges: [id, id + 1], exact: id, quality: 0, part } : undefined;
}

/** Title words within a small edit distance of a misspelt word (1 up to 7 letters, 2 from 8), same first letter. */
function fuzzyTerm(set: CodeSet, word: string, part: number): Term | undefined {
  const max = maxDistance(word);
  const [lo, hi] = set.wordRange(word[0]);
  const ranges: number[] = [];
  for (let id = lo; id < hi; id++) {
    if (Math.abs(set.wordLength(id) - word.length) > max) continue;
    if (editDistance(word, set.word(id), max) <= max) ranges.push(id, id + 1);
  }
  return ranges.length ? { ranges, exact: -1, quality: FUZZY_QUALITY, part } : undefined;
}

export function maxDistance(word: string): number {
  return word.length >= 8 ? 2 : 1;
}

/** Three rows reused by every distance computation (search runs one query at a time). */
let rows: Int32Array[] = [0, 1, 2].map(() => new Int32Array(64));

/** Optimal string alignment distance (a swap of neighbours counts one), or max + 1 once it is past `max`. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  if (rows[0].length < n + 1) rows = [0, 1, 2].map(() => new Int32Array(2 * (n + 1)));
  let [before, previous, current] = rows;
  for (let j = 0; j <= n; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let d = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
      current[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (rowMin > max) return max + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[n];
}

// ---------------------------------------------------------------------------------------------
// Word search

/**
 * One way of reading the query: per part, the literal words (-1), an expansion alternative (its
 * index), a ranking word (-2), or left out (-3: a relaxed side or number, or the one word no title
 * has with the others).
 */
type Reading = number[];
const LEFT_OUT = -3;
/** Leave-one-out readings are tried for queries of at most this many words (each one is a gather). */
const MAX_LEAVE_ONE_OUT = 6;

/** Every candidate has every field (one object shape for the JIT). */
interface Candidate {
  set: CodeSet;
  record: number;
  key: number[];
  literal: boolean;
  /** The reading that found it (described only for the hits shown). */
  reading: Reading | undefined;
  index: IndexHitInfo | undefined;
}

function wordSearch(sets: CodeSet[], query: string, limit: number, options: SearchOptions): CodeHit[] {
  const vocabulary = options.vocabulary ?? shippedVocabulary();
  const parts = readQuery(query, vocabulary);
  if (parts.every((p) => p.ranking || (p.expansion && p.expansion.means.every((m) => m.length === 0)))) return [];
  respell(sets, parts, vocabulary);
  let candidates = gather(sets, parts, new Set());
  const fromIndex = options.indexes?.length ? searchIndexes(options.indexes, sets, parts, limit) : [];
  const relaxed = new Set(parts.flatMap((p, i) => (p.relaxable ? [i] : [])));
  if (candidates.length === 0 && relaxed.size > 0) candidates = gather(sets, parts, relaxed);
  // No title has every word: the titles with all but one ("surgical dressing gauze" → the gauze
  // dressings, whose titles do not say surgical), each saying which word it lacks. The most common
  // word is left out first (it says least), and each word left out ranks after the one before.
  const required = parts.flatMap((p, i) => (p.ranking || relaxed.has(i) ? [] : [i]));
  if (candidates.length === 0 && fromIndex.length === 0 && required.length >= 3 && required.length <= MAX_LEAVE_ONE_OUT) {
    const byCommonness = required.map((i) => ({ i, titles: titlesWith(sets, parts[i]) })).sort((a, b) => b.titles - a.titles);
    byCommonness.forEach(({ i }, k) => {
      for (const c of gather(sets, parts, new Set([...relaxed, i]))) {
        c.key[0] += 3 * k; // past every tier (usual code 0, index 1, title 2) of the word left out before
        candidates.push(c);
      }
    });
  }
  for (const found of fromIndex) {
    // A close index entry ranks after the usual codes of an expanded term, before title matches;
    // a loose one (more words than asked for) among the title matches, as a prefix match would.
    const { set, record } = found;
    const key = found.strong
      ? [1, found.rank, 0, 0, 0, 0, 0]
      : [2, PREFIX_QUALITY, STATUS_RANK[set.status(record)], encounterOf(set, record), found.extra, set.titleLength(record), record];
    candidates.push({ set, record, key, literal: true, reading: undefined, index: found.info });
  }
  candidates.sort((a, b) => compareKeys(a.key, b.key));
  const best = new Map<number, Candidate>();
  const ordered: Candidate[] = [];
  for (const c of candidates) {
    const id = sets.indexOf(c.set) * 0x1000000 + c.record; // a number, not a string per candidate
    const earlier = best.get(id);
    if (earlier) {
      earlier.index ??= c.index;
      earlier.literal ||= c.literal;
      continue;
    }
    best.set(id, c);
    ordered.push(c);
  }
  // An expansion never hides the titles that match the words as typed: keep the best of them in view.
  const shown = ordered.slice(0, limit);
  const slots = limit >= 10 ? 2 : limit >= 5 ? 1 : 0;
  if (ordered.length > limit && slots > 0 && !shown.some((c) => c.literal)) {
    const literal = ordered.filter((c) => c.literal).slice(0, slots);
    shown.splice(limit - literal.length, literal.length, ...literal);
  }
  return shown.map((c) => {
    const hit = hitOf(c.set, c.record);
    const via = c.reading && describeReading(parts, c.reading);
    if (via) hit.via = via;
    if (c.index) hit.index = c.index;
    return hit;
  });
}

function compareKeys(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/**
 * A word of five or more letters that starts no title word in any set and is no known term is
 * misspelt: a known term within the edit distance takes its place, else it matches nearby title words.
 */
function respell(sets: CodeSet[], parts: QueryPart[], vocabulary: Vocabulary): void {
  for (const part of parts) {
    if (part.expansion || part.ranking || part.words.length !== 1) continue;
    const word = part.words[0];
    if (word.length < 5 || /\d/.test(word)) continue;
    if (sets.some((set) => literalTerm(set, word, 0, 0))) continue;
    const max = maxDistance(word);
    const known = vocabulary.singleWords.find((k) => k[0] === word[0] && editDistance(word, k, max) <= max);
    if (known) part.expansion = vocabulary.get(known);
    part.misspelt = true;
  }
}

/** How many titles have the part's words as typed (each word counted alone): how common it is. */
function titlesWith(sets: CodeSet[], part: QueryPart): number {
  let n = 0;
  for (const set of sets) for (const w of part.words) if (!STOP_WORDS.has(w)) n += postingCount(set, set.wordRange(w));
  return n;
}

function readings(parts: QueryPart[], leftOut: ReadonlySet<number>): Reading[] {
  let all: Reading[] = [[]];
  for (const [p, part] of parts.entries()) {
    const options: number[] = [];
    if (leftOut.has(p)) options.push(LEFT_OUT);
    else if (part.ranking) options.push(-2);
    else {
      if (!part.misspelt || !part.expansion) options.push(-1);
      part.expansion?.means.forEach((_, i) => options.push(i));
    }
    const next: Reading[] = [];
    for (const r of all) for (const o of options) if (next.length < MAX_READINGS) next.push([...r, o]);
    all = next;
  }
  return all;
}

const neutralIds = new WeakMap<CodeSet, { neutral: Set<number>; ranking: Map<string, number> }>();

/** Word ids a title may have for free, and the ids of the ranking words, per set. */
function wordClasses(set: CodeSet): { neutral: Set<number>; ranking: Map<string, number> } {
  let classes = neutralIds.get(set);
  if (!classes) {
    const neutral = new Set<number>();
    for (const w of NEUTRAL_WORDS) {
      const id = set.wordId(w);
      if (id >= 0) neutral.add(id);
    }
    const ranking = new Map<string, number>();
    for (const w of RANKING_WORDS) ranking.set(w, set.wordId(w));
    neutralIds.set(set, (classes = { neutral, ranking }));
  }
  return classes;
}

/** Title matches of every reading in every set, each with its rank key. */
function gather(sets: CodeSet[], parts: QueryPart[], leftOut: ReadonlySet<number>): Candidate[] {
  const out: Candidate[] = [];
  const all = readings(parts, leftOut);
  for (const set of sets) {
    const classes = wordClasses(set);
    const soft = parts
      .filter((p) => p.ranking)
      .map((p) => classes.ranking.get(p.words[0]) ?? -1)
      .filter((id) => id >= 0);
    // Terms per part and choice, built once per set.
    const cache = new Map<number, Term[] | null>();
    const termsFor = (p: number, choice: number): Term[] | null => {
      const cacheKey = p * 1024 + choice + 3; // choice ≥ -3
      if (cache.has(cacheKey)) return cache.get(cacheKey)!;
      const part = parts[p];
      let terms: Term[] | null = [];
      if (choice === -1) {
        const quality = part.expansion ? ABBREVIATION_PREFIX_QUALITY : PREFIX_QUALITY;
        for (const w of part.words) {
          if (STOP_WORDS.has(w)) continue;
          // A letter or two of an abbreviation (the n and v of n/v) is a whole word, not every word it starts.
          const whole = part.expansion && w.length < 3;
          const t = part.misspelt ? fuzzyTerm(set, w, p) : whole ? wholeTerm(set, w, p) : literalTerm(set, w, p, quality);
          if (!t) {
            terms = null;
            break;
          }
          terms.push(t);
        }
      } else if (choice >= 0) {
        for (const w of part.expansion!.means[choice]) {
          const t = expansionTerm(set, w, p);
          if (!t) {
            terms = null;
            break;
          }
          terms.push(t);
        }
      }
      cache.set(cacheKey, terms);
      return terms;
    };
    for (const reading of all) {
      const terms: Term[] = [];
      let possible = true;
      reading.forEach((choice, p) => {
        const t = possible ? termsFor(p, choice) : null;
        if (t === null) possible = false;
        else terms.push(...t);
      });
      if (!possible) continue;
      const literal = reading.every((c) => c < 0);
      // The usual code of an expanded term, when its record has every other word asked for.
      reading.forEach((choice, p) => {
        const expansion = parts[p].expansion;
        if (choice < 0 || !expansion) return;
        const others = terms.filter((t) => t.part !== p);
        expansion.codes.forEach(({ system, code }, order) => {
          if (system !== set.system) return;
          const record = set.find(code);
          if (record < 0 || !others.every((t) => hasWordIn(set, record, t.ranges))) return;
          out.push({ set, record, key: [0, order, 0, 0, 0, 0, record], literal: false, reading, index: undefined });
        });
      });
      if (terms.length === 0) continue;
      const ranges: number[][] = [];
      for (const t of terms) ranges.push(t.ranges);
      for (const record of matchRecords(set, ranges, CANDIDATES)) {
        out.push({ set, record, key: rankKey(set, record, terms, classes.neutral, soft), literal, reading, index: undefined });
      }
    }
  }
  return out;
}

function describeReading(parts: QueryPart[], reading: Reading): string | undefined {
  const said: string[] = [];
  reading.forEach((choice, p) => {
    const part = parts[p];
    if (choice >= 0 && part.expansion)
      said.push(`${part.words.join(' ')} → ${part.expansion.means[choice].map((w) => w.text + (w.prefix ? '…' : '')).join(' ')}`);
    else if (choice === -1 && part.misspelt) said.push(`${part.words[0]} → similar spelling`);
    else if (choice === LEFT_OUT && !part.relaxable) said.push(`without “${part.words.join(' ')}”`);
  });
  return said.length ? said.join(', ') : undefined;
}

/** [tier, match quality, status, encounter, extra words, title length, record]: lower is better. */
function rankKey(set: CodeSet, record: number, terms: Term[], neutral: Set<number>, soft: number[]): number[] {
  // Loops, not closures or temporary arrays: this runs for every candidate of every reading.
  let quality = 0;
  for (const t of terms) if (t.exact < 0 || !set.hasWord(record, t.exact)) quality += t.quality;
  let extra = 0;
  const ids = set.recordWords;
  for (let p = set.wordStart[record], end = set.wordStart[record + 1]; p < end; p++) {
    const id = ids[p];
    if (neutral.has(id)) continue;
    let asked = false;
    for (let k = 0; k < terms.length && !asked; k++) asked = inRanges(id, terms[k].ranges);
    if (!asked) extra++;
  }
  for (const id of soft) if (set.hasWord(record, id)) extra -= 2;
  return [2, quality, STATUS_RANK[set.status(record)], encounterOf(set, record), extra, set.titleLength(record), record];
}

function inRanges(id: number, ranges: number[]): boolean {
  for (let k = 0; k < ranges.length; k += 2) if (id >= ranges[k] && id < ranges[k + 1]) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Records with every term

/** Above this many postings a term's list is not gathered and sorted; records are scanned in rank order instead. */
const GATHER_LIMIT = 4096;

let gatherBuffer = new Uint32Array(GATHER_LIMIT);

/** Records whose title has, for every query word, some word starting with it; the first `limit` in rank order. */
export function titleSearch(set: CodeSet, words: string[], limit: number): number[] {
  const terms: number[][] = [];
  for (const w of words.slice(0, 250)) terms.push(set.wordRange(w));
  return matchRecords(set, terms, limit);
}

/**
 * Records whose title has, for every term, a word in one of its id ranges; the first `limit` in
 * rank order. Walk the rarest term's postings (in rank order when it is one word), checking the
 * other terms on the record's own sorted word ids, and stop after `limit` hits. When matches are
 * sparse that walk can be long, so it has a budget: the cost of counting, per record, how many
 * terms it has over every term's postings; past the budget it counts instead. Either way the cost
 * stays bounded.
 */
export function matchRecords(set: CodeSet, terms: number[][], limit: number): number[] {
  if (terms.length === 0) return [];
  // Arrays built by push, never by map/filter: every term list then has one elements kind, and the
  // optimised code of the helpers below is not thrown away each time a differently made one arrives.
  const counts: number[] = [];
  for (const r of terms) counts.push(postingCount(set, r));
  if (counts.includes(0)) return [];
  let rarest = 0;
  for (let j = 1; j < terms.length; j++) if (counts[j] < counts[rarest]) rarest = j;
  const rarestCount = counts[rarest];
  const ranges = terms[rarest];
  const others: number[][] = [];
  for (let j = 0; j < terms.length; j++) if (j !== rarest) others.push(terms[j]);
  const oneWord = ranges.length === 2 && ranges[1] - ranges[0] === 1;

  let budget = set.count / 8;
  for (const c of counts) budget += c;
  // A short prefix matching many words: rather than gather and sort their postings, walk the
  // records in rank order (matches are dense, so hits come soon) within the same budget.
  if (!oneWord && (rarestCount > GATHER_LIMIT || rarestCount * 4 > budget)) {
    return scanInRankOrder(set, terms, limit, budget) ?? countInRankOrder(set, terms, limit);
  }

  // One word's list is already in rank order; several are gathered and sorted.
  let candidates: Uint32Array;
  if (oneWord) candidates = set.postings.subarray(set.postingStart[ranges[0]], set.postingStart[ranges[1]]);
  else {
    // One reused buffer (a search runs synchronously, one at a time): a new typed array per call is
    // a new ArrayBuffer, and waiting for their sweeping made scavenges take 2–6 ms instead of 0.6.
    if (gatherBuffer.length < rarestCount) gatherBuffer = new Uint32Array(Math.max(rarestCount, 2 * gatherBuffer.length));
    candidates = gatherBuffer.subarray(0, rarestCount);
    let at = 0;
    for (let k = 0; k < ranges.length; k += 2) {
      const part = set.postings.subarray(set.postingStart[ranges[k]], set.postingStart[ranges[k + 1]]);
      candidates.set(part, at);
      at += part.length;
    }
    candidates.sort();
  }
  const perCandidate = 1 + 3 * others.length;
  let work = 0;
  const hits: number[] = [];
  let previous = -1;
  for (let p = 0; p < candidates.length && hits.length < limit; p++) {
    const record = candidates[p];
    if (record === previous) continue;
    previous = record;
    if ((work += perCandidate) > budget) return countInRankOrder(set, terms, limit);
    if (hasEvery(set, record, others)) hits.push(record);
  }
  return hits;
}

function postingCount(set: CodeSet, ranges: number[]): number {
  let n = 0;
  for (let k = 0; k < ranges.length; k += 2) n += set.postingStart[ranges[k + 1]] - set.postingStart[ranges[k]];
  return n;
}

/** Checks every record in rank order; undefined when that goes past the budget. */
function scanInRankOrder(set: CodeSet, terms: number[][], limit: number, budget: number): number[] | undefined {
  const hits: number[] = [];
  const perRecord = 3 * terms.length;
  let work = 0;
  for (let record = 0; record < set.count && hits.length < limit; record++) {
    if ((work += perRecord) > budget) return undefined;
    if (hasEvery(set, record, terms)) hits.push(record);
  }
  return hits;
}

const scratch = new WeakMap<CodeSet, Uint8Array>();

/** Counts the terms of each record over all postings (a record counts once per term). */
function countInRankOrder(set: CodeSet, terms: number[][], limit: number): number[] {
  let counts = scratch.get(set);
  if (!counts) scratch.set(set, (counts = new Uint8Array(set.count)));
  counts.fill(0);
  const { postings, postingStart } = set;
  const all = Math.min(terms.length, 250);
  for (let j = 0; j < all; j++) {
    const ranges = terms[j];
    for (let k = 0; k < ranges.length; k += 2) {
      for (let p = postingStart[ranges[k]], end = postingStart[ranges[k + 1]]; p < end; p++) {
        const record = postings[p];
        if (counts[record] === j) counts[record] = j + 1;
      }
    }
  }
  const hits: number[] = [];
  for (let record = 0; record < set.count && hits.length < limit; record++) if (counts[record] === all) hits.push(record);
  return hits;
}

/** Whether the record's title has, for every term, a word in one of its ranges. */
function hasEvery(set: CodeSet, record: number, terms: number[][]): boolean {
  for (let j = 0; j < terms.length; j++) if (!hasWordIn(set, record, terms[j])) return false;
  return true;
}

/** Whether the record's title has a word whose id is in one of the [lo, hi) ranges. Its word ids are sorted. */
export function hasWordIn(set: CodeSet, record: number, ranges: number[]): boolean {
  const ids = set.recordWords;
  const end = set.wordStart[record + 1];
  for (let k = 0; k < ranges.length; k += 2) {
    const lo = ranges[k];
    const hi = ranges[k + 1];
    for (let p = set.wordStart[record]; p < end; p++) {
      const id = ids[p];
      if (id >= lo) {
        if (id < hi) return true;
        break;
      }
    }
  }
  return false;
}
