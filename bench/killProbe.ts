// `npm run probe:kill [TRIALS]`: crash safety of the save path. A child process saves work again
// and again through saveWork (core/work → core/learnerState → atomicWriteText) and says "saved N"
// after each save resolves; the parent SIGKILLs it at a random moment, then checks the work file:
//   torn        the file does not parse as a work file
//   lost        it holds an older save than the last one acknowledged
//   rolled back it holds an older save than before the trial began
//   leftovers   ID.json.tmp-* left by the kill (and whether the next load removed them)
// Not part of `npm test`: it takes a minute and uses real processes and the real disk.
import { spawn } from 'child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import path from 'path';
import { makeAnchor } from '../src/core/anchor';
import type { Tag, WorkFile } from '../src/core/model';
import { loadWork, newWork, parseWorkFile, saveWork, workPath } from '../src/core/work';
import { nodeFs } from '../src/node/nodeFs';

const CASE = 'probe';
const BODY = 'HPI: 58-year-old with right knee pain after a fall; no locking. '.repeat(40);

/** Work whose `seq` says which save it is; 40 tags make each save a few kilobytes. */
function workAt(seq: number): WorkFile {
  const tags: Tag[] = [];
  for (let i = 0; i < 40; i++) {
    const start = (i * 37) % (BODY.length - 20);
    tags.push({ id: `t-${i}`, system: 'ICD-10-CM', code: 'M25.561', modifiers: [], units: 1, links: [], anchor: makeAnchor(BODY, start, start + 12) });
  }
  return { ...newWork(CASE, BODY), updated: new Date().toISOString(), seq, tags };
}

function seqOf(work: WorkFile | undefined): number {
  return typeof work?.seq === 'number' ? work.seq : 0;
}

async function child(root: string): Promise<void> {
  const loaded = await loadWork(nodeFs, root, CASE, BODY);
  let seq = seqOf(loaded.work);
  process.stdout.write('ready\n');
  for (;;) {
    seq++;
    const refused = await saveWork(nodeFs, root, workAt(seq));
    if (refused) throw new Error(refused.message);
    process.stdout.write(`saved ${seq}\n`);
  }
}

interface Trial {
  acked: number;
  found: number;
  before: number;
  torn: boolean;
  leftovers: number;
  cleaned: boolean;
}

function runTrial(root: string, before: number): Promise<{ acked: number }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [...process.execArgv, __filename, 'child', root], { stdio: ['ignore', 'pipe', 'inherit'] });
    let acked = 0;
    let buffer = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line === 'ready') setTimeout(() => proc.kill('SIGKILL'), 2 + Math.random() * 120);
        else if (line.startsWith('saved ')) acked = Number(line.slice(6));
      }
    });
    proc.on('error', reject);
    proc.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child ended with ${code ?? signal} before the kill (seq ${before})`));
      else resolve({ acked });
    });
  });
}

async function parent(trials: number): Promise<void> {
  const root = mkdtempSync(path.join(tmpdir(), 'casebook-killprobe-')).split(path.sep).join('/');
  writeFileSync(path.join(root, 'casebook.json'), '{"format":1,"id":"probe","title":"Probe"}\n');
  const file = workPath(root, CASE);
  const folder = path.dirname(file);
  const results: Trial[] = [];
  let before = 0;
  const started = Date.now();
  try {
    for (let t = 0; t < trials; t++) {
      const { acked } = await runTrial(root, before);
      let text = '';
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        // no file yet: counts as seq 0
      }
      const parsed = text ? parseWorkFile(text, file) : { work: undefined, problems: [] };
      const torn = text !== '' && !parsed.work;
      const found = seqOf(parsed.work);
      const temps = () => readdirSync(folder).filter((n) => n.startsWith(`${CASE}.json.tmp-`)).length;
      const leftovers = temps();
      // The next load (here, as the editor would) must remove what the kill left.
      await loadWork(nodeFs, root, CASE, BODY);
      results.push({ acked, found, before, torn, leftovers, cleaned: temps() === 0 });
      before = found;
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  const count = (f: (t: Trial) => boolean) => results.filter(f).length;
  const summary = {
    trials: results.length,
    saves: results.reduce((n, t) => n + (t.found - t.before), 0),
    torn: count((t) => t.torn),
    lost: count((t) => t.found < t.acked),
    rolledBack: count((t) => t.found < t.before),
    /** The kill came after the save's rename but before its acknowledgement reached the parent. */
    aheadOfAck: count((t) => t.found > t.acked),
    trialsWithLeftoverTemp: count((t) => t.leftovers > 0),
    leftoverTempFiles: results.reduce((n, t) => n + t.leftovers, 0),
    leftoversNotCleanedByNextLoad: count((t) => !t.cleaned),
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
  process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
  if (summary.torn || summary.lost || summary.rolledBack || summary.leftoversNotCleanedByNextLoad) process.exitCode = 1;
}

if (process.argv[2] === 'child') {
  child(process.argv[3]).catch((e) => {
    process.stderr.write(`${(e as Error).stack}\n`);
    process.exit(3);
  });
} else {
  void parent(Number(process.argv[2] ?? 200));
}
