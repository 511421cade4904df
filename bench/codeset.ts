// Code-set search benchmark: our stored index against MiniSearch and FlexSearch on the same
// ~106,000 records (ICD-10-CM FY2026 order file with its headers + HCPCS 2025) and the same
// queries, generated deterministically from the data so each has an intended code for the top-5 hit rate.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import MiniSearch from 'minisearch';
import { Index as FlexIndex } from 'flexsearch';
import { CodeStore, importCodeFile, searchCodeSets, titleWords } from '../src/core/codeset';
import type { CodeSet } from '../src/core/codeset';
import { nodeFs } from '../src/node/nodeFs';

const GOALS = { p95Ms: 1, p99Ms: 3, vsMiniSearchP95: 10, vsFlexSearchP95: 3, loadMs: 150, heapMb: 60 };
const LIMIT = 20;

/** The repository root (where package.json is), from the source or the built bench. */
function repoRoot(): string {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
  }
  return process.cwd();
}

export function codesetsFolder(): string {
  return process.env.CASEBOOK_CODESETS ?? path.resolve(repoRoot(), '..', 'shared', 'codesets');
}

interface Doc {
  id: number;
  system: string;
  code: string;
  display: string;
  title: string;
}

interface Query {
  text: string;
  kind: string;
  intended: string; // "SYSTEM|DISPLAY"
}

/** mulberry32: a tiny seeded PRNG, so the queries are the same every run. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SMALL_WORDS = new Set(['of', 'and', 'with', 'the', 'in', 'to', 'for', 'or', 'by', 'on', 'at', 'as', 'per', 'an', 'a', 'not', 'than', 'from', 'without', 'other', 'unspecified', 'each', 'due']);

/**
 * Queries a coder might type, each aimed at one billable code picked at random: its code (with or
 * without the dot), its code less the last character, or prefixes (3 characters or more) of 1–3
 * words of its title that are not small words, in random order.
 */
function makeQueries(billable: Doc[], count: number): Query[] {
  const random = prng(20260101);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const queries: Query[] = [];
  while (queries.length < count) {
    const doc = pick(billable);
    const intended = `${doc.system}|${doc.display}`;
    const n = queries.length % 8;
    if (n === 0) queries.push({ text: random() < 0.5 ? doc.display : doc.display.toLowerCase(), kind: 'code', intended });
    else if (n === 1) queries.push({ text: doc.code.toLowerCase(), kind: 'code without dot', intended });
    else if (n === 2 && doc.code.length > 3) {
      const prefix = doc.code.slice(0, doc.code.length - 1);
      const text = doc.system === 'ICD-10-CM' && prefix.length > 3 && random() < 0.5 ? `${prefix.slice(0, 3)}.${prefix.slice(3)}` : prefix;
      queries.push({ text, kind: 'code prefix', intended });
    } else if (n >= 3) {
      const words = [...new Set(titleWords(doc.title))].filter((w) => w.length >= 3 && !SMALL_WORDS.has(w));
      if (words.length === 0) continue;
      const wanted = 1 + ((n - 3) % 3);
      const chosen: string[] = [];
      while (chosen.length < Math.min(wanted, words.length)) {
        const w = pick(words);
        if (!chosen.includes(w)) chosen.push(w);
      }
      const text = chosen.map((w) => w.slice(0, Math.min(w.length, 3 + Math.floor(random() * (w.length - 2))))).join(' ');
      queries.push({ text, kind: `${chosen.length} title word${chosen.length > 1 ? 's' : ''}`, intended });
    }
  }
  return queries;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** Latency percentiles (ms) over `rounds` passes after a warm-up pass, and the top-5 hit rate. */
function measure(queries: Query[], search: (q: string) => string[], rounds: number): { p50: number; p95: number; p99: number; top5: number } {
  for (const q of queries.slice(0, 64)) search(q.text); // warm up
  (globalThis as { gc?: () => void }).gc?.(); // start each engine with a clean heap
  const times: number[] = [];
  let hits = 0;
  for (let round = 0; round < rounds; round++) {
    for (const q of queries) {
      const start = process.hrtime.bigint();
      const result = search(q.text);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
      if (round === 0 && result.slice(0, 5).includes(q.intended)) hits++;
    }
  }
  times.sort((a, b) => a - b);
  const round4 = (x: number) => Math.round(x * 10000) / 10000;
  return { p50: round4(percentile(times, 50)), p95: round4(percentile(times, 95)), p99: round4(percentile(times, 99)), top5: round4(hits / queries.length) };
}

function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

export async function run(): Promise<Record<string, unknown>> {
  const root = codesetsFolder();
  const icdFile = path.join(root, 'icd10cm/fy2026/icd10cm_order_2026.txt');
  const hcpcsFile = path.join(root, 'hcpcs/2025/HCPC2025_JAN_ANWEB_12172024.txt');
  if (!fs.existsSync(icdFile) || !fs.existsSync(hcpcsFile)) return { skipped: `code-set files not found under ${root} (set CASEBOOK_CODESETS)` };

  // Import once into a temporary store.
  const storeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'casebook-bench-codes-')).replace(/\\/g, '/');
  try {
    const importStart = performance.now();
    const sets = [];
    for (const [file, name] of [[icdFile, 'icd10cm_order_2026.txt'], [hcpcsFile, 'HCPC2025_JAN_ANWEB_12172024.txt']]) {
      const result = await importCodeFile(fs.readFileSync(file, 'utf8'), { fileName: name });
      if (result.problem) throw new Error(result.problem.message);
      sets.push(...result.sets);
    }
    await new CodeStore(nodeFs, storeDir).save(sets);
    const importMs = performance.now() - importStart;

    // Memory of one loaded store (decoded titles and typed arrays live outside the JS heap in Node).
    heapUsed();
    const before = heapUsed();
    const memoryBefore = process.memoryUsage();
    const store = new CodeStore(nodeFs, storeDir);
    const loaded: CodeSet[] = await store.prepare();
    const heapMb = (heapUsed() - before) / 1048576;
    const memoryAfter = process.memoryUsage();
    // `external` includes `arrayBuffers` (Node's docs), so it alone counts the stored bytes and the big decoded strings.
    const externalMb = (memoryAfter.external - memoryBefore.external) / 1048576;

    // Load time: a fresh store object each time (reads the files and builds the views).
    const loadTimes: number[] = [];
    for (let i = 0; i < 7; i++) {
      const start = performance.now();
      await new CodeStore(nodeFs, storeDir).prepare();
      loadTimes.push(performance.now() - start);
    }
    loadTimes.sort((a, b) => a - b);

    // The same records for the baselines: every code of both sets.
    const docs: Doc[] = [];
    for (const set of loaded) {
      for (let i = 0; i < set.count; i++) docs.push({ id: docs.length, system: set.system, code: set.code(i), display: set.displayCode(i), title: set.title(i) });
    }
    const billable = docs.filter((d) => {
      const set = loaded.find((s) => s.system === d.system)!;
      return set.billable(set.find(d.code));
    });
    const queries = makeQueries(billable, 320);
    if (process.env.CASEBOOK_BENCH_DUMP) fs.writeFileSync(process.env.CASEBOOK_BENCH_DUMP, JSON.stringify(queries.map((q) => q.text)));
    const key = (d: Doc) => `${d.system}|${d.display}`;

    const ours = measure(queries, (q) => searchCodeSets(loaded, q, { limit: LIMIT }).map((h) => `${h.system}|${h.code}`), 3);

    let start = performance.now();
    const mini = new MiniSearch<Doc>({ fields: ['title', 'codes'], idField: 'id', extractField: (d, f) => (f === 'codes' ? `${d.code} ${d.display}` : (d as unknown as Record<string, string>)[f]) });
    mini.addAll(docs);
    const miniBuildMs = performance.now() - start;
    const miniSearch = measure(queries, (q) =>
      mini.search(q, { prefix: true, combineWith: 'AND', boost: { codes: 2 } }).slice(0, LIMIT).map((r) => key(docs[r.id as number])),
      1,
    );

    start = performance.now();
    const flex = new FlexIndex({ tokenize: 'forward' });
    for (const d of docs) flex.add(d.id, `${d.code} ${d.display} ${d.title}`);
    const flexBuildMs = performance.now() - start;
    const flexSearch = measure(queries, (q) => (flex.search(q, { limit: LIMIT }) as number[]).map((id) => key(docs[id])), 1);

    const round2 = (x: number) => Math.round(x * 100) / 100;
    const loadMs = round2(percentile(loadTimes, 50));
    const ratioMini = round2(miniSearch.p95 / ours.p95);
    const ratioFlex = round2(flexSearch.p95 / ours.p95);
    return {
      records: docs.length,
      queries: queries.length,
      queryKinds: Object.fromEntries([...new Set(queries.map((q) => q.kind))].map((k) => [k, queries.filter((q) => q.kind === k).length])),
      sampleQueries: queries.slice(0, 16).map((q) => q.text),
      limit: LIMIT,
      ours: { ...ours, importAndStoreMs: round2(importMs) },
      miniSearch: { ...miniSearch, buildMs: round2(miniBuildMs) },
      flexSearch: { ...flexSearch, buildMs: round2(flexBuildMs) },
      ratios: { miniSearchP95OverOurs: ratioMini, flexSearchP95OverOurs: ratioFlex },
      load: {
        medianMs: loadMs,
        runs: loadTimes.map(round2),
        heapMb: round2(heapMb),
        externalMb: round2(externalMb),
        totalMb: round2(heapMb + externalMb), gcExposed: typeof (globalThis as { gc?: unknown }).gc === 'function' },
      goals: GOALS,
      goalsMet: {
        p95: ours.p95 <= GOALS.p95Ms,
        p99: ours.p99 <= GOALS.p99Ms,
        vsMiniSearch: ratioMini >= GOALS.vsMiniSearchP95,
        vsFlexSearch: ratioFlex >= GOALS.vsFlexSearchP95,
        top5: ours.top5 >= miniSearch.top5 && ours.top5 >= flexSearch.top5,
        load: loadMs < GOALS.loadMs,
        heap: heapMb + externalMb < GOALS.heapMb,
      },
    };
  } finally {
    fs.rmSync(storeDir, { recursive: true, force: true });
  }
}
