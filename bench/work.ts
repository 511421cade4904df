// The learner's work at scale: highlight spans for 2,000 tags (must fit in a frame, 16 ms) and an
// atomic, fsynced save of a 2,000-tag work file (goal 20 ms), each beside a baseline measured in the same run.
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { makeAnchor, reanchor } from '../src/core/anchor';
import type { Tag, WorkFile } from '../src/core/model';
import { nodeFs } from '../src/node/nodeFs';
import { decorationSpans } from '../src/core/sheet';
import { newWork, reanchorWork, saveWork, serializeWork } from '../src/core/work';
import { medianMs as timeMedian } from './common';

const TAGS = 2000;
const RUNS = 20;
const SPANS_GOAL_MS = 16;
const SAVE_GOAL_MS = 20;

/** A long note (~150k characters) with 2,000 tags spread over it, a third of them procedures. */
function bigCase(): { body: string; work: WorkFile } {
  const sentence = (i: number) => `Visit ${i}: patient reports intermittent chest pressure, hyperlipidemia on statin, BP ${110 + (i % 40)}/${70 + (i % 20)}. `;
  const sentences = Array.from({ length: TAGS }, (_, i) => sentence(i));
  const body = sentences.join('');
  const tags: Tag[] = [];
  let offset = 0;
  sentences.forEach((s, i) => {
    const start = offset + s.indexOf('chest pressure');
    const anchor = makeAnchor(body, start, start + 'chest pressure'.length);
    tags.push(
      i % 3 === 2
        ? { id: `t-${i.toString(16)}`, system: 'CPT', code: '99214', modifiers: ['25'], units: 1 + (i % 2), links: ['I20.89', 'E78.5'], anchor }
        : { id: `t-${i.toString(16)}`, system: 'ICD-10-CM', code: `I${20 + (i % 60)}.${i % 10}`, modifiers: [], units: 1, links: [], anchor },
    );
    offset += s.length;
  });
  return { body, work: { ...newWork('bench', body), tags } };
}

const medianMs = (run: () => unknown, runs = RUNS) => timeMedian(run, runs);

/** The obvious way: look each tag's pointers up by filtering all tags, build labels via JSON, then sort. */
function naiveSpans(work: WorkFile): Array<{ tagId: string; start: number; end: number; label: string }> {
  const spans = work.tags
    .filter((t) => t.anchor && t.detached !== true)
    .map((t) => {
      const diagnoses = [...new Set(work.tags.filter((d) => d.system === 'ICD-10-CM').map((d) => d.code.replace('.', '')))];
      const pointers = t.links.map((l) => String.fromCharCode(65 + diagnoses.indexOf(l.replace('.', ''))));
      return { tagId: t.id, start: t.anchor!.start, end: t.anchor!.end, label: JSON.stringify([t.code, t.modifiers, t.units, pointers]) };
    });
  return spans.sort((a, b) => a.start - b.start || a.end - b.end);
}

const round = (n: number) => Math.round(n * 1000) / 1000;

export async function run(): Promise<Record<string, unknown>> {
  const { body, work } = bigCase();

  // (a) decoration spans
  const spansMs = await medianMs(() => decorationSpans(work));
  const anchors = work.tags.map((t) => t.anchor!);
  const sortOnlyMs = await medianMs(() => [...anchors].sort((a, b) => a.start - b.start || a.end - b.end));
  const naiveMs = await medianMs(() => naiveSpans(work), 5);

  // (b) atomic, fsynced save vs a plain write
  const dir = mkdtempSync(`${tmpdir()}/casebook-bench-`);
  let saveMs: number;
  let plainMs: number;
  const bytes = Buffer.byteLength(serializeWork(work));
  try {
    saveMs = await medianMs(() => saveWork(nodeFs, dir, work));
    plainMs = await medianMs(() => writeFileSync(`${dir}/plain.json`, JSON.stringify(work, null, 2)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  // For information: re-anchoring every tag after text was inserted at the top of the note.
  const changed = 'ADDENDUM: reviewed.\n' + body;
  // As loadWork does it (each tag first looks where its neighbour moved), and tag by tag with no hint.
  const reanchorWorkMs = await medianMs(() => reanchorWork(work, changed), 5);
  const reanchorEachMs = await medianMs(() => work.tags.forEach((t) => reanchor(changed, t.anchor!)), 3);

  return {
    tags: TAGS,
    noteLength: body.length,
    decorationSpans: {
      medianMs: round(spansMs),
      goalMs: SPANS_GOAL_MS,
      meetsGoal: spansMs < SPANS_GOAL_MS,
      ratioToGoal: round(spansMs / SPANS_GOAL_MS),
      baselineSortOnlyMs: round(sortOnlyMs),
      ratioToSortOnly: round(spansMs / sortOnlyMs),
      baselineNaiveMs: round(naiveMs),
      speedupOverNaive: round(naiveMs / spansMs),
    },
    saveWork: {
      medianMs: round(saveMs),
      bytes,
      goalMs: SAVE_GOAL_MS,
      meetsGoal: saveMs < SAVE_GOAL_MS,
      ratioToGoal: round(saveMs / SAVE_GOAL_MS),
      baselinePlainWriteMs: round(plainMs),
      ratioToPlainWrite: round(saveMs / plainMs),
    },
    reanchorAfterInsertAtTop: {
      medianMs: round(reanchorWorkMs),
      baselineEachTagWithoutHintMs: round(reanchorEachMs),
      speedup: round(reanchorEachMs / reanchorWorkMs),
    },
  };
}
