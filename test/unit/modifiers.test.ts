import * as assert from 'assert';
import { codeKind, COMMON_MODIFIERS, modifiersFor } from '../../src/core/modifiers';
import { isModifier } from '../../src/core/codes';

const first = (system: 'CPT' | 'HCPCS', code: string, n: number) =>
  modifiersFor(system, code)
    .slice(0, n)
    .map((m) => m.modifier);

describe('modifiers that fit the code', () => {
  it('tells the kind of a code by its CPT section or HCPCS letter', () => {
    assert.strictEqual(codeKind('CPT', '99213'), 'evaluation');
    assert.strictEqual(codeKind('CPT', '00400'), 'anesthesia');
    assert.strictEqual(codeKind('CPT', '20610'), 'surgery');
    assert.strictEqual(codeKind('CPT', '10004'), 'surgery');
    assert.strictEqual(codeKind('CPT', '73110'), 'radiology');
    assert.strictEqual(codeKind('CPT', '85025'), 'laboratory');
    assert.strictEqual(codeKind('CPT', '0001U'), 'laboratory');
    assert.strictEqual(codeKind('CPT', '96372'), 'medicine');
    assert.strictEqual(codeKind('CPT', '99500'), 'medicine');
    assert.strictEqual(codeKind('CPT', '3074F'), 'other');
    assert.strictEqual(codeKind('HCPCS', 'J3301'), 'drug');
    assert.strictEqual(codeKind('HCPCS', 'E0110'), 'equipment');
    assert.strictEqual(codeKind('HCPCS', 'G0439'), 'other');
  });

  it('offers E/M modifiers first for a visit', () => {
    assert.deepStrictEqual(first('CPT', '99214', 4), ['25', '57', '24', '95']);
  });

  it('offers multiple-procedure, distinct-service, repeat, laterality and digit modifiers for surgery', () => {
    const top = modifiersFor('CPT', '26055')
      .filter((m) => m.fits)
      .map((m) => m.modifier);
    for (const m of ['51', '59', 'XE', 'XS', 'XP', 'XU', '76', '77', '78', '79', 'RT', 'LT', '50', 'F1', 'F9', 'FA', 'T1', 'TA']) assert.ok(top.includes(m), m);
    assert.ok(!top.includes('25'), 'no E/M modifier on a procedure');
  });

  it('offers components first for radiology and the repeat test for the laboratory', () => {
    assert.deepStrictEqual(first('CPT', '73110', 2), ['26', 'TC']);
    assert.ok(first('CPT', '73110', 4).includes('RT'), 'laterality for an extremity film');
    assert.strictEqual(first('CPT', '85025', 1)[0], '91');
  });

  it('offers wastage modifiers for drugs and purchase or rental for equipment', () => {
    assert.deepStrictEqual(first('HCPCS', 'J1100', 2), ['JW', 'JZ']);
    assert.deepStrictEqual(first('HCPCS', 'E0110', 3), ['NU', 'RR', 'UE']);
    assert.ok(first('HCPCS', 'E0110', 4).includes('KX'));
  });

  it('still offers every modifier, each once, the fitting ones marked', () => {
    for (const [system, code] of [
      ['CPT', '99213'],
      ['HCPCS', 'J1100'],
      ['CPT', '3074F'],
    ] as const) {
      const all = modifiersFor(system, code);
      assert.strictEqual(all.length, COMMON_MODIFIERS.length);
      assert.strictEqual(new Set(all.map((m) => m.modifier)).size, all.length);
      const firstOther = all.findIndex((m) => !m.fits);
      assert.ok(
        all.slice(firstOther < 0 ? all.length : firstOther).every((m) => !m.fits),
        'fitting ones come first',
      );
    }
    assert.ok(
      modifiersFor('CPT', '3074F').every((m) => !m.fits),
      'nothing is guessed for a Category II code',
    );
  });

  it('describes every modifier it offers, and each has a modifier shape', () => {
    for (const code of ['99213', '00400', '20610', '73110', '85025', '96372']) {
      for (const m of modifiersFor('CPT', code)) {
        assert.ok(m.description && m.description.length > 3, `${m.modifier} has a description`);
        assert.ok(isModifier(m.modifier), m.modifier);
      }
    }
    for (const m of modifiersFor('HCPCS', 'E0110')) assert.ok(m.description, m.modifier);
  });
});
