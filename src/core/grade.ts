// The grader: grade(case, key, work, policy) -> CaseResult, and pack totals by area.
// A pure function of its inputs; the rules are docs/grading.md. Pairing is in pairing.ts.
//
// Choices the design leaves open, fixed here:
// - Lines in the result: diagnoses (key order, then extras in the learner's order), then procedures
//   (key order, then extras). An optional key line nobody entered is left out (it is not missing).
// - A line's `earned` includes the penalties charged to it: an extra line earns −extraPenalty, and the
//   line matched to the key's first diagnosis carries the sequence penalty. So the lines' earned add
//   up to the case's earned before clamping.
// - Pairing: the total of (credit + the extra penalty a pair avoids − the sequence penalty it causes)
//   is maximised exactly. Lines that could pair form small groups (same category or an `accept` code);
//   each group is solved by dynamic programming over key lines in key order. On ties, an earlier key
//   line takes a learner line rather than none, and the earliest learner line among equals.
// - sequence.ok: true when the key has no diagnosis or its first diagnosis is paired with the learner's
//   first diagnosis line. The penalty applies only when it is paired with another line; a missing first
//   diagnosis costs its own points, not the penalty too.
// - Metrics leave out optional key lines and the learner lines paired with them (acceptable either way).
// - A case with a work file is `attempted`, even with no tags; passing needs possible > 0.
import { claimLineKey } from './claim';
import { category, displayCode, displayDiagnosis, isCodeSystem, isDiagnosisSystem, normalizeCode, normalizeDiagnosis, normalizeModifier } from './codes';
import { findEvidence } from './evidence';
import { bestPairing } from './pairing';
import {
  CODE_SYSTEMS,
  DEFAULT_POLICY,
  type AnswerKey,
  type AreaResult,
  type CaseNote,
  type CaseResult,
  type CodeSystem,
  type KeyLine,
  type LineKind,
  type LineResult,
  type LineStatus,
  type LineSummary,
  type Pack,
  type PackResult,
  type Policy,
  type SystemMetrics,
  type WorkFile,
} from './model';

/** Floating-point slack when comparing totals and the pass mark. */
const EPSILON = 1e-9;

export function round4(n: number): number {
  return Math.round(n * 10000) / 10000 + 0; // + 0 turns -0 into 0
}

// ---- policy ----

type PolicyCheck = (value: unknown) => boolean;
const isFraction: PolicyCheck = (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 1;
const isWeight: PolicyCheck = (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const POLICY_CHECKS: Record<keyof Policy, PolicyCheck> = {
  passMark: isFraction,
  partialCredit: (v) => typeof v === 'boolean',
  nearMiss: isFraction,
  modifierWeight: isWeight,
  unitsWeight: isWeight,
  linksWeight: isWeight,
  evidenceWeight: isWeight,
  extraPenalty: isWeight,
  sequencePenalty: isWeight,
};

/** DEFAULT_POLICY, then each override in order; values of the wrong type or range are ignored. */
export function resolvePolicy(...overrides: Array<Partial<Policy> | undefined>): Policy {
  const policy: Policy = { ...DEFAULT_POLICY };
  for (const override of overrides) {
    if (!override || typeof override !== 'object') continue;
    for (const name of Object.keys(POLICY_CHECKS) as Array<keyof Policy>) {
      const value = (override as Record<string, unknown>)[name];
      if (POLICY_CHECKS[name](value)) (policy as unknown as Record<string, unknown>)[name] = value;
    }
  }
  return policy;
}

// ---- the learner's lines ----

/** The learner's tags grouped as a claim line: one diagnosis, or one procedure with its modifiers. */
interface LearnerLine {
  kind: LineKind;
  system: CodeSystem;
  /** Normalized code. */
  code: string;
  category: string;
  /** Normalized modifiers, first-seen order. */
  modifiers: string[];
  units: number;
  /** Normalized ICD-10-CM codes, first-seen order. */
  links: string[];
  anchors: Array<{ start: number; end: number }>;
  tagIds: string[];
}

function uniqueNormalized(values: unknown, normalize: (v: string) => string): string[] {
  if (!Array.isArray(values)) return [];
  const out: string[] = [];
  for (const v of values) {
    if (typeof v !== 'string') continue;
    const n = normalize(v);
    if (n && !out.includes(n)) out.push(n);
  }
  return out;
}

/** Groups tags into lines, in the order each line first appears in the work file. */
export function learnerLines(work: WorkFile | undefined): LearnerLine[] {
  const lines = new Map<string, LearnerLine>();
  for (const tag of work?.tags ?? []) {
    if (!tag || typeof tag.code !== 'string') continue;
    const system = tag.system;
    if (!isCodeSystem(system)) continue;
    const code = normalizeCode(system, tag.code);
    if (!code) continue;
    const diagnosis = isDiagnosisSystem(system);
    const modifiers = diagnosis ? [] : uniqueNormalized(tag.modifiers, normalizeModifier);
    const id = claimLineKey(system, code, modifiers);
    const units = typeof tag.units === 'number' && Number.isFinite(tag.units) ? tag.units : 1;
    let line = lines.get(id);
    if (!line) {
      line = {
        kind: diagnosis ? 'diagnosis' : 'procedure',
        system,
        code,
        category: category(system, code),
        modifiers,
        units,
        links: [],
        anchors: [],
        tagIds: [],
      };
      lines.set(id, line);
    }
    line.units = Math.max(line.units, units);
    if (!diagnosis) {
      for (const link of uniqueNormalized(tag.links, normalizeDiagnosis)) {
        if (!line.links.includes(link)) line.links.push(link);
      }
    }
    // A detached tag's old offsets point at other text now: its code counts, its place does not.
    if (tag.anchor && !tag.detached && typeof tag.anchor.start === 'number' && typeof tag.anchor.end === 'number') {
      line.anchors.push({ start: tag.anchor.start, end: tag.anchor.end });
    }
    if (typeof tag.id === 'string') line.tagIds.push(tag.id);
  }
  return [...lines.values()];
}

// ---- credit for one pair ----

type MatchKind = 'exact' | 'accepted' | 'near';

interface PairCredit {
  match: MatchKind;
  /** Credit for the line (0 for an optional key line). */
  earned: number;
  reasons: string[];
  evidenceSupported?: boolean;
}

function jaccard(a: string[], b: string[]): number {
  const all = new Set([...a, ...b]);
  if (all.size === 0) return 1;
  let common = 0;
  for (const x of new Set(a)) if (b.includes(x)) common++;
  return common / all.size;
}

/** A key line's codes in normal form (grading compares them often). */
interface NormalKeyLine {
  code: string;
  category: string;
  accept: string[];
  modifiers: string[];
  links?: string[];
}

type Places = Array<{ start: number; end: number }>;

/**
 * What one grade() call works out about key lines, once each: their normal forms and where their
 * evidence is in the note. Made anew by every call, so a key edited between calls is never stale.
 */
class KeyLineFacts {
  private readonly forms = new Map<KeyLine, NormalKeyLine>();
  private readonly places = new Map<KeyLine, Places>();

  constructor(private readonly note: CaseNote | undefined) {}

  normal(key: KeyLine): NormalKeyLine {
    let n = this.forms.get(key);
    if (!n) {
      n = {
        code: normalizeCode(key.system, key.code),
        category: category(key.system, key.code),
        accept: key.accept.map((a) => normalizeCode(key.system, a)),
        modifiers: uniqueNormalized(key.modifiers, normalizeModifier),
        links: key.links === undefined ? undefined : uniqueNormalized(key.links, normalizeDiagnosis),
      };
      this.forms.set(key, n);
    }
    return n;
  }

  /** Where the key line's evidence phrases occur in the note; undefined without a note. */
  evidence(key: KeyLine): Places | undefined {
    if (!this.note) return undefined;
    let places = this.places.get(key);
    if (!places) {
      const body = this.note.body;
      places = key.evidence.flatMap((phrase) => findEvidence(body, phrase));
      this.places.set(key, places);
    }
    return places;
  }
}

function matchKind(key: KeyLine, learner: LearnerLine, policy: Policy, facts: KeyLineFacts): MatchKind | undefined {
  if (key.system !== learner.system) return undefined;
  const n = facts.normal(key);
  if (n.code === learner.code) return 'exact';
  if (n.accept.includes(learner.code)) return 'accepted';
  if (policy.partialCredit && n.category === learner.category) return 'near';
  return undefined;
}

function overlapsEvidence(learner: LearnerLine, places: Places): boolean {
  return learner.anchors.some((a) => places.some((p) => a.start < p.end && p.start < a.end));
}

function credit(
  key: KeyLine,
  learner: LearnerLine,
  match: MatchKind,
  policy: Policy,
  facts: KeyLineFacts,
): PairCredit {
  const reasons: string[] = [];
  const show = (system: CodeSystem, code: string) => displayCode(system, code);
  const keyCode = show(key.system, key.code);
  let weights = 0;
  let scored = 0;
  if (match === 'near') {
    reasons.push(
      `${show(learner.system, learner.code)} is in the right category (${facts.normal(key).category}) but the key expects ${keyCode}`,
    );
  }
  if (key.kind === 'procedure') {
    const keyModifiers = facts.normal(key).modifiers;
    if (keyModifiers.length > 0 || learner.modifiers.length > 0) {
      weights += policy.modifierWeight;
      scored += policy.modifierWeight * jaccard(keyModifiers, learner.modifiers);
      for (const m of keyModifiers) if (!learner.modifiers.includes(m)) reasons.push(`modifier ${m} missing`);
      for (const m of learner.modifiers) if (!keyModifiers.includes(m)) reasons.push(`modifier ${m} not expected`);
    }
    if (key.units !== 1 || learner.units !== 1) {
      weights += policy.unitsWeight;
      if (key.units === learner.units) scored += policy.unitsWeight;
      else reasons.push(`units ${learner.units}, expected ${key.units}`);
    }
    const keyLinks = facts.normal(key).links;
    if (keyLinks !== undefined) {
      weights += policy.linksWeight;
      scored += policy.linksWeight * jaccard(keyLinks, learner.links);
      for (const l of learner.links) {
        if (!keyLinks.includes(l)) reasons.push(`points to ${displayDiagnosis(l)}, which the key does not link`);
      }
      for (const l of keyLinks) if (!learner.links.includes(l)) reasons.push(`does not point to ${displayDiagnosis(l)}`);
    }
  }
  // Without weight, evidence is feedback only: worked out after pairing, for the chosen pairs alone.
  let evidenceSupported: boolean | undefined;
  if (policy.evidenceWeight > 0 && key.evidence.length > 0) {
    const places = facts.evidence(key);
    evidenceSupported = places ? overlapsEvidence(learner, places) : undefined;
    weights += policy.evidenceWeight;
    if (evidenceSupported) scored += policy.evidenceWeight;
    else reasons.push(`the tagged text does not support ${keyCode}`);
  }
  const code = match === 'near' ? policy.nearMiss : 1;
  const fraction = (code * (1 + scored)) / (1 + weights);
  if (key.optional) return { match, earned: 0, reasons: [], evidenceSupported };
  return { match, earned: fraction * key.points, reasons, evidenceSupported };
}

// ---- pairing ----

interface Pair {
  key: KeyLine;
  line: LearnerLine;
  match: MatchKind;
}

// ---- the case ----

function keySummary(key: KeyLine): LineSummary {
  return {
    system: key.system,
    code: displayCode(key.system, key.code),
    modifiers: uniqueNormalized(key.modifiers, normalizeModifier),
    units: key.units,
    links: (key.links ?? []).map((l) => displayDiagnosis(l)),
  };
}

function learnerSummary(line: LearnerLine): LineSummary {
  return {
    system: line.system,
    code: displayCode(line.system, line.code),
    modifiers: [...line.modifiers],
    units: line.units,
    links: line.links.map((l) => displayDiagnosis(l)),
  };
}

function minus(n: number): string {
  return `−${round4(n)}`;
}

/** What grading one kind of line (diagnoses, or procedures) gives. */
interface KindGrade {
  lines: LineResult[];
  pairs: Pair[];
  /** Points before clamping: credits, minus the penalties charged to lines. */
  earned: number;
  /** False when the key's first diagnosis was paired with a line that is not the learner's first. */
  sequenceOk: boolean;
}

function gradeKind(keys: KeyLine[], entered: LearnerLine[], kind: LineKind, policy: Policy, facts: KeyLineFacts): KindGrade {
  const out: KindGrade = { lines: [], pairs: [], earned: 0, sequenceOk: true };
  // The gain of each possible pair: its credit, plus the extra penalty it avoids, minus the sequence
  // penalty it would cause (the key's first diagnosis paired with a line that is not the learner's first).
  const credits: Array<Array<PairCredit | undefined>> = keys.map((k) =>
    entered.map((l) => {
      const match = matchKind(k, l, policy, facts);
      return match ? credit(k, l, match, policy, facts) : undefined;
    }),
  );
  const outOfSequence = (k: number, l: number) => kind === 'diagnosis' && k === 0 && l !== 0;
  const value = credits.map((row, k) =>
    row.map((c, l) => (c === undefined ? undefined : c.earned + policy.extraPenalty - (outOfSequence(k, l) ? policy.sequencePenalty : 0))),
  );
  const keyToLearner = bestPairing(value, entered.length);
  const paired = new Set<number>();
  keys.forEach((key, k) => {
    const l = keyToLearner[k];
    if (l < 0) {
      if (key.optional) return; // not entered and not needed: not listed
      out.lines.push({
        kind,
        status: 'missing',
        expected: keySummary(key),
        entered: null,
        earned: 0,
        possible: round4(key.points),
        reasons: [`missing: the key expects ${displayCode(key.system, key.code)}`],
        keyIndex: k,
      });
      return;
    }
    paired.add(l);
    const c = credits[k][l]!;
    const line = entered[l];
    let earned = c.earned;
    const reasons = [...c.reasons];
    if (outOfSequence(k, l)) {
      earned -= policy.sequencePenalty;
      out.sequenceOk = false;
      reasons.push(`first-listed diagnosis should be ${displayCode(key.system, key.code)}`);
    }
    out.earned += earned;
    out.pairs.push({ key, line, match: c.match });
    const status: LineStatus = key.optional ? 'optional' : c.match;
    const result: LineResult = {
      kind,
      status,
      expected: keySummary(key),
      entered: learnerSummary(line),
      earned: round4(earned),
      possible: key.optional ? 0 : round4(key.points),
      reasons,
      keyIndex: k,
      tagIds: [...line.tagIds],
    };
    const places = key.evidence.length > 0 ? facts.evidence(key) : undefined;
    const supported = c.evidenceSupported ?? (places ? overlapsEvidence(line, places) : undefined);
    if (supported !== undefined) result.evidenceSupported = supported;
    out.lines.push(result);
  });
  entered.forEach((line, l) => {
    if (paired.has(l)) return;
    out.earned -= policy.extraPenalty;
    const code = displayCode(line.system, line.code);
    out.lines.push({
      kind,
      status: 'extra',
      expected: null,
      entered: learnerSummary(line),
      earned: round4(-policy.extraPenalty),
      possible: 0,
      reasons: [policy.extraPenalty > 0 ? `${code} is not in the key (${minus(policy.extraPenalty)})` : `${code} is not in the key`],
      tagIds: [...line.tagIds],
    });
  });
  return out;
}

export function grade(note: CaseNote | undefined, key: AnswerKey, work: WorkFile | undefined, policy: Policy): CaseResult {
  const facts = new KeyLineFacts(note);
  const learner = learnerLines(work);
  const learnerDiagnoses = learner.filter((l) => l.kind === 'diagnosis');
  const learnerProcedures = learner.filter((l) => l.kind === 'procedure');
  const diagnoses = gradeKind(key.diagnoses, learnerDiagnoses, 'diagnosis', policy, facts);
  const procedures = gradeKind(key.procedures, learnerProcedures, 'procedure', policy, facts);
  const lines = [...diagnoses.lines, ...procedures.lines];
  const pairs = [...diagnoses.pairs, ...procedures.pairs];

  const possible = [...key.diagnoses, ...key.procedures].reduce((sum, k) => sum + (k.optional ? 0 : k.points), 0);
  const earned = Math.min(Math.max(diagnoses.earned + procedures.earned, 0), possible);
  const percent = possible > 0 ? earned / possible : 0;
  const firstKey = key.diagnoses[0];
  const firstLearner = learnerDiagnoses[0];
  const firstKeyLine = lines.find((r) => r.kind === 'diagnosis' && r.keyIndex === 0);
  const result: CaseResult = {
    case: key.case,
    attempted: work !== undefined,
    keyed: true,
    earned: round4(earned),
    possible: round4(possible),
    percent: round4(percent),
    passed: possible > 0 && percent + EPSILON >= policy.passMark,
    lines,
    sequence: {
      expectedFirst: firstKey ? displayCode(firstKey.system, firstKey.code) : null,
      enteredFirst: firstLearner ? displayCode(firstLearner.system, firstLearner.code) : null,
      // Right when the key has no diagnosis, or its first diagnosis is paired with the learner's first.
      ok: !firstKey || (diagnoses.sequenceOk && firstKeyLine?.entered != null && firstKeyLine.status !== 'missing'),
    },
    metrics: metrics(key, learner, pairs, facts),
  };
  if (note) {
    result.title = note.title;
    result.areas = [...note.areas];
  }
  return result;
}

/** Precision, recall and F1 per system over distinct codes; exact and accepted pairs are hits. */
function metrics(key: AnswerKey, learner: LearnerLine[], pairs: Pair[], facts: KeyLineFacts): Partial<Record<CodeSystem, SystemMetrics>> {
  const out: Partial<Record<CodeSystem, SystemMetrics>> = {};
  // Optional key lines, and learner lines paired with them, are acceptable either way: counted on neither side.
  const optionalLines = new Set(pairs.filter((p) => p.key.optional).map((p) => p.line));
  for (const system of CODE_SYSTEMS) {
    const expected = new Set(
      [...key.diagnoses, ...key.procedures].filter((k) => k.system === system && !k.optional).map((k) => facts.normal(k).code),
    );
    const entered = new Set(learner.filter((l) => l.system === system && !optionalLines.has(l)).map((l) => l.code));
    if (expected.size === 0 && entered.size === 0) continue;
    const hits = pairs.filter((p) => p.key.system === system && !p.key.optional && p.match !== 'near');
    const keyHits = new Set(hits.map((p) => facts.normal(p.key).code));
    const learnerHits = new Set(hits.map((p) => p.line.code));
    const precision = entered.size ? learnerHits.size / entered.size : 0;
    const recall = expected.size ? keyHits.size / expected.size : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    out[system] = { precision: round4(precision), recall: round4(recall), f1: round4(f1) };
  }
  return out;
}

// ---- the pack ----

/** The result of a case the pack has no key for (a released pack): nothing to grade, attempted or not. */
export function unkeyedResult(note: CaseNote, work: WorkFile | undefined): CaseResult {
  return {
    case: note.id,
    title: note.title,
    areas: [...note.areas],
    attempted: work !== undefined,
    keyed: false,
    earned: 0,
    possible: 0,
    percent: 0,
    passed: false,
    lines: [],
  };
}

/** Every case of the pack in pack order; totals over the cases that have a key, overall and per area. */
export function gradePack(pack: Pack, works: Map<string, WorkFile>, policy: Policy): PackResult {
  const cases = pack.cases.map((note) => {
    const key = pack.keys.get(note.id);
    return key ? grade(note, key, works.get(note.id), policy) : unkeyedResult(note, works.get(note.id));
  });
  return packTotals(pack.manifest.id, cases, policy);
}

/** Pack totals for already graded cases (e.g. one case picked with `--case`). */
export function packTotals(packId: string, cases: CaseResult[], policy: Policy): PackResult {
  let earned = 0;
  let possible = 0;
  const areas = new Map<string, { earned: number; possible: number }>();
  for (const c of cases) {
    if (!c.keyed) continue;
    earned += c.earned;
    possible += c.possible;
    for (const area of new Set(c.areas ?? [])) {
      const a = areas.get(area) ?? { earned: 0, possible: 0 };
      a.earned += c.earned;
      a.possible += c.possible;
      areas.set(area, a);
    }
  }
  const percent = possible > 0 ? earned / possible : 0;
  const areaResults: AreaResult[] = [...areas].map(([area, a]) => ({
    area,
    earned: round4(a.earned),
    possible: round4(a.possible),
    percent: round4(a.possible > 0 ? a.earned / a.possible : 0),
  }));
  return {
    format: 1,
    pack: packId,
    earned: round4(earned),
    possible: round4(possible),
    percent: round4(percent),
    passed: possible > 0 && percent + EPSILON >= policy.passMark,
    areas: areaResults,
    cases,
  };
}
