import assert from 'assert/strict';
import type { Tag, WorkFile } from '../../src/core/model';
import { diagnosisSequence, WorkSession } from '../../src/core/session';
import { newWork } from '../../src/core/work';

const BODY = 'Established patient with type 2 diabetes and hyperlipidemia; flu vaccine given.';

function session(tags: Tag[] = []): WorkSession {
  return new WorkSession({ ...newWork('dm-01', BODY), tags }, BODY, () => new Date('2026-11-24T10:00:00.000Z'));
}

function tag(id: string, system: Tag['system'], code: string, extra: Partial<Tag> = {}): Tag {
  return { id, system, code, modifiers: [], units: 1, links: [], ...extra };
}

const codes = (work: WorkFile) => work.tags.map((t) => t.code);

describe('WorkSession.addTag', () => {
  it('normalizes the code to its printed form, upper-cases modifiers once each, and defaults units to 1', () => {
    const s = session();
    const dx = s.addTag({ system: 'ICD-10-CM', code: ' e119 ' });
    const px = s.addTag({ system: 'CPT', code: '99214', modifiers: ['25', 'rt', '25', ' RT'], links: ['e119', 'E11.9'] });
    assert.equal(dx.code, 'E11.9');
    assert.deepEqual(px.modifiers, ['25', 'RT']);
    assert.equal(px.units, 1);
    assert.deepEqual(px.links, ['E11.9']);
    assert.deepEqual(codes(s.work), ['E11.9', '99214']);
  });

  it('anchors the tag on the selected text', () => {
    const s = session();
    const start = BODY.indexOf('type 2 diabetes');
    const t = s.addTag({ system: 'ICD-10-CM', code: 'E11.9', start, end: start + 15 });
    assert.deepEqual(t.anchor && [t.anchor.start, t.anchor.end, t.anchor.quote], [start, start + 15, 'type 2 diabetes']);
  });

  it('gives each tag a new id like t-4f1a, unique in the file', () => {
    const s = session();
    const ids = new Set<string>();
    for (let i = 0; i < 300; i++) ids.add(s.addTag({ system: 'ICD-10-CM', code: 'Z23' }).id);
    assert.equal(ids.size, 300);
    for (const id of ids) assert.match(id, /^t-[0-9a-f]{4,}$/);
  });

  it('rejects bad units, an empty code, and a half-given selection', () => {
    const s = session();
    assert.throws(() => s.addTag({ system: 'HCPCS', code: 'J1100', units: 0 }), RangeError);
    assert.throws(() => s.addTag({ system: 'HCPCS', code: 'J1100', units: 1.5 }), RangeError);
    assert.throws(() => s.addTag({ system: 'CPT', code: '  ' }));
    assert.throws(() => s.addTag({ system: 'CPT', code: '99213', start: 3 }), RangeError);
    assert.equal(s.work.tags.length, 0);
    assert.equal(s.canUndo(), false);
  });

  it('never changes the work it was given (each change makes a new value)', () => {
    const original = { ...newWork('dm-01', BODY), tags: [tag('t-1', 'ICD-10-CM', 'E11.9')] };
    const frozen = JSON.stringify(original);
    const s = new WorkSession(original, BODY);
    s.addTag({ system: 'CPT', code: '99213' });
    s.editTag('t-1', { code: 'E11.65' });
    s.removeTag('t-1');
    assert.equal(JSON.stringify(original), frozen);
  });
});

describe('WorkSession.editTag and removeTag', () => {
  it('edits code, modifiers, units and links with the same normalizing', () => {
    const s = session([tag('t-1', 'CPT', '99213')]);
    const work = s.editTag('t-1', { code: '99214', modifiers: ['25'], units: 2, links: ['i10'] });
    assert.deepEqual(work.tags[0], tag('t-1', 'CPT', '99214', { modifiers: ['25'], units: 2, links: ['I10'] }));
    assert.equal(s.work, work);
  });

  it('re-points links when a diagnosis code is corrected', () => {
    const s = session([tag('t-1', 'ICD-10-CM', 'E11.65'), tag('t-2', 'CPT', '99214', { links: ['E11.65', 'E78.5'] })]);
    s.editTag('t-1', { code: 'E11.9' });
    assert.deepEqual(s.work.tags[1].links, ['E11.9', 'E78.5']);
  });

  it('keeps links when another tag still carries the old code', () => {
    const s = session([tag('t-1', 'ICD-10-CM', 'E11.65'), tag('t-3', 'ICD-10-CM', 'E11.65'), tag('t-2', 'CPT', '99214', { links: ['E11.65'] })]);
    s.editTag('t-1', { code: 'E11.9' });
    assert.deepEqual(s.work.tags[2].links, ['E11.65']);
  });

  it('removes a tag, and the links to its diagnosis when it was the last tag of that code', () => {
    const s = session([
      tag('t-1', 'ICD-10-CM', 'E11.9'),
      tag('t-2', 'ICD-10-CM', 'E11.9'),
      tag('t-3', 'ICD-10-CM', 'E78.5'),
      tag('t-4', 'CPT', '99214', { links: ['E119', 'E78.5'] }),
    ]);
    s.removeTag('t-1');
    assert.deepEqual(s.work.tags[2].links, ['E119', 'E78.5']); // E11.9 still tagged by t-2
    s.removeTag('t-2');
    assert.deepEqual(
      s.work.tags.map((t) => t.id),
      ['t-3', 't-4'],
    );
    assert.deepEqual(s.work.tags[1].links, ['E78.5']);
  });

  it('throws on an unknown tag id', () => {
    const s = session();
    assert.throws(() => s.editTag('t-nope', { units: 2 }), /t-nope/);
    assert.throws(() => s.removeTag('t-nope'), /t-nope/);
  });
});

describe('WorkSession.moveDiagnosis', () => {
  // Sequence: A = E11.9 (t-1, t-5), B = E78.5 (t-3), C = Z23 (t-4); procedures t-2, t-6.
  const start = () =>
    session([
      tag('t-1', 'ICD-10-CM', 'E11.9'),
      tag('t-2', 'CPT', '99214'),
      tag('t-3', 'ICD-10-CM', 'E78.5'),
      tag('t-4', 'ICD-10-CM', 'Z23'),
      tag('t-5', 'ICD-10-CM', 'E11.9'),
      tag('t-6', 'CPT', '90686'),
    ]);
  const procedures = (w: WorkFile) => w.tags.filter((t) => t.system === 'CPT').map((t) => t.id);

  it('moves a diagnosis up by one, with all its tags as a block', () => {
    const s = start();
    const work = s.moveDiagnosis('Z23', 'up');
    assert.deepEqual(diagnosisSequence(work.tags), ['E119', 'Z23', 'E785']);
    assert.deepEqual(procedures(work), ['t-2', 't-6']);
  });

  it('moves a diagnosis down by one, with all its tags as a block', () => {
    const s = start();
    const work = s.moveDiagnosis('e119', 'down');
    assert.deepEqual(diagnosisSequence(work.tags), ['E785', 'E119', 'Z23']);
    const ids = work.tags.map((t) => t.id);
    assert.equal(ids.indexOf('t-5'), ids.indexOf('t-1') + 1);
    assert.deepEqual(procedures(work), ['t-2', 't-6']);
  });

  it('moves a diagnosis first', () => {
    const s = start();
    const work = s.moveDiagnosis('Z23', 'first');
    assert.deepEqual(diagnosisSequence(work.tags), ['Z23', 'E119', 'E785']);
    assert.deepEqual(procedures(work), ['t-2', 't-6']);
    assert.equal(work.tags.length, 6);
  });

  it('changes nothing when the first moves up or the last moves down', () => {
    const s = start();
    const before = s.work;
    assert.equal(s.moveDiagnosis('E11.9', 'up'), before);
    assert.equal(s.moveDiagnosis('Z23', 'down'), before);
    assert.equal(s.moveDiagnosis('E11.9', 'first'), before);
    assert.equal(s.canUndo(), false);
  });

  it('throws for a code that is not on the sheet', () => {
    assert.throws(() => start().moveDiagnosis('I10', 'up'), /I10/);
  });
});

describe('WorkSession.undo', () => {
  it('steps back through add, edit, move and remove to the original work', () => {
    const s = session([tag('t-1', 'ICD-10-CM', 'E11.9'), tag('t-2', 'ICD-10-CM', 'E78.5')]);
    const states = [s.work.tags];
    s.addTag({ system: 'CPT', code: '99213', links: ['E11.9'] });
    states.push(s.work.tags);
    s.editTag('t-1', { code: 'E11.65' });
    states.push(s.work.tags);
    s.moveDiagnosis('E78.5', 'first');
    states.push(s.work.tags);
    s.removeTag('t-2');
    for (let i = states.length - 1; i >= 0; i--) {
      assert.equal(s.canUndo(), true);
      assert.equal(s.undo(), true);
      assert.deepEqual(s.work.tags, states[i]);
    }
    assert.equal(s.canUndo(), false);
    assert.equal(s.undo(), false);
    assert.deepEqual(codes(s.work), ['E11.9', 'E78.5']);
  });
});

describe('WorkSession.setDispute', () => {
  it('keeps the note beside the tags, and Undo Last Change takes back coding but never a note', () => {
    const s = session([tag('t-1', 'ICD-10-CM', 'E11.9')]);
    s.addTag({ system: 'CPT', code: '99213' });
    const tags = s.work.tags;
    s.setDispute('diagnosis E11.9', '  The note documents no complication.  ');
    assert.deepEqual(s.work.tags, tags, 'tags untouched');
    assert.deepEqual(s.work.disputes, [{ line: 'diagnosis E11.9', note: 'The note documents no complication.', time: '2026-11-24T10:00:00.000Z' }]);
    assert.equal(s.undo(), true);
    assert.deepEqual(codes(s.work), ['E11.9'], 'the added tag is undone');
    assert.deepEqual(s.work.disputes, [{ line: 'diagnosis E11.9', note: 'The note documents no complication.', time: '2026-11-24T10:00:00.000Z' }]);
    s.setDispute('diagnosis E11.9', '');
    assert.deepEqual(s.work.disputes, []);
  });

  it('adds no disputes field to work that never had one when undoing', () => {
    const s = session([]);
    s.addTag({ system: 'CPT', code: '99213' });
    s.undo();
    assert.equal('disputes' in s.work, false);
  });
});

describe('WorkSession.moveTag and removeTags', () => {
  it('moves a tag to other text, attaches a detached one again, and undoes the move', () => {
    const s = session([tag('a', 'ICD-10-CM', 'E11.9', { detached: true, anchor: { start: 0, end: 3, quote: 'Est', prefix: '', suffix: '' } })]);
    const at = BODY.indexOf('type 2 diabetes');
    const moved = s.moveTag('a', at, at + 'type 2 diabetes'.length).tags[0];
    assert.equal(moved.anchor?.quote, 'type 2 diabetes');
    assert.equal(moved.anchor?.start, at);
    assert.equal(moved.detached, undefined);
    assert.ok(s.undo());
    assert.equal(s.work.tags[0].anchor?.quote, 'Est');
  });

  it('removes every tag of a line as one change, and drops pointers to a diagnosis that is gone', () => {
    const s = session([
      tag('a', 'ICD-10-CM', 'E11.9'),
      tag('b', 'ICD-10-CM', 'E11.9'),
      tag('c', 'ICD-10-CM', 'E78.5'),
      tag('d', 'CPT', '99214', { links: ['E11.9', 'E78.5'] }),
    ]);
    const after = s.removeTags(['a', 'b']);
    assert.deepEqual(codes(after), ['E78.5', '99214']);
    assert.deepEqual(after.tags[1].links, ['E78.5']);
    assert.ok(s.undo());
    assert.deepEqual(codes(s.work), ['E11.9', 'E11.9', 'E78.5', '99214']);
    assert.equal(s.canUndo(), false, 'one change, one undo');
  });
});
