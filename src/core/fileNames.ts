// File names made from text a person typed (a learner's name, a pack id), for exports and reports.

/** Longest name kept; cutting first keeps the work bounded whatever the input. */
const MAX_NAME = 64;

/**
 * A file name made from a learner's name: ASCII letters, digits, `.`, `_`, `-` only, no leading or
 * trailing `.`/`-`, at most 64 characters, never a name Windows reserves for a device. Linear time:
 * the input is cut before any pattern runs (a name of 300,000 dashes once took 29 s).
 */
export function safeFileName(name: string): string {
  let safe = name
    .slice(0, MAX_NAME * 4)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-');
  let from = 0;
  let to = safe.length;
  while (from < to && (safe[from] === '.' || safe[from] === '-')) from++;
  while (to > from && (safe[to - 1] === '.' || safe[to - 1] === '-')) to--;
  safe = safe.slice(from, Math.min(to, from + MAX_NAME));
  while (safe.endsWith('.') || safe.endsWith('-')) safe = safe.slice(0, -1);
  if (!safe) safe = 'learner';
  // Names Windows reserves for devices.
  if (/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(safe)) safe = `_${safe}`;
  return safe;
}
