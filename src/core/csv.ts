// CSV output for instructors' spreadsheets and LMS imports (gradebook, items, journal).

/** A CSV cell: quoted when needed; text a spreadsheet would run as a formula (= + - @) made inert with a leading '. */
export function csvCell(value: string): string {
  let v = value;
  if (/^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Rows of cells as CSV text, one line each, ending with a line break. */
export function csvText(rows: Array<Array<string | number | null | undefined>>): string {
  return rows.map((r) => r.map((c) => csvCell(c === null || c === undefined ? '' : String(c))).join(',')).join('\n') + '\n';
}
