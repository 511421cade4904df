// A small XML reader for the ICD-10-CM index files: elements, attributes, text, the five named
// entities and numeric references, comments, CDATA and the XML declaration; no DTDs (the CDC files
// have none). It checks that tags nest and reports where a file is cut short or broken, by line
// and column. The bench compares its speed with sax on the real files (bench/codeset.ts).

export interface XmlHandler {
  open(name: string, attributes: Record<string, string>, line: number, column: number): void;
  close(name: string, line: number): void;
  text(text: string): void;
}

export interface XmlError {
  line: number;
  column: number;
  message: string;
}

const NAME = /^[A-Za-z_][\w.:-]*/;
const ATTRIBUTE = /\s*([A-Za-z_][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/y;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Reads `text`, calling the handler for each element and text; the first error, or undefined. A handler may throw an XmlError to stop. */
export function readXml(text: string, handler: XmlHandler): XmlError | undefined {
  const stack: { name: string; line: number }[] = [];
  let at = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  let lineStart = 0;
  let sawRoot = false;
  // Line counting is done lazily: advance from the last counted position to `to`.
  let counted = 0;
  const lineAt = (to: number) => {
    for (let i = text.indexOf('\n', counted); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) {
      line++;
      lineStart = i + 1;
    }
    counted = Math.max(counted, to);
    return line;
  };
  const fail = (position: number, message: string): XmlError => ({ line: lineAt(position), column: position - lineStart + 1, message });
  try {
    while (at < text.length) {
      const lt = text.indexOf('<', at);
      const end = lt < 0 ? text.length : lt;
      if (end > at) {
        const raw = text.slice(at, end);
        if (stack.length === 0) {
          if (raw.trim() !== '') return fail(at, sawRoot ? 'text after the end of the document' : 'text before the first element');
        } else {
          const decoded = decodeEntities(raw);
          if (decoded === undefined) return fail(at + raw.indexOf('&'), 'an unknown entity or a bare & (write &amp;)');
          handler.text(decoded);
        }
      }
      if (lt < 0) break;
      if (text.startsWith('<!--', lt)) {
        const close = text.indexOf('-->', lt + 4);
        if (close < 0) return fail(lt, 'a comment that never ends (the file is cut short?)');
        at = close + 3;
      } else if (text.startsWith('<![CDATA[', lt)) {
        const close = text.indexOf(']]>', lt + 9);
        if (close < 0) return fail(lt, 'a CDATA section that never ends (the file is cut short?)');
        if (stack.length === 0) return fail(lt, 'CDATA outside the root element');
        handler.text(text.slice(lt + 9, close));
        at = close + 3;
      } else if (text.startsWith('<?', lt)) {
        const close = text.indexOf('?>', lt + 2);
        if (close < 0) return fail(lt, 'a processing instruction that never ends (the file is cut short?)');
        at = close + 2;
      } else if (text.startsWith('<!', lt)) {
        return fail(lt, 'a document type declaration (not used by the ICD-10-CM index files)');
      } else if (text[lt + 1] === '/') {
        const gt = text.indexOf('>', lt);
        if (gt < 0) return fail(lt, 'a closing tag cut short (the file is cut short?)');
        const name = text.slice(lt + 2, gt).trim();
        const open = stack.pop();
        if (!open) return fail(lt, `</${name}> closes nothing`);
        if (open.name !== name) return fail(lt, `</${name}> where </${open.name}> (opened at line ${open.line}) was expected`);
        handler.close(name, lineAt(lt));
        at = gt + 1;
      } else {
        const gt = findTagEnd(text, lt + 1);
        if (gt < 0) return fail(lt, 'a tag cut short (the file is cut short?)');
        const inner = text.slice(lt + 1, text[gt - 1] === '/' ? gt - 1 : gt);
        const m = NAME.exec(inner);
        if (!m) return fail(lt, 'a tag without a name');
        if (stack.length === 0 && sawRoot) return fail(lt, 'a second root element');
        const attributes: Record<string, string> = {};
        ATTRIBUTE.lastIndex = m[0].length;
        let rest = m[0].length;
        for (let a = ATTRIBUTE.exec(inner); a; a = ATTRIBUTE.exec(inner)) {
          const value = decodeEntities(a[3] ?? a[4]);
          if (value === undefined) return fail(lt, `an unknown entity in attribute ${a[1]}`);
          attributes[a[1]] = value;
          rest = ATTRIBUTE.lastIndex;
        }
        if (inner.slice(rest).trim() !== '') return fail(lt, `a malformed attribute in <${m[0]}>`);
        const tagLine = lineAt(lt);
        handler.open(m[0], attributes, tagLine, lt - lineStart + 1);
        sawRoot = true;
        if (text[gt - 1] === '/') handler.close(m[0], tagLine);
        else stack.push({ name: m[0], line: tagLine });
        at = gt + 1;
      }
    }
  } catch (e) {
    if (isXmlError(e)) return e;
    throw e;
  }
  if (stack.length > 0) {
    const open = stack[stack.length - 1];
    return { ...fail(text.length, `the file ends inside <${open.name}> opened at line ${open.line} (it is cut short)`) };
  }
  if (!sawRoot) return fail(text.length, 'no XML element found');
  return undefined;
}

function isXmlError(e: unknown): e is XmlError {
  return (
    typeof e === 'object' && e !== null && typeof (e as XmlError).line === 'number' && typeof (e as XmlError).message === 'string' && !(e instanceof Error)
  );
}

/** The `>` that ends a tag starting at `from`, skipping quoted attribute values; -1 when there is none. */
function findTagEnd(text: string, from: number): number {
  let quote = '';
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i;
    else if (c === '<') return -1;
  }
  return -1;
}

/** Text with entities replaced; undefined for an unknown entity or a bare &. */
function decodeEntities(raw: string): string | undefined {
  if (!raw.includes('&')) return raw;
  let bad = false;
  const out = raw.replace(/&([a-z]+|#[0-9]+|#x[0-9a-fA-F]+);|&/g, (all, name: string | undefined) => {
    if (!name) {
      bad = true;
      return all;
    }
    if (name[0] === '#') {
      const code = name[1] === 'x' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return String.fromCodePoint(code);
    }
    const value = ENTITIES[name];
    if (value === undefined) bad = true;
    return value ?? all;
  });
  return bad ? undefined : out;
}
