// The ICD-10-CM index tables (Table of Drugs and Chemicals, Neoplasm Table, External Cause Index).
import type { CodeSet } from './codeSet';
import type { QueryPart } from './search';

/** Where an index hit comes from. */
export interface IndexHitInfo {
  table: string;
  path: string[];
  code: string;
  column?: string;
}

export interface LoadedIndex {
  table: string;
}

export function searchIndexes(_indexes: LoadedIndex[], _sets: CodeSet[], _parts: QueryPart[], _limit: number): { set: CodeSet; record: number; rank: number; info: IndexHitInfo }[] {
  return [];
}
