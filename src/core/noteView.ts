// The case note as a learner reads it: a short header (title, setting, instructions; areas only when
// the pack shows them) above the clinical note, with no front matter. Offsets into the view are the
// body's offsets plus `bodyOffset`, so tags (body offsets, formats.md) work unchanged on the view.
import type { CaseNote } from './model';

export interface NoteView {
  text: string;
  /** Where the note body starts in `text` (UTF-16 offset). */
  bodyOffset: number;
}

/** Short enough not to wrap in a narrow editor beside the report. */
const RULE = '─'.repeat(32);

/** The header and body a learner sees for a case; `showAreas` is the pack's casebook.json flag. */
export function renderNoteView(note: CaseNote, options: { showAreas?: boolean } = {}): NoteView {
  const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim();
  const context = [
    note.setting && note.setting[0].toUpperCase() + note.setting.slice(1),
    note.specialty,
    note.difficulty && `difficulty ${note.difficulty} of 5`,
  ]
    .filter((x): x is string => !!x)
    .map(oneLine);
  const lines = [oneLine(note.title)];
  if (context.length) lines.push(context.join(' · '));
  if (options.showAreas && note.areas.length) lines.push(`Areas: ${note.areas.map(oneLine).join(', ')}`);
  if (note.instructions) lines.push('', `Instructions: ${oneLine(note.instructions)}`);
  const eol = note.body.includes('\r\n') ? '\r\n' : '\n';
  const header = [...lines, RULE, '', ''].join(eol);
  return { text: header + note.body, bodyOffset: header.length };
}
