// casebook.json: JSON checked against schemas/casebook.schema.json, each problem at its field's place.
import Ajv, { type ErrorObject } from 'ajv';
import { isMap, isScalar, parseDocument, type Node as YamlNode } from 'yaml';
import manifestSchema from '../../../schemas/casebook.schema.json';
import { TextPositions, nodeStart } from '../frontmatter';
import { DEFAULT_POLICY, type Manifest, type Policy, type Problem } from '../model';
import { problemAt, unsafeFolderName } from './paths';
import { sortProblems } from './problems';
import { BUG_HINT } from './types';

const POLICY_FIELDS = Object.keys(DEFAULT_POLICY) as Array<keyof Policy>;

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
    const steps = pointer
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const node = steps.length ? (doc.getIn(steps, true) as YamlNode | undefined) : (doc.contents as YamlNode | null);
    if (key !== undefined && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && p.key.value === key);
      if (pair) return nodeStart(pair.key) ?? 0;
    }
    return nodeStart(node) ?? 0;
  };

  validateManifestSchema ??= new Ajv({ allErrors: true, verbose: true, strict: false }).compile(manifestSchema);
  void validateManifestSchema(data); // synchronous (the schema is not $async): the outcome is in .errors
  const errors = validateManifestSchema.errors ?? [];
  const badPaths = new Set<string>();
  for (const error of errors) {
    const described = describeSchemaError(error);
    report(
      placeOf(error.instancePath, described.key),
      described.severity,
      described.message,
      described.hint ?? 'see the description of casebook.json in formats.md',
    );
    if (described.severity === 'error') badPaths.add(error.instancePath + (described.key ? `/${described.key}` : ''));
  }

  const o = data as Record<string, unknown>;
  const usable = (field: string) => ![...badPaths].some((p) => p === `/${field}` || p.startsWith(`/${field}/`));
  if (o.format !== 1 || !usable('id') || !usable('title') || typeof o.id !== 'string' || typeof o.title !== 'string') {
    return { problems: sortProblems(problems) };
  }
  const manifest: Manifest = { format: 1, id: o.id, title: o.title };
  for (const field of ['version', 'author', 'license', 'description', 'cases', 'keys', 'codes'] as const) {
    if (typeof o[field] === 'string' && usable(field)) manifest[field] = o[field];
  }
  if (typeof o.codeSetYear === 'number' && usable('codeSetYear')) manifest.codeSetYear = o.codeSetYear;
  if (typeof o.showAreas === 'boolean' && usable('showAreas')) manifest.showAreas = o.showAreas;
  if (typeof o.grading === 'object' && o.grading !== null && !badPaths.has('/grading')) {
    const grading: Record<string, unknown> = {};
    for (const name of POLICY_FIELDS) {
      const value = (o.grading as Record<string, unknown>)[name];
      if (value !== undefined && !badPaths.has(`/grading/${name}`)) grading[name] = value;
    }
    manifest.grading = grading;
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
        hint: `check the spelling; known fields: ${Object.keys(properties)
          .filter((k) => k !== '$schema')
          .join(', ')}`,
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
  if (typeof value === 'boolean') return `boolean ${value}`;
  return typeof value === 'object' ? 'an object' : typeof value; // JSON has nothing else
}
