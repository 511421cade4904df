import * as assert from 'assert';
import type { CaseNote } from '../../src/core/model';
import { renderNoteView } from '../../src/core/noteView';

const note: CaseNote = {
  id: 'knee',
  title: 'Planned steroid injection of the right knee',
  setting: 'outpatient',
  specialty: 'Orthopedics',
  areas: ['Musculoskeletal System', 'HCPCS Level II'],
  difficulty: 2,
  instructions: 'Code the procedure and the drug\nsupplied by the office.',
  file: 'cases/knee.md',
  body: 'PROCEDURE NOTE\n\nInjection of the right knee joint.\n',
  bodyOffset: 120,
};

describe('the learner note view', () => {
  it('puts title, setting and instructions above the body, and no front matter', () => {
    const view = renderNoteView(note);
    assert.ok(view.text.startsWith('Planned steroid injection of the right knee\nOutpatient · Orthopedics · difficulty 2 of 5\n'));
    assert.match(view.text, /\nInstructions: Code the procedure and the drug supplied by the office\.\n/);
    assert.doesNotMatch(view.text, /---|areas:|id: knee/);
  });

  it('hides the areas unless the pack shows them', () => {
    assert.doesNotMatch(renderNoteView(note).text, /HCPCS Level II|Musculoskeletal/);
    assert.match(renderNoteView(note, { showAreas: true }).text, /\nAreas: Musculoskeletal System, HCPCS Level II\n/);
  });

  it('keeps body offsets: the body starts at bodyOffset, unchanged', () => {
    for (const showAreas of [false, true]) {
      const view = renderNoteView(note, { showAreas });
      assert.strictEqual(view.text.slice(view.bodyOffset), note.body);
      const at = note.body.indexOf('right knee');
      assert.strictEqual(view.text.slice(view.bodyOffset + at, view.bodyOffset + at + 10), 'right knee');
    }
  });

  it("uses the note's own line ends in the header", () => {
    const crlf = { ...note, body: note.body.replace(/\n/g, '\r\n') };
    const view = renderNoteView(crlf);
    assert.ok(!view.text.slice(0, view.bodyOffset).replace(/\r\n/g, '').includes('\n'));
    assert.strictEqual(view.text.slice(view.bodyOffset), crlf.body);
  });
});
