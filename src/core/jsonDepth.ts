// A bound on JSON nesting for the files Casebook reads from learners (work files, submissions,
// exam attempts). JSON.parse copes with deep input, but everything after it that recurses
// (JSON.stringify on save, the YAML parser that finds places) overflows the stack: one 5,000-deep
// unknown field stopped every save. Checked without recursion, once, right after parsing.

/** The deepest nesting read: an object or list inside 64 others is too deep (real files use 5). */
export const MAX_JSON_DEPTH = 64;

export type JsonPath = Array<string | number>;

export interface TooDeep {
  /** JSON path of the too-deep value (the outermost one on its branch). */
  path: JsonPath;
  /** Where it starts in the text, when the text was given. */
  line: number;
  column: number;
}

interface Frame {
  value: unknown;
  depth: number;
  key: string | number | undefined;
  parent: Frame | undefined;
}

function pathOf(frame: Frame): JsonPath {
  const path: JsonPath = [];
  for (let f: Frame | undefined = frame; f && f.key !== undefined; f = f.parent) path.push(f.key);
  return path.reverse();
}

/** Offsets in `text` where the nesting first goes past `limit` on each branch, in document order. */
function deepOffsets(text: string, limit: number, max: number): number[] {
  const out: number[] = [];
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length && out.length < max; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth === limit + 1) out.push(i);
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return out;
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/**
 * The values nested deeper than `limit` (objects and lists count; the top value is depth 1), in
 * document order, at most `max` of them. With `prune`, each is removed from its parent (a field is
 * dropped, a list element becomes null so the others keep their places). Iterative: any depth is safe.
 */
export function findTooDeep(value: unknown, options: { text?: string; limit?: number; max?: number; prune?: boolean } = {}): TooDeep[] {
  const limit = options.limit ?? MAX_JSON_DEPTH;
  const max = options.max ?? 20;
  const found: Array<{ frame: Frame }> = [];
  const stack: Frame[] = [{ value, depth: 1, key: undefined, parent: undefined }];
  while (stack.length && found.length < max) {
    const frame = stack.pop()!;
    const v = frame.value;
    if (typeof v !== 'object' || v === null) continue;
    if (frame.depth > limit) {
      found.push({ frame });
      if (options.prune && frame.parent) {
        const parent = frame.parent.value as Record<string, unknown> | unknown[];
        if (Array.isArray(parent)) parent[frame.key as number] = null;
        else delete parent[frame.key as string];
      }
      continue;
    }
    // Children pushed in reverse, so they come off the stack in document order.
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], depth: frame.depth + 1, key: i, parent: frame });
    } else {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        stack.push({ value: (v as Record<string, unknown>)[keys[i]], depth: frame.depth + 1, key: keys[i], parent: frame });
      }
    }
  }
  const offsets = options.text !== undefined ? deepOffsets(options.text, limit, found.length) : [];
  return found.map(({ frame }, i) => ({
    path: pathOf(frame),
    ...(offsets[i] !== undefined ? lineColumn(options.text!, offsets[i]) : { line: 1, column: 1 }),
  }));
}

/** A JSON path as people read it: `tags[0].note.x`. */
export function pathText(path: JsonPath): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('') || '(the top)';
}

/** The message of a too-deep value. */
export function tooDeepMessage(path: JsonPath): string {
  return `${pathText(path)}: nested more than ${MAX_JSON_DEPTH} levels deep (lists and objects inside each other)`;
}
