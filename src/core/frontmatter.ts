// Markdown files with YAML front matter (cases and keys), and turning offsets into the
// 1-based line and column a person (and VS Code) sees.
import { parseDocument, isAlias, isMap, isScalar, isSeq, type Document, type Node as YamlNode, type Pair, type YAMLMap } from 'yaml';

/** Line and column (both 1-based; columns count UTF-16 units as VS Code does) of offsets in one text. */
export class TextPositions {
  private readonly lineStarts: number[] = [0];

  constructor(text: string) {
    // \r\n, \n and a lone \r each end a line, as in VS Code.
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) this.lineStarts.push(i + 1);
    }
  }

  at(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo] + 1 };
  }
}

export type FrontMatterSplit = { yaml: string; yamlOffset: number; body: string; bodyOffset: number } | { missing: 'start' | 'end' };

const OPENING = /^---[ \t]*(\r\n|\n|\r)/;
const CLOSING = /^---[ \t]*(\r\n|\n|\r|$)/m;

/**
 * Splits `---` front matter from the body. The text is BOM-free. The closing `---` line, with its
 * line end, belongs to the front matter, so the body starts on the line after it.
 */
export function splitFrontMatter(text: string): FrontMatterSplit {
  const open = OPENING.exec(text);
  if (!open) return text.startsWith('---') && text.trimEnd() === '---' ? { missing: 'end' } : { missing: 'start' };
  const yamlOffset = open[0].length;
  const rest = text.slice(yamlOffset);
  const close = CLOSING.exec(rest);
  if (!close) return { missing: 'end' };
  const bodyOffset = yamlOffset + close.index + close[0].length;
  return { yaml: rest.slice(0, close.index), yamlOffset, body: text.slice(bodyOffset), bodyOffset };
}

export interface YamlIssue {
  offset: number;
  message: string;
  severity: 'error' | 'warning';
}

/** Parses front matter YAML; syntax errors come back with offsets into the YAML text. */
export function parseYaml(yaml: string): { doc: Document.Parsed; issues: YamlIssue[] } {
  const doc = parseDocument(yaml, { prettyErrors: false, uniqueKeys: true });
  const issues: YamlIssue[] = [
    ...doc.errors.map((e) => ({ offset: e.pos[0], message: e.message, severity: 'error' as const })),
    ...doc.warnings.map((e) => ({ offset: e.pos[0], message: e.message, severity: 'warning' as const })),
  ];
  return { doc, issues };
}

/** Follows an alias (`*name`) to the node it stands for; other nodes are returned as they are. */
export function resolveNode(doc: Document.Parsed, node: unknown): YamlNode | undefined {
  if (isAlias(node)) return node.resolve(doc) ?? undefined;
  if (isScalar(node) || isMap(node) || isSeq(node)) return node;
  return undefined;
}

/** The key/value pairs of a mapping, keyed by the key's text, in order. */
export function mapEntries(map: YAMLMap): Array<{ name: string; pair: Pair }> {
  const entries: Array<{ name: string; pair: Pair }> = [];
  for (const pair of map.items) {
    const key = pair.key;
    const name = isScalar(key) ? String(key.value) : '';
    entries.push({ name, pair });
  }
  return entries;
}

/** Start offset of a node in the YAML text, when the parser recorded one. */
export function nodeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] | null } | undefined)?.range;
  return range ? range[0] : undefined;
}

/** The scalar exactly as written (e.g. `00100`, which YAML reads as the number 100). */
export function scalarSource(node: YamlNode, yaml: string): string {
  if (isScalar(node)) {
    const source = (node as { source?: unknown }).source;
    if (typeof source === 'string') return source;
    if (node.range) return yaml.slice(node.range[0], node.range[1]);
  }
  return '';
}
