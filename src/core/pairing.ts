// The best pairing of key lines with learner lines: the assignment with the highest total value.
// Lines that can pair form small groups; each group is solved exactly (dynamic programming over key
// lines in key order for up to 12 learner lines, else the Hungarian algorithm). Ties go to the earlier
// key line, then to the earliest learner line.

/** Floating-point slack when comparing totals. */
const EPSILON = 1e-9;

/**
 * The pairing of one kind's lines with the highest total value. `value[k][l]` is the gain of pairing
 * key line k with learner line l (undefined when they cannot pair); unpaired lines gain 0.
 */
export function bestPairing(value: Array<Array<number | undefined>>, learnerCount: number): number[] {
  const keyCount = value.length;
  const keyToLearner = new Array<number>(keyCount).fill(-1);
  // Group lines that could pair (union-find over key and learner lines).
  const parent = Array.from({ length: keyCount + learnerCount }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i])));
  for (let k = 0; k < keyCount; k++) {
    for (let l = 0; l < learnerCount; l++) {
      if (value[k][l] !== undefined) parent[find(k)] = find(keyCount + l);
    }
  }
  const groups = new Map<number, { keys: number[]; learners: number[] }>();
  for (let i = 0; i < keyCount + learnerCount; i++) {
    const root = find(i);
    let g = groups.get(root);
    if (!g) groups.set(root, (g = { keys: [], learners: [] }));
    if (i < keyCount) g.keys.push(i);
    else g.learners.push(i - keyCount);
  }
  for (const { keys, learners } of groups.values()) {
    if (keys.length === 0 || learners.length === 0) continue;
    const sub = keys.map((k) => learners.map((l) => value[k][l]));
    const picks = learners.length <= 12 ? pairByDp(sub, learners.length) : pairByHungarian(sub, learners.length);
    picks.forEach((pick, i) => {
      if (pick >= 0) keyToLearner[keys[i]] = learners[pick];
    });
  }
  return keyToLearner;
}

/** Exact optimum by dynamic programming over key lines (in order) and the set of learner lines used. */
function pairByDp(value: Array<Array<number | undefined>>, learnerCount: number): number[] {
  const keyCount = value.length;
  const masks = 1 << learnerCount;
  // best[k * masks + used]: the most that key lines k.. can add when `used` learner lines are taken.
  const best = new Float64Array((keyCount + 1) * masks);
  for (let k = keyCount - 1; k >= 0; k--) {
    for (let used = 0; used < masks; used++) {
      let top = best[(k + 1) * masks + used];
      for (let l = 0; l < learnerCount; l++) {
        const v = value[k][l];
        if (v === undefined || used & (1 << l)) continue;
        top = Math.max(top, v + best[(k + 1) * masks + (used | (1 << l))]);
      }
      best[k * masks + used] = top;
    }
  }
  // Walk forward taking, for each key line, the first choice (earliest learner line, then none) that
  // reaches the optimum.
  const picks: number[] = [];
  let used = 0;
  for (let k = 0; k < keyCount; k++) {
    const target = best[k * masks + used];
    let pick = -1;
    for (let l = 0; l < learnerCount; l++) {
      const v = value[k][l];
      if (v === undefined || used & (1 << l)) continue;
      if (v + best[(k + 1) * masks + (used | (1 << l))] >= target - EPSILON) {
        pick = l;
        break;
      }
    }
    picks.push(pick);
    if (pick >= 0) used |= 1 << pick;
  }
  return picks;
}

/**
 * Exact optimum for a larger group (more than 12 learner lines that could pair with each other's
 * key lines): the Hungarian algorithm with key lines as rows and learner lines plus one "unpaired"
 * column per key line as columns. Rows ≤ columns, so it runs in O(rows² × columns): a case whose
 * learner entered thousands of near-miss codes stays fast, since a key has few lines.
 */
function pairByHungarian(value: Array<Array<number | undefined>>, learnerCount: number): number[] {
  const n = value.length; // rows: key lines
  const m = learnerCount + n; // columns: learner lines, then the "unpaired" ones
  const FORBIDDEN = 1e9;
  const cost = (i: number, j: number): number => {
    if (j >= learnerCount) return 0;
    const v = value[i][j];
    return v === undefined ? FORBIDDEN : -v;
  };
  // Potentials version for n ≤ m (1-based; p[j] is the row given column j, way[] the path back).
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const p = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(m + 1).fill(Infinity);
    const usedCol = new Uint8Array(m + 1);
    do {
      usedCol[j0] = 1;
      const i0 = p[j0];
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (usedCol[j]) continue;
        const cur = cost(i0 - 1, j - 1) - u[i0] - v[j];
        if (cur < minv[j]) {
          minv[j] = cur;
          way[j] = j0;
        }
        if (minv[j] < delta) {
          delta = minv[j];
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (usedCol[j]) {
          u[p[j]] += delta;
          v[j] -= delta;
        } else {
          minv[j] -= delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0];
      p[j0] = p[j1];
      j0 = j1;
    } while (j0);
  }
  const picks = new Array<number>(n).fill(-1);
  for (let j = 1; j <= learnerCount; j++) {
    const row = p[j] - 1;
    if (row >= 0 && value[row][j - 1] !== undefined) picks[row] = j - 1;
  }
  return picks;
}

/** The two exact pairing methods, exposed so tests can check they agree. */
export const pairingMethods = { dp: pairByDp, hungarian: pairByHungarian };
