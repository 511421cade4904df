// questions/ID.md and their keys (keys/ID.md with `question:` instead of `case:`), read with places.
import { isMap, isScalar, type Node as YamlNode } from 'yaml';
import { splitFrontMatter } from '../frontmatter';
import { stripBom } from '../fs';
import type { Problem } from '../model';
import { FrontMatterReader, fileStem, isNull, shown } from '../pack/frontMatterReader';
import { sortProblems } from '../pack/problems';
import { parseChoice } from './choices';
import { CHOICE_LETTERS, CPC_AREAS, type Choice, type Question, type QuestionKey } from './model';

const QUESTION_FIELDS = ['id', 'area', 'difficulty', 'choices'];
const KEY_FIELDS = ['question', 'answer'];
const BUG_HINT = 'this is a fault in Casebook, not in the pack: please report it with this file';

/** Places of a question's parts, for the checks that need other files (the key's answer, exams). */
const choicePlaces = new WeakMap<Question, { file: { line: number; column: number }; choices: Map<string, { line: number; column: number }> }>();
const answerPlaces = new WeakMap<QuestionKey, { line: number; column: number }>();

/** The place of a question's front matter or of one of its choices (1:1 when unknown). */
export function questionPlace(question: Question, letter?: string): { line: number; column: number } {
  const places = choicePlaces.get(question);
  return (letter && places?.choices.get(letter)) || places?.file || { line: 1, column: 1 };
}

export function answerPlace(key: QuestionKey): { line: number; column: number } {
  return answerPlaces.get(key) ?? { line: 1, column: 1 };
}

/** Whether a key file answers a question (`question:` in its front matter) rather than a case. */
export function isQuestionKeyText(text: string): boolean {
  const split = splitFrontMatter(stripBom(text));
  if ('missing' in split) return false;
  return /^question[ \t]*:/m.test(split.yaml) && !/^case[ \t]*:/m.test(split.yaml);
}

/** Parses one question file. */
export function parseQuestion(text: string, file: string): { question?: Question; problems: Problem[] } {
  const r = new FrontMatterReader(file, stripBom(text));
  try {
    const map = r.open('question');
    if (map === undefined) return { problems: sortProblems(r.problems) };
    const stem = fileStem(file);
    const f = r.fields(map, QUESTION_FIELDS, 'a question');

    const id = f.get('id');
    const idText = r.name(id?.value, 'id');
    if (idText === undefined) {
      if (!id?.value || isNull(id.value)) r.report(id?.key, 'error', 'id is required', `add "id: ${stem}" (the file name without .md)`);
    } else if (idText !== stem) {
      r.report(id?.value, 'error', `id "${idText}" must equal the file name "${stem}"`, `write "id: ${stem}", or rename the file to ${idText}.md`);
    }

    const areaField = f.get('area');
    const area = r.string(areaField?.value, 'area')?.trim();
    if (!area) r.report(areaField?.value ?? areaField?.key, 'error', 'area is required', `add "area: …", one CPC content area: ${CPC_AREAS.join(', ')}`);
    else if (!CPC_AREAS.includes(area)) {
      r.report(areaField?.value, 'warning', `area "${area}" is not a CPC content area`, `use one of: ${CPC_AREAS.join(', ')}`);
    }

    const question: Question = { id: stem, area: area || 'Other', choices: [], stem: r.body, file };
    const difficulty = r.integer(f.get('difficulty')?.value, 'difficulty', 1, 5, 'use 1 (easy) to 5 (hard), or leave difficulty out');
    if (difficulty !== undefined) question.difficulty = difficulty;
    if (!r.body.trim()) r.report(undefined, 'error', 'the question has no stem', 'write the question (the scenario and what to code) below the front matter');

    const places = { file: r.place(undefined), choices: new Map<string, { line: number; column: number }>() };
    choicePlaces.set(question, places);
    const choicesField = f.get('choices');
    const choicesNode = choicesField?.value;
    if (!choicesNode || isNull(choicesNode)) {
      r.report(choicesField?.key, 'error', 'choices are required', 'add "choices:" with A, B, C and D below it, each a text or a code combination');
    } else if (!isMap(choicesNode)) {
      r.report(choicesNode, 'error', 'choices must be a set of fields A, B, C, D', 'write "choices:" then one line a choice, e.g. "  A: 99213"');
    } else {
      const raw: Array<{ letter: string; text: string; node: YamlNode | undefined }> = [];
      for (const pair of choicesNode.items) {
        const letter = isScalar(pair.key) ? String(pair.key.value) : '';
        const node = r.resolve(pair.value);
        if (!(CHOICE_LETTERS as readonly string[]).includes(letter)) {
          r.report(pair.key, 'error', `choice "${letter}" is not a letter A to F`, 'name the choices A, B, C, D (up to F)');
          continue;
        }
        places.choices.set(letter, r.place(node ?? pair.key));
        let value: string | undefined;
        if (node && isScalar(node) && (typeof node.value === 'string' || typeof node.value === 'number')) {
          // An all-digit code written unquoted (A: 99213) is read as written.
          value = typeof node.value === 'number' ? shown(node, r.yaml) : node.value;
        }
        if (value === undefined || !value.trim()) {
          r.report(node ?? pair.key, 'error', `choice ${letter} must be text or a code combination`, 'write it after the letter, in quotes if it has a colon');
          continue;
        }
        raw.push({ letter, text: value.trim(), node });
      }
      const letters = raw.map((c) => c.letter).sort();
      const expected = CHOICE_LETTERS.slice(0, letters.length);
      if (raw.length > 0 && letters.some((l, i) => l !== expected[i])) {
        r.report(choicesNode, 'error', `choices must be lettered from A without gaps, not ${letters.join(', ')}`, `use ${expected.join(', ')}`);
      }
      if (raw.length > 0 && raw.length < 2) r.report(choicesNode, 'error', 'a question needs at least two choices', 'add choices B, C and D');
      const parses = raw.map((c) => parseChoice(c.text));
      const anyCodes = parses.some((p) => p.kind === 'codes');
      raw.forEach((c, i) => {
        const parse = parses[i].kind === 'text' ? parseChoice(c.text, anyCodes) : parses[i];
        const choice: Choice = { letter: c.letter, text: c.text };
        if (parse.kind === 'codes') choice.codes = parse.codes;
        if (parse.kind === 'bad') {
          for (const e of parse.errors) r.report(c.node, 'error', `choice ${c.letter}: ${e.error}`, e.hint);
        }
        question.choices.push(choice);
      });
      question.choices.sort((a, b) => (a.letter < b.letter ? -1 : 1));
    }
    return { question, problems: sortProblems(r.problems) };
  } catch (e) {
    r.report(undefined, 'error', `could not read the question: ${(e as Error)?.message ?? String(e)}`, BUG_HINT);
    return { problems: sortProblems(r.problems) };
  }
}

/** Parses one question key (`question: ID`, `answer: B`; the body is the rationale). */
export function parseQuestionKey(text: string, file: string): { key?: QuestionKey; problems: Problem[] } {
  const r = new FrontMatterReader(file, stripBom(text));
  try {
    const map = r.open('key');
    if (map === undefined) return { problems: sortProblems(r.problems) };
    const stem = fileStem(file);
    const f = r.fields(map, KEY_FIELDS, 'a question key');

    const q = f.get('question');
    const id = r.name(q?.value, 'question');
    if (id === undefined) {
      if (!q?.value || isNull(q.value)) r.report(q?.key, 'error', 'question is required', `add "question: ${stem}" (the question this key answers)`);
    } else if (id !== stem) {
      r.report(q?.value, 'error', `question "${id}" must equal the file name "${stem}"`, `write "question: ${stem}", or rename the file to ${id}.md`);
    }

    const a = f.get('answer');
    const answer = r.string(a?.value, 'answer')?.trim().toUpperCase();
    if (!answer) {
      if (!a?.value || isNull(a.value)) r.report(a?.key ?? q?.key, 'error', 'answer is required', 'add "answer: B", the letter of the right choice');
      return { problems: sortProblems(r.problems) };
    }
    if (!(CHOICE_LETTERS as readonly string[]).includes(answer)) {
      r.report(a?.value, 'error', `answer "${answer}" is not a choice letter`, 'write the letter of the right choice, A to F');
      return { problems: sortProblems(r.problems) };
    }
    const key: QuestionKey = { question: stem, answer, rationale: r.body, file };
    answerPlaces.set(key, r.place(a?.value));
    if (!r.body.trim())
      r.report(a?.value, 'warning', 'the key has no rationale', 'explain below the front matter why this answer is right and the others are not');
    return { key, problems: sortProblems(r.problems) };
  } catch (e) {
    r.report(undefined, 'error', `could not read the key: ${(e as Error)?.message ?? String(e)}`, BUG_HINT);
    return { problems: sortProblems(r.problems) };
  }
}
