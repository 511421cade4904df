// What the benchmarks share: a median timer, and the codes their generated packs and learners use.
import type { CodeSystem } from '../src/core/model';

export { seededRandom as random } from '../src/core/random';

/** Median milliseconds of `runs` runs after one warm-up run. */
export async function medianMs(run: () => unknown, runs: number): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

export const DIAGNOSES = [
  'E11.9',
  'E11.65',
  'E78.5',
  'E78.00',
  'I10',
  'I11.9',
  'J18.9',
  'J06.9',
  'J45.909',
  'Z23',
  'M17.11',
  'M17.12',
  'R05.1',
  'R51.9',
  'L23.7',
  'N39.0',
];

export const PROCEDURES: Array<[CodeSystem, string]> = [
  ['CPT', '99213'],
  ['CPT', '99214'],
  ['CPT', '99215'],
  ['CPT', '20610'],
  ['CPT', '96372'],
  ['CPT', '93000'],
  ['CPT', '71046'],
  ['HCPCS', 'J1100'],
  ['HCPCS', 'J1110'],
  ['HCPCS', 'G0439'],
  ['CPT', '90471'],
  ['CPT', '36415'],
];

export const MODIFIERS = ['25', '59', 'RT', 'LT', 'XS'];
