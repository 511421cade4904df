// CPT/HCPCS modifiers offered when tagging, described in our own words (not AMA text), and which of
// them fit a kind of code (an E/M visit, a surgical procedure, a drug…) so the picker offers those first.
import { normalizeCode } from './codes';
import type { CodeSystem } from './model';

/** Every modifier the picker offers, in a general order of use. */
export const COMMON_MODIFIERS: ReadonlyArray<readonly [code: string, description: string]> = [
  ['25', 'Separate, significant E/M on the day of a procedure'],
  ['57', 'E/M that led to the decision for major surgery'],
  ['24', 'Unrelated E/M during a postoperative period'],
  ['95', 'Synchronous telemedicine (real-time audio and video)'],
  ['93', 'Synchronous telemedicine by audio only'],
  ['59', 'Distinct procedural service'],
  ['XE', 'Separate encounter'],
  ['XS', 'Separate structure or organ'],
  ['XP', 'Separate practitioner'],
  ['XU', 'Unusual non-overlapping service'],
  ['51', 'Multiple procedures in one session'],
  ['50', 'Bilateral procedure'],
  ['RT', 'Right side'],
  ['LT', 'Left side'],
  ['22', 'Increased procedural service'],
  ['52', 'Reduced service'],
  ['53', 'Discontinued procedure'],
  ['58', 'Staged or related procedure in the global period'],
  ['76', 'Repeat procedure, same physician'],
  ['77', 'Repeat procedure, another physician'],
  ['78', 'Unplanned return to the operating room'],
  ['79', 'Unrelated procedure in the postoperative period'],
  ['80', 'Assistant surgeon'],
  ['26', 'Professional component only (the reading)'],
  ['TC', 'Technical component only (equipment and staff)'],
  ['91', 'Repeat clinical laboratory test'],
  ['90', 'Test done by an outside laboratory'],
  ['QW', 'CLIA-waived test'],
  ['JW', 'Drug amount discarded, not given'],
  ['JZ', 'No drug amount discarded'],
  ['NU', 'New equipment bought'],
  ['RR', 'Equipment rented'],
  ['UE', 'Used equipment bought'],
  ['KX', 'Coverage requirements met, documentation on file'],
  ['GA', 'Waiver of liability (ABN) on file'],
  ['AA', 'Anesthesia given personally by the anesthesiologist'],
  ['QK', 'Medical direction of 2–4 anesthesia cases at once'],
  ['QX', 'CRNA service under medical direction'],
  ['QZ', 'CRNA service without medical direction'],
  ['P1', 'Anesthesia: normal healthy patient'],
  ['P2', 'Anesthesia: mild systemic disease'],
  ['P3', 'Anesthesia: severe systemic disease'],
  ['P4', 'Anesthesia: severe disease, a constant threat to life'],
  ['P5', 'Anesthesia: not expected to survive without the operation'],
  ['P6', 'Anesthesia: brain-dead organ donor'],
  ['FA', 'Left hand, thumb'],
  ['F1', 'Left hand, second digit'],
  ['F2', 'Left hand, third digit'],
  ['F3', 'Left hand, fourth digit'],
  ['F4', 'Left hand, fifth digit'],
  ['F5', 'Right hand, thumb'],
  ['F6', 'Right hand, second digit'],
  ['F7', 'Right hand, third digit'],
  ['F8', 'Right hand, fourth digit'],
  ['F9', 'Right hand, fifth digit'],
  ['TA', 'Left foot, great toe'],
  ['T1', 'Left foot, second digit'],
  ['T2', 'Left foot, third digit'],
  ['T3', 'Left foot, fourth digit'],
  ['T4', 'Left foot, fifth digit'],
  ['T5', 'Right foot, great toe'],
  ['T6', 'Right foot, second digit'],
  ['T7', 'Right foot, third digit'],
  ['T8', 'Right foot, fourth digit'],
  ['T9', 'Right foot, fifth digit'],
  ['E1', 'Upper left eyelid'],
  ['E2', 'Lower left eyelid'],
  ['E3', 'Upper right eyelid'],
  ['E4', 'Lower right eyelid'],
];

/** The kinds of procedure code whose usual modifiers differ. */
export type CodeKind = 'evaluation' | 'anesthesia' | 'surgery' | 'radiology' | 'laboratory' | 'medicine' | 'drug' | 'equipment' | 'other';

const DIGITS = ['FA', 'F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9', 'TA', 'T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8', 'T9'];

/** The modifiers that usually apply to each kind, most used first. */
const FITTING: Record<CodeKind, readonly string[]> = {
  evaluation: ['25', '57', '24', '95', '93'],
  anesthesia: ['AA', 'QK', 'QX', 'QZ', 'P1', 'P2', 'P3', 'P4', 'P5', 'P6'],
  surgery: ['51', '59', 'XE', 'XS', 'XP', 'XU', '76', '77', '78', '79', '58', 'RT', 'LT', '50', ...DIGITS, 'E1', 'E2', 'E3', 'E4', '22', '52', '53', '80'],
  radiology: ['26', 'TC', 'RT', 'LT', '50', '76', '77', '59', '52'],
  laboratory: ['91', '26', 'TC', '90', 'QW', '59', 'XU'],
  medicine: ['26', 'TC', '59', 'XE', 'XS', 'XU', '76', '95'],
  drug: ['JW', 'JZ'],
  equipment: ['NU', 'RR', 'UE', 'KX', 'RT', 'LT'],
  other: [],
};

/** The kind of a CPT or HCPCS code by its CPT section (numeric ranges) or HCPCS letter. */
export function codeKind(system: CodeSystem, code: string): CodeKind {
  const c = normalizeCode(system, code);
  if (system === 'HCPCS') {
    if (c.startsWith('J')) return 'drug';
    if (c.startsWith('E') || c.startsWith('K') || c.startsWith('L')) return 'equipment';
    return 'other';
  }
  if (system !== 'CPT') return 'other';
  if (c.endsWith('U')) return 'laboratory'; // proprietary laboratory analyses
  if (!/^[0-9]{5}$/.test(c)) return 'other'; // Category II (F) and III (T) codes span every kind
  const n = Number(c);
  if (n <= 1999) return 'anesthesia';
  if (n >= 10004 && n <= 69990) return 'surgery';
  if (n >= 70010 && n <= 79999) return 'radiology';
  if (n >= 80047 && n <= 89398) return 'laboratory';
  if (n >= 99202 && n <= 99499) return 'evaluation';
  if (n >= 90281) return 'medicine';
  return 'other';
}

export interface ModifierChoice {
  modifier: string;
  description: string;
  /** Usually applies to this kind of code (offered first). */
  fits: boolean;
}

/** Every modifier, those that fit the code first (in their usual order), then the rest. */
export function modifiersFor(system: CodeSystem, code: string): ModifierChoice[] {
  const fitting = FITTING[codeKind(system, code)];
  const description = new Map(COMMON_MODIFIERS);
  const first = fitting.map((modifier) => ({ modifier, description: description.get(modifier)!, fits: true }));
  const rest = COMMON_MODIFIERS.filter(([m]) => !fitting.includes(m)).map(([modifier, d]) => ({ modifier, description: d, fits: false }));
  return [...first, ...rest];
}
