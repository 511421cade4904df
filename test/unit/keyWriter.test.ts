// Write Key From My Tags: the written key validates clean and grades the author's own work at 100%.
import assert from 'node:assert/strict';
import { grade, resolvePolicy } from '../../src/core/grade';
import { parseKey, validateKey } from '../../src/core/pack';
import { keyFromWork } from '../../src/core/keyWriter';
import { at, dxTag, note, tag, work } from './grade-fixtures';

describe('keyFromWork', () => {
  const n = { ...note(), id: 'c1' };
  const w = work([
    dxTag('J18.9', { anchor: at('Pneumonia of the right lower lobe') }),
    dxTag('E11.9', { anchor: at('type 2 diabetes') }),
    tag('99213', { links: ['J18.9', 'E11.9'] }),
    tag('20610', { modifiers: ['50'], anchor: at('Knee injections both sides') }),
    tag('J1100', { units: 10, anchor: at('Flu shot given today') }),
    dxTag('J18.9', { anchor: at('Pneumonia'), detached: true }),
  ]);
  const text = keyFromWork(n, w);

  it('writes every line with modifiers, units, links and the tagged quotes as evidence', () => {
    assert.match(text, /^---\ncase: c1\ndiagnoses:\n {2}- code: J18\.9\n {4}evidence:\n {6}- Pneumonia of the right lower lobe\n/);
    assert.match(text, /- code: "99213"\n {4}links:\n {6}- J18\.9\n {6}- E11\.9\n/);
    assert.match(text, /- code: "20610"\n {4}modifiers:\n {6}- "50"\n/);
    assert.match(text, /- code: J1100\n {4}units: 10\n/);
    assert.match(text, /## Rationale\n\n\*\*J18\.9\*\*: TODO/);
  });

  it("validates clean and grades the author's own work at 100%", () => {
    const { key, problems } = parseKey(text, 'keys/c1.md');
    assert.deepEqual(problems, []);
    assert.deepEqual(validateKey(key!, n), []);
    const r = grade(n, key!, w, resolvePolicy());
    assert.equal(r.percent, 1, JSON.stringify(r.lines.filter((l) => l.errors.length)));
  });
});
