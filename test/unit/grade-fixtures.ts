// Small builders for grading fixtures: a note, key lines written as in a key file, and tags.
import { procedureSystem } from '../../src/core/codes';
import type { AnswerKey, CaseNote, CodeSystem, KeyLine, Tag, WorkFile } from '../../src/core/model';
import { newKeyLine } from '../../src/core/pack/key';

export const BODY =
  'Patient with type 2 diabetes and hyperlipidemia. Essential hypertension, stable. ' +
  'Pneumonia of the right lower lobe. Flu shot given today. Knee injections both sides.';

export function note(body = BODY, areas: string[] = ['ICD-10-CM']): CaseNote {
  return { id: 'c1', title: 'Case one', areas, file: 'cases/c1.md', body, bodyOffset: 0 };
}

type KeySpec = Partial<Omit<KeyLine, 'kind' | 'system' | 'code'>> & { system?: CodeSystem };

export function dx(code: string, spec: KeySpec = {}): KeyLine {
  return keyLine('diagnosis', 'ICD-10-CM', code, spec);
}

export function px(code: string, spec: KeySpec = {}): KeyLine {
  return keyLine('procedure', procedureSystem(code) ?? 'CPT', code, spec);
}

function keyLine(kind: KeyLine['kind'], system: CodeSystem, code: string, spec: KeySpec): KeyLine {
  return newKeyLine(kind, spec.system ?? system, code.toUpperCase(), spec);
}

export function key(diagnoses: KeyLine[], procedures: KeyLine[] = [], rationale = ''): AnswerKey {
  return { case: 'c1', file: 'keys/c1.md', diagnoses, procedures, rationale };
}

let nextTag = 0;
export function tag(code: string, spec: Partial<Tag> = {}): Tag {
  const system: CodeSystem = spec.system ?? procedureSystem(code) ?? 'ICD-10-CM';
  return { id: `t${++nextTag}`, system, code, modifiers: [], units: 1, links: [], ...spec };
}

/** A diagnosis tag, even for a code that also has a HCPCS shape. */
export function dxTag(code: string, spec: Partial<Tag> = {}): Tag {
  return tag(code, { system: 'ICD-10-CM', ...spec });
}

export function work(tags: Tag[]): WorkFile {
  return { format: 1, case: 'c1', noteSha256: '', updated: '2026-01-01T00:00:00.000Z', tags };
}

/** An anchor over the first occurrence of `phrase` in BODY. */
export function at(phrase: string, body = BODY): Tag['anchor'] {
  const start = body.indexOf(phrase);
  if (start < 0) throw new Error(`fixture: '${phrase}' not in body`);
  return { start, end: start + phrase.length, quote: phrase, prefix: '', suffix: '' };
}
