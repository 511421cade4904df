// Where a key's evidence phrases occur in a note: used by the pack check, grading and Show Evidence.

// Evidence

/** Places (UTF-16 [start,end) in note.body) where an evidence phrase occurs: case-insensitive, any run of white space matching any run of white space. Used by grading and Show Evidence. */
export function findEvidence(body: string, phrase: string): Array<{ start: number; end: number }> {
  const words = phrase.split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  const pattern = new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+'), 'giu');
  const places: Array<{ start: number; end: number }> = [];
  for (const m of body.matchAll(pattern)) places.push({ start: m.index, end: m.index + m[0].length });
  return places;
}
