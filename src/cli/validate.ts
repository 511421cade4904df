// `casebook validate PACK…`: one problem a line (`path:line:col: severity: message`), a summary on
// stderr, exit 0 without errors (warnings allowed), 1 with errors, 2 for bad usage.
// With imported code sets (`--store DIR`, or $CASEBOOK_HOME when set) key codes are also checked
// against the pack's code-set year; without, only their shapes are (so results don't depend on ~).
import { decodeText } from '../core/fs';
import { formatProblem, loadPack, parseManifest } from '../core/pack';
import { CodeStore, codeChecker } from '../core/codeset';
import { type CliIo, UsageError, absolute, parseArgs } from './io';

export async function validateCommand(args: string[], io: CliIo): Promise<number> {
  const { positional: packs, options } = parseArgs(args, { values: ['store'], flags: [] });
  if (packs.length === 0) throw new UsageError('give at least one pack folder: casebook validate PACK...');
  const storeDir = options.get('store') ?? io.env.CASEBOOK_HOME;
  const store = storeDir ? new CodeStore(io.fs, absolute(io, storeDir)) : undefined;

  let errors = 0;
  let warnings = 0;
  for (const arg of packs) {
    const root = absolute(io, arg);
    const year = store ? await codeSetYear(io, root) : undefined;
    const checkCode = store && (await store.prepare(year)).length > 0 ? codeChecker(store, year) : undefined;
    const { problems } = await loadPack(io.fs, root, { checkCode });
    // With several packs, each path starts with the pack folder as given, so the lines stay apart.
    const prefix = packs.length > 1 ? arg.replace(/[\\/]+$/, '') + '/' : '';
    for (const p of problems) {
      io.out(prefix + formatProblem(p));
      if (p.severity === 'error') errors++;
      else warnings++;
    }
  }
  io.err(`${count(errors, 'error')}, ${count(warnings, 'warning')} in ${count(packs.length, 'pack')}`);
  return errors > 0 ? 1 : 0;
}

/** The manifest's codeSetYear, or undefined (the latest imported year is used then). */
async function codeSetYear(io: CliIo, root: string): Promise<number | undefined> {
  try {
    return parseManifest(decodeText(await io.fs.readFile(`${root}/casebook.json`)), 'casebook.json').manifest?.codeSetYear;
  } catch {
    return undefined; // loadPack reports the missing or broken manifest
  }
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
