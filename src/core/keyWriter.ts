// Write Key From My Tags: an author codes a case by tagging it like a learner, and Casebook writes
// keys/ID.md from those tags (codes, modifiers, units, pointers as links, the tagged quotes as
// evidence) with a rationale skeleton. The key it writes validates clean and grades the author's own
// work at 100%.
import { stringify } from 'yaml';
import { displayCode } from './codes';
import { learnerLines } from './grade';
import type { CaseNote, WorkFile } from './model';

/** What an author still has to write, said once per line and in the rationale. */
export const WHY_TODO = 'TODO: why the note supports this code (guideline, convention or documentation).';

/** The key file's text for the author's tagged work on a case. */
export function keyFromWork(note: CaseNote, work: WorkFile): string {
  const quotes = new Map<string, string[]>();
  for (const tag of work.tags) {
    if (!tag.anchor || tag.detached || typeof tag.id !== 'string') continue;
    const quote = tag.anchor.quote.replace(/\s+/g, ' ').trim();
    if (quote) quotes.set(tag.id, [...(quotes.get(tag.id) ?? []), quote]);
  }
  const lines = learnerLines(work);
  const entry = (l: (typeof lines)[number]) => {
    const evidence = [...new Set(l.tagIds.flatMap((id) => quotes.get(id) ?? []))];
    const out: Record<string, unknown> = { code: displayCode(l.system, l.code) };
    if (l.kind === 'procedure') {
      if (l.modifiers.length) out.modifiers = l.modifiers;
      if (l.units !== 1) out.units = l.units;
      if (l.links.length) out.links = l.links.map((c) => displayCode('ICD-10-CM', c));
    }
    if (evidence.length) out.evidence = evidence;
    out.why = WHY_TODO;
    return out;
  };
  const front: Record<string, unknown> = { case: note.id };
  const diagnoses = lines.filter((l) => l.kind === 'diagnosis').map(entry);
  const procedures = lines.filter((l) => l.kind === 'procedure').map(entry);
  if (diagnoses.length) front.diagnoses = diagnoses;
  if (procedures.length) front.procedures = procedures;
  const yaml = stringify(front, { lineWidth: 0 });
  const skeleton = lines.map((l) => `**${displayCode(l.system, l.code)}**: ${WHY_TODO}`).join('\n\n');
  return `---\n${yaml}---\n## Rationale\n\n${skeleton || WHY_TODO}\n`;
}
