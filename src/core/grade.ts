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
// - A case is `attempted` when its work has at least one tag (a case merely opened is not); passing
//   needs possible > 0.
import { claimLineKey } from './claim';
import { category, displayCode, displayDiagnosis, isCodeSystem, isDiagnosisSystem, normalizeCode, normalizeDiagnosis, normalizeModifier } from './codes';
import { findEvidence } from './evidence';
import { lineAreas, sortAreas } from './areas';
import { bestPairing } from './pairing';
import {
  CODE_SYSTEMS,
  DEFAULT_POLICY,
  SCORING_PROFILES,
  type AnswerKey,
  type AreaResult,
  type CaseNote,
  type CaseResult,
  type CodeSystem,
  type ErrorType,
  type KeyLine,
  type LineError,
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
  profile: (v) => (SCORING_PROFILES as readonly unknown[]).includes(v),
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
  /** What the line lost, by cause (before the sequence penalty). */
  errors: LineError[];
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
  /** Normalized codes of the key's optional diagnoses: pointing at one is never wrong. */
  readonly optionalDiagnoses: Set<string>;

  constructor(
    private readonly note: CaseNote | undefined,
    key: AnswerKey,
  ) {
    this.optionalDiagnoses = new Set(key.diagnoses.filter((d) => d.optional).map((d) => normalizeDiagnosis(d.code)));
  }

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

function credit(key: KeyLine, learner: LearnerLine, match: MatchKind, policy: Policy, facts: KeyLineFacts): PairCredit {
  const reasons: string[] = [];
  const show = (system: CodeSystem, code: string) => displayCode(system, code);
  const keyCode = show(key.system, key.code);
  // Each part of the line beyond its code: its weight, what it scored, and the error type it loses as.
  const parts: Array<{ type: ErrorType; weight: number; scored: number }> = [];
  if (match === 'near') {
    reasons.push(`${show(learner.system, learner.code)} is in the right category (${facts.normal(key).category}) but the key expects ${keyCode}`);
  }
  if (key.kind === 'procedure') {
    const keyModifiers = facts.normal(key).modifiers;
    if (keyModifiers.length > 0 || learner.modifiers.length > 0) {
      parts.push({ type: 'modifier', weight: policy.modifierWeight, scored: policy.modifierWeight * jaccard(keyModifiers, learner.modifiers) });
      for (const m of keyModifiers) if (!learner.modifiers.includes(m)) reasons.push(`modifier ${m} missing`);
      for (const m of learner.modifiers) if (!keyModifiers.includes(m)) reasons.push(`modifier ${m} not expected`);
    }
    if (key.units !== 1 || learner.units !== 1) {
      const right = key.units === learner.units;
      parts.push({ type: 'units', weight: policy.unitsWeight, scored: right ? policy.unitsWeight : 0 });
      if (!right) reasons.push(`units ${learner.units}, expected ${key.units}`);
    }
    // Pointers to optional diagnoses are neither required nor wrong: left out on both sides.
    const keyLinks = facts.normal(key).links?.filter((l) => !facts.optionalDiagnoses.has(l));
    if (keyLinks !== undefined && policy.linksWeight > 0) {
      const links = learner.links.filter((l) => !facts.optionalDiagnoses.has(l));
      parts.push({ type: 'pointer', weight: policy.linksWeight, scored: policy.linksWeight * jaccard(keyLinks, links) });
      for (const l of links) {
        if (!keyLinks.includes(l)) reasons.push(`points to ${displayDiagnosis(l)}, which the key does not link`);
      }
      for (const l of keyLinks) if (!links.includes(l)) reasons.push(`does not point to ${displayDiagnosis(l)}`);
    }
  }
  // Without weight, evidence is feedback only: worked out after pairing, for the chosen pairs alone.
  let evidenceSupported: boolean | undefined;
  if (policy.evidenceWeight > 0 && key.evidence.length > 0) {
    const places = facts.evidence(key);
    evidenceSupported = places ? overlapsEvidence(learner, places) : undefined;
    parts.push({ type: 'evidence', weight: policy.evidenceWeight, scored: evidenceSupported ? policy.evidenceWeight : 0 });
    if (!evidenceSupported) reasons.push(`the tagged text does not support ${keyCode}`);
  }
  if (key.optional) return { match, earned: 0, reasons: [], errors: [], evidenceSupported };

  // earned = points × code × (1 + scored) / (1 + weights). What is lost splits exactly into the code's
  // share, points × (1 − code), and each part's, points × code × (weight − scored) / (1 + weights).
  const code = match === 'near' ? policy.nearMiss : 1;
  const weights = parts.reduce((sum, p) => sum + p.weight, 0);
  const scored = parts.reduce((sum, p) => sum + p.scored, 0);
  const errors: LineError[] = [];
  if (code < 1) errors.push({ type: nearMissType(facts.normal(key).code, learner.code), points: key.points * (1 - code) });
  for (const p of parts) errors.push({ type: p.type, points: (key.points * code * (p.weight - p.scored)) / (1 + weights) });
  return { match, earned: (key.points * code * (1 + scored)) / (1 + weights), reasons, errors, evidenceSupported };
}

/** A near miss differs only in the 7th character (S52.531A for S52.531D), or else in specificity. */
function nearMissType(keyCode: string, learnerCode: string): ErrorType {
  return keyCode.length === 7 && learnerCode.length === 7 && keyCode.slice(0, 6) === learnerCode.slice(0, 6) ? 'seventh-character' : 'specificity';
}

/** Errors worth at least a rounding unit, rounded as the line's points are. */
function lost(errors: LineError[]): LineError[] {
  return errors.filter((e) => e.points > 5e-5).map((e) => ({ type: e.type, points: round4(e.points) }));
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
  /** False when the expected first diagnosis was paired with a line that is not the learner's first. */
  sequenceOk: boolean;
}

/**
 * The key diagnosis the learner's first diagnosis must be: one of the key's `firstListed` codes that
 * the learner's first matches (any order allowed), else the first of them; without `firstListed`, the
 * key's first diagnosis.
 */
function expectedFirst(key: AnswerKey, learnerFirst: LearnerLine | undefined, policy: Policy, facts: KeyLineFacts): number {
  const allowed = new Set((key.firstListed ?? []).map(normalizeDiagnosis));
  const candidates = key.diagnoses.map((_, i) => i).filter((i) => allowed.has(facts.normal(key.diagnoses[i]).code));
  if (candidates.length === 0) return 0;
  if (learnerFirst) {
    for (const wanted of ['exact', 'accepted', 'near'] as const) {
      const hit = candidates.find((i) => matchKind(key.diagnoses[i], learnerFirst, policy, facts) === wanted);
      if (hit !== undefined) return hit;
    }
  }
  return candidates[0];
}

/**
 * The learner's code in a missing key line's place: an unpaired line of the same system tagged on the
 * key line's evidence ("you coded this text as X"). Without a tag on that text, it is just missing.
 */
function enteredInstead(key: KeyLine, extras: LearnerLine[], facts: KeyLineFacts): LearnerLine | undefined {
  const places = facts.evidence(key);
  if (!places || places.length === 0) return undefined;
  return extras.find((l) => l.system === key.system && overlapsEvidence(l, places));
}

function gradeKind(keys: KeyLine[], entered: LearnerLine[], kind: LineKind, first: number, policy: Policy, facts: KeyLineFacts): KindGrade {
  const out: KindGrade = { lines: [], pairs: [], earned: 0, sequenceOk: true };
  const practicode = policy.profile === 'practicode';
  // The gain of each possible pair: its credit, plus the extra penalty it avoids, minus the sequence
  // penalty it would cause (the expected first diagnosis paired with a line that is not the learner's
  // first). Practicode scores the primary diagnosis on its own: out of place, it earns nothing.
  const credits: Array<Array<PairCredit | undefined>> = keys.map((k) =>
    entered.map((l) => {
      const match = matchKind(k, l, policy, facts);
      return match ? credit(k, l, match, policy, facts) : undefined;
    }),
  );
  const outOfSequence = (k: number, l: number) => kind === 'diagnosis' && k === first && l !== 0;
  const sequenceCost = (c: PairCredit) => (practicode ? c.earned : policy.sequencePenalty);
  const value = credits.map((row, k) =>
    row.map((c, l) => (c === undefined ? undefined : c.earned + policy.extraPenalty - (outOfSequence(k, l) ? sequenceCost(c) : 0))),
  );
  const keyToLearner = bestPairing(value, entered.length);
  const paired = new Set(keyToLearner.filter((l) => l >= 0));
  const extras = entered.filter((_, l) => !paired.has(l));
  const substitutes = new Set<LearnerLine>();
  keys.forEach((key, k) => {
    const l = keyToLearner[k];
    if (l < 0) {
      if (key.optional) return; // not entered and not needed: not listed
      const instead = enteredInstead(
        key,
        extras.filter((x) => !substitutes.has(x)),
        facts,
      );
      const expected = displayCode(key.system, key.code);
      const line: LineResult = {
        kind,
        status: 'missing',
        expected: keySummary(key),
        entered: null,
        earned: 0,
        possible: round4(key.points),
        reasons: [
          instead ? `wrong code: the key expects ${expected}, not ${displayCode(instead.system, instead.code)}` : `missing: the key expects ${expected}`,
        ],
        errors: lost([{ type: instead ? 'wrong-code' : 'missing', points: key.points }]),
        keyIndex: k,
      };
      if (instead) {
        substitutes.add(instead);
        line.instead = displayCode(instead.system, instead.code);
      }
      out.lines.push(line);
      return;
    }
    const c = credits[k][l]!;
    const line = entered[l];
    let earned = c.earned;
    const reasons = [...c.reasons];
    const errors = [...c.errors];
    if (outOfSequence(k, l)) {
      const cost = sequenceCost(c);
      earned -= cost;
      errors.push({ type: 'sequence', points: cost });
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
      errors: lost(errors),
      keyIndex: k,
      tagIds: [...line.tagIds],
      textTagged: line.anchors.length > 0,
    };
    const places = key.evidence.length > 0 ? facts.evidence(key) : undefined;
    const supported = c.evidenceSupported ?? (places ? overlapsEvidence(line, places) : undefined);
    if (supported !== undefined) result.evidenceSupported = supported;
    out.lines.push(result);
  });
  for (const line of extras) {
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
      errors: lost([{ type: 'extra', points: policy.extraPenalty }]),
      tagIds: [...line.tagIds],
      textTagged: line.anchors.length > 0,
    });
  }
  return out;
}

/**
 * Practicode counts lines, not points: every line is worth 1, a code is right or wrong (no near
 * misses), pointers and evidence are not scored, an extra line costs nothing by itself.
 */
function practicodeTerms(key: AnswerKey, policy: Policy): { key: AnswerKey; policy: Policy } {
  const one = (l: KeyLine): KeyLine => ({ ...l, points: 1 });
  return {
    key: { ...key, diagnoses: key.diagnoses.map(one), procedures: key.procedures.map(one) },
    policy: { ...policy, partialCredit: false, linksWeight: 0, evidenceWeight: 0, extraPenalty: 0, sequencePenalty: 0 },
  };
}

/**
 * Practicode's divisor: the expected lines, or the entered lines when the learner entered more (then
 * each extra line counts 1 against, and a missing line is not counted a second time).
 */
function practicodeDivisor(lines: LineResult[]): { possible: number; divisor: 'expected' | 'entered' } {
  const expected = lines.filter((l) => l.status !== 'extra' && l.status !== 'optional').length;
  const entered = lines.filter((l) => l.entered !== null && l.status !== 'optional').length;
  if (entered <= expected) return { possible: expected, divisor: 'expected' };
  for (const line of lines) {
    if (line.status === 'extra') {
      line.possible = 1;
      line.errors = [{ type: 'extra', points: 1 }];
      line.reasons = [`${line.entered!.code} is not in the key: over-coded, so the score divides by your ${entered} lines`];
    } else if (line.status === 'missing') {
      line.possible = 0;
      line.errors = [];
      line.reasons = [...line.reasons, `not counted again: the score divides by your ${entered} lines`];
    }
  }
  return { possible: entered, divisor: 'entered' };
}

export function grade(note: CaseNote | undefined, givenKey: AnswerKey, work: WorkFile | undefined, givenPolicy: Policy): CaseResult {
  const practicode = givenPolicy.profile === 'practicode';
  const { key, policy } = practicode ? practicodeTerms(givenKey, givenPolicy) : { key: givenKey, policy: givenPolicy };
  const facts = new KeyLineFacts(note, key);
  const learner = learnerLines(work);
  const learnerDiagnoses = learner.filter((l) => l.kind === 'diagnosis');
  const learnerProcedures = learner.filter((l) => l.kind === 'procedure');
  const first = expectedFirst(key, learnerDiagnoses[0], policy, facts);
  const diagnoses = gradeKind(key.diagnoses, learnerDiagnoses, 'diagnosis', first, policy, facts);
  const procedures = gradeKind(key.procedures, learnerProcedures, 'procedure', -1, policy, facts);
  const lines = [...diagnoses.lines, ...procedures.lines];
  const pairs = [...diagnoses.pairs, ...procedures.pairs];

  let possible = [...key.diagnoses, ...key.procedures].reduce((sum, k) => sum + (k.optional ? 0 : k.points), 0);
  let divisor: 'expected' | 'entered' = 'expected';
  if (practicode) ({ possible, divisor } = practicodeDivisor(lines));
  const earned = Math.min(Math.max(diagnoses.earned + procedures.earned, 0), possible);
  const percent = possible > 0 ? earned / possible : 0;
  const firstKey = key.diagnoses[first];
  const firstLearner = learnerDiagnoses[0];
  const firstKeyLine = lines.find((r) => r.kind === 'diagnosis' && r.keyIndex === first);
  const result: CaseResult = {
    case: key.case,
    attempted: isAttempted(work),
    keyed: true,
    earned: round4(earned),
    possible: round4(possible),
    percent: round4(percent),
    passed: possible > 0 && percent + EPSILON >= policy.passMark,
    lines,
    sequence: {
      expectedFirst: firstKey ? displayCode(firstKey.system, firstKey.code) : null,
      enteredFirst: firstLearner ? displayCode(firstLearner.system, firstLearner.code) : null,
      // Right when the key has no diagnosis, or its expected first diagnosis is paired with the learner's first.
      ok: !firstKey || (diagnoses.sequenceOk && firstKeyLine?.entered != null && firstKeyLine.status !== 'missing'),
    },
    metrics: metrics(key, learner, pairs, facts),
    passMark: policy.passMark,
    profile: policy.profile,
    divisor,
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
    const expected = new Set([...key.diagnoses, ...key.procedures].filter((k) => k.system === system && !k.optional).map((k) => facts.normal(k).code));
    const entered = new Set(learner.filter((l) => l.system === system && !optionalLines.has(l)).map((l) => l.code));
    if (expected.size === 0 && entered.size === 0) continue;
    const hits = pairs.filter((p) => p.key.system === system && !p.key.optional && p.match !== 'near');
    const keyHits = new Set(hits.map((p) => facts.normal(p.key).code));
    const learnerHits = new Set(hits.map((p) => p.line.code));
    const precision = entered.size ? learnerHits.size / entered.size : 0;
    const recall = expected.size ? keyHits.size / expected.size : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    out[system] = {
      precision: round4(precision),
      recall: round4(recall),
      f1: round4(f1),
      right: learnerHits.size,
      entered: entered.size,
      found: keyHits.size,
      expected: expected.size,
    };
  }
  return out;
}

// ---- the pack ----

/** A case is attempted once the learner has tagged something; opening it writes a work file but is not an attempt. */
export function isAttempted(work: WorkFile | undefined): boolean {
  return (work?.tags.length ?? 0) > 0;
}

/** The result of a case the pack has no key for (a released pack): nothing to grade, attempted or not. */
export function unkeyedResult(note: CaseNote, work: WorkFile | undefined): CaseResult {
  return {
    case: note.id,
    title: note.title,
    areas: [...note.areas],
    attempted: isAttempted(work),
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
  return packTotals(pack.manifest.id, cases, policy, pack.manifest.title);
}

/**
 * A case's points by area: each line counts toward the area of its code system or CPT section
 * (areas.ts), the sum clamped to the area's possible, as the case total is.
 */
function caseAreaTotals(c: CaseResult): Map<string, { earned: number; possible: number }> {
  const out = new Map<string, { earned: number; possible: number }>();
  for (const line of c.lines) {
    const system = (line.expected ?? line.entered)?.system;
    if (!system) continue;
    for (const area of lineAreas(system, c.areas ?? [])) {
      const a = out.get(area) ?? { earned: 0, possible: 0 };
      a.earned += line.earned;
      a.possible += line.possible;
      out.set(area, a);
    }
  }
  for (const a of out.values()) a.earned = Math.min(Math.max(a.earned, 0), a.possible);
  return out;
}

/** Pack totals for already graded cases (e.g. one case picked with `--case`). */
export function packTotals(packId: string, cases: CaseResult[], policy: Policy, title?: string): PackResult {
  const total = { earned: 0, possible: 0 };
  const tried = { cases: 0, earned: 0, possible: 0 };
  const areas = new Map<string, { earned: number; possible: number }>();
  for (const c of cases) {
    if (!c.keyed) continue;
    total.earned += c.earned;
    total.possible += c.possible;
    if (c.attempted) {
      tried.cases++;
      tried.earned += c.earned;
      tried.possible += c.possible;
    }
    for (const [area, t] of caseAreaTotals(c)) {
      const a = areas.get(area) ?? { earned: 0, possible: 0 };
      a.earned += t.earned;
      a.possible += t.possible;
      areas.set(area, a);
    }
  }
  const percent = total.possible > 0 ? total.earned / total.possible : 0;
  const triedPercent = tried.possible > 0 ? tried.earned / tried.possible : 0;
  const areaResults: AreaResult[] = sortAreas(areas.keys()).map((area) => {
    const a = areas.get(area)!;
    return { area, earned: round4(a.earned), possible: round4(a.possible), percent: round4(a.possible > 0 ? a.earned / a.possible : 0) };
  });
  const result: PackResult = {
    format: 1,
    pack: packId,
    earned: round4(total.earned),
    possible: round4(total.possible),
    percent: round4(percent),
    passed: total.possible > 0 && percent + EPSILON >= policy.passMark,
    areas: areaResults,
    cases,
    attempted: {
      cases: tried.cases,
      earned: round4(tried.earned),
      possible: round4(tried.possible),
      percent: round4(triedPercent),
      passed: tried.possible > 0 && triedPercent + EPSILON >= policy.passMark,
    },
    passMark: policy.passMark,
  };
  if (title !== undefined) result.title = title;
  return result;
}
