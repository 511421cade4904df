// The order a coder expects among codes that match a query equally well, shared by the stored
// record order (built at import, so a search that stops after the first matches keeps the right
// ones) and the search's ranking: billable first, the initial encounter before subsequent and
// sequela, fewest words beyond the usual ones, shorter titles.
import type { CodeSystem } from '../model';
import type { CodeSet } from './codeSet';
import { RANKING_WORDS, STOP_WORDS } from './terms';

/** Words a title may have without counting against it: they make it the default code, not a rare one. */
const DEFAULT_WORDS = [
  'unspecified',
  'unilateral',
  'unsp',
  'essential',
  'primary',
  'initial',
  'encounter',
  'closed',
  'complications',
  'complication',
  'site',
  'organism',
  'nos',
  'part',
];

/** Words that never count as words the query did not ask for. */
export const NEUTRAL_WORDS: ReadonlySet<string> = new Set([...STOP_WORDS, ...RANKING_WORDS, ...DEFAULT_WORDS]);

/** 0 initial encounter (or none), 1 subsequent encounter, 2 sequela: the 7th character's order for a coder. */
export function encounterRank(system: CodeSystem, codeLength: number, title: string): number {
  if (system !== 'ICD-10-CM' || codeLength < 7) return 0;
  return title.endsWith('sequela') ? 2 : title.includes('subsequent encounter') ? 1 : 0;
}

/** The same for a stored record (search ranking, index code resolution). */
export function encounterOf(set: CodeSet, record: number): number {
  return encounterRank(set.system, set.codeLength(record), set.title(record));
}
