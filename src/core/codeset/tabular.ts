// The Tabular List as a tree, from the codes of one set: a code's children are the codes directly
// below it (E11.6 → E11.61, E11.62, …, E11.69; W54.0 → W54.0XXA, W54.0XXD, W54.0XXS), so a learner
// drills down to the most specific code and sees which need a 7th character.
import type { CodeSystem } from '../model';
import { displayCode, normalizeCode } from '../codes';
import type { CodeSet } from './codeSet';

export interface TabularNode {
  /** Printed form (ICD-10-CM with its dot). */
  code: string;
  system: CodeSystem;
  title: string;
  billable: boolean;
  /** Codes below it exist (a category or subcategory). */
  hasChildren: boolean;
  /** Its children are 7-character codes: it needs a 7th character (with X placeholders when it is shorter than 6). */
  needsSeventhCharacter: boolean;
}

/** The longest code any system has (ICD-10-CM, 7 characters). */
const LONGEST = 7;

/** The node of one code, or undefined when the set has no such code. */
export function tabularNode(set: CodeSet, code: string): TabularNode | undefined {
  const record = set.find(normalizeCode(set.system, code));
  return record < 0 ? undefined : nodeOf(set, record);
}

/** The codes directly below `code` (none of their prefixes between them and it is a code), in code order. */
export function tabularChildren(set: CodeSet, code: string): TabularNode[] {
  const parent = normalizeCode(set.system, code);
  const children: TabularNode[] = [];
  for (let length = parent.length + 1; length <= LONGEST; length++) {
    const [lo, hi] = set.codePrefixRange(parent, length);
    for (let p = lo; p < hi; p++) {
      const record = set.byCodeAt(p);
      const own = set.code(record);
      let direct = true;
      for (let k = parent.length + 1; k < length && direct; k++) if (set.find(own.slice(0, k)) >= 0) direct = false;
      if (direct) children.push(nodeOf(set, record));
    }
  }
  return children.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** The nearest code above `code` in the set (E11.65 → E11.6 → E11), or undefined at the top. */
export function tabularParent(set: CodeSet, code: string): TabularNode | undefined {
  const own = normalizeCode(set.system, code);
  for (let k = own.length - 1; k >= 1; k--) {
    const record = set.find(own.slice(0, k));
    if (record >= 0) return nodeOf(set, record);
  }
  return undefined;
}

function nodeOf(set: CodeSet, record: number): TabularNode {
  const own = set.code(record);
  let first = 0;
  for (let length = own.length + 1; length <= LONGEST && first === 0; length++) {
    const [lo, hi] = set.codePrefixRange(own, length);
    if (lo < hi) first = length;
  }
  return {
    code: displayCode(set.system, own),
    system: set.system,
    title: set.title(record),
    billable: set.billable(record),
    hasChildren: first > 0,
    needsSeventhCharacter: set.system === 'ICD-10-CM' && first === LONGEST && own.length < LONGEST && !set.billable(record),
  };
}
