// Issue 17 item 1: the learner's state (.casebook/) stays inside the pack. A pack that ships
// .casebook (or work/, exams/EXAM, a work file) as a link, or as a plain file, gets a Problem with
// the fix, and nothing is read, renamed or written through it.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, symlinkSync, writeFileSync, readFileSync } from 'fs';
import path from 'path';
import { readProgress } from '../../src/core/caseStatus';
import { readAttempts, saveAttempt } from '../../src/core/exam/attempt';
import type { Attempt } from '../../src/core/exam/model';
import { appendHistory, readHistory } from '../../src/core/history';
import { DEFAULT_POLICY, type Pack } from '../../src/core/model';
import { grade } from '../../src/core/grade';
import { formatProblem, loadPack } from '../../src/core/pack';
import { readAllWork } from '../../src/core/submission';
import { loadWork, newWork, saveWork } from '../../src/core/work';
import { nodeFs } from '../../src/node/nodeFs';
import { removeTempPacks, tempDir, tempPack } from '../fixtures/packs/tempPack';
import { dx, key, note, tag, work } from './grade-fixtures';
import { MemFs } from './memfs';

const PACK = '/packs/p';
const BODY = 'HPI: knee pain.\n';
const result = grade(note(), key([dx('I10')]), work([tag('I10', { system: 'ICD-10-CM' })]), DEFAULT_POLICY);
const TIME = new Date('2026-11-24T10:15:00.000Z');

/** A pack whose .casebook links to /elsewhere, which holds a damaged work file and a history. */
function linkedPack(): MemFs {
  const fs = new MemFs();
  fs.put(`${PACK}/casebook.json`, '{}');
  fs.put('/elsewhere/work/c1.json', 'not json');
  fs.put('/elsewhere/history.jsonl', '');
  fs.symlink('/elsewhere', `${PACK}/.casebook`);
  return fs;
}

function attempt(): Attempt {
  return {
    format: 1,
    id: 'a1',
    exam: 'practice',
    mode: 'practice',
    started: TIME.toISOString(),
    deadline: null,
    submitted: null,
    answers: {},
    flagged: [],
    seconds: {},
    current: '',
    part: 0,
    partStarted: TIME.toISOString(),
  };
}

describe('learner state stays inside the pack (.casebook)', () => {
  after(removeTempPacks);

  it('does not read, rename or write work through a linked .casebook, and says how to fix it', async () => {
    const fs = linkedPack();
    const before = fs.list('/elsewhere');
    const loaded = await loadWork(fs, PACK, 'c1', BODY);
    assert.equal(loaded.movedAside, undefined);
    assert.equal(loaded.refused?.file, '.casebook');
    assert.match(loaded.refused.message, /symbolic link/);
    assert.equal(loaded.refused.hint, 'remove the link .casebook, or make it a folder');
    assert.deepEqual(loaded.work.tags, []);
    const refused = await saveWork(fs, PACK, newWork('c1', BODY));
    assert.equal(refused?.file, '.casebook');
    assert.deepEqual(fs.list('/elsewhere'), before);
    assert.equal(fs.text('/elsewhere/work/c1.json'), 'not json');
  });

  it('does not append history or read it through a linked .casebook', async () => {
    const fs = linkedPack();
    const refused = await appendHistory(fs, PACK, result, TIME);
    assert.equal(refused?.file, '.casebook');
    assert.equal(fs.text('/elsewhere/history.jsonl'), '');
    const read = await readHistory(fs, PACK);
    assert.deepEqual(read.entries, []);
    assert.equal(read.problem?.file, '.casebook');
  });

  it('refuses a linked .casebook/work, and a work file that is itself a link', async () => {
    const fs = new MemFs();
    fs.put('/elsewhere/c1.json', JSON.stringify(newWork('c1', BODY)));
    fs.symlink('/elsewhere', `${PACK}/.casebook/work`);
    assert.equal((await saveWork(fs, PACK, newWork('c1', BODY)))?.file, '.casebook/work');
    assert.equal((await loadWork(fs, PACK, 'c1', BODY)).refused?.hint, 'remove the link .casebook/work, or make it a folder');

    const fs2 = new MemFs();
    fs2.put('/elsewhere/c1.json', 'kept');
    fs2.symlink('/elsewhere/c1.json', `${PACK}/.casebook/work/c1.json`);
    const loaded = await loadWork(fs2, PACK, 'c1', BODY);
    assert.equal(loaded.refused?.file, '.casebook/work/c1.json');
    assert.equal(loaded.movedAside, undefined);
    assert.equal((await saveWork(fs2, PACK, newWork('c1', BODY)))?.file, '.casebook/work/c1.json');
    assert.equal(fs2.text('/elsewhere/c1.json'), 'kept');
  });

  it('gives a clear problem, not ENOTDIR, when .casebook is a plain file', async () => {
    const fs = new MemFs();
    fs.put(`${PACK}/.casebook`, 'oops');
    const refused = await saveWork(fs, PACK, newWork('c1', BODY));
    assert.equal(refused?.file, '.casebook');
    assert.match(refused.message, /is a file, not a folder/);
    assert.equal(refused.hint, 'remove or rename .casebook, or make it a folder');
    assert.equal((await appendHistory(fs, PACK, result, TIME))?.file, '.casebook');
    assert.equal(fs.text(`${PACK}/.casebook`), 'oops');
  });

  it('refuses exam attempts through a linked .casebook/exams/EXAM', async () => {
    const fs = new MemFs();
    fs.put('/elsewhere/a0.json', 'not json');
    fs.symlink('/elsewhere', `${PACK}/.casebook/exams/practice`);
    assert.equal((await saveAttempt(fs, PACK, attempt()))?.file, '.casebook/exams/practice');
    const read = await readAttempts(fs, PACK, 'practice', { moveAside: true });
    assert.deepEqual(read.unreadable, []);
    assert.equal(read.refused[0]?.file, '.casebook/exams/practice');
    assert.deepEqual(fs.list('/elsewhere'), ['/elsewhere/a0.json']);
  });

  it('reads no progress or submission work through a linked .casebook, and says why', async () => {
    const fs = linkedPack();
    fs.put('/elsewhere/work/c2.json', JSON.stringify(newWork('c2', BODY)));
    const progress = await readProgress(fs, PACK);
    assert.deepEqual([...progress.inProgress], []);
    assert.equal(progress.progressProblems[0]?.file, '.casebook');
    const pack = { root: PACK, cases: [], keys: new Map(), glossary: [], manifest: { format: 1, id: 'p', title: 'P' } } as unknown as Pack;
    const all = await readAllWork(fs, pack);
    assert.equal(all.works.size, 0);
    assert.equal(all.problems[0]?.file, '.casebook');
  });

  it('works on the real file system: a linked .casebook is refused and the folder it points at is untouched', async () => {
    const outside = tempDir();
    mkdirSync(path.join(outside, 'work'));
    writeFileSync(path.join(outside, 'work', 'c1.json'), '{broken');
    const root = tempDir();
    symlinkSync(outside, path.join(root, '.casebook'));
    const loaded = await loadWork(nodeFs, root.split(path.sep).join('/'), 'c1', BODY);
    assert.equal(loaded.refused?.file, '.casebook');
    assert.equal(await saveWork(nodeFs, root, newWork('c1', BODY)).then((p) => p?.file), '.casebook');
    assert.deepEqual(readdirSync(path.join(outside, 'work')), ['c1.json']);
    assert.equal(readFileSync(path.join(outside, 'work', 'c1.json'), 'utf8'), '{broken');
  });
});

describe('casebook validate: the .casebook layout', () => {
  after(removeTempPacks);

  /** The good pack with `.casebook` set up by `arrange`: the problems about .casebook. */
  async function problemsOf(arrange: (root: string) => void): Promise<string[]> {
    const root = tempPack();
    arrange(root);
    const { problems } = await loadPack(nodeFs, root);
    return problems.filter((p) => p.file.startsWith('.casebook')).map(formatProblem);
  }

  it('reports a .casebook that is a link or a file, and a linked .casebook/work or .casebook/exams, as errors', async () => {
    const outside = tempDir();
    assert.deepEqual(await problemsOf((root) => symlinkSync(outside, path.join(root, '.casebook'))), [
      '.casebook:1:1: error: .casebook is a symbolic link: Casebook keeps your work only inside the pack folder, so it reads and writes nothing there',
    ]);
    assert.deepEqual(await problemsOf((root) => writeFileSync(path.join(root, '.casebook'), '')), [
      '.casebook:1:1: error: .casebook is a file, not a folder: Casebook cannot keep your work there',
    ]);
    const linkedWork = await problemsOf((root) => {
      mkdirSync(path.join(root, '.casebook'));
      symlinkSync(outside, path.join(root, '.casebook', 'work'));
      symlinkSync(outside, path.join(root, '.casebook', 'exams'));
    });
    assert.equal(linkedWork.length, 2);
    assert.match(linkedWork[0], /^\.casebook\/exams:1:1: error: .*symbolic link/);
    assert.match(linkedWork[1], /^\.casebook\/work:1:1: error: .*symbolic link/);
    assert.deepEqual(await problemsOf((root) => mkdirSync(path.join(root, '.casebook', 'work'), { recursive: true })), []);
  });
});
