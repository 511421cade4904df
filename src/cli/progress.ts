// `casebook progress PACK [--work DIR] [--json] [--journal csv|md]`: the learner's progress from the
// pack's history (.casebook/history.jsonl): cases done, areas over time, error types, the missed-code
// journal and what to practise next. The JSON is public (docs/formats.md, "Progress").
import path from 'path';
import { readHistory, parseHistory } from '../core/history';
import { formatProblem } from '../core/pack';
import { decodeText } from '../core/fs';
import { resolvePolicy } from '../core/grade';
import { journalCsv, journalMarkdown, practiseNext, progress } from '../core/progress';
import { loadPackOrReport } from './grade';
import { type CliIo, UsageError, absolute, parseArgs } from './io';

const pct = (n: number) => `${Math.round(n * 1000) / 10}%`;

export async function progressCommand(args: string[], io: CliIo): Promise<number> {
  const { positional, options, flags } = parseArgs(args, { values: ['work', 'journal'], flags: ['json'] });
  if (positional.length !== 1) throw new UsageError('give one pack folder: casebook progress PACK [--work DIR] [--json] [--journal csv|md]');
  const journal = options.get('journal');
  if (journal !== undefined && journal !== 'csv' && journal !== 'md') throw new UsageError(`--journal takes csv or md, not '${journal}'`);
  const pack = await loadPackOrReport(io, positional[0]);
  if (!pack) return 1;

  let history;
  const work = options.get('work');
  if (work === undefined) {
    const read = await readHistory(io.fs, pack.root);
    if (read.problem) {
      io.err(formatProblem(read.problem));
      return 1;
    }
    history = read.entries;
  } else {
    // DIR is a .casebook folder (holding history.jsonl) or a pack-like folder holding .casebook/.
    const dir = absolute(io, work);
    const candidates = [path.posix.join(dir, 'history.jsonl'), path.posix.join(dir, '.casebook', 'history.jsonl')];
    const found = (await Promise.all(candidates.map(async (f) => ((await io.fs.stat(f))?.kind === 'file' ? f : undefined)))).find(Boolean);
    if (!found) {
      io.err(`${work}: no history.jsonl in this folder or its .casebook/; give the learner's .casebook folder`);
      return 1;
    }
    history = parseHistory(decodeText(await io.fs.readFile(found)));
  }

  const now = new Date();
  const passMark = resolvePolicy(pack.manifest.grading).passMark;
  const figures = progress(pack, history, now, passMark);
  if (journal === 'csv') io.out(journalCsv(figures.journal));
  else if (journal === 'md') io.out(journalMarkdown(figures.journal, `Missed-code journal: ${pack.manifest.title}`));
  else if (flags.has('json')) io.out(JSON.stringify(figures, null, 2));
  else {
    const out: string[] = [];
    out.push(`${pack.manifest.title}: ${figures.cases.attempted} of ${figures.cases.total} cases done, ${figures.cases.passed} passed`);
    out.push('', 'Areas (latest, best, trend oldest → newest):');
    for (const a of figures.areas) {
      out.push(
        a.attempts
          ? `  ${a.area}: ${pct(a.latestPercent)} latest, ${pct(a.bestPercent)} best  [${a.trend.map(pct).join(' ')}]`
          : `  ${a.area}: not practised yet`,
      );
    }
    const errors = Object.entries(figures.errors).filter(([, n]) => n > 0);
    out.push('', `Points lost by type: ${errors.length ? errors.map(([t, n]) => `${t} ${n}`).join(', ') : 'none yet'}`);
    out.push('', `Missed-code journal (${figures.journal.length}):`);
    for (const j of figures.journal.slice(0, 15)) {
      out.push(`  ${j.case}: ${j.code} (${j.type}${j.expected ? `, key ${j.expected}` : ', not in the key'}) ×${j.count}`);
    }
    out.push('', 'Practise next:');
    for (const n of practiseNext(pack, history, now, passMark).slice(0, 5)) out.push(`  ${n.case}: ${n.why}`);
    io.out(out.join('\n'));
  }
  return 0;
}
