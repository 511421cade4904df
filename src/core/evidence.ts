// Where a key's evidence phrases occur in a note: used by the pack check, grading and Show Evidence.
//
// A phrase matches case-insensitively, any run of white space in it matching any run of white space
// in the note; its first word may end a note word and its last word may begin one (so "tion of" is
// found in "infection of"). The note is split into words once (EvidenceIndex) and each phrase is
// looked up from its rarest inner word, so checking thousands of phrases in a 1 MB note stays fast.

/** Places kept per phrase: evidence is a few words of a note, not a word that fills it. */
export const MAX_PLACES = 200;
/** Candidate places examined per phrase, so no phrase can make a check crawl (docs/formats.md). */
const MAX_CANDIDATES = 50_000;

export interface Place {
  start: number;
  end: number;
}

interface Word {
  start: number;
  end: number;
  /** The word folded for comparison (same length as the note's text). */
  text: string;
}

/** Lower case, code point by code point, where that keeps the length (offsets must stay the note's). */
function fold(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length === text.length) return lower;
  let out = '';
  for (const ch of text) {
    const l = ch.toLowerCase();
    out += l.length === ch.length ? l : ch;
  }
  return out;
}

/** A note split into words, for finding many phrases in it. */
export class EvidenceIndex {
  private readonly words: Word[] = [];
  private readonly byText = new Map<string, number[]>();
  private sortedTexts?: string[];
  private sortedReversed?: string[];
  private foldedBody?: string;

  constructor(readonly body: string) {
    for (const m of body.matchAll(/\S+/g)) {
      const i = this.words.length;
      const text = fold(m[0]);
      this.words.push({ start: m.index, end: m.index + m[0].length, text });
      const list = this.byText.get(text);
      if (list) list.push(i);
      else this.byText.set(text, [i]);
    }
  }

  /** Places (UTF-16 [start, end) in the body) of the phrase, in order, not overlapping. */
  find(phrase: string): Place[] {
    const parts = fold(phrase).split(/\s+/).filter(Boolean);
    if (parts.length === 0) return [];
    return parts.length === 1 ? this.findInWords(parts[0]) : this.findAcrossWords(parts);
  }

  /** A single word: anywhere in the note (it holds no white space, so it never spans two words). */
  private findInWords(part: string): Place[] {
    this.foldedBody ??= fold(this.body);
    const places: Place[] = [];
    for (let at = this.foldedBody.indexOf(part); at >= 0 && places.length < MAX_PLACES; at = this.foldedBody.indexOf(part, at + part.length)) {
      places.push({ start: at, end: at + part.length });
    }
    return places;
  }

  private findAcrossWords(parts: string[]): Place[] {
    const k = parts.length;
    // Where the phrase could start, from its rarest part: an inner word (exact), the words its last
    // part begins, or the words its first part ends.
    let inner = -1;
    for (let m = 1; m < k - 1; m++) {
      if (inner < 0 || this.count(parts[m]) < this.count(parts[inner])) inner = m;
    }
    const limit = inner < 0 ? Infinity : this.count(parts[inner]);
    // Candidate words and where the phrase would start relative to them (lists come sorted).
    let anchor: { at: number[]; shift: number } | undefined;
    const byLast = this.wordsBeginningWith(parts[k - 1], limit);
    if (byLast) anchor = { at: byLast, shift: k - 1 };
    const byFirst = anchor?.at.length === 0 ? undefined : this.wordsEndingWith(parts[0], anchor ? anchor.at.length - 1 : limit);
    if (byFirst) anchor = { at: byFirst, shift: 0 };
    anchor ??= { at: this.byText.get(parts[inner]) ?? [], shift: inner };
    const places: Place[] = [];
    // Bounded: a phrase made only of words that fill the note is looked for in its first places only.
    for (const i of anchor.at.length > MAX_CANDIDATES ? anchor.at.slice(0, MAX_CANDIDATES) : anchor.at) {
      if (places.length >= MAX_PLACES) break;
      const j = i - anchor.shift;
      if (j < 0 || j + k > this.words.length) continue;
      const first = this.words[j];
      const last = this.words[j + k - 1];
      if (!first.text.endsWith(parts[0]) || !last.text.startsWith(parts[k - 1])) continue;
      let same = true;
      for (let m = 1; m < k - 1 && same; m++) same = this.words[j + m].text === parts[m];
      const start = first.end - parts[0].length;
      // Like a regular-expression scan: each match starts after the previous one ends.
      if (same && (places.length === 0 || start >= places[places.length - 1].end)) places.push({ start, end: last.start + parts[k - 1].length });
    }
    return places;
  }

  private count(word: string): number {
    return this.byText.get(word)?.length ?? 0;
  }

  /** Indexes of the words that end with `suffix`, or undefined when there are more than `limit`. */
  private wordsEndingWith(suffix: string, limit: number): number[] | undefined {
    this.sortedReversed ??= [...this.byText.keys()].map(reverse).sort();
    return this.collect(this.sortedReversed, reverse(suffix), limit, reverse);
  }

  /** Indexes of the words that begin with `prefix`, or undefined when there are more than `limit`. */
  private wordsBeginningWith(prefix: string, limit: number): number[] | undefined {
    this.sortedTexts ??= [...this.byText.keys()].sort();
    return this.collect(this.sortedTexts, prefix, limit, (t) => t);
  }

  /** The word indexes of every sorted key starting with `prefix` (binary search), up to `limit`. */
  private collect(sorted: string[], prefix: string, limit: number, toText: (key: string) => string): number[] | undefined {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    const lists: number[][] = [];
    let total = 0;
    for (let i = lo; i < sorted.length && sorted[i].startsWith(prefix); i++) {
      const at = this.byText.get(toText(sorted[i]))!;
      total += at.length;
      if (total > limit) return undefined;
      lists.push(at);
    }
    // One list is in note order already; several are merged into note order.
    return lists.length === 1 ? lists[0] : lists.flat().sort((a, b) => a - b);
  }
}

/** A string's UTF-16 units in reverse order (only ever compared with other reversed strings). */
function reverse(text: string): string {
  let out = '';
  for (let i = text.length - 1; i >= 0; i--) out += text[i];
  return out;
}

// The last note indexed: the pack check and the grader look up every phrase of a key in one note.
let lastIndex: EvidenceIndex | undefined;

/** Places (UTF-16 [start,end) in note.body) where an evidence phrase occurs; see the top of this file. */
export function findEvidence(body: string, phrase: string): Place[] {
  if (lastIndex?.body !== body) lastIndex = new EvidenceIndex(body);
  return lastIndex.find(phrase);
}
