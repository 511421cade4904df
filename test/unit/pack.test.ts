import assert from 'assert';
import { readFileSync, symlinkSync, writeFileSync } from 'fs';
import path from 'path';
import { nodeFs } from '../../src/node/nodeFs';
import {
  caseFileOf,
  findPacks,
  packFolders,
  formatProblem,
  loadPack,
  parseCase,
  parseKey,
  parseManifest,
  validateKey,
  type LoadOptions,
} from '../../src/core/pack';
import { findEvidence } from '../../src/core/evidence';
import { DEFAULT_POLICY, type Problem } from '../../src/core/model';
import { GOOD_PACK, removeTempPacks, tempDir, tempPack, type PackFiles } from '../fixtures/packs/tempPack';

const goodFile = (rel: string) => readFileSync(path.join(GOOD_PACK, rel), 'utf8');

/** The problems of a copy of the good pack with `files` replaced, as `path:line:col: severity: message` lines. */
async function problemsWith(files: PackFiles, options?: LoadOptions): Promise<string[]> {
  const { problems } = await loadPack(nodeFs, tempPack(files), options);
  for (const p of problems) assert.ok(p.hint, `every problem says how to fix it: ${formatProblem(p)}`);
  return problems.map(formatProblem);
}

/** Like problemsWith, for a pack without keys. */
async function problemsWithout(files: PackFiles): Promise<string[]> {
  return problemsWith({ keys: null, ...files });
}

function key(frontMatter: string): string {
  return `---\n${frontMatter}---\n## Rationale\n`;
}

function manifest(fields: string): string {
  return `{\n  "format": 1,\n  "id": "p",\n  "title": "P"${fields}\n}\n`;
}

describe('loadPack: the good fixture', () => {
  after(removeTempPacks);

  it('loads a valid pack without problems', async () => {
    const { pack, problems } = await loadPack(nodeFs, GOOD_PACK.split(path.sep).join('/'));
    assert.deepStrictEqual(problems.map(formatProblem), []);
    assert.ok(pack);
    assert.strictEqual(pack.manifest.id, 'fixture-good');
    assert.deepStrictEqual(pack.manifest.grading, { passMark: 0.7, partialCredit: true });
    assert.deepStrictEqual(
      pack.cases.map((c) => c.id),
      ['diabetes-01', 'uri-01'],
    );
    assert.deepStrictEqual([...pack.keys.keys()].sort(), ['diabetes-01', 'uri-01']);
    assert.strictEqual(pack.glossary.length, 5);
    assert.deepStrictEqual(pack.glossary[0], { code: 'J06.9', system: 'ICD-10-CM', description: 'Acute upper respiratory infection, unspecified' });
  });

  it('reads case fields and keeps the body after the closing --- line', async () => {
    const { pack } = await loadPack(nodeFs, tempPack());
    const note = pack!.cases.find((c) => c.id === 'uri-01')!;
    const text = goodFile('cases/uri-01.md');
    assert.strictEqual(note.title, 'Established patient, sore throat and cough');
    assert.strictEqual(note.setting, 'outpatient');
    assert.strictEqual(note.specialty, 'Family Medicine');
    assert.deepStrictEqual(note.areas, ['Evaluation and Management', 'ICD-10-CM']);
    assert.strictEqual(note.difficulty, 1);
    assert.strictEqual(note.instructions, 'Code the office visit and all diagnoses.');
    assert.strictEqual(note.file, 'cases/uri-01.md');
    assert.ok(note.body.startsWith('CHIEF COMPLAINT'));
    assert.strictEqual(text.slice(note.bodyOffset), note.body);
  });

  it('reads key lines with their defaults and the rationale', async () => {
    const { pack } = await loadPack(nodeFs, tempPack());
    const uri = pack!.keys.get('uri-01')!;
    assert.deepStrictEqual(uri.diagnoses[1], {
      kind: 'diagnosis',
      system: 'ICD-10-CM',
      code: 'Z23',
      modifiers: [],
      units: 1,
      accept: [],
      evidence: ['influenza vaccine given'],
      points: 1,
      optional: false,
      line: 7,
    });
    assert.deepStrictEqual(uri.procedures[0].links, ['J06.9']);
    assert.strictEqual(uri.procedures[1].system, 'HCPCS');
    assert.strictEqual(uri.procedures[1].optional, true);
    assert.strictEqual(uri.rationale, '## Rationale\nThe visit addresses one acute, uncomplicated illness: low medical decision making.\n');
    assert.deepStrictEqual(pack!.keys.get('diabetes-01')!.diagnoses[1].accept, ['E78.00']);
    assert.strictEqual(pack!.keys.get('diabetes-01')!.procedures[0].points, 2);
  });
});

describe('loadPack: casebook.json', () => {
  after(removeTempPacks);

  it('reports a JSON syntax error at its line and column', async () => {
    assert.deepStrictEqual(await problemsWith({ 'casebook.json': '{\n  "format": 1,\n  "id": "p",\n}\n' }), [
      'casebook.json:4:1: error: casebook.json is not valid JSON: Expected double-quoted property name',
    ]);
  });

  it('reports a missing casebook.json and returns no pack', async () => {
    const { pack, problems } = await loadPack(nodeFs, tempPack({ 'casebook.json': null }));
    assert.strictEqual(pack, undefined);
    assert.deepStrictEqual(problems.map(formatProblem), ['casebook.json:1:1: error: casebook.json is missing: this folder is not a case pack']);
  });

  it('requires format, id and title', async () => {
    assert.deepStrictEqual(await problemsWith({ 'casebook.json': '{ "format": 1, "id": "p" }' }), ['casebook.json:1:1: error: title is required']);
    assert.deepStrictEqual(await problemsWith({ 'casebook.json': '{ "title": "P", "id": "p" }' }), ['casebook.json:1:1: error: format is required']);
  });

  it('points at an id that is not lower-case letters, digits and -', async () => {
    const text = '{\n  "format": 1,\n  "id": "Cardio Basics",\n  "title": "P"\n}';
    assert.deepStrictEqual(await problemsWith({ 'casebook.json': text }), [
      'casebook.json:3:9: error: id "Cardio Basics" may use only lower-case letters, digits and -',
    ]);
    assert.strictEqual(parseManifest(text, 'casebook.json').manifest, undefined);
  });

  it('rejects a newer format with a hint to update', () => {
    const { manifest, problems } = parseManifest('{"format": 2, "id": "p", "title": "P"}', 'casebook.json');
    assert.strictEqual(manifest, undefined);
    assert.deepStrictEqual(problems, [
      {
        file: 'casebook.json',
        line: 1,
        column: 12,
        severity: 'error',
        message: 'format must be 1, not 2',
        hint: 'this pack needs a newer version of Casebook',
      },
    ]);
  });

  it('requires codeSetYear to be an integer year', async () => {
    assert.deepStrictEqual(await problemsWith({ 'casebook.json': manifest(',\n  "codeSetYear": "2026"') }), [
      'casebook.json:5:18: error: codeSetYear must be an integer, not the text "2026"',
    ]);
    assert.deepStrictEqual(await problemsWith({ 'casebook.json': manifest(',\n  "codeSetYear": 2026') }), []);
  });

  it('limits grading to the policy fields, with sane ranges', async () => {
    const text = manifest(',\n  "grading": {\n    "passMark": 1.5,\n    "passmark": 0.8,\n    "linksWeight": -1,\n    "nearMiss": 0.25\n  }');
    assert.deepStrictEqual(await problemsWith({ 'casebook.json': text }), [
      'casebook.json:6:17: error: grading.passMark must be from 0 to 1, not 1.5',
      'casebook.json:7:5: error: grading.passmark is not a grading setting',
      'casebook.json:8:20: error: grading.linksWeight must be at least 0, not -1',
    ]);
    // The valid override is kept; the invalid ones are left out.
    assert.deepStrictEqual(parseManifest(text, 'casebook.json').manifest?.grading, { nearMiss: 0.25 });
  });

  it('warns about unknown fields at their key, and still loads', async () => {
    const { pack, problems } = await loadPack(nodeFs, tempPack({ 'casebook.json': manifest(',\n  "autor": "X"') }));
    assert.deepStrictEqual(problems.map(formatProblem), ['casebook.json:5:3: warning: unknown field "autor" is ignored']);
    assert.strictEqual(pack?.manifest.id, 'p');
  });

  it('reads cases from the sub-folder the manifest names', async () => {
    const { pack, problems } = await loadPack(
      nodeFs,
      tempPack({
        'casebook.json': manifest(',\n  "cases": "notes/"'),
        'notes/uri-01.md': goodFile('cases/uri-01.md'),
        'notes/diabetes-01.md': goodFile('cases/diabetes-01.md'),
        cases: null,
      }),
    );
    assert.deepStrictEqual(problems.map(formatProblem), []);
    assert.deepStrictEqual(
      pack!.cases.map((c) => c.file),
      ['notes/diabetes-01.md', 'notes/uri-01.md'],
    );
  });

  it('opens every case of a "./notes" pack as a case: the editor asks caseFileOf, the loader lists the same files', async () => {
    for (const folder of ['./notes', 'notes/', 'notes', './notes/']) {
      const { pack } = await loadPack(
        nodeFs,
        tempPack({ 'casebook.json': manifest(`,\n  "cases": "${folder}"`), 'notes/uri-01.md': goodFile('cases/uri-01.md'), cases: null }),
      );
      assert.deepStrictEqual(
        pack!.cases.map((c) => c.file),
        ['notes/uri-01.md'],
        folder,
      );
      assert.ok(
        pack!.cases.every((c) => caseFileOf(pack!.manifest, c.file)),
        `${folder}: its notes open as cases`,
      );
      assert.ok(!caseFileOf(pack!.manifest, 'cases/uri-01.md'), `${folder}: the default folder is not a case folder then`);
      assert.ok(!caseFileOf(pack!.manifest, 'notes/sub/uri-01.md'), `${folder}: nor a sub-folder`);
      assert.ok(!caseFileOf(pack!.manifest, 'notes/uri-01.txt'), `${folder}: nor another extension`);
    }
    assert.deepStrictEqual(packFolders(undefined), { cases: 'cases', keys: 'keys', codes: 'codes' });
    assert.ok(caseFileOf({ cases: '.' }, 'uri-01.md'));
  });

  it('rejects sub-folders that leave the pack: .. and absolute paths', async () => {
    assert.deepStrictEqual(await problemsWith({ 'casebook.json': manifest(',\n  "cases": "../elsewhere"') }), [
      `casebook.json:5:12: error: cases must name a folder inside the pack: "../elsewhere" goes up with '..'`,
    ]);
    assert.deepStrictEqual(await problemsWith({ 'casebook.json': manifest(',\n  "keys": "/etc"') }), [
      'casebook.json:5:11: error: keys must name a folder inside the pack: "/etc" is an absolute path',
    ]);
  });

  it('refuses a sub-folder that is a symbolic link out of the pack', async () => {
    const outside = tempDir();
    writeFileSync(path.join(outside, 'secret.md'), '---\nid: secret\ntitle: S\n---\n');
    const root = tempPack({ 'casebook.json': manifest(',\n  "cases": "linked"') });
    symlinkSync(outside, path.join(root, 'linked'));
    const { pack, problems } = await loadPack(nodeFs, root);
    assert.ok(problems.map(formatProblem).includes('linked:1:1: error: refused: it links to a place outside the pack folder'));
    assert.deepStrictEqual(pack!.cases, []);
  });

  it('reports a missing folder named in the manifest', async () => {
    assert.ok(
      (await problemsWith({ 'casebook.json': manifest(',\n  "cases": "notes"') })).includes(
        'casebook.json:1:1: error: cases: the folder "notes" does not exist',
      ),
    );
  });

  it('reports a pack folder that does not exist', async () => {
    const { pack, problems } = await loadPack(nodeFs, tempDir() + '/nothing-here');
    assert.strictEqual(pack, undefined);
    assert.match(formatProblem(problems[0]), /^casebook\.json:1:1: error: .*nothing-here is not a folder$/);
  });
});

describe('loadPack: cases', () => {
  after(removeTempPacks);
  // Without keys, so that a replaced note does not also break the good keys' evidence.
  const problemsWith = (files: PackFiles) => problemsWithout(files);

  it('requires front matter at the very top', async () => {
    assert.deepStrictEqual(await problemsWith({ 'cases/uri-01.md': '\n---\nid: uri-01\n---\n' }), [
      "cases/uri-01.md:1:1: error: no front matter: a case file starts with a line '---', YAML fields, then '---'",
    ]);
  });

  it('requires the front matter to be closed', async () => {
    assert.deepStrictEqual(await problemsWith({ 'cases/uri-01.md': '---\nid: uri-01\ntitle: T\n' }), [
      'cases/uri-01.md:1:1: error: the front matter is not closed',
    ]);
  });

  it('reports malformed YAML at its line in the file', async () => {
    const lines = await problemsWith({ 'cases/uri-01.md': '---\nid: uri-01\ntitle: [unclosed\n---\nBody\n' });
    // yaml notices the missing ] where the front matter ends: line 4 of the file.
    assert.strictEqual(lines.length, 1);
    assert.match(lines[0], /^cases\/uri-01\.md:4:1: error: YAML: .*\]$/);
    const dup = await problemsWith({ 'cases/uri-01.md': '---\nid: uri-01\ntitle: A\ntitle: B\n---\n' });
    assert.deepStrictEqual(dup, ['cases/uri-01.md:4:1: error: YAML: Map keys must be unique']);
  });

  it('requires id to equal the file stem', async () => {
    assert.deepStrictEqual(await problemsWith({ 'cases/uri-01.md': '---\nid: uri-1\ntitle: T\n---\nBody\n' }), [
      'cases/uri-01.md:2:5: error: id "uri-1" must equal the file name "uri-01"',
    ]);
  });

  it('requires id and title', async () => {
    assert.deepStrictEqual(await problemsWith({ 'cases/uri-01.md': '---\nsetting: other\n---\nBody\n' }), [
      'cases/uri-01.md:1:1: error: id is required',
      'cases/uri-01.md:1:1: error: title is required',
    ]);
    assert.deepStrictEqual(await problemsWith({ 'cases/uri-01.md': '---\nid: uri-01\ntitle:\n---\nBody\n' }), [
      'cases/uri-01.md:3:7: error: title is required',
    ]);
  });

  it('checks setting, areas, difficulty and text fields', async () => {
    const text = '---\nid: uri-01\ntitle: T\nsetting: clinic\nareas: Medicine\ndifficulty: 7\ninstructions: [a]\n---\nBody\n';
    assert.deepStrictEqual(await problemsWith({ 'cases/uri-01.md': text }), [
      'cases/uri-01.md:4:10: error: setting "clinic" is not one of outpatient, inpatient, emergency, observation, other',
      'cases/uri-01.md:5:8: error: areas must be a list',
      'cases/uri-01.md:6:13: error: difficulty must be a whole number from 1 to 5, not 7',
      'cases/uri-01.md:7:15: error: instructions must be text',
    ]);
    const { note, problems } = parseCase('---\nid: x\ntitle: T\nsetting: emergency\nareas: [Medicine]\ndifficulty: 5\n---\n', 'cases/x.md');
    assert.deepStrictEqual(problems, []);
    assert.strictEqual(note?.setting, 'emergency');
    assert.deepStrictEqual(note?.areas, ['Medicine']);
    assert.strictEqual(note?.difficulty, 5);
  });

  it('warns about unknown front matter fields', async () => {
    assert.deepStrictEqual(await problemsWith({ 'cases/uri-01.md': '---\nid: uri-01\ntitle: T\ndificulty: 2\n---\nBody\n' }), [
      'cases/uri-01.md:4:1: warning: unknown field "dificulty" in a case is ignored',
    ]);
  });

  it('keeps offsets as VS Code counts them with a BOM, CRLF, tabs and emoji', () => {
    const text = '\uFEFF---\r\nid: x\r\ntitle: "Fever 🤒\tand cough"\r\n---\r\n🤒 Patient\twith\r\nhigh   FEVER and cough.\r\n';
    const { note, problems } = parseCase(text, 'cases/x.md');
    assert.deepStrictEqual(problems, []);
    const shown = text.slice(1); // VS Code hides the BOM
    assert.strictEqual(note!.bodyOffset, shown.indexOf('🤒 Patient'));
    assert.strictEqual(note!.body, shown.slice(note!.bodyOffset));
    assert.strictEqual(note!.title, 'Fever 🤒\tand cough');
    const [place] = findEvidence(note!.body, 'patient with high fever');
    assert.deepStrictEqual(place, { start: note!.body.indexOf('Patient'), end: note!.body.indexOf(' and cough') });
  });

  it('accepts an empty body and a closing --- at the end of the file', () => {
    const { note, problems } = parseCase('---\nid: x\ntitle: T\n---', 'cases/x.md');
    assert.deepStrictEqual(problems, []);
    assert.strictEqual(note!.body, '');
  });
});

describe('loadPack: keys', () => {
  after(removeTempPacks);

  it('requires case to equal the file stem', async () => {
    assert.deepStrictEqual(await problemsWith({ 'keys/uri-01.md': key('case: uri-1\ndiagnoses:\n  - code: J06.9\n') }), [
      'keys/uri-01.md:2:7: error: case "uri-1" must equal the file name "uri-01"',
    ]);
  });

  it('checks the shape of diagnosis codes', async () => {
    assert.deepStrictEqual(await problemsWith({ 'keys/uri-01.md': key('case: uri-01\ndiagnoses:\n  - code: J6.9\n') }), [
      'keys/uri-01.md:4:11: error: diagnoses #1 code "J6.9" is not a valid ICD-10-CM code',
    ]);
  });

  it('says which shapes a procedure code may have', async () => {
    const { problems } = await loadPack(nodeFs, tempPack({ 'keys/uri-01.md': key('case: uri-01\nprocedures:\n  - code: "9921"\n') }));
    assert.strictEqual(problems.length, 2);
    assert.strictEqual(formatProblem(problems[0]), 'keys/uri-01.md:2:1: error: the key lists no codes: nothing can be earned');
    assert.strictEqual(formatProblem(problems[1]), 'keys/uri-01.md:4:11: error: procedures #1 code "9921" is not a CPT or HCPCS code');
    assert.match(problems[1].hint!, /four digits then a digit or A, F, M, T or U/);
  });

  it('reads J1100 as HCPCS in procedures and as ICD-10-CM J11.00 in diagnoses', () => {
    const { key: k, problems } = parseKey(key('case: x\ndiagnoses:\n  - code: J1100\nprocedures:\n  - code: J1100\n    units: 2\n'), 'keys/x.md');
    assert.deepStrictEqual(problems, []);
    assert.strictEqual(k!.diagnoses[0].system, 'ICD-10-CM');
    assert.strictEqual(k!.procedures[0].system, 'HCPCS');
    assert.strictEqual(k!.procedures[0].units, 2);
  });

  it('keeps ICD-10-CM codes out of procedures and CPT out of diagnoses', () => {
    const { problems } = parseKey(key('case: x\ndiagnoses:\n  - code: "99213"\n    system: CPT\nprocedures:\n  - code: E11.9\n'), 'keys/x.md');
    assert.deepStrictEqual(problems.map(formatProblem), [
      'keys/x.md:5:13: error: diagnoses #1: diagnoses hold ICD-10-CM codes only, not CPT',
      'keys/x.md:7:11: error: procedures #1 code "E11.9" is not a CPT or HCPCS code',
    ]);
    assert.match(problems[1].hint!, /move it to diagnoses/);
  });

  it('accepts unquoted all-digit codes with a warning to quote them', () => {
    const { key: k, problems } = parseKey(key('case: x\nprocedures:\n  - code: 99213\n    modifiers: [25]\n'), 'keys/x.md');
    assert.deepStrictEqual(k!.procedures[0].code, '99213');
    assert.deepStrictEqual(k!.procedures[0].modifiers, ['25']);
    assert.deepStrictEqual(problems.map(formatProblem), [
      'keys/x.md:4:11: warning: procedures #1 code 99213 is written as a number: quote all-digit codes',
      'keys/x.md:5:17: warning: procedures #1 modifier 25 is written as a number: quote all-digit codes',
    ]);
  });

  it('never turns an unquoted 00100 into 100', () => {
    const { key: k, problems } = parseKey(key('case: x\nprocedures:\n  - code: 00100\n'), 'keys/x.md');
    assert.strictEqual(k!.procedures[0].code, '00100');
    assert.strictEqual(k!.procedures[0].system, 'CPT');
    assert.deepStrictEqual(problems.map(formatProblem), [
      'keys/x.md:4:11: warning: procedures #1 code 00100 is written as a number, which YAML reads as 100: quote all-digit codes',
    ]);
  });

  it('checks modifiers, units, points, optional and system values', () => {
    const text = key(
      'case: x\nprocedures:\n  - code: "99213"\n    modifiers: ["2"]\n    units: 0\n    points: 0\n    optional: yes\n  - code: "99214"\n    system: AMA\n',
    );
    assert.deepStrictEqual(parseKey(text, 'keys/x.md').problems.map(formatProblem), [
      'keys/x.md:5:17: error: procedures #1 modifier "2" is not a modifier',
      'keys/x.md:6:12: error: procedures #1 units must be a whole number of at least 1, not 0',
      'keys/x.md:7:13: error: procedures #1 points must be a number above 0, not 0',
      'keys/x.md:8:15: error: procedures #1 optional must be true or false, not yes',
      'keys/x.md:10:13: error: procedures #2: system "AMA" is not one of ICD-10-CM, CPT, HCPCS',
    ]);
    const ok = parseKey(key('case: x\nprocedures:\n  - code: "20610"\n    modifiers: [rt]\n    units: 3\n    points: 0.5\n    optional: false\n'), 'keys/x.md');
    assert.deepStrictEqual(ok.problems, []);
    assert.deepStrictEqual(ok.key!.procedures[0].modifiers, ['RT']);
    assert.strictEqual(ok.key!.procedures[0].points, 0.5);
  });

  it('checks the shape of accepted codes', async () => {
    assert.deepStrictEqual(await problemsWith({ 'keys/uri-01.md': key('case: uri-01\ndiagnoses:\n  - code: J06.9\n    accept: [J06, "99213"]\n') }), [
      'keys/uri-01.md:5:19: error: diagnoses #1 accept code "99213" is not a valid ICD-10-CM code',
    ]);
  });

  it('requires links to name diagnoses of the key', async () => {
    const text = key('case: uri-01\ndiagnoses:\n  - code: J06.9\nprocedures:\n  - code: "99213"\n    links: [j069, E11.9]\n');
    assert.deepStrictEqual(await problemsWith({ 'keys/uri-01.md': text }), [
      "keys/uri-01.md:7:19: error: procedures #1 links E11.9, which is not in this key's diagnoses",
    ]);
  });

  it('finds evidence ignoring letter case and spacing, and names a phrase that is missing', async () => {
    const text = key('case: uri-01\ndiagnoses:\n  - code: J06.9\n    evidence: ["ACUTE upper\\n respiratory   infection", "strep throat"]\n');
    assert.deepStrictEqual(await problemsWith({ 'keys/uri-01.md': text }), [
      'keys/uri-01.md:5:57: error: diagnoses #1 evidence "strep throat" is not in the case text',
    ]);
  });

  it('rejects duplicate lines, but not the same code with other modifiers', async () => {
    const text = key(
      'case: uri-01\ndiagnoses:\n  - code: J06.9\n  - code: j069\nprocedures:\n  - code: "20610"\n    modifiers: [RT]\n  - code: "20610"\n    modifiers: [LT]\n',
    );
    assert.deepStrictEqual(await problemsWith({ 'keys/uri-01.md': text }), ['keys/uri-01.md:5:11: error: diagnoses #2: J069 is listed twice']);
  });

  it('rejects a key whose every line is optional', async () => {
    assert.deepStrictEqual(await problemsWith({ 'keys/uri-01.md': key('case: uri-01\ndiagnoses:\n  - code: J06.9\n    optional: true\n') }), [
      'keys/uri-01.md:2:1: error: every line of the key is optional: nothing can be earned',
    ]);
  });

  it('warns about unknown fields of a key line', async () => {
    assert.deepStrictEqual(await problemsWith({ 'keys/uri-01.md': key('case: uri-01\ndiagnoses:\n  - code: J06.9\n    evidance: [x]\n') }), [
      'keys/uri-01.md:5:5: warning: unknown field "evidance" in diagnoses #1 is ignored',
    ]);
  });

  it('places problems right in a key with a BOM and CRLF line ends', () => {
    const { problems } = parseKey('\uFEFF---\r\ndiagnoses:\r\n  - code: J6\r\n    evidence: [\t"x"]\r\n---\r\n', 'keys/x.md');
    assert.deepStrictEqual(problems.map(formatProblem), [
      'keys/x.md:1:1: error: case is required',
      'keys/x.md:3:11: error: diagnoses #1 code "J6" is not a valid ICD-10-CM code',
    ]);
  });

  it('turns checkCode messages into errors at the code', async () => {
    const checkCode = (system: string, code: string) => (code === 'J06.9' ? `${code} is not billable in this ${system} year` : undefined);
    assert.deepStrictEqual(await problemsWith({}, { checkCode }), ['keys/uri-01.md:4:11: error: diagnoses #1: J06.9 is not billable in this ICD-10-CM year']);
  });

  it('validates a key against its case alone (validateKey)', () => {
    const { note } = parseCase('---\nid: x\ntitle: T\n---\nPain in the knee.\n', 'cases/x.md');
    const { key: k } = parseKey(key('case: x\ndiagnoses:\n  - code: M25.561\n    evidence: [knee pain]\n'), 'keys/x.md');
    assert.deepStrictEqual(validateKey(k!, note).map(formatProblem), ['keys/x.md:5:16: error: diagnoses #1 evidence "knee pain" is not in the case text']);
    assert.deepStrictEqual(validateKey(k!, undefined), []);
  });

  it('reports a key without a case as an error and a case without a key as a warning', async () => {
    assert.deepStrictEqual(await problemsWith({ 'keys/uri-01.md': null, 'keys/extra.md': key('case: extra\ndiagnoses:\n  - code: J06.9\n') }), [
      'cases/uri-01.md:1:1: warning: no answer key: keys/uri-01.md does not exist',
      'keys/extra.md:1:1: error: no case for this key: cases/extra.md does not exist',
    ]);
  });

  it('loads a released pack (no keys folder) without complaint', async () => {
    const { pack, problems } = await loadPack(nodeFs, tempPack({ keys: null }));
    assert.deepStrictEqual(problems, []);
    assert.strictEqual(pack!.keys.size, 0);
    assert.strictEqual(pack!.cases.length, 2);
  });
});

describe('loadPack: codes/*.csv', () => {
  after(removeTempPacks);

  it('requires the header code,system,description', async () => {
    assert.deepStrictEqual(await problemsWith({ 'codes/glossary.csv': 'code,description\nE11.9,x\n' }), [
      'codes/glossary.csv:1:1: error: the header row must be code,system,description',
    ]);
  });

  it('checks each row: field count, system and code shape, at their place', async () => {
    const csv = 'code,system,description\n\nE11.9,ICD10,x\n"E1",ICD-10-CM,"two\nlines"\nJ1100\nJ1100,HCPCS,ok\n';
    assert.deepStrictEqual(await problemsWith({ 'codes/glossary.csv': csv }), [
      'codes/glossary.csv:3:7: error: system "ICD10" is not one of ICD-10-CM, CPT, HCPCS',
      'codes/glossary.csv:4:2: error: code "E1" is not a valid ICD-10-CM code',
      'codes/glossary.csv:6:1: error: this row has 1 fields, the header has 3',
    ]);
  });

  it('reports broken CSV quoting at its line', async () => {
    assert.deepStrictEqual(await problemsWith({ 'codes/glossary.csv': 'code,system,description\nE11.9,ICD-10-CM,"open\n' }), [
      'codes/glossary.csv:2:1: error: not valid CSV: the parsing is finished with an opening quote at line 2',
    ]);
  });
});

describe('loadPack: hostile input', () => {
  after(removeTempPacks);

  it('refuses a file over 1 MB', async () => {
    const big = '---\nid: uri-01\ntitle: T\n---\n' + 'x'.repeat(1_048_577);
    assert.deepStrictEqual(await problemsWith({ 'cases/uri-01.md': big }), [
      'cases/uri-01.md:1:1: error: file is too large (1048605 bytes; the limit is 1048576 bytes, 1 MB)',
    ]);
  });

  it('reports binary and non-UTF-8 files instead of crashing', async () => {
    assert.deepStrictEqual(await problemsWith({ 'cases/uri-01.md': new Uint8Array([0x2d, 0x2d, 0x2d, 0x0a, 0x00, 0x01]) }), [
      'cases/uri-01.md:1:1: error: binary file, not UTF-8 text',
    ]);
    assert.deepStrictEqual(await problemsWith({ 'keys/uri-01.md': Buffer.from('---\ncase: uri-01\ntitle: caf\xe9\n---\n', 'latin1') }), [
      'keys/uri-01.md:3:11: error: not valid UTF-8 text',
    ]);
  });

  it('refuses a case file that is a symbolic link out of the pack', async () => {
    const outside = tempDir();
    writeFileSync(path.join(outside, 'x.md'), '---\nid: leak\ntitle: Secret\n---\nSECRET\n');
    const root = tempPack({ keys: null });
    symlinkSync(path.join(outside, 'x.md'), path.join(root, 'cases', 'leak.md'));
    const { pack, problems } = await loadPack(nodeFs, root);
    assert.deepStrictEqual(problems.map(formatProblem), ['cases/leak.md:1:1: error: refused: it links to a place outside the pack folder']);
    assert.ok(!pack!.cases.some((c) => c.body.includes('SECRET')));
  });

  it('follows a symbolic link that stays inside the pack', async () => {
    const root = tempPack({ 'shared/uri.md': goodFile('cases/uri-01.md'), 'cases/uri-01.md': null });
    symlinkSync('../shared/uri.md', path.join(root, 'cases', 'uri-01.md'));
    assert.deepStrictEqual((await loadPack(nodeFs, root)).problems, []);
  });

  it('warns about files of the wrong kind in a folder', async () => {
    assert.deepStrictEqual(await problemsWith({ 'cases/notes.txt': 'x' }), ['cases/notes.txt:1:1: warning: ignored: only .md files are read in cases/']);
  });
});

describe('loadPack: unsaved editor buffers (overrides)', () => {
  after(removeTempPacks);

  it('validates the override text instead of the file on disk', async () => {
    const root = tempPack();
    const overrides = new Map([[`${root}/keys/uri-01.md`, key('case: uri-01\ndiagnoses:\n  - code: J6\n')]]);
    const { problems, pack } = await loadPack(nodeFs, root, { overrides });
    assert.deepStrictEqual(problems.map(formatProblem), ['keys/uri-01.md:4:11: error: diagnoses #1 code "J6" is not a valid ICD-10-CM code']);
    assert.strictEqual(pack!.keys.get('uri-01')!.diagnoses[0].code, 'J6');
  });

  it('uses an overridden casebook.json', async () => {
    const root = tempPack();
    const { pack } = await loadPack(nodeFs, root, { overrides: new Map([[`${root}/casebook.json`, manifest('')]]) });
    assert.strictEqual(pack!.manifest.id, 'p');
  });
});

describe('findEvidence', () => {
  it('matches case-insensitively with any white space between words', () => {
    const body = 'Reports Chest\n  pressure on exertion; chest pressure again.';
    assert.deepStrictEqual(findEvidence(body, 'chest pressure'), [
      { start: 8, end: 24 },
      { start: 38, end: 52 },
    ]);
  });

  it('treats regular-expression characters in a phrase literally', () => {
    assert.deepStrictEqual(findEvidence('BP (140/90) [high]? Follow-up: 1.5 mg', '(140/90) [high]?'), [{ start: 3, end: 19 }]);
    assert.deepStrictEqual(findEvidence('BP 140x90', '140.90'), []);
    assert.deepStrictEqual(findEvidence('Follow-up: 1.5 mg', 'follow-up: 1.5'), [{ start: 0, end: 14 }]);
  });

  it('finds nothing for an empty phrase', () => {
    assert.deepStrictEqual(findEvidence('anything', '  '), []);
  });

  it('counts offsets in UTF-16 units, as VS Code does', () => {
    const body = '😷 mask 😷 FEVER';
    assert.deepStrictEqual(findEvidence(body, 'fever'), [{ start: body.indexOf('FEVER'), end: body.length }]);
  });
});

describe('findPacks', () => {
  after(removeTempPacks);

  it('finds pack folders up to the depth, skipping node_modules, .git and .casebook', async () => {
    const root = tempPack({
      'casebook.json': null,
      cases: null,
      keys: null,
      codes: null,
      'a/casebook.json': '{}',
      'a/inner/casebook.json': '{}',
      'b/c/d/casebook.json': '{}',
      'b/c/d/e/casebook.json': '{}',
      'node_modules/x/casebook.json': '{}',
      '.git/casebook.json': '{}',
      '.casebook/casebook.json': '{}',
    });
    assert.deepStrictEqual(await findPacks(nodeFs, root), [`${root}/a`, `${root}/b/c/d`]);
    assert.deepStrictEqual(await findPacks(nodeFs, root, 1), [`${root}/a`]);
    assert.deepStrictEqual(await findPacks(nodeFs, `${root}/a`), [`${root}/a`]);
  });
});

describe('Problem order', () => {
  after(removeTempPacks);

  it('sorts problems by file, line and column', async () => {
    const { problems } = await loadPack(
      nodeFs,
      tempPack({
        'keys/uri-01.md': key('case: uri-01\ndiagnoses:\n  - code: J6\n  - code: Q\n'),
        'cases/diabetes-01.md': '---\nid: x\n---\n',
        'keys/diabetes-01.md': null,
        'casebook.json': manifest(',\n  "zz": 1'),
      }),
    );
    const sorted = [...problems].sort((a: Problem, b: Problem) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));
    assert.deepStrictEqual(problems, sorted);
    assert.deepStrictEqual(
      problems.map((p) => p.file),
      ['casebook.json', 'cases/diabetes-01.md', 'cases/diabetes-01.md', 'cases/diabetes-01.md', 'keys/uri-01.md', 'keys/uri-01.md'],
    );
  });
});

describe('schemas/casebook.schema.json', () => {
  const schema = JSON.parse(readFileSync(path.join(__dirname, '../../schemas/casebook.schema.json'), 'utf8'));

  it('is draft-07 and describes every property for authors’ editors', () => {
    assert.strictEqual(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    const undocumented: string[] = [];
    type SchemaNode = { description?: string; properties?: Record<string, SchemaNode> };
    const walk = (node: SchemaNode, at: string) => {
      for (const [name, property] of Object.entries(node.properties ?? {})) {
        if (!property.description) undocumented.push(at + name);
        walk(property, `${at}${name}.`);
      }
    };
    walk(schema, '');
    assert.deepStrictEqual(undocumented, []);
  });

  it('names exactly the policy fields under grading', () => {
    assert.deepStrictEqual(Object.keys(schema.properties.grading.properties).sort(), Object.keys(DEFAULT_POLICY).sort());
  });

  it('accepts the manifest example of formats.md', () => {
    const example = {
      format: 1,
      id: 'cardiology-basics',
      title: 'Cardiology Basics',
      version: '1.2.0',
      codeSetYear: 2026,
      author: 'J. Rivera, CPC',
      license: 'CC-BY-4.0',
      description: 'Twelve outpatient cardiology cases.',
      grading: { passMark: 0.7, partialCredit: true },
    };
    const { manifest, problems } = parseManifest(JSON.stringify(example, null, 2), 'casebook.json');
    assert.deepStrictEqual(problems, []);
    assert.deepStrictEqual(manifest, example);
  });
});

describe('key limits (issue 17: a key cannot make checking crawl)', () => {
  const key = (lines: string) => `---\ncase: c1\ndiagnoses:\n${lines}---\n`;

  it('reads at most 100 lines a list, 10 evidence phrases a line, 300 characters a phrase, saying so', () => {
    const many = Array.from({ length: 105 }, (_, i) => `  - code: J${String(i % 100).padStart(2, '0')}.9\n`).join('');
    const tooMany = parseKey(key(many), 'keys/c1.md');
    assert.equal(tooMany.key!.diagnoses.length, 100);
    assert.ok(tooMany.problems.some((p) => /more than 100 lines/.test(p.message)));
    const phrases = `  - code: J18.9\n    evidence: [${Array.from({ length: 12 }, (_, i) => `"p${i}"`).join(', ')}, "${'w '.repeat(200)}"]\n`;
    const parsed = parseKey(key(phrases), 'keys/c1.md');
    assert.equal(parsed.key!.diagnoses[0].evidence.length, 10);
    assert.ok(parsed.problems.some((p) => /more than 10 evidence phrases/.test(p.message)));
    const long = parseKey(key(`  - code: J18.9\n    evidence: ["${'word '.repeat(70)}"]\n`), 'keys/c1.md');
    assert.deepEqual(long.key!.diagnoses[0].evidence, []);
    assert.match(long.problems[0].message, /a phrase of 350 characters \(at most 300\)/);
  });
});

describe('loadPack: names that break on other file systems (issue 17 item 6)', () => {
  const caseFile = (id: string) => `---\nid: ${JSON.stringify(id)}\ntitle: Knee\n---\nHPI: right knee pain.\n`;

  it('reports case ids differing only by case as an error on each file', async () => {
    const problems = await problemsWith({ 'cases/Knee-Injection.md': caseFile('Knee-Injection'), 'cases/knee-injection.md': caseFile('knee-injection') });
    assert.deepStrictEqual(
      problems.filter((p) => /only by upper\/lower case/.test(p)),
      [
        "cases/Knee-Injection.md:1:1: error: case ids differ only by upper/lower case from cases/knee-injection.md: on macOS and Windows they are the same file, and the learner's work of one replaces the other's",
        "cases/knee-injection.md:1:1: error: case ids differ only by upper/lower case from cases/Knee-Injection.md: on macOS and Windows they are the same file, and the learner's work of one replaces the other's",
      ],
    );
  });

  it('warns about case ids Windows cannot hold: CON, aux, a:b, q?, a trailing dot', async () => {
    const files: PackFiles = {};
    for (const id of ['CON', 'aux', 'a:b', 'q?', 'lpt1', 'end.']) files[`cases/${id}.md`] = caseFile(id);
    const problems = (await problemsWith(files)).filter((p) => /Windows/.test(p));
    assert.deepStrictEqual(problems.map((p) => p.split(':1:1:')[0]).sort(), [
      'cases/CON.md',
      'cases/a:b.md',
      'cases/aux.md',
      'cases/end..md',
      'cases/lpt1.md',
      'cases/q?.md',
    ]);
    assert.ok(
      problems.every((p) => p.includes(': warning: case id ')),
      problems.join('\n'),
    );
    assert.deepStrictEqual(
      (await problemsWith({ 'cases/console-01.md': caseFile('console-01') })).filter((p) => /Windows/.test(p)),
      [],
    );
  });
});

describe('loadPack: line ends (issue 17 item 7)', () => {
  it('gives a clear message for a file with CR-only line ends', async () => {
    const problems = await problemsWith({ 'cases/mac-01.md': '---\rid: mac-01\rtitle: Old Mac\r---\rHPI: knee pain.\r' });
    assert.ok(problems.includes('cases/mac-01.md:1:1: error: uses CR-only line ends (old Mac style), so Casebook sees one long line'), problems.join('\n'));
  });
});
