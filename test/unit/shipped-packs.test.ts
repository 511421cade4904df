// Every pack shipped in practice/ must be trustworthy teaching material: codes that exist in the
// code-set year the pack targets, evidence that is really in the note, and a clean `casebook validate`.
import assert from 'assert';
import fs from 'fs';
import path from 'path';
import { hasShape, isModifier, normalizeCode, normalizeModifier } from '../../src/core/codes';
import { grade, resolvePolicy } from '../../src/core/grade';
import type { AnswerKey, CaseNote, KeyLine, Pack, PackLoad, Tag, WorkFile } from '../../src/core/model';
import { findEvidence } from '../../src/core/evidence';
import { formatProblem, loadPack } from '../../src/core/pack';
import { newWork } from '../../src/core/work';
import { nodeFs } from '../../src/node/nodeFs';
import { CPC_AREAS } from '../../src/core/areas';
import { CODESETS, codeSetsPresent, hcpcsProblem, knownModifier, officialCodes } from './official-codes';

const PRACTICE = path.resolve(__dirname, '../../practice');
// The CPC exam's content areas (grading.md): shipped packs use these labels only.
const CPC_AREA_SET = new Set(CPC_AREAS);

/** Evidence is compared as the validator does: case-insensitively, with white space folded. */
function fold(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Every ICD-10-CM code a key names: the code, its accepted alternatives, and procedure pointers. */
function icdCodes(key: AnswerKey): string[] {
  return [...key.diagnoses.flatMap((l) => [l.code, ...l.accept]), ...key.procedures.flatMap((l) => l.links ?? [])];
}

/** Procedure codes with the system the key line gives them (an accepted code shares its line's system). */
function procedureCodes(key: AnswerKey): Array<{ code: string; line: KeyLine }> {
  return key.procedures.flatMap((line) => [line.code, ...line.accept].map((code) => ({ code: code.trim().toUpperCase(), line })));
}

function lines(key: AnswerKey): KeyLine[] {
  return [...key.diagnoses, ...key.procedures];
}

/** The work of a learner who codes exactly what the key expects, each tag on the line's first evidence phrase. */
function perfectWork(note: CaseNote, key: AnswerKey, withOptional: boolean): WorkFile {
  const work = newWork(note.id, note.body);
  const tags: Tag[] = lines(key)
    .filter((l) => withOptional || !l.optional)
    .map((l, i) => {
      const place = findEvidence(note.body, l.evidence[0] ?? '')[0];
      return {
        id: `t-${i}`,
        system: l.system,
        code: l.code,
        modifiers: l.modifiers,
        units: l.units,
        links: l.links ?? [],
        anchor: place && { start: place.start, end: place.end, quote: note.body.slice(place.start, place.end), prefix: '', suffix: '' },
      };
    });
  return { ...work, tags };
}

const packs = fs
  .readdirSync(PRACTICE, { withFileTypes: true })
  // Packs of exam questions only (no cases/) are checked by shipped-exam.test.ts.
  .filter((d) => d.isDirectory() && fs.existsSync(path.join(PRACTICE, d.name, 'casebook.json')) && fs.existsSync(path.join(PRACTICE, d.name, 'cases')))
  .map((d) => d.name)
  .sort();

function codeSetsOrSkip(ctx: Mocha.Context): void {
  if (!codeSetsPresent) {
    console.log(`    code sets not found at ${CODESETS} (set CASEBOOK_CODESETS): skipping the code-set checks`);
    ctx.skip();
  }
}

describe('shipped packs (practice/*)', () => {
  it('finds the sample and starter packs', () => {
    assert.ok(packs.includes('sample'), `packs found: ${packs.join(', ')}`);
    assert.ok(packs.includes('starter'), `packs found: ${packs.join(', ')}`);
  });

  for (const name of packs) {
    describe(`practice/${name}`, () => {
      const root = path.join(PRACTICE, name).replace(/\\/g, '/');
      let load: PackLoad;
      let pack: Pack;
      /** Each case with its key (the key parsed once, by the same loader `casebook validate` uses). */
      let keyed: Array<{ note: CaseNote; key: AnswerKey }>;

      before(async () => {
        load = await loadPack(nodeFs, root);
        assert.ok(load.pack, `practice/${name} could not be read:\n${load.problems.map(formatProblem).join('\n')}`);
        pack = load.pack;
        keyed = pack.cases.flatMap((note) => {
          const key = pack.keys.get(note.id);
          return key ? [{ note, key }] : [];
        });
      });

      it('passes casebook validate with no errors or warnings', () => {
        const found = load.problems.map(formatProblem);
        assert.deepStrictEqual(found, [], `casebook validate practice/${name}:\n${found.join('\n')}`);
      });

      it('targets code-set year 2026 and has a key for every case', () => {
        assert.strictEqual(pack.manifest.id, name);
        assert.strictEqual(pack.manifest.codeSetYear, 2026);
        assert.ok(pack.cases.length > 0, 'no cases');
        assert.deepStrictEqual(
          pack.cases.filter((c) => !pack.keys.has(c.id)).map((c) => c.id),
          [],
          'cases without a key',
        );
      });

      it('labels every case with CPC content areas and a difficulty of 1 to 5', () => {
        const bad: string[] = [];
        for (const c of pack.cases) {
          if (c.areas.length === 0) bad.push(`${c.id}: no areas`);
          for (const area of c.areas) if (!CPC_AREA_SET.has(area)) bad.push(`${c.id}: area "${area}" is not a CPC content area`);
          const d = c.difficulty;
          if (d === undefined || !Number.isInteger(d) || d < 1 || d > 5) bad.push(`${c.id}: difficulty ${String(d)}`);
        }
        assert.deepStrictEqual(bad, []);
      });

      it('gives every key line evidence and a why, and every key a rationale', () => {
        const bad: string[] = [];
        for (const { key } of keyed) {
          for (const l of lines(key)) {
            if (l.evidence.length === 0) bad.push(`${key.case}: ${l.code} has no evidence`);
            if (!l.why?.trim()) bad.push(`${key.case}: ${l.code} has no why`);
          }
          if (key.rationale.trim().length < 200) bad.push(`${key.case}: the rationale is missing or too short`);
        }
        assert.deepStrictEqual(bad, []);
      });

      it('finds every evidence phrase in its case note', () => {
        const missing: string[] = [];
        for (const { note, key } of keyed) {
          const text = fold(note.body);
          for (const l of lines(key)) {
            for (const phrase of l.evidence) if (!text.includes(fold(phrase))) missing.push(`${key.case}: ${l.code} "${phrase}"`);
          }
        }
        assert.deepStrictEqual(missing, [], 'evidence phrases not found in the note');
      });

      it('grades a learner who codes exactly the key at 100%, optional lines or not, with every line supported by its evidence', () => {
        const policy = resolvePolicy(pack.manifest.grading);
        const bad: string[] = [];
        for (const { note, key } of keyed) {
          for (const withOptional of [false, true]) {
            const result = grade(note, key, perfectWork(note, key, withOptional), policy);
            if (result.percent !== 1) bad.push(`${key.case}${withOptional ? ' (with optional lines)' : ''}: ${result.percent * 100}%`);
            const unsupported = result.lines.filter((l) => l.evidenceSupported === false).map((l) => l.expected?.code);
            if (unsupported.length > 0) bad.push(`${key.case}: tags on the evidence do not count as support for ${unsupported.join(', ')}`);
          }
        }
        assert.deepStrictEqual(bad, []);
      });

      it('gives codes and modifiers their shapes', () => {
        const bad: string[] = [];
        for (const { key } of keyed) {
          for (const { code, line } of procedureCodes(key)) {
            if (!hasShape(line.system, code)) bad.push(`${key.case}: ${code} does not have the shape of ${line.system}`);
          }
          for (const l of key.procedures) for (const m of l.modifiers) if (!isModifier(m)) bad.push(`${key.case}: ${l.code} modifier "${m}"`);
          for (const code of icdCodes(key)) if (!hasShape('ICD-10-CM', code)) bad.push(`${key.case}: ${code} is not ICD-10-CM shaped`);
        }
        assert.deepStrictEqual(bad, []);
      });

      it('uses only billable FY2026 ICD-10-CM codes (codes, accept, links)', function () {
        codeSetsOrSkip(this);
        const bad = keyed.flatMap(({ key }) =>
          icdCodes(key)
            .filter((code) => !officialCodes().icd10cm.has(normalizeCode('ICD-10-CM', code)))
            .map((code) => `${key.case}: ${code}`),
        );
        assert.deepStrictEqual(bad, [], 'not billable in FY2026 (a category header, a deleted code, or a typo)');
      });

      it('uses only HCPCS Level II codes of 2025, and known modifiers', function () {
        codeSetsOrSkip(this);
        const bad: string[] = [];
        for (const { key } of keyed) {
          for (const { code, line } of procedureCodes(key)) {
            const hcpcs = line.system === 'HCPCS' ? hcpcsProblem(code) : undefined;
            if (hcpcs) bad.push(`${key.case}: HCPCS ${code} ${hcpcs}`);
          }
          for (const l of key.procedures) {
            for (const m of l.modifiers.map(normalizeModifier)) {
              if (!knownModifier(l.code, m)) bad.push(`${key.case}: ${l.code} modifier ${m} is unknown`);
            }
          }
        }
        assert.deepStrictEqual(bad, []);
      });
    });
  }
});
