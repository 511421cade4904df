// `casebook release PACK --out DIR`: a copy of the pack for learners, without its answer keys and
// without .casebook/ (the instructor's own work and history) or .git/ (whose history holds the keys).
// `casebook export PACK --learner NAME [--out FILE]`: the learner's work as one submission file.
import path from 'path';
import { decodeText, encodeText } from '../core/fs';
import { exportSubmission, serializeSubmission } from '../core/export';
import { formatProblem } from '../core/pack';
import { atomicWriteText } from '../core/work';
import { safeFileName } from '../core/fileNames';
import { loadPackOrReport } from './grade';
import { type CliIo, UsageError, absolute, parseArgs } from './io';

const posix = path.posix;

function isInside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith('/') ? parent : `${parent}/`);
}

/** The real path of `p` even when it does not exist yet: its nearest existing ancestor resolved, plus the rest. */
async function realPathOf(io: CliIo, p: string): Promise<string> {
  const rest: string[] = [];
  let current = p;
  for (;;) {
    try {
      const real = await io.fs.realpath(current);
      return rest.length ? posix.join(real, ...rest.reverse()) : real;
    } catch {
      const parent = posix.dirname(current);
      if (parent === current) return p;
      rest.push(posix.basename(current));
      current = parent;
    }
  }
}

interface CopyPlan {
  /** Files to write: path relative to the pack, and the real file to read. */
  files: Array<{ rel: string; from: string }>;
  folders: string[];
  refused: string[];
}

export async function releaseCommand(args: string[], io: CliIo): Promise<number> {
  const { positional, options } = parseArgs(args, { values: ['out'], flags: [] });
  if (positional.length !== 1) throw new UsageError('give one pack folder: casebook release PACK --out DIR');
  const outArg = options.get('out');
  if (outArg === undefined) throw new UsageError('give the folder to write the released copy to: casebook release PACK --out DIR');
  const [packArg] = positional;

  const pack = await loadPackOrReport(io, packArg);
  if (!pack) return 1;
  const root = await io.fs.realpath(pack.root);
  const out = await realPathOf(io, absolute(io, outArg));
  if (isInside(out, root)) {
    io.err(`${outArg}: the released copy cannot go inside the pack it copies; choose a folder outside ${packArg}`);
    return 1;
  }
  const outStat = await io.fs.stat(out);
  if (outStat && outStat.kind !== 'directory') {
    io.err(`${outArg}: exists and is not a folder; choose a new or empty folder`);
    return 1;
  }
  if (outStat && (await io.fs.readdir(out)).length > 0) {
    io.err(`${outArg}: the folder is not empty; choose a new or empty folder (nothing was overwritten)`);
    return 1;
  }

  const keysRel = posix.normalize((pack.manifest.keys ?? 'keys').replace(/\\/g, '/')).replace(/\/+$/, '');
  const withheld = [posix.join(root, keysRel), posix.join(root, '.casebook'), posix.join(root, '.git')];
  const plan: CopyPlan = { files: [], folders: [], refused: [] };
  await planCopy(io, root, '', withheld, plan, new Set([root]));
  if (plan.refused.length) {
    for (const r of plan.refused) io.err(r);
    io.err(`${packArg}: not released; replace those links by the files themselves (or remove them) and try again`);
    return 1;
  }

  for (const { rel } of plan.files) {
    const why = looksLikeAnswers(rel);
    if (why)
      io.err(`warning: ${rel} looks like answers (${why}); it is in the release: remove it from the pack and release again unless it is meant for learners`);
  }

  await io.fs.mkdir(out);
  for (const folder of plan.folders) await io.fs.mkdir(posix.join(out, folder));
  for (const { rel, from } of plan.files) {
    let data = await io.fs.readFile(from);
    // A manifest naming its keys folder would point at a folder the copy does not have.
    if (rel === 'casebook.json' && pack.manifest.keys !== undefined) {
      const manifest = JSON.parse(decodeText(data)) as Record<string, unknown>;
      delete manifest.keys;
      data = encodeText(JSON.stringify(manifest, null, 2) + '\n');
    }
    await io.fs.writeFile(posix.join(out, rel), data);
  }
  io.out(`released ${packArg} to ${outArg}: ${plan.files.length} files, without ${keysRel}/ and .casebook/`);
  return 0;
}

/**
 * Why a released file looks like it holds answers, or undefined: a folder named for keys (a copy such
 * as keys-backup/ or old-keys/, or any hidden folder with "key" in it), or a key file's backup or
 * editor copy (`*.key.md.bak`, `keys.md~`).
 */
export function looksLikeAnswers(rel: string): string | undefined {
  const parts = rel.split('/');
  const name = parts.pop()!;
  const folder = parts.find((p) => /key/i.test(p));
  if (folder) return folder.startsWith('.') ? `a hidden folder ${folder}/ named for keys` : `the folder ${folder}/ is named for keys`;
  const hidden = parts.find((p) => p.startsWith('.'));
  if (hidden && /key/i.test(name)) return `a file named for keys in the hidden folder ${hidden}/`;
  if (/key/i.test(name) && /(\.(bak|old|orig|tmp|swp|save)|~)$/i.test(name)) return 'a backup copy of a key file';
  if (/\.key\./i.test(name)) return 'named like a key file';
  return undefined;
}

/** Lists what to copy under `dir` (real path `realDir`); links are followed only while they stay inside the pack and out of the withheld folders. */
async function planCopy(io: CliIo, root: string, rel: string, withheld: string[], plan: CopyPlan, visiting: Set<string>): Promise<void> {
  const realDir = rel ? await io.fs.realpath(posix.join(root, rel)) : root;
  const entries = (await io.fs.readdir(realDir)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const childRel = rel ? `${rel}/${entry.name}` : entry.name;
    const literal = posix.join(realDir, entry.name);
    if (withheld.some((w) => isInside(posix.join(root, childRel), w) || isInside(literal, w))) continue;
    let real = literal;
    let kind = entry.kind;
    if (kind === 'symlink') {
      try {
        real = await io.fs.realpath(literal);
      } catch {
        plan.refused.push(`${childRel}: a link to nothing (its target is missing)`);
        continue;
      }
      if (!isInside(real, root)) {
        plan.refused.push(`${childRel}: a link that leaves the pack (to ${real})`);
        continue;
      }
      if (withheld.some((w) => isInside(real, w))) {
        plan.refused.push(`${childRel}: a link into ${posix.relative(root, real)}, which a released pack must not contain`);
        continue;
      }
      kind = (await io.fs.stat(real))?.kind ?? 'other';
    }
    if (kind === 'file') {
      plan.files.push({ rel: childRel, from: real });
    } else if (kind === 'directory') {
      if (visiting.has(real)) continue; // a link back up the tree: copied once already
      plan.folders.push(childRel);
      visiting.add(real);
      await planCopy(io, root, childRel, withheld, plan, visiting);
      visiting.delete(real);
    }
  }
}

export async function exportCommand(args: string[], io: CliIo): Promise<number> {
  const { positional, options } = parseArgs(args, { values: ['learner', 'out'], flags: [] });
  if (positional.length !== 1) throw new UsageError('give one pack folder: casebook export PACK --learner NAME [--out FILE]');
  const learner = options.get('learner')?.trim();
  if (!learner) throw new UsageError('give the learner\'s name: casebook export PACK --learner "NAME"');
  const [packArg] = positional;

  // The learner's work matters here, not the pack's keys: any pack with a manifest will do.
  const pack = await loadPackOrReport(io, packArg, true);
  if (!pack) return 1;
  const exported = await exportSubmission(io.fs, pack, learner, new Date());
  if (!exported.submission) {
    for (const p of exported.problems.filter((x) => x.severity === 'error')) io.err(formatProblem(p));
    io.err(`${packArg}: some work files cannot be read, so the submission would be incomplete; nothing was written`);
    return 1;
  }
  const target = absolute(io, options.get('out') ?? `${safeFileName(pack.manifest.id)}-${safeFileName(learner)}.json`);
  await atomicWriteText(io.fs, target, serializeSubmission(exported.submission));
  const cases = exported.cases;
  if (cases === 0) io.err(`${packArg}: no work found in .casebook/work: the submission is empty`);
  const examNote = exported.attempts ? `, ${exported.attempts} exam attempt${exported.attempts === 1 ? '' : 's'}` : '';
  io.out(`wrote ${posix.relative(absolute(io, '.'), target) || target} (${cases} case${cases === 1 ? '' : 's'}${examNote})`);
  return 0;
}
