// Reading and validating a case pack: casebook.json, cases/*.md, keys/*.md and codes/*.csv.
// Every mistake an author can make becomes a Problem with a file, a place and a fix; nothing throws.
import path from 'path';
import Ajv, { type ErrorObject } from 'ajv';
import { parse as parseCsv } from 'csv-parse/sync';
import { isMap, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode, type YAMLMap } from 'yaml';
import manifestSchema from '../../schemas/casebook.schema.json';
import { stripBom, type FileSystem } from './fs';
import {
  CODE_SYSTEMS,
  DEFAULT_POLICY,
  type AnswerKey,
  type CaseNote,
  type CodeSystem,
  type GlossaryEntry,
  type KeyLine,
  type LineKind,
  type Manifest,
  type Pack,
  type PackLoad,
  type Policy,
  type Problem,
  type Setting,
} from './model';
import { SHAPE_EXAMPLES, hasShape, isCodeSystem, isModifier, normalizeCode, normalizeModifier, procedureSystem } from './codes';
import { TextPositions, mapEntries, nodeStart, parseYaml, resolveNode, scalarSource, splitFrontMatter } from './frontmatter';
import { PackReader, problemAt, unsafeFolderName } from './packPaths';
import { QUESTIONS_DIR, loadExamContent } from './exam/content';
import { isQuestionKeyText } from './exam/question';

export interface LoadOptions {
  /**
   * Optional real-code check (from imported code sets, for the pack's codeSetYear): returns a message
   * when `code` is not valid (e.g. "E11 is a category, not a billable code: add more characters"),
   * undefined when fine or unknown to the checker.
   */
  checkCode?: (system: CodeSystem, code: string) => string | undefined;
  /** Texts of files by absolute path (unsaved editor buffers), read instead of the disk. */
  overrides?: Map<string, string>;
}

const MANIFEST = 'casebook.json';
const SETTINGS: readonly Setting[] = ['outpatient', 'inpatient', 'emergency', 'observation', 'other'];
const CASE_FIELDS = ['id', 'title', 'setting', 'specialty', 'areas', 'difficulty', 'instructions'];
const KEY_FIELDS = ['case', 'diagnoses', 'procedures'];
const LINE_FIELDS = ['code', 'system', 'modifiers', 'units', 'links', 'accept', 'evidence', 'why', 'points', 'optional'];
const POLICY_FIELDS = Object.keys(DEFAULT_POLICY) as Array<keyof Policy>;
const BUG_HINT = 'this is a fault in Casebook, not in the pack: please report it with this file';

interface Place {
  line: number;
  column: number;
}

// ---------------------------------------------------------------------------------------------
// Pack folder

/** Reads and validates the pack in `root` (absolute, forward slashes). Never throws. */
export async function loadPack(fs: FileSystem, root: string, options: LoadOptions = {}): Promise<PackLoad> {
  const problems: Problem[] = [];
  let pack: Pack | undefined;
  try {
    pack = await readPack(fs, root, options, problems);
  } catch (e) {
    // A bug or a file system failure must still come back as a problem, not an exception.
    problems.push(problemAt(MANIFEST, `could not read the pack: ${(e as Error)?.message ?? String(e)}`, BUG_HINT));
  }
  return { pack, problems: sortProblems(problems) };
}

async function readPack(fs: FileSystem, root: string, options: LoadOptions, problems: Problem[]): Promise<Pack | undefined> {
  const reader = await PackReader.open(fs, root, options.overrides);
  if (!reader) {
    problems.push(problemAt(MANIFEST, `${root} is not a folder`, 'give the path of a pack folder (a folder holding casebook.json)'));
    return undefined;
  }

  let manifest: Manifest | undefined;
  const manifestText = await reader.readText(MANIFEST);
  if ('problem' in manifestText) {
    const missing = !(await reader.exists(MANIFEST));
    problems.push(
      missing
        ? problemAt(MANIFEST, 'casebook.json is missing: this folder is not a case pack', 'add casebook.json with "format": 1, "id" and "title"')
        : manifestText.problem,
    );
  } else {
    const parsed = parseManifest(manifestText.text, MANIFEST);
    problems.push(...parsed.problems);
    manifest = parsed.manifest;
  }

  const folders = { cases: manifest?.cases ?? 'cases', keys: manifest?.keys ?? 'keys', codes: manifest?.codes ?? 'codes' };
  const normalize = (dir: string) => path.posix.normalize(dir.replace(/\\/g, '/')).replace(/\/+$/, '') || '.';

  // Cases
  const casesDir = normalize(folders.cases);
  const caseFiles = await reader.listFiles(casesDir, '.md', problems);
  // A pack of exam questions needs no cases.
  if (!caseFiles && 'text' in manifestText && !(await reader.exists(QUESTIONS_DIR))) {
    problems.push(
      manifest?.cases
        ? problemAt(MANIFEST, `cases: the folder "${manifest.cases}" does not exist`, 'create it, or fix the name in casebook.json')
        : problemAt(MANIFEST, 'the pack has no cases/ folder, so no cases', 'add cases/ID.md files', 'warning'),
    );
  }
  // Every case file counts as present, even one that cannot be read (its own problem says why).
  const caseStems = new Set((caseFiles ?? []).map(fileStem));
  const notes = new Map<string, CaseNote>();
  const cases: CaseNote[] = [];
  for (const { file, text } of await readAll(reader, caseFiles ?? [], problems)) {
    const { note, problems: found } = parseCase(text, file);
    problems.push(...found);
    if (note) {
      cases.push(note);
      notes.set(note.id, note);
    }
  }

  // Keys (a released pack has none)
  const keysDir = normalize(folders.keys);
  const keyFiles = await reader.listFiles(keysDir, '.md', problems);
  if (!keyFiles && manifest?.keys) {
    problems.push(problemAt(MANIFEST, `keys: the folder "${manifest.keys}" does not exist`, 'create it, or fix the name in casebook.json'));
  }
  const keys = new Map<string, AnswerKey>();
  const keyStems = new Set((keyFiles ?? []).map(fileStem));
  // Keys of exam questions (`question:` instead of `case:`) are read with the exam content below.
  const keyTexts = await readAll(reader, keyFiles ?? [], problems);
  const questionKeyFiles = keyTexts.filter((k) => isQuestionKeyText(k.text));
  for (const { file, text } of keyTexts.filter((k) => !questionKeyFiles.includes(k))) {
    const stem = fileStem(file);
    const { key, problems: found } = parseKey(text, file);
    problems.push(...found);
    if (!caseStems.has(stem)) {
      problems.push(problemAt(file, `no case for this key: ${casesDir}/${stem}.md does not exist`, `add the case, or rename the key after its case`));
    }
    if (key) {
      problems.push(...validateKey(key, notes.get(stem), options));
      keys.set(stem, key);
    }
  }
  if (keyFiles) {
    for (const stem of caseStems) {
      if (!keyStems.has(stem)) {
        problems.push(problemAt(`${casesDir}/${stem}.md`, `no answer key: ${keysDir}/${stem}.md does not exist`, 'add the key, or this case cannot be graded', 'warning'));
      }
    }
  }

  // Glossary
  const codesDir = normalize(folders.codes);
  const codeFiles = await reader.listFiles(codesDir, '.csv', problems);
  if (!codeFiles && manifest?.codes) {
    problems.push(problemAt(MANIFEST, `codes: the folder "${manifest.codes}" does not exist`, 'create it, or fix the name in casebook.json'));
  }
  const glossary: GlossaryEntry[] = [];
  for (const { file, text } of await readAll(reader, codeFiles ?? [], problems)) {
    const parsed = parseGlossary(text, file);
    problems.push(...parsed.problems);
    glossary.push(...parsed.entries);
  }

  const exam = await loadExamContent({ reader, cases, questionKeyFiles, keysPresent: !!keyFiles, keysDir, checkCode: options.checkCode }, problems);

  if (!manifest) return undefined;
  return { root: reader.root, manifest, cases, keys, glossary, ...(exam ? { exam } : {}) };
}

/** Reads files concurrently (the I/O overlaps), keeping their order; unreadable ones become problems. */
export async function readAll(reader: PackReader, files: string[], problems: Problem[]): Promise<Array<{ file: string; text: string }>> {
  const results = await Promise.all(files.map((file) => reader.readText(file)));
  const texts: Array<{ file: string; text: string }> = [];
  results.forEach((r, i) => {
    if ('problem' in r) problems.push(r.problem);
    else texts.push({ file: files[i], text: r.text });
  });
  return texts;
}

const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.casebook']);

/** Finds pack folders (folders holding casebook.json) under `root`, at most `depth` levels down (default 3), skipping node_modules, .git and .casebook. */
export async function findPacks(fs: FileSystem, root: string, depth = 3): Promise<string[]> {
  const found: string[] = [];
  async function visit(dir: string, level: number): Promise<void> {
    let entries;
    try {
      entries = await fs.readdir(dir);
    } catch {
      return;
    }
    if (entries.some((e) => e.name === MANIFEST && (e.kind === 'file' || e.kind === 'symlink'))) {
      found.push(dir);
      return; // a pack's own folders are not packs
    }
    if (level >= depth) return;
    // Symbolic links to folders are not followed: they could loop.
    const folders = entries.filter((e) => e.kind === 'directory' && !SKIPPED_FOLDERS.has(e.name));
    await Promise.all(folders.map((e) => visit(path.posix.join(dir, e.name), level + 1)));
  }
  await visit(path.posix.normalize(root).replace(/(.)\/+$/, '$1'), 0);
  return found.sort();
}

// ---------------------------------------------------------------------------------------------
// casebook.json

let validateManifestSchema: ReturnType<Ajv['compile']> | undefined;

/** Parses casebook.json; the manifest is returned when `format`, `id` and `title` are usable (invalid optional fields are left out). */
export function parseManifest(text: string, file: string): { manifest?: Manifest; problems: Problem[] } {
  try {
    return readManifest(text, file);
  } catch (e) {
    return { problems: [problemAt(file, `could not read casebook.json: ${(e as Error)?.message ?? String(e)}`, BUG_HINT)] };
  }
}

function readManifest(text: string, file: string): { manifest?: Manifest; problems: Problem[] } {
  const problems: Problem[] = [];
  const positions = new TextPositions(text);
  const report = (offset: number, severity: Problem['severity'], message: string, hint?: string) =>
    problems.push({ file, ...positions.at(offset), severity, message, hint });

  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message ?? String(e);
    const at = /at position (\d+)/.exec(message);
    const reason = message.replace(/ in JSON at position \d+.*$/s, '').replace(/^Unexpected end of JSON input$/, 'unexpected end of the file');
    report(at ? Number(at[1]) : text.length, 'error', `casebook.json is not valid JSON: ${reason}`, 'check the commas, quotes and braces here');
    return { problems };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    report(0, 'error', 'casebook.json must hold one JSON object: { "format": 1, "id": …, "title": … }', 'wrap the fields in { }');
    return { problems };
  }

  // JSON is YAML, so the yaml parser gives each value's place in the text.
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true });
  for (const e of doc.errors) {
    if (e.code === 'DUPLICATE_KEY') report(e.pos[0], 'warning', 'this field appears twice; the last one counts', 'remove one of them');
  }
  const placeOf = (pointer: string, key?: string): number => {
    const steps = pointer.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const node = steps.length ? (doc.getIn(steps, true) as YamlNode | undefined) : (doc.contents as YamlNode | null);
    if (key !== undefined && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
      if (pair) return nodeStart(pair.key) ?? 0;
    }
    return nodeStart(node) ?? 0;
  };

  validateManifestSchema ??= new Ajv({ allErrors: true, verbose: true, strict: false }).compile(manifestSchema);
  validateManifestSchema(data);
  const errors = validateManifestSchema.errors ?? [];
  const badPaths = new Set<string>();
  for (const error of errors) {
    const described = describeSchemaError(error);
    report(placeOf(error.instancePath, described.key), described.severity, described.message, described.hint ?? 'see the description of casebook.json in formats.md');
    if (described.severity === 'error') badPaths.add(error.instancePath + (described.key ? `/${described.key}` : ''));
  }

  const o = data as Record<string, unknown>;
  const usable = (field: string) => ![...badPaths].some((p) => p === `/${field}` || p.startsWith(`/${field}/`));
  if (o.format !== 1 || !usable('id') || !usable('title') || typeof o.id !== 'string' || typeof o.title !== 'string') {
    return { problems: sortProblems(problems) };
  }
  const manifest: Manifest = { format: 1, id: o.id, title: o.title };
  for (const field of ['version', 'author', 'license', 'description', 'cases', 'keys', 'codes'] as const) {
    if (typeof o[field] === 'string' && usable(field)) manifest[field] = o[field] as string;
  }
  if (typeof o.codeSetYear === 'number' && usable('codeSetYear')) manifest.codeSetYear = o.codeSetYear;
  if (typeof o.grading === 'object' && o.grading !== null && !badPaths.has('/grading')) {
    const grading: Record<string, unknown> = {};
    for (const name of POLICY_FIELDS) {
      const value = (o.grading as Record<string, unknown>)[name];
      if (value !== undefined && !badPaths.has(`/grading/${name}`)) grading[name] = value;
    }
    manifest.grading = grading as Partial<Policy>;
  }
  return { manifest, problems: sortProblems(problems) };
}

/** An ajv error in the words of an author, with the schema's description of the field as the hint. */
function describeSchemaError(e: ErrorObject): { severity: Problem['severity']; message: string; hint?: string; key?: string } {
  const field = e.instancePath.slice(1).replace(/\//g, '.');
  const schema = (e.parentSchema ?? {}) as { description?: string; minimum?: number; maximum?: number };
  const hint = schema.description;
  const properties = (manifestSchema as { properties: Record<string, { description?: string }> }).properties;
  const value = typeof e.data === 'object' && e.data !== null ? typeName(e.data) : JSON.stringify(e.data);
  switch (e.keyword) {
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      return { severity: 'error', message: `${missing} is required`, hint: properties[missing]?.description };
    }
    case 'additionalProperties': {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      if (field === 'grading') {
        return {
          severity: 'error',
          key: extra,
          message: `grading.${extra} is not a grading setting`,
          hint: `use one of: ${POLICY_FIELDS.join(', ')}`,
        };
      }
      return {
        severity: 'warning',
        key: extra,
        message: `unknown field "${extra}" is ignored`,
        hint: `check the spelling; known fields: ${Object.keys(properties).filter((k) => k !== '$schema').join(', ')}`,
      };
    }
    case 'const':
      return {
        severity: 'error',
        message: `${field} must be 1, not ${value}`,
        hint: typeof e.data === 'number' && e.data > 1 ? 'this pack needs a newer version of Casebook' : hint,
      };
    case 'type':
      return { severity: 'error', message: `${field} must be ${article((e.params as { type: string }).type)}, not ${typeName(e.data)}`, hint };
    case 'pattern':
      if (field === 'id') return { severity: 'error', message: `id ${value} may use only lower-case letters, digits and -`, hint };
      return {
        severity: 'error',
        message: `${field} must name a folder inside the pack: ${value} ${unsafeFolderName(String(e.data)) ?? 'leaves it'}`,
        hint,
      };
    case 'minLength':
      return { severity: 'error', message: `${field} must not be empty`, hint };
    case 'minimum':
    case 'maximum': {
      const range =
        schema.minimum !== undefined && schema.maximum !== undefined
          ? `from ${schema.minimum} to ${schema.maximum}`
          : schema.minimum !== undefined
            ? `at least ${schema.minimum}`
            : `at most ${schema.maximum}`;
      return { severity: 'error', message: `${field} must be ${range}, not ${value}`, hint };
    }
    default:
      return { severity: 'error', message: `${field || 'casebook.json'} ${e.message ?? 'is not valid'}`, hint };
  }
}

function article(type: string): string {
  return type === 'object' ? 'an object' : type === 'integer' ? 'an integer' : `a ${type}`;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'string') return `the text ${JSON.stringify(value)}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

// ---------------------------------------------------------------------------------------------
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
      this.problems.push({ file: this.file, ...place, severity: issue.severity, message: `YAML: ${issue.message}`, hint: 'fix the YAML syntax of the front matter' });
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
  list<T>(node: YamlNode | undefined, label: string, item: (node: YamlNode | undefined, label: string) => T | undefined): Array<{ value: T; node: YamlNode | undefined }> | undefined {
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

// ---------------------------------------------------------------------------------------------
// cases/ID.md

/** Parses one case file's text (for live validation of an unsaved editor buffer). */
export function parseCase(text: string, file: string): { note?: CaseNote; problems: Problem[] } {
  const r = new FrontMatterReader(file, stripBom(text));
  try {
    const map = r.open('case');
    if (map === undefined) return { problems: sortProblems(r.problems) };
    const stem = fileStem(file);
    const f = r.fields(map, CASE_FIELDS, 'a case');

    const id = f.get('id');
    const idText = r.name(id?.value, 'id');
    if (idText === undefined) {
      if (!id?.value || isNull(id.value)) r.report(id?.key, 'error', 'id is required', `add "id: ${stem}" (the file name without .md)`);
    }
    else if (idText !== stem) r.report(id?.value, 'error', `id "${idText}" must equal the file name "${stem}"`, `write "id: ${stem}", or rename the file to ${idText}.md`);

    const titleField = f.get('title');
    const title = r.string(titleField?.value, 'title');
    if (!title?.trim()) r.report(titleField?.value ?? titleField?.key, 'error', 'title is required', 'add "title: …", a short name for the case');

    const note: CaseNote = { id: stem, title: title?.trim() || stem, areas: [], file, body: r.body, bodyOffset: r.bodyOffset };
    const setting = r.string(f.get('setting')?.value, 'setting');
    if (setting !== undefined) {
      if ((SETTINGS as readonly string[]).includes(setting)) note.setting = setting as Setting;
      else r.report(f.get('setting')?.value, 'error', `setting "${setting}" is not one of ${SETTINGS.join(', ')}`, 'use one of those words, or leave setting out');
    }
    const specialty = r.string(f.get('specialty')?.value, 'specialty');
    if (specialty !== undefined) note.specialty = specialty;
    const areas = r.list(f.get('areas')?.value, 'areas', (node, label) => r.string(node, `each of ${label}`));
    if (areas) note.areas = areas.map((a) => a.value);
    const difficulty = r.integer(f.get('difficulty')?.value, 'difficulty', 1, 5, 'use 1 (easy) to 5 (hard), or leave difficulty out');
    if (difficulty !== undefined) note.difficulty = difficulty;
    const instructions = r.string(f.get('instructions')?.value, 'instructions');
    if (instructions !== undefined) note.instructions = instructions;
    return { note, problems: sortProblems(r.problems) };
  } catch (e) {
    r.report(undefined, 'error', `could not read the case: ${(e as Error)?.message ?? String(e)}`, BUG_HINT);
    return { problems: sortProblems(r.problems) };
  }
}

// ---------------------------------------------------------------------------------------------
// keys/ID.md

/** Places of a key line's parts, for validateKey's problems (the KeyLine itself has only its line). */
interface LinePlaces {
  code: Place;
  accept: Place[];
  links: Place[];
  evidence: Place[];
}
const linePlaces = new WeakMap<KeyLine, LinePlaces>();
const keyPlaces = new WeakMap<AnswerKey, Place>();

/** Parses one key file's text; validation against its case (evidence, links) happens in validateKey. */
export function parseKey(text: string, file: string): { key?: AnswerKey; problems: Problem[] } {
  const r = new FrontMatterReader(file, stripBom(text));
  try {
    const map = r.open('key');
    if (map === undefined) return { problems: sortProblems(r.problems) };
    const stem = fileStem(file);
    const f = r.fields(map, KEY_FIELDS, 'a key');

    const caseField = f.get('case');
    const caseId = r.name(caseField?.value, 'case');
    if (caseId === undefined) {
      if (!caseField?.value || isNull(caseField.value)) r.report(caseField?.key, 'error', 'case is required', `add "case: ${stem}" (the case this key answers)`);
    }
    else if (caseId !== stem) r.report(caseField?.value, 'error', `case "${caseId}" must equal the file name "${stem}"`, `write "case: ${stem}", or rename the file to ${caseId}.md`);

    const key: AnswerKey = { case: stem, file, diagnoses: [], procedures: [], rationale: r.body };
    keyPlaces.set(key, r.place(caseField?.key));
    for (const [field, kind] of [['diagnoses', 'diagnosis'], ['procedures', 'procedure']] as const) {
      const entries = r.list(f.get(field)?.value, field, (node) => node);
      (entries ?? []).forEach(({ node }, i) => {
        const line = readKeyLine(r, node, kind, `${field} #${i + 1}`);
        if (line) key[field].push(line);
      });
    }
    return { key, problems: sortProblems(r.problems) };
  } catch (e) {
    r.report(undefined, 'error', `could not read the key: ${(e as Error)?.message ?? String(e)}`, BUG_HINT);
    return { problems: sortProblems(r.problems) };
  }
}

function readKeyLine(r: FrontMatterReader, node: YamlNode | undefined, kind: LineKind, label: string): KeyLine | undefined {
  if (!isMap(node)) {
    r.report(node, 'error', `${label} must be a set of fields starting with code`, 'write "- code: E11.9" (more fields below it, indented)');
    return undefined;
  }
  const f = r.fields(node, LINE_FIELDS, label);
  const codeField = f.get('code');
  const code = r.code(codeField?.value, `${label} code`);
  if (code === undefined) {
    if (!codeField || codeField.value === undefined || isNull(codeField.value)) r.report(codeField?.key ?? node, 'error', `${label}: code is required`, 'add "code: …"');
    return undefined;
  }

  // Which system: diagnoses are ICD-10-CM; a procedure's system comes from its shape unless given.
  let system: CodeSystem | undefined;
  const systemNode = f.get('system')?.value;
  const given = r.string(systemNode, `${label} system`);
  if (given !== undefined && !isCodeSystem(given)) {
    r.report(systemNode, 'error', `${label}: system "${given}" is not one of ${CODE_SYSTEMS.join(', ')}`, 'use one of those, or leave system out');
    return undefined;
  }
  if (kind === 'diagnosis') {
    if (given && given !== 'ICD-10-CM') {
      r.report(systemNode, 'error', `${label}: diagnoses hold ICD-10-CM codes only, not ${given}`, `move ${code} to procedures`);
      return undefined;
    }
    system = 'ICD-10-CM';
  } else if (given === 'ICD-10-CM') {
    r.report(systemNode, 'error', `${label}: procedures hold CPT or HCPCS codes, not ICD-10-CM`, `move ${code} to diagnoses`);
    return undefined;
  } else {
    system = given ?? procedureSystem(code);
  }
  if (!system) {
    r.report(codeField?.value, 'error', `${label} code "${code}" is not a CPT or HCPCS code`, hasShape('ICD-10-CM', code)
      ? `it looks like an ICD-10-CM code: move it to diagnoses`
      : `CPT is ${SHAPE_EXAMPLES.CPT}; HCPCS is ${SHAPE_EXAMPLES.HCPCS}`);
    return undefined;
  }
  if (!hasShape(system, code)) {
    r.report(codeField?.value, 'error', `${label} code "${code}" is not a valid ${system} code`, `${system} codes are ${SHAPE_EXAMPLES[system]}`);
  }

  const line: KeyLine = {
    kind,
    system,
    code,
    modifiers: [],
    units: 1,
    accept: [],
    evidence: [],
    points: 1,
    optional: false,
    line: r.place(node).line,
  };
  const places: LinePlaces = { code: r.place(codeField?.value), accept: [], links: [], evidence: [] };

  const procedureOnly = (field: string) => {
    if (kind === 'diagnosis' && f.has(field)) {
      r.report(f.get(field)?.key, 'warning', `${label}: ${field} applies to procedure lines only and is ignored here`, `remove ${field} from this diagnosis`);
    }
  };
  procedureOnly('modifiers');
  procedureOnly('units');
  procedureOnly('links');

  const modifiers = r.list(f.get('modifiers')?.value, `${label} modifiers`, (n, l) => r.code(n, `${l.replace(/s$/, '')}`));
  for (const m of modifiers ?? []) {
    if (isModifier(m.value)) line.modifiers.push(normalizeModifier(m.value));
    else r.report(m.node, 'error', `${label} modifier "${m.value}" is not a modifier`, 'a modifier is two letters or digits, e.g. 25, 59, RT, XS');
  }
  const units = r.integer(f.get('units')?.value, `${label} units`, 1, Number.MAX_SAFE_INTEGER, 'units counts how often the service was given; leave it out for 1');
  if (units !== undefined) line.units = units;

  const links = r.list(f.get('links')?.value, `${label} links`, (n, l) => r.code(n, `${l.replace(/s$/, '')}`));
  if (links && kind === 'procedure') {
    line.links = links.map((l) => l.value);
    places.links = links.map((l) => r.place(l.node));
  }

  const accept = r.list(f.get('accept')?.value, `${label} accept`, (n, l) => r.code(n, `${l} code`));
  for (const a of accept ?? []) {
    if (!hasShape(system, a.value)) {
      r.report(a.node, 'error', `${label} accept code "${a.value}" is not a valid ${system} code`, `${system} codes are ${SHAPE_EXAMPLES[system]}`);
      continue;
    }
    line.accept.push(a.value);
    places.accept.push(r.place(a.node));
  }

  const evidence = r.list(f.get('evidence')?.value, `${label} evidence`, (n, l) => r.string(n, `each phrase of ${l}`));
  for (const e of evidence ?? []) {
    if (!e.value.trim()) {
      r.report(e.node, 'error', `${label} evidence has an empty phrase`, 'remove it, or copy a phrase from the case');
      continue;
    }
    line.evidence.push(e.value);
    places.evidence.push(r.place(e.node));
  }

  const why = r.string(f.get('why')?.value, `${label} why`);
  if (why !== undefined) line.why = why;

  const pointsNode = f.get('points')?.value;
  if (pointsNode && !isNull(pointsNode)) {
    const points = isScalar(pointsNode) ? pointsNode.value : undefined;
    if (typeof points === 'number' && Number.isFinite(points) && points > 0) line.points = points;
    else r.report(pointsNode, 'error', `${label} points must be a number above 0, not ${shown(pointsNode, r.yaml)}`, 'leave points out for the default of 1, or use optional: true for a line worth nothing');
  }

  const optionalNode = f.get('optional')?.value;
  if (optionalNode && !isNull(optionalNode)) {
    if (isScalar(optionalNode) && typeof optionalNode.value === 'boolean') line.optional = optionalNode.value;
    else r.report(optionalNode, 'error', `${label} optional must be true or false, not ${shown(optionalNode, r.yaml)}`, 'write optional: true, or leave it out');
  }

  linePlaces.set(line, places);
  return line;
}

/** Checks a key against its case (evidence, links), itself (duplicates, something to earn) and the optional real-code check. */
export function validateKey(key: AnswerKey, note: CaseNote | undefined, options: LoadOptions = {}): Problem[] {
  try {
    return checkKey(key, note, options);
  } catch (e) {
    return [problemAt(key.file, `could not check the key: ${(e as Error)?.message ?? String(e)}`, BUG_HINT)];
  }
}

function checkKey(key: AnswerKey, note: CaseNote | undefined, options: LoadOptions): Problem[] {
  const problems: Problem[] = [];
  const keyPlace = keyPlaces.get(key) ?? { line: 1, column: 1 };
  const report = (place: Place, message: string, hint?: string) => problems.push({ file: key.file, ...place, severity: 'error', message, hint });

  if (note && note.id !== key.case) report(keyPlace, `case "${key.case}" does not match the case "${note.id}"`, `write "case: ${note.id}"`);

  const lines = [...key.diagnoses, ...key.procedures];
  if (lines.length === 0) report(keyPlace, 'the key lists no codes: nothing can be earned', 'add diagnoses and procedures');
  else if (lines.every((l) => l.optional)) report(keyPlace, 'every line of the key is optional: nothing can be earned', 'make at least one line not optional');

  const diagnoses = new Set(key.diagnoses.map((d) => normalizeCode('ICD-10-CM', d.code)));
  const seen = new Set<string>();
  for (const [field, list] of [['diagnoses', key.diagnoses], ['procedures', key.procedures]] as const) {
    list.forEach((line, i) => {
      const label = `${field} #${i + 1}`;
      const places = linePlaces.get(line) ?? { code: { line: line.line, column: 1 }, accept: [], links: [], evidence: [] };
      const at = (list: Place[], j: number) => list[j] ?? places.code;

      const identity = [line.system, normalizeCode(line.system, line.code), [...line.modifiers].map(normalizeModifier).sort().join(',')].join('|');
      if (seen.has(identity)) {
        report(places.code, `${label}: ${line.code}${line.modifiers.length ? ` with modifiers ${line.modifiers.join(', ')}` : ''} is listed twice`, 'remove one of them (use units for a service given more than once)');
      }
      seen.add(identity);

      (line.links ?? []).forEach((link, j) => {
        if (!diagnoses.has(normalizeCode('ICD-10-CM', link))) {
          report(at(places.links, j), `${label} links ${link}, which is not in this key's diagnoses`, `add ${link} to diagnoses, or link one of: ${key.diagnoses.map((d) => d.code).join(', ') || '(none)'}`);
        }
      });

      if (options.checkCode) {
        const codes = [line.code, ...line.accept];
        codes.forEach((code, j) => {
          const message = safeCheck(options.checkCode!, line.system, code);
          if (message) report(j === 0 ? places.code : at(places.accept, j - 1), `${label}: ${message}`, `check ${code} in the code set`);
        });
      }

      if (note) {
        line.evidence.forEach((phrase, j) => {
          if (findEvidence(note.body, phrase).length === 0) {
            report(at(places.evidence, j), `${label} evidence "${phrase}" is not in the case text`, `copy the phrase from ${note.file} (letter case and spacing may differ)`);
          }
        });
      }
    });
  }
  return sortProblems(problems);
}

function safeCheck(check: NonNullable<LoadOptions['checkCode']>, system: CodeSystem, code: string): string | undefined {
  try {
    return check(system, code);
  } catch (e) {
    return `could not check ${code}: ${(e as Error)?.message ?? String(e)}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Evidence

/** Places (UTF-16 [start,end) in note.body) where an evidence phrase occurs: case-insensitive, any run of white space matching any run of white space. Used by grading and Show Evidence. */
export function findEvidence(body: string, phrase: string): Array<{ start: number; end: number }> {
  const words = phrase.split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  const pattern = new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+'), 'giu');
  const places: Array<{ start: number; end: number }> = [];
  for (const m of body.matchAll(pattern)) places.push({ start: m.index, end: m.index + m[0].length });
  return places;
}

// ---------------------------------------------------------------------------------------------
// codes/*.csv

const GLOSSARY_COLUMNS = ['code', 'system', 'description'] as const;

/** Parses a pack glossary (`code,system,description` with a header row). */
export function parseGlossary(text: string, file: string): { entries: GlossaryEntry[]; problems: Problem[] } {
  try {
    return readGlossary(text, file);
  } catch (e) {
    return { entries: [], problems: [problemAt(file, `could not read the glossary: ${(e as Error)?.message ?? String(e)}`, BUG_HINT)] };
  }
}

function readGlossary(text: string, file: string): { entries: GlossaryEntry[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const entries: GlossaryEntry[] = [];
  const report = (line: number, column: number, message: string, hint?: string) => problems.push({ file, line, column, severity: 'error', message, hint });

  let rows: Array<{ record: string[]; raw: string; info: { lines: number } }>;
  try {
    rows = parseCsv(stripBom(text), { relax_column_count: true, skip_empty_lines: true, info: true, raw: true }) as unknown as typeof rows;
  } catch (e) {
    const err = e as Error & { lines?: number };
    report(Math.max(1, err.lines ?? 1), 1, `not valid CSV: ${err.message.replace(/^[A-Za-z ]+: /, '')}`, 'check the quotes and commas of this row');
    return { entries, problems };
  }
  if (rows.length === 0) return { entries, problems };

  const header = rows[0].record.map((h) => h.trim().toLowerCase());
  const index = GLOSSARY_COLUMNS.map((c) => header.indexOf(c));
  if (index.some((i) => i < 0)) {
    report(startLine(rows[0]), 1, `the header row must be ${GLOSSARY_COLUMNS.join(',')}`, `make the first line "${GLOSSARY_COLUMNS.join(',')}"`);
    return { entries, problems };
  }

  for (const row of rows.slice(1)) {
    const line = startLine(row);
    const cell = (i: number) => row.record[i]?.trim() ?? '';
    const placeOf = (i: number): Place => fieldPlace(row, i, line);
    if (row.record.length < header.length) {
      report(line, 1, `this row has ${row.record.length} fields, the header has ${header.length}`, `write code,system,description`);
      continue;
    }
    const code = cell(index[0]).toUpperCase();
    const system = cell(index[1]);
    if (!isCodeSystem(system)) {
      const p = placeOf(index[1]);
      report(p.line, p.column, `system "${system}" is not one of ${CODE_SYSTEMS.join(', ')}`, 'write the system exactly as shown');
      continue;
    }
    if (!hasShape(system, code)) {
      const p = placeOf(index[0]);
      report(p.line, p.column, `code "${code}" is not a valid ${system} code`, `${system} codes are ${SHAPE_EXAMPLES[system]}`);
      continue;
    }
    entries.push({ code, system, description: cell(index[2]) });
  }
  return { entries, problems: sortProblems(problems) };
}

/** The line a CSV row starts on: csv-parse counts to its end, and its raw text includes skipped blank lines. */
function startLine(row: { raw: string; info: { lines: number } }): number {
  const content = row.raw.replace(/^(\r?\n|\r)+/, '').replace(/(\r?\n|\r)$/, '');
  const breaks = content.match(/\r?\n|\r/g)?.length ?? 0;
  return Math.max(1, row.info.lines - breaks);
}

/** Where field `i` of a row starts, found by looking for its value in the row's raw text (column 1 when it cannot be found). */
function fieldPlace(row: { record: string[]; raw: string }, i: number, line: number): Place {
  const content = row.raw.replace(/^(\r?\n|\r)+/, '');
  let from = 0;
  for (let j = 0; j <= i; j++) {
    const at = content.indexOf(row.record[j] ?? '', from);
    if (at < 0) return { line, column: 1 };
    if (j === i) {
      const p = new TextPositions(content).at(at);
      return { line: line + p.line - 1, column: p.column };
    }
    from = at + (row.record[j] ?? '').length;
  }
  return { line, column: 1 };
}

// ---------------------------------------------------------------------------------------------
// Output

/** `path:line:col: severity: message`, the line format of `casebook validate`. */
export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.severity}: ${p.message}`;
}

/** Sorted by file, line, column: the same input always gives the same list. */
export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
}
