// Where a key's evidence phrases occur in a note: used by the pack check, grading and Show Evidence.
//
// A phrase matches case-insensitively, any run of white space in it matching any run of white space
// in the note; its first word may end a note word and its last word may begin one (so "tion of" is
// found in "infection of"). The note is split into words once (EvidenceIndex) and each phrase is
// looked up from its rarest inner word, so checking thousands of phrases in a 1 MB note stays fast.

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
    const places = parts.length === 1 ? this.findInWords(parts[0]) : this.findAcrossWords(parts);
    // Like a regular-expression scan: each match starts after the previous one ends.
    const out: Place[] = [];
    for (const p of places) if (out.length === 0 || p.start >= out[out.length - 1].end) out.push(p);
    return out;
  }

  /** A single word: anywhere in the note (it holds no white space, so it never spans two words). */
  private findInWords(part: string): Place[] {
    this.foldedBody ??= fold(this.body);
    const places: Place[] = [];
    for (let at = this.foldedBody.indexOf(part); at >= 0; at = this.foldedBody.indexOf(part, at + part.length)) {
      places.push({ start: at, end: at + part.length });
    }
    return places;
  }

  private findAcrossWords(parts: string[]): Place[] {
    const k = parts.length;
    // Where the phrase could start, from its rarest part: an inner word (exact), the words its last
    // part begins, or the words its first part ends.
    let starts: number[] | undefined;
    for (let m = 1; m < k - 1; m++) {
      const at = this.byText.get(parts[m]) ?? [];
      if (!starts || at.length < starts.length) starts = at.map((i) => i - m);
    }
    const limit = starts?.length ?? Infinity;
    const byLast = this.wordsBeginningWith(parts[k - 1], limit);
    if (byLast && (!starts || byLast.length < starts.length)) starts = byLast.map((i) => i - (k - 1));
    const byFirst = this.wordsEndingWith(parts[0], starts?.length ?? Infinity);
    if (byFirst && (!starts || byFirst.length < starts.length)) starts = byFirst;
    const places: Place[] = [];
    for (const j of (starts ?? []).sort((a, b) => a - b)) {
      if (j < 0 || j + k > this.words.length) continue;
      const first = this.words[j];
      const last = this.words[j + k - 1];
      if (!first.text.endsWith(parts[0]) || !last.text.startsWith(parts[k - 1])) continue;
      let inner = true;
      for (let m = 1; m < k - 1 && inner; m++) inner = this.words[j + m].text === parts[m];
      if (inner) places.push({ start: first.end - parts[0].length, end: last.start + parts[k - 1].length });
    }
    return places;
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
    const out: number[] = [];
    for (let i = lo; i < sorted.length && sorted[i].startsWith(prefix); i++) {
      out.push(...this.byText.get(toText(sorted[i]))!);
      if (out.length > limit) return undefined;
    }
    return out;
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
