// `casebook validate PACK…`: one problem a line (`path:line:col: severity: message`), a summary on
// stderr, exit 0 without errors (warnings allowed), 1 with errors, 2 for bad usage.
import path from 'path';
import { formatProblem, loadPack } from '../core/pack';
import { type CliIo, UsageError, parseArgs } from './io';

export async function validateCommand(args: string[], io: CliIo): Promise<number> {
  const { positional: packs } = parseArgs(args, { values: [], flags: [] });
  if (packs.length === 0) throw new UsageError('give at least one pack folder: casebook validate PACK...');

  let errors = 0;
  let warnings = 0;
  for (const arg of packs) {
    const root = path.resolve(io.cwd, arg).split(path.sep).join('/');
    const { problems } = await loadPack(io.fs, root);
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

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
