// codes/*.csv: a pack's own code descriptions (code,system,description).
import { parse as parseCsv } from 'csv-parse/sync';
import { SHAPE_EXAMPLES, hasShape, isCodeSystem } from '../codes';
import { TextPositions } from '../frontmatter';
import { stripBom } from '../fs';
import { CODE_SYSTEMS, type GlossaryEntry, type Problem } from '../model';
import { problemAt } from './paths';
import { sortProblems } from './problems';
import { BUG_HINT, type Place } from './types';

// codes/*.csv

const GLOSSARY_COLUMNS = ['code', 'system', 'description'] as const;

/** Parses a pack glossary (`code,system,description` with a header row). */
export function parseGlossary(text: string, file: string): { entries: GlossaryEntry[]; problems: Problem[] } {
  try {
    return readGlossary(text, file);
  } catch (e) {
    return { entries: [], problems: [problemAt(file, `could not read the glossary: ${(e as Error)?.message ?? String(e)}`, BUG_HINT)] };
  }
}

function readGlossary(text: string, file: string): { entries: GlossaryEntry[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const entries: GlossaryEntry[] = [];
  const report = (line: number, column: number, message: string, hint?: string) => problems.push({ file, line, column, severity: 'error', message, hint });

  let rows: Array<{ record: string[]; raw: string; info: { lines: number } }>;
  try {
    rows = parseCsv(stripBom(text), { relax_column_count: true, skip_empty_lines: true, info: true, raw: true }) as unknown as typeof rows;
  } catch (e) {
    const err = e as Error & { lines?: number };
    report(Math.max(1, err.lines ?? 1), 1, `not valid CSV: ${err.message.replace(/^[A-Za-z ]+: /, '')}`, 'check the quotes and commas of this row');
    return { entries, problems };
  }
  if (rows.length === 0) return { entries, problems };

  const header = rows[0].record.map((h) => h.trim().toLowerCase());
  const index = GLOSSARY_COLUMNS.map((c) => header.indexOf(c));
  if (index.some((i) => i < 0)) {
    report(startLine(rows[0]), 1, `the header row must be ${GLOSSARY_COLUMNS.join(',')}`, `make the first line "${GLOSSARY_COLUMNS.join(',')}"`);
    return { entries, problems };
  }

  for (const row of rows.slice(1)) {
    const line = startLine(row);
    const cell = (i: number) => row.record[i]?.trim() ?? '';
    const placeOf = (i: number): Place => fieldPlace(row, i, line);
    if (row.record.length < header.length) {
      report(line, 1, `this row has ${row.record.length} fields, the header has ${header.length}`, `write code,system,description`);
      continue;
    }
    const code = cell(index[0]).toUpperCase();
    const system = cell(index[1]);
    if (!isCodeSystem(system)) {
      const p = placeOf(index[1]);
      report(p.line, p.column, `system "${system}" is not one of ${CODE_SYSTEMS.join(', ')}`, 'write the system exactly as shown');
      continue;
    }
    if (!hasShape(system, code)) {
      const p = placeOf(index[0]);
      report(p.line, p.column, `code "${code}" is not a valid ${system} code`, `${system} codes are ${SHAPE_EXAMPLES[system]}`);
      continue;
    }
    entries.push({ code, system, description: cell(index[2]) });
  }
  return { entries, problems: sortProblems(problems) };
}

/** The line a CSV row starts on: csv-parse counts to its end, and its raw text includes skipped blank lines. */
function startLine(row: { raw: string; info: { lines: number } }): number {
  const content = row.raw.replace(/^(\r?\n|\r)+/, '').replace(/(\r?\n|\r)$/, '');
  const breaks = content.match(/\r?\n|\r/g)?.length ?? 0;
  return Math.max(1, row.info.lines - breaks);
}

/** Where field `i` of a row starts, found by looking for its value in the row's raw text (column 1 when it cannot be found). */
function fieldPlace(row: { record: string[]; raw: string }, i: number, line: number): Place {
  const content = row.raw.replace(/^(\r?\n|\r)+/, '');
  let from = 0;
  for (let j = 0; j <= i; j++) {
    const at = content.indexOf(row.record[j] ?? '', from);
    if (at < 0) return { line, column: 1 };
    if (j === i) {
      const p = new TextPositions(content).at(at);
      return { line: line + p.line - 1, column: p.column };
    }
    from = at + (row.record[j] ?? '').length;
  }
  return { line, column: 1 };
}
