// `casebook agree A B [--json]`: how far two coders agree, per case and overall (percent agreement,
// F1 and Cohen's kappa at the full code and the category). A and B are each a key folder (or a pack:
// its keys), a folder of work files (or a .casebook folder), or a submission file.
import path from 'path';
import { agree, keyCoding, workCoding, type Coding, type Figures } from '../core/agreement';
import { decodeText } from '../core/fs';
import type { AnswerKey, WorkFile } from '../core/model';
import { formatProblem, parseKey } from '../core/pack';
import { parseSubmission } from '../core/submission';
import { parseWorkFile } from '../core/work';
import { type CliIo, UsageError, absolute, parseArgs } from './io';

async function kindOf(io: CliIo, p: string): Promise<'file' | 'directory' | undefined> {
  const stat = await io.fs.stat(p);
  const kind = stat?.kind === 'symlink' ? (await io.fs.stat(await io.fs.realpath(p)))?.kind : stat?.kind;
  return kind === 'file' || kind === 'directory' ? kind : undefined;
}

/** One coder's coding, or undefined after printing why it cannot be read. */
async function readCoding(io: CliIo, arg: string): Promise<Coding | undefined> {
  const target = absolute(io, arg);
  const kind = await kindOf(io, target);
  if (kind === 'file') {
    const { submission, problems } = parseSubmission(decodeText(await io.fs.readFile(target)), arg);
    for (const p of problems) io.err(formatProblem(p));
    return submission ? workCoding(submission.work) : undefined;
  }
  if (kind !== 'directory') {
    io.err(`${arg}: no such file or folder; give a key folder, a folder of work files, or a submission file`);
    return undefined;
  }
  // A pack stands for its keys; a folder with a work/ folder (a .casebook) for that work.
  let dir = target;
  if ((await kindOf(io, path.posix.join(dir, 'casebook.json'))) === 'file') dir = path.posix.join(dir, 'keys');
  else if ((await kindOf(io, path.posix.join(dir, 'work'))) === 'directory') dir = path.posix.join(dir, 'work');
  const names = (await kindOf(io, dir)) === 'directory' ? (await io.fs.readdir(dir)).map((e) => e.name).sort() : [];
  const keys: AnswerKey[] = [];
  const works: WorkFile[] = [];
  let errors = 0;
  for (const name of names) {
    const file = path.posix.join(dir, name);
    if (name.endsWith('.md')) {
      const { key, problems } = parseKey(decodeText(await io.fs.readFile(file)), path.posix.join(arg, name));
      for (const p of problems.filter((q) => q.severity === 'error')) io.err(formatProblem(p));
      if (key) keys.push(key);
      else errors++;
    } else if (name.endsWith('.json')) {
      const { work, problems } = parseWorkFile(decodeText(await io.fs.readFile(file)), path.posix.join(arg, name));
      for (const p of problems) io.err(formatProblem(p));
      if (work) works.push(work);
      else errors++;
    }
  }
  if (errors > 0) return undefined;
  if (keys.length && works.length) {
    io.err(`${arg}: holds both keys (.md) and work files (.json); give one kind of coding`);
    return undefined;
  }
  if (!keys.length && !works.length) {
    io.err(`${arg}: no keys (.md) or work files (.json) here; give a key folder, a folder of work files, or a submission file`);
    return undefined;
  }
  return keys.length ? keyCoding(keys) : workCoding(works);
}

const pct = (n: number) => `${Math.round(n * 1000) / 10}%`;
const fig = (f: Figures) => `agreement ${pct(f.agreement)}, F1 ${f.f1}, kappa ${f.kappa ?? 'n/a'}`;

export async function agreeCommand(args: string[], io: CliIo): Promise<number> {
  const { positional, flags } = parseArgs(args, { values: [], flags: ['json'] });
  if (positional.length !== 2) throw new UsageError('give two codings: casebook agree A B [--json]');
  const [a, b] = await Promise.all(positional.map((p) => readCoding(io, p)));
  if (!a || !b) return 1;
  const report = agree(a, b);
  if (flags.has('json')) {
    io.out(JSON.stringify(report, null, 2));
    return 0;
  }
  const out: string[] = [];
  for (const c of report.cases) {
    out.push(`${c.case}: ${c.both} of ${c.a} / ${c.b} codes shared; code ${fig(c.code)}; category ${fig(c.category)}`);
    if (c.onlyA.length) out.push(`  only in ${positional[0]}: ${c.onlyA.join(', ')}`);
    if (c.onlyB.length) out.push(`  only in ${positional[1]}: ${c.onlyB.join(', ')}`);
    if (c.modifiers.length) out.push(`  other modifiers: ${c.modifiers.join(', ')}`);
  }
  out.push('', `overall: code ${fig(report.overall.code)}`, `         category ${fig(report.overall.category)}`);
  io.out(out.join('\n'));
  return 0;
}
