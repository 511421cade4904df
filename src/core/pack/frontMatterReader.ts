// Reading one Markdown file's YAML front matter field by field, each problem at its node's place.
import path from 'path';
import { isMap, isScalar, isSeq, type Document, type Node as YamlNode, type YAMLMap } from 'yaml';
import { TextPositions, mapEntries, nodeStart, parseYaml, resolveNode, scalarSource, splitFrontMatter } from '../frontmatter';
import type { Problem } from '../model';
import type { Place } from './types';

// Front matter fields, with places

/** One Markdown file's front matter being read: reports problems at the places of YAML nodes. */
export class FrontMatterReader {
  readonly problems: Problem[] = [];
  private readonly positions: TextPositions;
  doc?: Document.Parsed;
  yaml = '';
  yamlOffset = 0;
  body = '';
  bodyOffset = 0;

  constructor(
    readonly file: string,
    private readonly text: string,
  ) {
    this.positions = new TextPositions(text);
  }

  /** Splits and parses the front matter; returns its fields, or undefined after reporting why not. */
  open(what: string): YAMLMap | null | undefined {
    const split = splitFrontMatter(this.text);
    if ('missing' in split) {
      this.report(
        undefined,
        'error',
        split.missing === 'start' ? `no front matter: a ${what} file starts with a line '---', YAML fields, then '---'` : `the front matter is not closed`,
        split.missing === 'start' ? "put the fields between two '---' lines at the very top of the file" : "add a line '---' after the YAML fields",
      );
      return undefined;
    }
    Object.assign(this, split);
    const { doc, issues } = parseYaml(split.yaml);
    this.doc = doc;
    for (const issue of issues) {
      const place = this.positions.at(this.yamlOffset + Math.min(issue.offset, this.yaml.length));
      this.problems.push({
        file: this.file,
        ...place,
        severity: issue.severity,
        message: `YAML: ${issue.message}`,
        hint: 'fix the YAML syntax of the front matter',
      });
    }
    if (issues.some((i) => i.severity === 'error')) return undefined;
    const contents = doc.contents;
    if (contents === null || (isScalar(contents) && contents.value === null)) return null;
    if (!isMap(contents)) {
      this.report(contents, 'error', 'the front matter must be YAML fields (name: value)', 'write one field a line, e.g. "title: Chest pain"');
      return undefined;
    }
    return contents;
  }

  /** Parses the whole text as YAML (a plain .yaml file, e.g. exams/ID.yaml); like open() otherwise. */
  openYaml(): YAMLMap | null | undefined {
    this.yaml = this.text;
    const { doc, issues } = parseYaml(this.text);
    this.doc = doc;
    for (const issue of issues) {
      const place = this.positions.at(Math.min(issue.offset, this.text.length));
      this.problems.push({ file: this.file, ...place, severity: issue.severity, message: `YAML: ${issue.message}`, hint: 'fix the YAML syntax' });
    }
    if (issues.some((i) => i.severity === 'error')) return undefined;
    const contents = doc.contents;
    if (contents === null || (isScalar(contents) && contents.value === null)) return null;
    if (!isMap(contents)) {
      this.report(contents, 'error', 'the file must be YAML fields (name: value)', 'write one field a line, e.g. "title: Practice exam"');
      return undefined;
    }
    return contents;
  }

  /** The place of a node (1-based), or of the front matter's first line when the node has none. */
  place(node: unknown): Place {
    const start = nodeStart(node);
    return this.positions.at(start === undefined ? 0 : this.yamlOffset + start);
  }

  report(node: unknown, severity: Problem['severity'], message: string, hint?: string): void {
    this.problems.push({ file: this.file, ...this.place(node), severity, message, hint });
  }

  resolve(node: unknown): YamlNode | undefined {
    return this.doc ? resolveNode(this.doc, node) : undefined;
  }

  /** Fields of a mapping by name (unknown names reported as warnings); duplicate keys were already YAML errors. */
  fields(map: YAMLMap | null, known: string[], where: string): Map<string, { key: unknown; value: YamlNode | undefined }> {
    const fields = new Map<string, { key: unknown; value: YamlNode | undefined }>();
    for (const { name, pair } of map ? mapEntries(map) : []) {
      if (!known.includes(name)) {
        this.report(pair.key, 'warning', `unknown field "${name}" in ${where} is ignored`, `check the spelling; known fields: ${known.join(', ')}`);
        continue;
      }
      fields.set(name, { key: pair.key, value: this.resolve(pair.value) });
    }
    return fields;
  }

  /** A text value; YAML null (an empty value) counts as absent. */
  string(node: YamlNode | undefined, label: string): string | undefined {
    if (node === undefined || isNull(node)) return undefined;
    if (isScalar(node) && typeof node.value === 'string') return node.value;
    this.report(node, 'error', `${label} must be text`, 'put it in quotes');
    return undefined;
  }

  /** An identifier as written: text, or a number as its source (`id: 007` is "007"). */
  name(node: YamlNode | undefined, label: string): string | undefined {
    if (node === undefined || isNull(node)) return undefined;
    if (isScalar(node) && typeof node.value === 'string') return node.value;
    if (isScalar(node) && typeof node.value === 'number') return scalarSource(node, this.yaml);
    this.report(node, 'error', `${label} must be text`, 'write it as a single word, e.g. chest-pain-01');
    return undefined;
  }

  /**
   * A code as written. All-digit codes written as YAML numbers (`99213`, `00100`) are read from their
   * source text, so leading zeros survive, with a warning to quote them.
   */
  code(node: YamlNode | undefined, label: string): string | undefined {
    if (node === undefined || isNull(node)) return undefined;
    if (isScalar(node) && typeof node.value === 'string') return node.value.trim().toUpperCase();
    if (isScalar(node) && typeof node.value === 'number') {
      const source = scalarSource(node, this.yaml);
      if (/^[0-9]+$/.test(source)) {
        const lost = source !== String(node.value);
        this.report(
          node,
          'warning',
          lost
            ? `${label} ${source} is written as a number, which YAML reads as ${node.value}: quote all-digit codes`
            : `${label} ${source} is written as a number: quote all-digit codes`,
          `write "${source}"`,
        );
        return source;
      }
    }
    this.report(node, 'error', `${label} must be a code written as text`, 'put the code in quotes, e.g. "99213"');
    return undefined;
  }

  /** A list of values read by `item`; a missing or empty value is an empty list. */
  list<T>(
    node: YamlNode | undefined,
    label: string,
    item: (node: YamlNode | undefined, label: string) => T | undefined,
  ): Array<{ value: T; node: YamlNode | undefined }> | undefined {
    if (node === undefined || isNull(node)) return undefined;
    if (!isSeq(node)) {
      this.report(node, 'error', `${label} must be a list`, `write ${label.split(' ').pop()}: [first, second]`);
      return undefined;
    }
    const values: Array<{ value: T; node: YamlNode | undefined }> = [];
    for (const raw of node.items) {
      const element = this.resolve(raw);
      const value = item(element, label);
      if (value !== undefined) values.push({ value, node: element });
    }
    return values;
  }

  integer(node: YamlNode | undefined, label: string, min: number, max: number, hint: string): number | undefined {
    if (node === undefined || isNull(node)) return undefined;
    const value = isScalar(node) ? node.value : undefined;
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
    const range = max === Number.MAX_SAFE_INTEGER ? `a whole number of at least ${min}` : `a whole number from ${min} to ${max}`;
    this.report(node, 'error', `${label} must be ${range}, not ${shown(node, this.yaml)}`, hint);
    return undefined;
  }
}

export function isNull(node: YamlNode): boolean {
  return isScalar(node) && node.value === null;
}

export function shown(node: YamlNode, yaml: string): string {
  if (isScalar(node)) return scalarSource(node, yaml) || JSON.stringify(node.value);
  return isSeq(node) ? 'a list' : 'a set of fields';
}

export function fileStem(file: string): string {
  return path.posix.basename(file).replace(/\.[^.]*$/, '');
}
