// Problems as `casebook validate` prints them, in a stable order.
import type { Problem } from '../model';

/** `path:line:col: severity: message`, the line format of `casebook validate`. */
export function formatProblem(p: Problem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.severity}: ${p.message}`;
}

/** Sorted by file, line, column: the same input always gives the same list. */
export function sortProblems(problems: Problem[]): Problem[] {
  return [...problems].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
}
