// `npm run bench`: runs every benchmark and prints one JSON document. Each benchmark measures its
// subject and a baseline in the same run, and reports the ratio and whether the goal was met.
import * as os from 'os';
import * as pack from './pack';
import * as grade from './grade';
import * as work from './work';
import * as codeset from './codeset';
import * as analytics from './analytics';
import * as exam from './exam';
import * as progress from './progress';
import * as slowInputs from './slowInputs';

const BENCHES: Record<string, { run(): Promise<Record<string, unknown>> }> = { pack, grade, work, codeset, exam, analytics, progress, slowInputs };

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const results: Record<string, unknown> = {
    machine: { node: process.version, platform: process.platform, arch: process.arch, cpus: os.cpus().length, nodeFlags: process.execArgv },
  };
  for (const [name, bench] of Object.entries(BENCHES)) {
    if (only.length && !only.includes(name)) continue;
    try {
      results[name] = await bench.run();
    } catch (e) {
      results[name] = { error: (e as Error).message };
      process.exitCode = 1;
    }
  }
  process.stdout.write(JSON.stringify(results, null, 2) + '\n');
}

void main();
