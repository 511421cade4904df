// What the pack readers share: the load options, a place in a file, and the hint for our own faults.
import type { CodeSystem } from '../model';

export interface LoadOptions {
  /**
   * Optional real-code check (from imported code sets, for the pack's codeSetYear): returns a message
   * when `code` is not valid (e.g. "E11 is a category, not a billable code: add more characters"),
   * undefined when fine or unknown to the checker.
   */
  checkCode?: (system: CodeSystem, code: string) => string | undefined;
  /** The check for the manifest's codeSetYear, asked for once the manifest is read (when checkCode is not given). */
  checkCodeFor?: (codeSetYear: number | undefined) => Promise<LoadOptions['checkCode']>;
  /** Texts of files by absolute path (unsaved editor buffers), read instead of the disk. */
  overrides?: Map<string, string>;
}

export interface Place {
  line: number;
  column: number;
}

export const MANIFEST = 'casebook.json';
export const BUG_HINT = 'this is a fault in Casebook, not in the pack: please report it with this file';
