// keys/ID.md: the answer key's lines, read with their places, then checked against the case.
import { isMap, isScalar, type Node as YamlNode } from 'yaml';
import {
  DIAGNOSIS_SYSTEM,
  SHAPE_EXAMPLES,
  hasShape,
  isCodeSystem,
  isDiagnosisSystem,
  isModifier,
  normalizeCode,
  normalizeDiagnosis,
  normalizeModifier,
  procedureSystem,
} from '../codes';
import { findEvidence } from '../evidence';
import { stripBom } from '../fs';
import { CODE_SYSTEMS, type AnswerKey, type CaseNote, type CodeSystem, type KeyLine, type LineKind, type Problem } from '../model';
import { FrontMatterReader, fileStem, isNull, shown } from './frontMatterReader';
import { problemAt } from './paths';
import { sortProblems } from './problems';
import { BUG_HINT, type LoadOptions, type Place } from './types';

const KEY_FIELDS = ['case', 'diagnoses', 'procedures', 'firstListed'];

/**
 * What one key may hold (docs/formats.md), so a pack from a stranger cannot make checking or grading
 * crawl: lines per list (diagnoses, procedures), evidence phrases per line, characters per phrase.
 */
/** A key line with what a key file may leave out: no modifiers, 1 unit, 1 point, required, line 1. */
export function newKeyLine(kind: LineKind, system: CodeSystem, code: string, fields: Partial<KeyLine> = {}): KeyLine {
  return { kind, system, code, modifiers: [], units: 1, accept: [], evidence: [], points: 1, optional: false, line: 1, ...fields };
}

export const KEY_LIMITS = { lines: 100, phrasesPerLine: 10, phraseLength: 300 } as const;
const LINE_FIELDS = ['code', 'system', 'modifiers', 'units', 'links', 'accept', 'evidence', 'why', 'points', 'optional'];

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
const firstListedPlaces = new WeakMap<AnswerKey, Place[]>();

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
      if (!caseField?.value || isNull(caseField.value))
        r.report(caseField?.key, 'error', 'case is required', `add "case: ${stem}" (the case this key answers)`);
    } else if (caseId !== stem)
      r.report(caseField?.value, 'error', `case "${caseId}" must equal the file name "${stem}"`, `write "case: ${stem}", or rename the file to ${caseId}.md`);

    const key: AnswerKey = { case: stem, file, diagnoses: [], procedures: [], rationale: r.body };
    keyPlaces.set(key, r.place(caseField?.key));
    for (const [field, kind] of [
      ['diagnoses', 'diagnosis'],
      ['procedures', 'procedure'],
    ] as const) {
      const entries = r.list(f.get(field)?.value, field, (node) => node);
      (entries ?? []).forEach(({ node }, i) => {
        if (i === KEY_LIMITS.lines) {
          r.report(node, 'error', `${field} has more than ${KEY_LIMITS.lines} lines; the rest are not read`, 'split the case: no claim has that many lines');
        }
        if (i >= KEY_LIMITS.lines) return;
        const line = readKeyLine(r, node, kind, `${field} #${i + 1}`);
        if (line) key[field].push(line);
      });
    }
    const firstListed = r.list(f.get('firstListed')?.value, 'firstListed', (n, l) => r.code(n, `each code of ${l}`));
    if (firstListed) {
      key.firstListed = firstListed.map((c) => c.value);
      firstListedPlaces.set(
        key,
        firstListed.map((c) => r.place(c.node)),
      );
    }
    return { key, problems: sortProblems(r.problems) };
  } catch (e) {
    r.report(undefined, 'error', `could not read the key: ${(e as Error)?.message ?? String(e)}`, BUG_HINT);
    return { problems: sortProblems(r.problems) };
  }
}

/** A key line's fields by name, as FrontMatterReader.fields gives them. */
type Fields = ReturnType<FrontMatterReader['fields']>;

/** One entry of diagnoses/procedures: its code and system, then the procedure parts, code lists and scoring. */
function readKeyLine(r: FrontMatterReader, node: YamlNode | undefined, kind: LineKind, label: string): KeyLine | undefined {
  if (!isMap(node)) {
    r.report(node, 'error', `${label} must be a set of fields starting with code`, 'write "- code: E11.9" (more fields below it, indented)');
    return undefined;
  }
  const f = r.fields(node, LINE_FIELDS, label);
  const codeField = f.get('code');
  const code = r.code(codeField?.value, `${label} code`);
  if (code === undefined) {
    if (!codeField || codeField.value === undefined || isNull(codeField.value))
      r.report(codeField?.key ?? node, 'error', `${label}: code is required`, 'add "code: …"');
    return undefined;
  }
  const system = readSystem(r, f, kind, label, code);
  if (!system) return undefined;

  const line = newKeyLine(kind, system, code, { line: r.place(node).line });
  const places: LinePlaces = { code: r.place(codeField?.value), accept: [], links: [], evidence: [] };
  readProcedureParts(r, f, line, places, label);
  readCodeLists(r, f, line, places, label);
  readScoring(r, f, line, label);
  linePlaces.set(line, places);
  return line;
}

/** Which system: diagnoses are ICD-10-CM; a procedure's system comes from its shape unless given. Undefined after a problem. */
function readSystem(r: FrontMatterReader, f: Fields, kind: LineKind, label: string, code: string): CodeSystem | undefined {
  const codeNode = f.get('code')?.value;
  const systemNode = f.get('system')?.value;
  const given = r.string(systemNode, `${label} system`);
  if (given !== undefined && !isCodeSystem(given)) {
    r.report(systemNode, 'error', `${label}: system "${given}" is not one of ${CODE_SYSTEMS.join(', ')}`, 'use one of those, or leave system out');
    return undefined;
  }
  let system: CodeSystem | undefined;
  if (kind === 'diagnosis') {
    if (given && !isDiagnosisSystem(given)) {
      r.report(systemNode, 'error', `${label}: diagnoses hold ${DIAGNOSIS_SYSTEM} codes only, not ${given}`, `move ${code} to procedures`);
      return undefined;
    }
    system = DIAGNOSIS_SYSTEM;
  } else if (given && isDiagnosisSystem(given)) {
    r.report(systemNode, 'error', `${label}: procedures hold CPT or HCPCS codes, not ${DIAGNOSIS_SYSTEM}`, `move ${code} to diagnoses`);
    return undefined;
  } else {
    system = given ?? procedureSystem(code);
  }
  if (!system) {
    r.report(
      codeNode,
      'error',
      `${label} code "${code}" is not a CPT or HCPCS code`,
      hasShape(DIAGNOSIS_SYSTEM, code)
        ? `it looks like an ICD-10-CM code: move it to diagnoses`
        : `CPT is ${SHAPE_EXAMPLES.CPT}; HCPCS is ${SHAPE_EXAMPLES.HCPCS}`,
    );
    return undefined;
  }
  if (!hasShape(system, code)) {
    r.report(codeNode, 'error', `${label} code "${code}" is not a valid ${system} code`, `${system} codes are ${SHAPE_EXAMPLES[system]}`);
  }
  return system;
}

/** modifiers, units and links: procedure lines only (a diagnosis with them gets a warning). */
function readProcedureParts(r: FrontMatterReader, f: Fields, line: KeyLine, places: LinePlaces, label: string): void {
  if (line.kind === 'diagnosis') {
    for (const field of ['modifiers', 'units', 'links']) {
      if (f.has(field))
        r.report(f.get(field)?.key, 'warning', `${label}: ${field} applies to procedure lines only and is ignored here`, `remove ${field} from this diagnosis`);
    }
  }
  const modifiers = r.list(f.get('modifiers')?.value, `${label} modifiers`, (n, l) => r.code(n, `${l.replace(/s$/, '')}`));
  for (const m of modifiers ?? []) {
    if (isModifier(m.value)) line.modifiers.push(normalizeModifier(m.value));
    else r.report(m.node, 'error', `${label} modifier "${m.value}" is not a modifier`, 'a modifier is two letters or digits, e.g. 25, 59, RT, XS');
  }
  const units = r.integer(
    f.get('units')?.value,
    `${label} units`,
    1,
    Number.MAX_SAFE_INTEGER,
    'units counts how often the service was given; leave it out for 1',
  );
  if (units !== undefined) line.units = units;

  const links = r.list(f.get('links')?.value, `${label} links`, (n, l) => r.code(n, `${l.replace(/s$/, '')}`));
  if (links && line.kind === 'procedure') {
    line.links = links.map((l) => l.value);
    places.links = links.map((l) => r.place(l.node));
  }
}

/** accept (other codes of the line's system that earn full credit) and evidence (phrases of the note). */
function readCodeLists(r: FrontMatterReader, f: Fields, line: KeyLine, places: LinePlaces, label: string): void {
  const accept = r.list(f.get('accept')?.value, `${label} accept`, (n, l) => r.code(n, `${l} code`));
  for (const a of accept ?? []) {
    if (!hasShape(line.system, a.value)) {
      r.report(
        a.node,
        'error',
        `${label} accept code "${a.value}" is not a valid ${line.system} code`,
        `${line.system} codes are ${SHAPE_EXAMPLES[line.system]}`,
      );
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
    if (e.value.length > KEY_LIMITS.phraseLength) {
      r.report(
        e.node,
        'error',
        `${label} evidence has a phrase of ${e.value.length} characters (at most ${KEY_LIMITS.phraseLength})`,
        'quote the few words that support the code, not a whole passage',
      );
      continue;
    }
    if (line.evidence.length === KEY_LIMITS.phrasesPerLine) {
      r.report(
        e.node,
        'error',
        `${label} has more than ${KEY_LIMITS.phrasesPerLine} evidence phrases; the rest are not read`,
        'keep the phrases that decide the code',
      );
      break;
    }
    line.evidence.push(e.value);
    places.evidence.push(r.place(e.node));
  }
}

/** why, points and optional. */
function readScoring(r: FrontMatterReader, f: Fields, line: KeyLine, label: string): void {
  const why = r.string(f.get('why')?.value, `${label} why`);
  if (why !== undefined) line.why = why;

  const pointsNode = f.get('points')?.value;
  if (pointsNode && !isNull(pointsNode)) {
    const points = isScalar(pointsNode) ? pointsNode.value : undefined;
    if (typeof points === 'number' && Number.isFinite(points) && points > 0) line.points = points;
    else
      r.report(
        pointsNode,
        'error',
        `${label} points must be a number above 0, not ${shown(pointsNode, r.yaml)}`,
        'leave points out for the default of 1, or use optional: true for a line worth nothing',
      );
  }

  const optionalNode = f.get('optional')?.value;
  if (optionalNode && !isNull(optionalNode)) {
    if (isScalar(optionalNode) && typeof optionalNode.value === 'boolean') line.optional = optionalNode.value;
    else
      r.report(optionalNode, 'error', `${label} optional must be true or false, not ${shown(optionalNode, r.yaml)}`, 'write optional: true, or leave it out');
  }
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

  const diagnoses = new Set(key.diagnoses.map((d) => normalizeDiagnosis(d.code)));
  (key.firstListed ?? []).forEach((code, j) => {
    const place = firstListedPlaces.get(key)?.[j] ?? keyPlace;
    const optional = key.diagnoses.find((d) => normalizeDiagnosis(d.code) === normalizeDiagnosis(code))?.optional;
    if (!diagnoses.has(normalizeDiagnosis(code))) {
      report(
        place,
        `firstListed names ${code}, which is not in this key's diagnoses`,
        `list only diagnoses of this key: ${key.diagnoses.map((d) => d.code).join(', ') || '(none)'}`,
      );
    } else if (optional) {
      report(
        place,
        `firstListed names ${code}, an optional diagnosis`,
        'a diagnosis that may be listed first is required: remove optional from it, or drop it here',
      );
    }
  });
  if (key.firstListed && key.diagnoses[0] && !key.firstListed.some((c) => normalizeDiagnosis(c) === normalizeDiagnosis(key.diagnoses[0].code))) {
    report(
      firstListedPlaces.get(key)?.[0] ?? keyPlace,
      `firstListed leaves out ${key.diagnoses[0].code}, the key's first diagnosis`,
      `add ${key.diagnoses[0].code} to firstListed, or move the diagnosis that must be first to the top`,
    );
  }
  const seen = new Set<string>();
  for (const [field, list] of [
    ['diagnoses', key.diagnoses],
    ['procedures', key.procedures],
  ] as const) {
    list.forEach((line, i) => {
      const label = `${field} #${i + 1}`;
      const places = linePlaces.get(line) ?? { code: { line: line.line, column: 1 }, accept: [], links: [], evidence: [] };
      const at = (list: Place[], j: number) => list[j] ?? places.code;

      const identity = [line.system, normalizeCode(line.system, line.code), [...line.modifiers].map(normalizeModifier).sort().join(',')].join('|');
      if (seen.has(identity)) {
        report(
          places.code,
          `${label}: ${line.code}${line.modifiers.length ? ` with modifiers ${line.modifiers.join(', ')}` : ''} is listed twice`,
          'remove one of them (use units for a service given more than once)',
        );
      }
      seen.add(identity);

      (line.links ?? []).forEach((link, j) => {
        if (!diagnoses.has(normalizeDiagnosis(link))) {
          report(
            at(places.links, j),
            `${label} links ${link}, which is not in this key's diagnoses`,
            `add ${link} to diagnoses, or link one of: ${key.diagnoses.map((d) => d.code).join(', ') || '(none)'}`,
          );
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
            report(
              at(places.evidence, j),
              `${label} evidence "${phrase}" is not in the case text`,
              `copy the phrase from ${note.file} (letter case and spacing may differ)`,
            );
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
