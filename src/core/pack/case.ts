// cases/ID.md: front matter (id, title, setting, specialty, areas, difficulty, instructions) and the note.
import { stripBom } from '../fs';
import type { CaseNote, Problem, Setting } from '../model';
import { FrontMatterReader, fileStem, isNull } from './frontMatterReader';
import { sortProblems } from './problems';
import { BUG_HINT } from './types';

const SETTINGS: readonly Setting[] = ['outpatient', 'inpatient', 'emergency', 'observation', 'other'];
const CASE_FIELDS = ['id', 'title', 'setting', 'specialty', 'areas', 'difficulty', 'instructions'];

// cases/ID.md

/** Parses one case file's text (for live validation of an unsaved editor buffer). */
export function parseCase(text: string, file: string): { note?: CaseNote; problems: Problem[] } {
  const r = new FrontMatterReader(file, stripBom(text));
  try {
    const map = r.open('case');
    if (map === undefined) return { problems: sortProblems(r.problems) };
    const stem = fileStem(file);
    const f = r.fields(map, CASE_FIELDS, 'a case');

    const id = f.get('id');
    const idText = r.name(id?.value, 'id');
    if (idText === undefined) {
      if (!id?.value || isNull(id.value)) r.report(id?.key, 'error', 'id is required', `add "id: ${stem}" (the file name without .md)`);
    } else if (idText !== stem)
      r.report(id?.value, 'error', `id "${idText}" must equal the file name "${stem}"`, `write "id: ${stem}", or rename the file to ${idText}.md`);

    const titleField = f.get('title');
    const title = r.string(titleField?.value, 'title');
    if (!title?.trim()) r.report(titleField?.value ?? titleField?.key, 'error', 'title is required', 'add "title: …", a short name for the case');

    const note: CaseNote = { id: stem, title: title?.trim() || stem, areas: [], file, body: r.body, bodyOffset: r.bodyOffset };
    const setting = r.string(f.get('setting')?.value, 'setting');
    if (setting !== undefined) {
      if ((SETTINGS as readonly string[]).includes(setting)) note.setting = setting as Setting;
      else
        r.report(f.get('setting')?.value, 'error', `setting "${setting}" is not one of ${SETTINGS.join(', ')}`, 'use one of those words, or leave setting out');
    }
    const specialty = r.string(f.get('specialty')?.value, 'specialty');
    if (specialty !== undefined) note.specialty = specialty;
    const areas = r.list(f.get('areas')?.value, 'areas', (node, label) => r.string(node, `each of ${label}`));
    if (areas) note.areas = areas.map((a) => a.value);
    const difficulty = r.integer(f.get('difficulty')?.value, 'difficulty', 1, 5, 'use 1 (easy) to 5 (hard), or leave difficulty out');
    if (difficulty !== undefined) note.difficulty = difficulty;
    const instructions = r.string(f.get('instructions')?.value, 'instructions');
    if (instructions !== undefined) note.instructions = instructions;
    return { note, problems: sortProblems(r.problems) };
  } catch (e) {
    r.report(undefined, 'error', `could not read the case: ${(e as Error)?.message ?? String(e)}`, BUG_HINT);
    return { problems: sortProblems(r.problems) };
  }
}
