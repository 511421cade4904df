// The official code-set files the shipped-content tests check against (../shared/codesets, or
// $CASEBOOK_CODESETS): billable ICD-10-CM FY2026 codes, HCPCS Level II 2025 codes with their
// termination dates, the HCPCS modifier list, and CPT's own two-digit modifiers (numbers only).
import fs from 'fs';
import path from 'path';

export const CODESETS = process.env.CASEBOOK_CODESETS ?? path.resolve(__dirname, '../../..', 'shared', 'codesets');
const ICD10CM_FILE = path.join(CODESETS, 'icd10cm', 'fy2026', 'icd10cm_codes_2026.txt');
const HCPCS_FILE = path.join(CODESETS, 'hcpcs', '2025', 'hcpcs_2025_codes.tsv');
const HCPCS_MODIFIERS_FILE = path.join(CODESETS, 'hcpcs', '2025', 'hcpcs_2025_modifiers.tsv');

export const codeSetsPresent = [ICD10CM_FILE, HCPCS_FILE, HCPCS_MODIFIERS_FILE].every((f) => fs.existsSync(f));

/** CPT's two-digit modifiers; letter modifiers are HCPCS Level II and come from the CMS file. */
export const CPT_MODIFIERS = new Set(
  '22 23 24 25 26 27 32 33 47 50 51 52 53 54 55 56 57 58 59 62 63 66 73 74 76 77 78 79 80 81 82 90 91 92 93 95 96 97 99'.split(' '),
);

/**
 * Ambulance origin/destination modifiers are two of these letters (origin, then destination; CMS
 * Claims Processing Manual ch. 15 §30.A): the CMS modifier file lists the letters' meanings, not the pairs.
 */
const AMBULANCE_PLACES = /^[DEGHIJNPRSX]{2}$/;

interface OfficialCodes {
  icd10cm: Set<string>;
  /** HCPCS code → termination date (yyyymmdd), '' when active. */
  hcpcs: Map<string, string>;
  hcpcsModifiers: Set<string>;
}

let cached: OfficialCodes | undefined;

/** The official codes (read once); call only when `codeSetsPresent`. */
export function officialCodes(): OfficialCodes {
  if (cached) return cached;
  const lines = (file: string) => fs.readFileSync(file, 'utf8').split(/\r?\n/);
  const header = lines(HCPCS_FILE)[0].split('\t');
  const termination = header.indexOf('termination_date');
  cached = {
    // Billable codes are the first token of each line of the codes file (no dot).
    icd10cm: new Set(
      lines(ICD10CM_FILE)
        .map((l) => l.split(/\s+/)[0])
        .filter(Boolean),
    ),
    hcpcs: new Map(
      lines(HCPCS_FILE)
        .slice(1)
        .filter(Boolean)
        .map((l) => {
          const f = l.split('\t');
          return [f[0], termination >= 0 ? (f[termination] ?? '') : ''];
        }),
    ),
    hcpcsModifiers: new Set(
      lines(HCPCS_MODIFIERS_FILE)
        .slice(1)
        .map((l) => l.split('\t')[0])
        .filter(Boolean),
    ),
  };
  return cached;
}

/** Why a HCPCS code is not valid in 2025, or undefined when it is. */
export function hcpcsProblem(code: string): string | undefined {
  const ended = officialCodes().hcpcs.get(code);
  if (ended === undefined) return 'is not in the HCPCS 2025 file';
  if (ended && ended < '20251231') return `is terminated (${ended})`;
  return undefined;
}

/** Whether a modifier exists for this code: CPT's numbers, the HCPCS file, or an ambulance trip's places. */
export function knownModifier(code: string, modifier: string): boolean {
  if (/^[0-9]{2}$/.test(modifier)) return CPT_MODIFIERS.has(modifier);
  if (/^A0[0-9]{3}$/.test(code) && AMBULANCE_PLACES.test(modifier)) return true;
  return officialCodes().hcpcsModifiers.has(modifier);
}
