// `casebook`: the command line. Each sub-command lives in its own module and returns an exit code:
// 0 success, 1 invalid input (pack, work, files), 2 bad usage. Arguments, exit codes and JSON are public.
import { type CliIo, UsageError, nodeIo } from './io';
import { validateCommand } from './validate';
import { gradeCommand } from './grade';
import { releaseCommand, exportCommand } from './release';
import { codesCommand } from './codes';
import { progressCommand } from './progress';
import { agreeCommand } from './agree';
import { examCommand } from './exam';

const USAGE = `usage: casebook <command> [options]

commands:
  validate PACK... [--store DIR]           check packs; one problem a line
  grade PACK [--work DIR|FILE.json] [--case ID] [--json]
  grade PACK --submissions DIR --out DIR   grade a class: gradebook.csv + one HTML report per learner
  grade PACK ... --record                  also add each graded attempt to the pack's history
  progress PACK [--work DIR] [--json] [--journal csv|md]
                                           progress by area, error types, missed codes, what next
  agree A B [--json]                       how far two codings agree (keys, work folders, submissions)
  release PACK --out DIR                   copy a pack without keys/ and .casebook/
  export PACK --learner NAME [--out FILE]  write a submission file of the learner's work
  codes import FILE|DIR... [--store DIR]   import official code-set files
  codes search QUERY [--system S] [--year Y] [--limit N] [--json] [--store DIR]
  codes diff OLD NEW [--json] [--store DIR]
  exam grade PACK --exam ID --answers FILE [--json]
  exam grade PACK --exam ID --submissions DIR --out DIR

Add --debug to any command for stack traces.`;

const COMMANDS: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  validate: validateCommand,
  grade: gradeCommand,
  release: releaseCommand,
  export: exportCommand,
  codes: codesCommand,
  progress: progressCommand,
  agree: agreeCommand,
  exam: examCommand,
};

export async function main(argv: string[], io: CliIo): Promise<number> {
  const debug = argv.includes('--debug');
  const args = argv.filter((a) => a !== '--debug');
  const [name, ...rest] = args;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    if (name) io.out(USAGE);
    else io.err(USAGE);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`casebook: unknown command '${name}'\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`casebook ${name}: ${e.message}\n(run 'casebook --help' for usage)`);
      return 2;
    }
    io.err(`casebook ${name}: ${(e as Error).message ?? String(e)}`);
    if (debug) io.err((e as Error).stack ?? '');
    return 1;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2), nodeIo).then((code) => {
    process.exitCode = code;
  });
}
