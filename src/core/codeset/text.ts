// Line splitting and title words shared by the importers, the stored index and search.
import { stripBom } from '../fs';

/** Text to import: a whole string, or chunks as they arrive (a file stream), so big files need not be held twice. */
export type TextSource = string | Uint8Array | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;

/**
 * Calls `onLine(text, lineNumber)` for each line (1-based), without its CR/LF.
 * Stops early when `onLine` returns false. A final line without a line end is still delivered.
 */
export async function forEachLine(source: TextSource, onLine: (text: string, line: number) => boolean | void): Promise<void> {
  if (typeof source === 'string') {
    eachLineOf(stripBom(source), onLine, 1, true);
    return;
  }
  if (source instanceof Uint8Array) {
    eachLineOf(stripBom(new TextDecoder('utf-8').decode(source)), onLine, 1, true);
    return;
  }
  const decoder = new TextDecoder('utf-8');
  let rest = '';
  let line = 1;
  let first = true;
  for await (const chunk of source as AsyncIterable<string | Uint8Array>) {
    let text = rest + (typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
    if (first && text.length > 0) {
      text = stripBom(text);
      first = false;
    }
    const consumed = eachLineOf(text, onLine, line, false);
    if (consumed.stopped) return;
    line = consumed.line;
    rest = text.slice(consumed.end);
  }
  rest += decoder.decode();
  if (rest.length > 0) eachLineOf(rest, onLine, line, true);
}

/** Delivers the complete lines of `text`; with `final` the unterminated tail too. */
function eachLineOf(
  text: string,
  onLine: (text: string, line: number) => boolean | void,
  firstLine: number,
  final: boolean,
): { end: number; line: number; stopped: boolean } {
  let start = 0;
  let line = firstLine;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) break;
    const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    if (onLine(text.slice(start, end), line++) === false) return { end: nl + 1, line, stopped: true };
    start = nl + 1;
  }
  if (final && start < text.length) {
    const tail = text.endsWith('\r') ? text.slice(start, -1) : text.slice(start);
    if (onLine(tail, line++) === false) return { end: text.length, line, stopped: true };
    start = text.length;
  }
  return { end: start, line, stopped: false };
}

/** The first lines of a text, for detecting what kind of file it is. */
export function firstLines(text: string, count = 5): string[] {
  const lines: string[] = [];
  eachLineOf(
    stripBom(text.slice(0, 4096)),
    (l) => {
      lines.push(l);
      return lines.length < count;
    },
    1,
    true,
  );
  return lines;
}

const DIACRITICS = /[\u0300-\u036f]/g;
const APOSTROPHES = /['\u2019]/g;
const NOT_WORD = /[^a-z0-9]+/;

/**
 * The searchable words of a title or a query: lower case, accents and apostrophes dropped
 * ("Crohn's" -> "crohns"), split at anything that is not a letter or digit.
 */
export function titleWords(text: string): string[] {
  const folded = text.toLowerCase().normalize('NFD').replace(DIACRITICS, '').replace(APOSTROPHES, '');
  return folded.split(NOT_WORD).filter((w) => w.length > 0);
}
