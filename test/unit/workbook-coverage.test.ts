// The workbook pack promises (issue 15) that its keys exercise every modifier and every ICD-10-CM
// rule on a fixed list. This test reads the shipped keys and names each promise no key keeps.
import assert from 'assert';
import path from 'path';
import { normalizeCode, normalizeModifier } from '../../src/core/codes';
import type { AnswerKey } from '../../src/core/model';
import { formatProblem, loadPack } from '../../src/core/pack';
import { nodeFs } from '../../src/node/nodeFs';

const WORKBOOK = path.resolve(__dirname, '../../practice/workbook').replace(/\\/g, '/');

/** A promise of the pack: a label for the failure message and a test over all keys. */
interface Requirement {
  label: string;
  met: (keys: AnswerKey[]) => boolean;
}

/** Diagnosis codes of a key without their dots, upper-case (the form the code files use). */
function diagnoses(key: AnswerKey): string[] {
  return key.diagnoses.map((l) => normalizeCode('ICD-10-CM', l.code));
}

function modifiers(key: AnswerKey): string[] {
  return key.procedures.flatMap((l) => l.modifiers.map(normalizeModifier));
}

/** Some key has a diagnosis code matching the pattern (tested against the undotted code). */
function someDiagnosis(pattern: RegExp): (keys: AnswerKey[]) => boolean {
  return (keys) => keys.some((k) => diagnoses(k).some((c) => pattern.test(c)));
}

/** Some single key has diagnoses matching every pattern (rules that pair codes on one claim). */
function oneKeyWithAll(...patterns: RegExp[]): (keys: AnswerKey[]) => boolean {
  return (keys) => keys.some((k) => patterns.every((p) => diagnoses(k).some((c) => p.test(c))));
}

/**
 * The intent character of a T36–T50 drug code (1–4 poisoning, 5 adverse effect, 6 underdosing):
 * the 6th character, or the 5th where the 6th is the placeholder X (T37.91XA).
 */
function drugIntent(code: string): string | undefined {
  if (!/^T(3[6-9]|4[0-9]|50)/.test(code) || code.length < 6) return undefined;
  return code[5] === 'X' ? code[4] : code[5];
}

function someDrugIntent(intents: string): (keys: AnswerKey[]) => boolean {
  return (keys) => keys.some((k) => diagnoses(k).some((c) => intents.includes(drugIntent(c) ?? '-')));
}

/** Injury and external-consequence codes (S00–T88) with the given 7th character. */
function injurySeventh(ch: string): RegExp {
  return new RegExp(`^(S[0-9]{2}|T[0-7][0-9]|T8[0-8])[0-9A-Z]{3}${ch}$`);
}

const MODIFIERS = '59 XE XS XP XU 51 52 53 57 58 78 79 22 24 62 80 AS 76 77 TC GA GZ KX JW JZ QK QX QZ 95'.split(' ');

const REQUIREMENTS: Requirement[] = [
  ...MODIFIERS.map((m) => ({ label: `modifier ${m}`, met: (keys: AnswerKey[]) => keys.some((k) => modifiers(k).includes(m)) })),
  { label: 'a finger modifier FA–F9', met: (keys) => keys.some((k) => modifiers(k).some((m) => /^F[A1-9]$/.test(m))) },
  { label: 'a toe modifier TA–T9', met: (keys) => keys.some((k) => modifiers(k).some((m) => /^T[A1-9]$/.test(m))) },
  { label: 'a T36–T50 poisoning (intent 1–4)', met: someDrugIntent('1234') },
  { label: 'a T36–T50 adverse effect (intent 5)', met: someDrugIntent('5') },
  { label: 'a T36–T50 underdosing (intent 6)', met: someDrugIntent('6') },
  { label: 'A40/A41 sepsis with R65.20 or R65.21 in the same key', met: oneKeyWithAll(/^A4[01]/, /^R652[01]$/) },
  { label: 'a T20–T25 burn with a T31 extent code in the same key', met: oneKeyWithAll(/^T2[0-5]/, /^T31/) },
  { label: 'a T80–T88 complication of care', met: someDiagnosis(/^T8[0-8]/) },
  { label: 'Z51.11', met: someDiagnosis(/^Z5111$/) },
  { label: 'a Z85 history of malignant neoplasm', met: someDiagnosis(/^Z85/) },
  { label: 'an L89 pressure ulcer', met: someDiagnosis(/^L89/) },
  { label: 'I11 or I13 hypertensive heart (and kidney) disease', met: someDiagnosis(/^I1[13]/) },
  { label: 'J44.1 COPD exacerbation', met: someDiagnosis(/^J441$/) },
  { label: 'a J45 asthma exacerbation (J45.x1, J45.901)', met: someDiagnosis(/^J45([2-5]1|901)$/) },
  { label: 'B20 HIV disease', met: someDiagnosis(/^B20$/) },
  { label: 'an F code (mental and behavioural)', met: someDiagnosis(/^F/) },
  { label: 'a Q code (congenital)', met: someDiagnosis(/^Q/) },
  { label: 'a P code (perinatal)', met: someDiagnosis(/^P/) },
  { label: 'a Z55–Z65 social determinant of health', met: someDiagnosis(/^Z(5[5-9]|6[0-5])/) },
  ...['D', 'S', 'B', 'C'].map((ch) => ({ label: `7th character ${ch} on an injury code`, met: someDiagnosis(injurySeventh(ch)) })),
  {
    label: 'a case whose only diagnoses are R codes (chapter 18)',
    met: (keys) => keys.some((k) => k.diagnoses.length > 0 && diagnoses(k).every((c) => c.startsWith('R'))),
  },
];

describe('workbook coverage (practice/workbook)', () => {
  let keys: AnswerKey[];

  before(async () => {
    const load = await loadPack(nodeFs, WORKBOOK);
    assert.ok(load.pack, `practice/workbook could not be read:\n${load.problems.map(formatProblem).join('\n')}`);
    keys = [...load.pack.keys.values()];
  });

  it('reads the keys and classifies codes as the requirements intend', () => {
    assert.ok(keys.length > 0, 'no keys in practice/workbook');
    // The classifiers themselves: a requirement that can never be met would hide a gap.
    assert.strictEqual(drugIntent('T391X1A'), '1');
    assert.strictEqual(drugIntent('T3791XA'), '1');
    assert.strictEqual(drugIntent('T383X5A'), '5');
    assert.strictEqual(drugIntent('T450X6A'), '6');
    assert.strictEqual(drugIntent('S0101XA'), undefined);
    assert.ok(injurySeventh('B').test('S82251B') && injurySeventh('S').test('T2037XS') && injurySeventh('D').test('T83122D'));
    assert.ok(!injurySeventh('D').test('Z3A39') && !injurySeventh('B').test('O34211') && !injurySeventh('S').test('T2037X'));
  });

  it('has every promised modifier and ICD-10-CM rule in some key', () => {
    const missing = REQUIREMENTS.filter((r) => !r.met(keys)).map((r) => r.label);
    assert.deepStrictEqual(missing, [], `no workbook key has: ${missing.join('; ')}`);
  });
});
