// exams/ID.yaml: an exam's items (or timed parts), time, pass mark, shuffling and blueprint, read with
// places. Checks needing the rest of the pack (items exist, keys, blueprint sums) are in content.ts.
import { isMap, isScalar, isSeq, type Node as YamlNode } from 'yaml';
import { stripBom } from '../fs';
import type { Problem } from '../model';
import { FrontMatterReader, fileStem, isNull, shown } from '../pack/frontMatterReader';
import { sortProblems } from '../pack/problems';
import type { Exam } from './model';

const EXAM_FIELDS = ['id', 'title', 'minutes', 'parts', 'items', 'passMark', 'shuffleChoices', 'blueprint'];
const PART_FIELDS = ['minutes', 'items'];
const BUG_HINT = 'this is a fault in Casebook, not in the pack: please report it with this file';
export const DEFAULT_MINUTES = 240;
export const DEFAULT_PASS_MARK = 0.7;

type Place = { line: number; column: number };

/** Places of an exam's items (in order over all parts) and blueprint lines, for content checks. */
export interface ExamPlaces {
  file: Place;
  items: Place[];
  blueprint: Map<string, Place>;
  blueprintField?: Place;
}
const examPlaces = new WeakMap<Exam, ExamPlaces>();

export function placesOf(exam: Exam): ExamPlaces {
  return examPlaces.get(exam) ?? { file: { line: 1, column: 1 }, items: [], blueprint: new Map() };
}

/** Every item of an exam, parts in order. */
export function examItems(exam: Exam): string[] {
  return exam.parts.flatMap((p) => p.items);
}

/** Parses one exam file. */
export function parseExam(text: string, file: string): { exam?: Exam; problems: Problem[] } {
  const r = new FrontMatterReader(file, stripBom(text));
  try {
    const map = r.openYaml();
    if (map === undefined) return { problems: sortProblems(r.problems) };
    const stem = fileStem(file);
    const f = r.fields(map, EXAM_FIELDS, 'an exam');
    const places: ExamPlaces = { file: r.place(undefined), items: [], blueprint: new Map() };

    const id = f.get('id');
    const idText = r.name(id?.value, 'id');
    if (idText === undefined) {
      if (!id?.value || isNull(id.value)) r.report(id?.key, 'error', 'id is required', `add "id: ${stem}" (the file name without .yaml)`);
    } else if (idText !== stem) {
      r.report(id?.value, 'error', `id "${idText}" must equal the file name "${stem}"`, `write "id: ${stem}", or rename the file to ${idText}.yaml`);
    }
    const titleField = f.get('title');
    const title = r.string(titleField?.value, 'title')?.trim();
    if (!title) r.report(titleField?.value ?? titleField?.key, 'error', 'title is required', 'add "title: …", the name learners see');

    const minutes = r.integer(f.get('minutes')?.value, 'minutes', 1, 24 * 60, 'the time allowed in whole minutes (the CPC exam: 240)');
    const passMarkNode = f.get('passMark')?.value;
    let passMark = DEFAULT_PASS_MARK;
    if (passMarkNode && !isNull(passMarkNode)) {
      const v = isScalar(passMarkNode) ? passMarkNode.value : undefined;
      if (typeof v === 'number' && v >= 0 && v <= 1) passMark = v;
      else r.report(passMarkNode, 'error', `passMark must be a fraction from 0 to 1, not ${shown(passMarkNode, r.yaml)}`, 'write e.g. 0.7 for 70%');
    }
    const shuffleNode = f.get('shuffleChoices')?.value;
    let shuffleChoices = false;
    if (shuffleNode && !isNull(shuffleNode)) {
      if (isScalar(shuffleNode) && typeof shuffleNode.value === 'boolean') shuffleChoices = shuffleNode.value;
      else
        r.report(
          shuffleNode,
          'error',
          `shuffleChoices must be true or false, not ${shown(shuffleNode, r.yaml)}`,
          'write shuffleChoices: true, or leave it out',
        );
    }

    const exam: Exam = { id: stem, title: title || stem, minutes: minutes ?? DEFAULT_MINUTES, parts: [], passMark, shuffleChoices, file };
    examPlaces.set(exam, places);

    const readItems = (node: YamlNode | undefined, label: string): string[] => {
      const list = r.list(node, label, (n, l) => r.name(n, `each of ${l}`));
      for (const item of list ?? []) places.items.push(r.place(item.node));
      return (list ?? []).map((i) => i.value.trim());
    };
    const partsField = f.get('parts');
    const itemsField = f.get('items');
    if (partsField && itemsField) {
      r.report(itemsField.key, 'error', 'an exam has either parts or items, not both', 'move these items into a part, or remove parts');
    }
    if (partsField?.value && !isNull(partsField.value)) {
      if (!isSeq(partsField.value)) {
        r.report(partsField.value, 'error', 'parts must be a list', 'write "parts:" then "- minutes: 120" with "items:" below each');
      } else {
        partsField.value.items.forEach((raw, i) => {
          const node = r.resolve(raw);
          const label = `part ${i + 1}`;
          if (!isMap(node)) {
            r.report(node, 'error', `${label} must be fields minutes and items`, 'write "- minutes: 120" and "items: [Q001, Q002]"');
            return;
          }
          const pf = r.fields(node, PART_FIELDS, label);
          const partMinutes = r.integer(pf.get('minutes')?.value, `${label} minutes`, 1, 24 * 60, 'the time for this part in whole minutes, or leave it out');
          const items = readItems(pf.get('items')?.value, `${label} items`);
          if (items.length === 0) r.report(pf.get('items')?.key ?? node, 'error', `${label} has no items`, 'list its question ids under items');
          exam.parts.push({ ...(partMinutes !== undefined ? { minutes: partMinutes } : {}), items });
        });
        const partMinutes = exam.parts.reduce((s, p) => s + (p.minutes ?? 0), 0);
        if (minutes !== undefined && partMinutes > minutes) {
          r.report(
            f.get('minutes')?.value,
            'warning',
            `the parts add up to ${partMinutes} minutes, more than the exam's ${minutes}`,
            'the exam ends at its own limit: make the parts fit, or raise minutes',
          );
        }
      }
    } else if (!partsField) {
      const items = readItems(itemsField?.value, 'items');
      exam.parts.push({ items });
    }
    const partsListed = !!partsField && isSeq(partsField.value) && partsField.value.items.length > 0;
    if (examItems(exam).length === 0 && !partsListed) {
      r.report(itemsField?.key ?? partsField?.key, 'error', 'the exam has no items', 'add "items: [Q001, Q002, …]" (question or case ids), or parts');
    }
    if (exam.parts.length === 0) exam.parts.push({ items: [] });

    const bp = f.get('blueprint');
    if (bp?.value && !isNull(bp.value)) {
      places.blueprintField = r.place(bp.key);
      if (!isMap(bp.value)) {
        r.report(bp.value, 'error', 'blueprint must be a set of fields "area: number of items"', 'write e.g. "  Evaluation and Management: 10"');
      } else {
        exam.blueprint = [];
        for (const pair of bp.value.items) {
          const area = isScalar(pair.key) ? String(pair.key.value) : '';
          const count = r.integer(r.resolve(pair.value), `blueprint ${area}`, 0, 10000, 'the number of items of this area');
          places.blueprint.set(area, r.place(pair.key));
          if (count !== undefined) exam.blueprint.push({ area, count });
        }
      }
    }
    return { exam, problems: sortProblems(r.problems) };
  } catch (e) {
    r.report(undefined, 'error', `could not read the exam: ${(e as Error)?.message ?? String(e)}`, BUG_HINT);
    return { problems: sortProblems(r.problems) };
  }
}
