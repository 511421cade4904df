import assert from 'assert/strict';
import type { Anchor, Tag, WorkFile } from '../../src/core/model';
import { buildSheet, decorationSpans, diagnosisLetter } from '../../src/core/sheet';

function tag(id: string, system: Tag['system'], code: string, extra: Partial<Tag> = {}): Tag {
  return { id, system, code, modifiers: [], units: 1, links: [], ...extra };
}

function at(start: number, end: number): Anchor {
  return { start, end, quote: 'x'.repeat(end - start), prefix: '', suffix: '' };
}

function work(tags: Tag[]): WorkFile {
  return { format: 1, case: 'c', noteSha256: '', updated: '', tags };
}

describe('buildSheet', () => {
  it('letters diagnoses A, B, C in the order they first appear, one line per code', () => {
    const sheet = buildSheet(
      work([
        tag('t-1', 'ICD-10-CM', 'J06.9'),
        tag('t-2', 'CPT', '99213'),
        tag('t-3', 'ICD-10-CM', 'Z23'),
        tag('t-4', 'ICD-10-CM', 'j069'),
        tag('t-5', 'ICD-10-CM', 'R05.1'),
      ]),
    );
    assert.deepEqual(sheet.diagnoses, [
      { letter: 'A', code: 'J06.9', tagIds: ['t-1', 't-4'], detached: false },
      { letter: 'B', code: 'Z23', tagIds: ['t-3'], detached: false },
      { letter: 'C', code: 'R05.1', tagIds: ['t-5'], detached: false },
    ]);
  });

  it('continues after Z with AA, AB, like spreadsheet columns', () => {
    assert.deepEqual([0, 1, 25, 26, 27, 51, 52, 701, 702].map(diagnosisLetter), ['A', 'B', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
    const many = Array.from({ length: 28 }, (_, i) => tag(`t-${i}`, 'ICD-10-CM', `A${String(i).padStart(2, '0')}`));
    assert.deepEqual(
      buildSheet(work(many))
        .diagnoses.slice(25)
        .map((d) => d.letter),
      ['Z', 'AA', 'AB'],
    );
  });

  it('groups procedure tags as the grader does: system, code and modifier set; units max, links union', () => {
    const sheet = buildSheet(
      work([
        tag('t-1', 'ICD-10-CM', 'M17.11'),
        tag('t-2', 'ICD-10-CM', 'M17.12'),
        tag('t-3', 'CPT', '20610', { modifiers: ['RT'], links: ['M17.11'] }),
        tag('t-4', 'CPT', '20610', { modifiers: ['LT'], links: ['M17.12'] }),
        tag('t-5', 'CPT', '20610', { modifiers: ['rt'], units: 2, links: ['m1711'] }),
        tag('t-6', 'HCPCS', 'J1100', { units: 2, modifiers: ['59', 'XS'] }),
        tag('t-7', 'HCPCS', 'J1100', { modifiers: ['XS', '59'], links: ['M17.12', 'M17.11'] }),
      ]),
    );
    assert.deepEqual(sheet.procedures, [
      { system: 'CPT', code: '20610', modifiers: ['RT'], units: 2, pointers: ['A'], tagIds: ['t-3', 't-5'], detached: false },
      { system: 'CPT', code: '20610', modifiers: ['LT'], units: 1, pointers: ['B'], tagIds: ['t-4'], detached: false },
      { system: 'HCPCS', code: 'J1100', modifiers: ['59', 'XS'], units: 2, pointers: ['B', 'A'], tagIds: ['t-6', 't-7'], detached: false },
    ]);
  });

  it('keeps a HCPCS code and a CPT code apart, and an ICD-10-CM code of the same letters too', () => {
    const sheet = buildSheet(work([tag('t-1', 'ICD-10-CM', 'J1100'), tag('t-2', 'HCPCS', 'J1100')]));
    assert.deepEqual(
      sheet.diagnoses.map((d) => d.code),
      ['J11.00'],
    );
    assert.deepEqual(
      sheet.procedures.map((p) => p.code),
      ['J1100'],
    );
  });

  it('shows a link to a code that is not a diagnosis on the sheet as the code itself', () => {
    const sheet = buildSheet(work([tag('t-1', 'ICD-10-CM', 'I10'), tag('t-2', 'CPT', '93000', { links: ['r079', 'I10'] })]));
    assert.deepEqual(sheet.procedures[0].pointers, ['R07.9', 'A']);
  });

  it('marks lines with a detached tag and lists detached tags', () => {
    const lost = tag('t-2', 'ICD-10-CM', 'E78.5', { anchor: at(3, 5), detached: true });
    const sheet = buildSheet(work([tag('t-1', 'ICD-10-CM', 'E78.5', { anchor: at(0, 2) }), lost, tag('t-3', 'ICD-10-CM', 'I10')]));
    assert.deepEqual(
      sheet.diagnoses.map((d) => d.detached),
      [true, false],
    );
    assert.deepEqual(sheet.detached, [lost]);
  });
});

describe('decorationSpans', () => {
  it('labels diagnoses by code and procedures with modifiers, units and pointers, sorted by start', () => {
    const spans = decorationSpans(
      work([
        tag('t-1', 'ICD-10-CM', 'e119', { anchor: at(40, 50) }),
        tag('t-2', 'ICD-10-CM', 'I10', { anchor: at(10, 13) }),
        tag('t-3', 'CPT', '99214', { modifiers: ['25'], units: 2, links: ['E11.9', 'I10'], anchor: at(0, 8) }),
        tag('t-4', 'HCPCS', 'J1100', { anchor: at(20, 25) }),
        tag('t-5', 'CPT', '99214'), // no anchor: nothing to highlight
      ]),
    );
    assert.deepEqual(spans, [
      { tagId: 't-3', system: 'CPT', start: 0, end: 8, label: '99214-25 ×2 → A,B' },
      { tagId: 't-2', system: 'ICD-10-CM', start: 10, end: 13, label: 'I10' },
      { tagId: 't-4', system: 'HCPCS', start: 20, end: 25, label: 'J1100' },
      { tagId: 't-1', system: 'ICD-10-CM', start: 40, end: 50, label: 'E11.9' },
    ]);
  });

  it('skips detached tags', () => {
    const spans = decorationSpans(work([tag('t-1', 'ICD-10-CM', 'I10', { anchor: at(0, 3), detached: true })]));
    assert.deepEqual(spans, []);
  });

  it('keeps one span and label per tag when tags overlap or touch', () => {
    const spans = decorationSpans(
      work([
        tag('t-b', 'ICD-10-CM', 'E78.5', { anchor: at(5, 15) }),
        tag('t-a', 'ICD-10-CM', 'E11.9', { anchor: at(5, 15) }),
        tag('t-c', 'ICD-10-CM', 'I10', { anchor: at(15, 20) }),
        tag('t-d', 'CPT', '99213', { anchor: at(5, 10), links: ['I10'] }),
      ]),
    );
    assert.deepEqual(
      spans.map((s) => [s.tagId, s.start, s.end, s.label]),
      [
        ['t-d', 5, 10, '99213 → C'],
        ['t-a', 5, 15, 'E11.9'],
        ['t-b', 5, 15, 'E78.5'],
        ['t-c', 15, 20, 'I10'],
      ],
    );
  });

  // How fast is `npm run bench -- work` (goal: a frame, 16 ms); here only what it builds.
  it('builds one span per tag for 2,000 tags, in note order', () => {
    const tags: Tag[] = [];
    for (let i = 0; i < 2000; i++) {
      const start = (i * 7919) % 100_000;
      tags.push(
        i % 3 === 0
          ? tag(`t-${i}`, 'CPT', '99214', { modifiers: ['25'], links: ['E11.9'], anchor: at(start, start + 12) })
          : tag(`t-${i}`, 'ICD-10-CM', `E${10 + (i % 80)}.${i % 10}`, { anchor: at(start, start + 12) }),
      );
    }
    const w = work(tags);
    const spans = decorationSpans(w);
    assert.equal(spans.length, 2000);
    for (let i = 1; i < spans.length; i++) assert.ok(spans[i - 1].start <= spans[i].start, 'spans come in note order');
  });
});
