// Benchmark: loading and validating a 500-case pack (notes of 2-4 KB, keys with evidence).
// Baseline, measured in the same run: reading the same files' bytes through the same FileSystem,
// so the ratio is the cost of parsing and validation on top of plain I/O. Goal: under 1 s.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import os from 'os';
import path from 'path';
import { loadPack } from '../src/core/pack';
import { nodeFs } from '../src/node/nodeFs';

const CASES = 500;
const RUNS = 5;
const GOAL_MS = 1000;

const SENTENCES = [
  'The patient reports intermittent chest pressure with exertion over the last three weeks.',
  'Vital signs are stable; blood pressure 138/86, pulse 78, oxygen saturation 98% on room air.',
  'Lungs are clear to auscultation bilaterally without wheezes, rales or rhonchi.',
  'Heart has a regular rate and rhythm with no murmurs, rubs or gallops appreciated.',
  'Abdomen is soft and non-tender; bowel sounds are present in all four quadrants.',
  'Home glucose readings have been between 110 and 160 mg/dL in the morning.',
  'She denies fever, chills, night sweats, nausea, vomiting or change in bowel habits.',
  'Medications were reconciled and the patient was counselled on diet and exercise.',
  'An electrocardiogram was obtained in the office and reviewed with the patient today.',
  'Follow-up is arranged in four weeks, sooner if symptoms worsen or new symptoms appear.',
];
const DIAGNOSES = ['I20.89', 'E11.9', 'E78.5', 'I10', 'J06.9', 'Z23', 'M25.561', 'R07.9'];
const PROCEDURES = ['99213', '99214', '93000', '36415', 'J1100', 'G0008'];

function note(i: number): string {
  const lines: string[] = [`CHIEF COMPLAINT: case ${i}, exertional chest pressure and hyperlipidemia follow-up.`, ''];
  let size = 0;
  const target = 2000 + ((i * 379) % 2000); // 2-4 KB
  for (let s = i; size < target; s++) {
    const sentence = SENTENCES[s % SENTENCES.length];
    lines.push(sentence);
    size += sentence.length + 1;
  }
  return lines.join('\n') + '\n';
}

function key(i: number): string {
  const dx = [DIAGNOSES[i % DIAGNOSES.length], DIAGNOSES[(i + 3) % DIAGNOSES.length]];
  const proc = [PROCEDURES[i % PROCEDURES.length], PROCEDURES[(i + 2) % PROCEDURES.length]];
  return [
    '---',
    `case: case-${i}`,
    'diagnoses:',
    `  - code: ${dx[0]}`,
    '    evidence: ["exertional chest pressure", "blood pressure 138/86"]',
    '    why: Documented by the physician.',
    `  - code: ${dx[1]}`,
    '    evidence: ["hyperlipidemia"]',
    'procedures:',
    `  - code: "${proc[0]}"`,
    `    links: [${dx[0]}, ${dx[1]}]`,
    '    modifiers: ["25"]',
    '    evidence: ["reviewed with the patient"]',
    `  - code: "${proc[1]}"`,
    `    links: [${dx[0]}]`,
    '    units: 2',
    '---',
    '## Rationale',
    'The documentation supports each code listed above.',
    '',
  ].join('\n');
}

function writePack(root: string): string[] {
  const files: string[] = [];
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
    files.push(rel);
  };
  write('casebook.json', JSON.stringify({ format: 1, id: 'bench', title: 'Bench pack', codeSetYear: 2026, grading: { passMark: 0.7 } }, null, 2));
  for (let i = 0; i < CASES; i++) {
    write(
      `cases/case-${i}.md`,
      `---\nid: case-${i}\ntitle: Case ${i}\nsetting: outpatient\nareas: [Evaluation and Management, ICD-10-CM]\ndifficulty: ${1 + (i % 5)}\n---\n${note(i)}`,
    );
    write(`keys/case-${i}.md`, key(i));
  }
  write('codes/glossary.csv', 'code,system,description\n' + DIAGNOSES.map((c) => `${c},ICD-10-CM,Diagnosis ${c}`).join('\n') + '\n');
  return files;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

export async function run(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'casebook-bench-pack-'));
  try {
    const root = path.join(dir, 'pack').split(path.sep).join('/');
    const files = writePack(root);
    let bytes = 0;

    // Baseline: list the folders and read every file's bytes, concurrently like the loader does.
    const readAllBytes = async () => {
      bytes = 0;
      for (const folder of ['cases', 'keys', 'codes']) await nodeFs.readdir(`${root}/${folder}`);
      const all = await Promise.all(files.map((f) => nodeFs.readFile(`${root}/${f}`)));
      for (const b of all) bytes += b.length;
    };
    let problems = -1;
    let cases = 0;
    const load = async () => {
      const result = await loadPack(nodeFs, root);
      problems = result.problems.length;
      cases = result.pack?.cases.length ?? 0;
    };

    await readAllBytes(); // warm the OS cache and the JIT for both
    await load();
    const baseline: number[] = [];
    const loads: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      baseline.push(await time(readAllBytes));
      loads.push(await time(load));
    }
    const loadMs = median(loads);
    const baselineMs = median(baseline);
    return {
      cases,
      files: files.length,
      megabytes: Math.round((bytes / 1048576) * 100) / 100,
      problems,
      runs: RUNS,
      loadPackMs: Math.round(loadMs * 10) / 10,
      readBytesMs: Math.round(baselineMs * 10) / 10,
      ratioToReadBytes: Math.round((loadMs / baselineMs) * 10) / 10,
      goalMs: GOAL_MS,
      ratioToGoal: Math.round((loadMs / GOAL_MS) * 1000) / 1000,
      meetsGoal: loadMs < GOAL_MS,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
