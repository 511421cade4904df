// Which CPC content area a graded line counts toward (docs/grading.md, "Areas"): a line is scored in
// the area of its code system or CPT section, not in every area its case lists.
import type { CodeSystem } from './model';

/** The CPC exam's content areas, in the order of its score report. */
export const CPC_AREAS: readonly string[] = [
  'Integumentary System',
  'Musculoskeletal System',
  'Respiratory System',
  'Cardiovascular System',
  'Digestive System',
  'Urinary and Reproductive Systems',
  'Nervous System',
  'Eye and Auditory Systems',
  'Evaluation and Management',
  'Anesthesia',
  'Radiology',
  'Pathology and Laboratory',
  'Medicine',
  'ICD-10-CM',
  'HCPCS Level II',
  'Coding Guidelines',
  'Compliance and Regulatory',
  'Medical Terminology',
  'Anatomy',
];

/** Areas that name a code set or a body of knowledge rather than a CPT section. */
const NOT_CPT_SECTIONS = new Set(['ICD-10-CM', 'HCPCS Level II', 'Coding Guidelines', 'Compliance and Regulatory', 'Medical Terminology', 'Anatomy']);

/**
 * The areas a line counts toward: ICD-10-CM lines toward `ICD-10-CM`, HCPCS lines toward
 * `HCPCS Level II`, CPT lines toward the case's CPT-section areas (all of them, when it lists several).
 * A case that lists no area of the right kind counts the line toward its own areas, so nothing is lost.
 */
export function lineAreas(system: CodeSystem, caseAreas: readonly string[]): string[] {
  if (system === 'ICD-10-CM') return ['ICD-10-CM'];
  if (system === 'HCPCS') return ['HCPCS Level II'];
  const sections = caseAreas.filter((a) => !NOT_CPT_SECTIONS.has(a));
  return sections.length > 0 ? sections : [...caseAreas];
}

/** Areas in CPC order, then any others in the order given. */
export function sortAreas(areas: Iterable<string>): string[] {
  const list = [...new Set(areas)];
  const rank = (a: string) => {
    const i = CPC_AREAS.indexOf(a);
    return i < 0 ? CPC_AREAS.length : i;
  };
  return list
    .map((a, i) => ({ a, i }))
    .sort((x, y) => rank(x.a) - rank(y.a) || x.i - y.i)
    .map((x) => x.a);
}
