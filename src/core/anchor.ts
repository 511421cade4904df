// Anchors: where a tag sits in the case note, and how it finds its text again when the note changes.
// Offsets are UTF-16 code units of the body string (what VS Code's offsetAt counts; CRLF counts 2).
import type { Anchor, Tag } from './model';

/** How much text either side of the quote an anchor remembers. */
export const CONTEXT_LENGTH = 32;
/** A near match must be at least this similar to the old quote (1 - edits / length). */
export const MIN_SIMILARITY = 0.75;
/** Context searched for near matches: this many characters of the prefix's end and of the suffix's start. */
const CONTEXT_PROBE = 12;
/**
 * Longer quotes are found again only where they occur exactly: a near-match search costs quote
 * length × window, so a selected page of text would freeze the editor. Not found, the tag is kept
 * as detached, as any other.
 */
export const NEAR_MATCH_MAX_QUOTE = 600;

export function makeAnchor(body: string, start: number, end: number): Anchor {
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end < start || end > body.length) {
    throw new RangeError(`anchor ${start}..${end} is outside the note (length ${body.length})`);
  }
  return { start, end, quote: body.slice(start, end), prefix: prefixAt(body, start), suffix: suffixAt(body, end) };
}

// Context never begins or ends with half of a surrogate pair, so an emoji is never split in the file.
function prefixAt(body: string, start: number): string {
  let from = Math.max(0, start - CONTEXT_LENGTH);
  if (from > 0 && isLowSurrogate(body.charCodeAt(from))) from++;
  return body.slice(from, start);
}

function suffixAt(body: string, end: number): string {
  let to = Math.min(body.length, end + CONTEXT_LENGTH);
  if (to < body.length && isLowSurrogate(body.charCodeAt(to))) to--;
  return body.slice(end, to);
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Detachment is stored on the tag as `"detached": true`, with its anchor kept exactly as it was
 * (so it can re-attach if the text comes back). A tag without an anchor is not detached.
 */
export function isDetached(tag: Tag): boolean {
  return tag.detached === true;
}

interface Candidate {
  start: number;
  end: number;
  /** Edits between the old quote and this text (0 for an exact match). */
  distance: number;
  /** Characters of the old prefix and suffix that still surround it. */
  context: number;
}

/**
 * Finds the anchor's text again in a (possibly changed) body. Exact occurrences of the quote come
 * first, ranked by how much of the old prefix/suffix surrounds them, ties going to the one nearest
 * the old start; otherwise the closest near match (similarity >= MIN_SIMILARITY); otherwise
 * undefined, meaning the tag is detached.
 *
 * `shift` is where the text probably moved (e.g. how far the previous tag moved): ties go to the
 * place nearest `anchor.start + shift`, and a whole match there is taken without searching further.
 */
export function reanchor(body: string, anchor: Anchor, shift = 0): Anchor | undefined {
  const expected = anchor.start + shift;
  if (isWholeMatchAt(body, expected, anchor)) return makeAnchor(body, expected, expected + anchor.quote.length);
  const exact = anchor.quote === '' ? emptyQuoteCandidates(body, anchor) : exactCandidates(body, anchor);
  const best = pickBest(exact, expected) ?? pickBest(nearCandidates(body, anchor, expected), expected);
  return best && makeAnchor(body, best.start, best.end);
}

/** Quote, prefix and suffix all there: no other place can rank higher, nor be nearer. */
function isWholeMatchAt(body: string, start: number, anchor: Anchor): boolean {
  const end = start + anchor.quote.length;
  return (
    start >= 0 &&
    end <= body.length &&
    body.startsWith(anchor.quote, start) &&
    contextAgreement(body, start, end, anchor) === anchor.prefix.length + anchor.suffix.length
  );
}

function pickBest(candidates: Candidate[], expected: number): Candidate | undefined {
  let best: Candidate | undefined;
  for (const c of candidates) {
    if (!best || isBetter(c, best, expected)) best = c;
  }
  return best;
}

function isBetter(a: Candidate, b: Candidate, expected: number): boolean {
  if (a.distance !== b.distance) return a.distance < b.distance;
  if (a.context !== b.context) return a.context > b.context;
  return Math.abs(a.start - expected) < Math.abs(b.start - expected);
}

function exactCandidates(body: string, anchor: Anchor): Candidate[] {
  const found: Candidate[] = [];
  for (let at = body.indexOf(anchor.quote); at >= 0; at = body.indexOf(anchor.quote, at + 1)) {
    const end = at + anchor.quote.length;
    found.push({ start: at, end, distance: 0, context: contextAgreement(body, at, end, anchor) });
  }
  return found;
}

/** An empty quote is a caret position: it can only be placed by its context. */
function emptyQuoteCandidates(body: string, anchor: Anchor): Candidate[] {
  const places = new Set<number>([Math.min(anchor.start, body.length)]);
  for (const at of occurrences(body, anchor.prefix)) places.add(at + anchor.prefix.length);
  for (const at of occurrences(body, anchor.suffix)) places.add(at);
  return [...places].map((at) => ({ start: at, end: at, distance: 0, context: contextAgreement(body, at, at, anchor) }));
}

function occurrences(body: string, text: string): number[] {
  const found: number[] = [];
  if (text === '') return found;
  for (let at = body.indexOf(text); at >= 0; at = body.indexOf(text, at + 1)) found.push(at);
  return found;
}

/** Length of the old prefix's tail found right before `start` plus the old suffix's head found right after `end`. */
function contextAgreement(body: string, start: number, end: number, anchor: Anchor): number {
  let before = 0;
  while (
    before < anchor.prefix.length &&
    before < start &&
    body.charCodeAt(start - 1 - before) === anchor.prefix.charCodeAt(anchor.prefix.length - 1 - before)
  ) {
    before++;
  }
  let after = 0;
  while (after < anchor.suffix.length && end + after < body.length && body.charCodeAt(end + after) === anchor.suffix.charCodeAt(after)) {
    after++;
  }
  return before + after;
}

/**
 * Near matches of the quote, searched only where the text is likely to be: around the expected
 * position and next to the nearest places where the remembered context still occurs. Not the
 * whole note: a short quote is "similar" to much unrelated text of a long note (and it is slow).
 */
function nearCandidates(body: string, anchor: Anchor, expected: number): Candidate[] {
  const quoteLength = anchor.quote.length;
  const maxDistance = Math.floor(quoteLength * (1 - MIN_SIMILARITY));
  if (quoteLength === 0 || quoteLength > NEAR_MATCH_MAX_QUOTE) return [];
  const reach = quoteLength + maxDistance + CONTEXT_PROBE;
  const windows: Array<[number, number]> = [[expected - reach - 256, expected + quoteLength + reach + 256]];
  const prefixTail = anchor.prefix.slice(-CONTEXT_PROBE);
  for (const at of nearest(occurrences(body, prefixTail), expected)) windows.push([at, at + prefixTail.length + reach]);
  const suffixHead = anchor.suffix.slice(0, CONTEXT_PROBE);
  for (const at of nearest(occurrences(body, suffixHead), expected)) windows.push([at - reach, at + suffixHead.length]);

  const found: Candidate[] = [];
  for (const [from, to] of mergeWindows(windows, body.length)) {
    found.push(...approximateMatches(body, from, to, anchor, maxDistance));
  }
  return found.filter((c) => 1 - c.distance / Math.max(quoteLength, c.end - c.start) >= MIN_SIMILARITY);
}

/** The few places nearest where the text is expected (common context like "patient " occurs everywhere). */
function nearest(places: number[], expected: number, count = 8): number[] {
  if (places.length <= count) return places;
  return [...places].sort((a, b) => Math.abs(a - expected) - Math.abs(b - expected)).slice(0, count);
}

function mergeWindows(windows: Array<[number, number]>, length: number): Array<[number, number]> {
  const clipped = windows
    .map(([a, b]): [number, number] => [Math.max(0, a), Math.min(length, b)])
    .filter(([a, b]) => a < b)
    .sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const w of clipped) {
    const last = merged[merged.length - 1];
    if (last && w[0] <= last[1]) last[1] = Math.max(last[1], w[1]);
    else merged.push([w[0], w[1]]);
  }
  return merged;
}

/**
 * Sellers' approximate substring search: for each end position in body[from, to), the fewest
 * edits that turn the quote into some text ending there, and where that text starts.
 * Reports each end whose distance is a local best and within maxDistance.
 */
function approximateMatches(body: string, from: number, to: number, anchor: Anchor, maxDistance: number): Candidate[] {
  const quote = anchor.quote;
  const m = quote.length;
  // Column j of the DP table: cost[i] = edits for quote[0, i) against text ending at j; origin[i] = where that text starts.
  let cost = new Int32Array(m + 1);
  let origin = new Int32Array(m + 1);
  let nextCost = new Int32Array(m + 1);
  let nextOrigin = new Int32Array(m + 1);
  for (let i = 0; i <= m; i++) {
    cost[i] = i;
    origin[i] = from;
  }
  const found: Candidate[] = [];
  for (let j = from; j < to; j++) {
    const ch = body.charCodeAt(j);
    nextCost[0] = 0;
    nextOrigin[0] = j + 1;
    for (let i = 1; i <= m; i++) {
      let best = cost[i - 1] + (quote.charCodeAt(i - 1) === ch ? 0 : 1); // match or substitute
      let start = origin[i - 1];
      if (nextCost[i - 1] + 1 < best) {
        best = nextCost[i - 1] + 1; // a quote character missing from the text
        start = nextOrigin[i - 1];
      }
      if (cost[i] + 1 < best) {
        best = cost[i] + 1; // an extra character in the text
        start = origin[i];
      }
      nextCost[i] = best;
      nextOrigin[i] = start;
    }
    [cost, nextCost] = [nextCost, cost];
    [origin, nextOrigin] = [nextOrigin, origin];
    if (cost[m] <= maxDistance) {
      const start = origin[m];
      const end = j + 1;
      const previous = found[found.length - 1];
      // Neighbouring ends of the same match: keep only the cheapest.
      if (previous && previous.start === start && previous.distance <= cost[m]) continue;
      if (previous && previous.start === start) found.pop();
      found.push({ start, end, distance: cost[m], context: contextAgreement(body, start, end, anchor) });
    }
  }
  return found;
}
