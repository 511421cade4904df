// Property-based tests: whatever the files of a pack hold, the loader returns problems and never throws.
import assert from 'assert';
import { readFileSync } from 'fs';
import path from 'path';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { encodeText, type DirEntry, type FileSystem } from '../../src/core/fs';
import type { Problem } from '../../src/core/model';
import { findEvidence } from '../../src/core/evidence';
import { loadPack, parseCase, parseKey, parseManifest } from '../../src/core/pack';
import { GOOD_PACK } from '../fixtures/packs/tempPack';

const GOOD_FILES = ['casebook.json', 'cases/uri-01.md', 'cases/diabetes-01.md', 'keys/uri-01.md', 'keys/diabetes-01.md', 'codes/glossary.csv'];
const good = Object.fromEntries(GOOD_FILES.map((f) => [f, readFileSync(path.join(GOOD_PACK, f), 'utf8')]));

/** A read-only in-memory file system holding one pack under /pack (no links: those are tested on disk). */
function memoryFs(files: Record<string, Uint8Array>): FileSystem {
  const data = new Map(Object.entries(files).map(([rel, bytes]) => [`/pack/${rel}`, bytes]));
  const isFolder = (p: string) => p === '/' || [...data.keys()].some((k) => k.startsWith(p + '/'));
  const missing = (p: string) => Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
  const readOnly = async () => {
    throw new Error('read-only');
  };
  return {
    async readFile(p) {
      const bytes = data.get(p);
      if (!bytes) throw missing(p);
      return bytes;
    },
    async readdir(p) {
      if (!isFolder(p)) throw missing(p);
      const names = new Map<string, DirEntry>();
      for (const k of data.keys()) {
        if (!k.startsWith(p + '/')) continue;
        const name = k.slice(p.length + 1).split('/')[0];
        names.set(name, { name, kind: data.has(`${p}/${name}`) ? 'file' : 'directory' });
      }
      return [...names.values()];
    },
    async stat(p) {
      const bytes = data.get(p);
      if (bytes) return { kind: 'file', size: bytes.length };
      return isFolder(p) ? { kind: 'directory', size: 0 } : undefined;
    },
    async realpath(p) {
      if (data.has(p) || isFolder(p)) return p;
      throw missing(p);
    },
    writeFile: readOnly,
    rename: readOnly,
    mkdir: readOnly,
    remove: readOnly,
  };
}

function assertWellFormed(problems: Problem[]): void {
  for (const p of problems) {
    assert.ok(typeof p.file === 'string' && p.file.length > 0 && !p.file.startsWith('/') && !p.file.includes('\\'), `file: ${p.file}`);
    assert.ok(Number.isInteger(p.line) && p.line >= 1, `line: ${p.line}`);
    assert.ok(Number.isInteger(p.column) && p.column >= 1, `column: ${p.column}`);
    assert.ok(p.severity === 'error' || p.severity === 'warning');
    assert.ok(typeof p.message === 'string' && p.message.length > 0);
    assert.ok(typeof p.hint === 'string' && p.hint.length > 0, `a hint for: ${p.message}`);
  }
  for (let i = 1; i < problems.length; i++) {
    const [a, b] = [problems[i - 1], problems[i]];
    assert.ok(a.file < b.file || (a.file === b.file && (a.line < b.line || (a.line === b.line && a.column <= b.column))), 'problems are sorted');
  }
}

/** Text mutations an editor or a careless author produces. */
const mutation = (text: string): fc.Arbitrary<string> =>
  fc.oneof(
    fc.nat({ max: text.length }).map((n) => text.slice(0, n)),
    fc
      .tuple(
        fc.nat({ max: text.length }),
        fc.constantFrom('\t', '🤒', '---\n', '"', ':', '[', '{', '\r', '\u00a0', '\uFFFD', '\n  - ', '*a', '&a ', '!!binary '),
      )
      .map(([n, s]) => text.slice(0, n) + s + text.slice(n)),
    fc.tuple(fc.nat({ max: text.length }), fc.nat({ max: 20 })).map(([n, k]) => text.slice(0, n) + text.slice(n + k)),
    fc.constant('\uFEFF' + text),
    fc.constant(text.replace(/\n/g, '\r\n')),
    fc.constant(text.replace(/  /g, '\t')),
    fc.constant(text.replace(/e/g, '😷')),
  );

/** Random YAML-ish front matter: any value YAML can write. */
const randomYamlFile = fc.anything({ maxDepth: 3, withNullPrototype: false }).map((v) => {
  try {
    return `---\n${stringify(v)}---\nBody text.\n`;
  } catch {
    return '---\n---\n';
  }
});

const fileContent = (goodText: string): fc.Arbitrary<Uint8Array> =>
  fc.oneof(
    { weight: 4, arbitrary: mutation(goodText).map(encodeText) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map(encodeText) },
    { weight: 1, arbitrary: randomYamlFile.map(encodeText) },
    { weight: 1, arbitrary: fc.constant(encodeText(goodText)) },
  );

const randomPack = fc.record(Object.fromEntries(GOOD_FILES.map((f) => [f, fc.option(fileContent(good[f]), { freq: 8 })])));

describe('loadPack on random and damaged packs (property)', () => {
  it('never throws, and every problem has a file, a line, a column and a message', async () => {
    await fc.assert(
      fc.asyncProperty(randomPack, async (files) => {
        const present = Object.fromEntries(Object.entries(files).filter(([, v]) => v !== null)) as Record<string, Uint8Array>;
        const { problems, pack } = await loadPack(memoryFs(present), '/pack');
        assertWellFormed(problems);
        if (pack) for (const note of pack.cases) assert.ok(note.bodyOffset >= 0);
      }),
      { numRuns: 150 },
    );
  });

  it('parsers never throw on any text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), mutation(good['keys/uri-01.md']), mutation(good['casebook.json']), randomYamlFile), (text) => {
        assertWellFormed(parseCase(text, 'cases/x.md').problems);
        assertWellFormed(parseKey(text, 'keys/x.md').problems);
        assertWellFormed(parseManifest(text, 'casebook.json').problems);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps the body offset equal to the JS string index in the BOM-stripped text', () => {
    const caseText = good['cases/uri-01.md'];
    fc.assert(
      fc.property(fc.boolean(), fc.boolean(), fc.boolean(), (bom, crlf, emoji) => {
        let text = caseText;
        if (emoji) text = text.replace('CHIEF', '🤒 CHIEF').replace('title: ', 'title: 😷 ');
        if (crlf) text = text.replace(/\n/g, '\r\n');
        const shown = text;
        if (bom) text = '\uFEFF' + text;
        const { note, problems } = parseCase(text, 'cases/uri-01.md');
        assert.deepStrictEqual(problems, []);
        assert.strictEqual(note!.body, shown.slice(note!.bodyOffset));
        assert.ok(note!.body.startsWith(emoji ? '🤒 CHIEF' : 'CHIEF'));
        for (const place of findEvidence(note!.body, 'acute upper respiratory infection')) {
          assert.strictEqual(note!.body.slice(place.start, place.end).toLowerCase(), 'acute upper respiratory infection');
        }
      }),
    );
  });
});

describe('findEvidence (property)', () => {
  const folded = (s: string) => s.toLowerCase().replace(/\s+/g, ' ').trim();
  const alphabet = fc.constantFrom('a', 'B', 'c', ' ', '\n', '\t', '(', '.', '*', '😷', '-', '?', '\\');

  it('finds every phrase cut from the body, and each place reads as the phrase', () => {
    fc.assert(
      fc.property(fc.string({ unit: alphabet, minLength: 1, maxLength: 60 }), fc.nat(), fc.nat(), (body, a, b) => {
        const [from, to] = [a % (body.length + 1), b % (body.length + 1)].sort((x, y) => x - y);
        const phrase = body.slice(from, to);
        const places = findEvidence(body, phrase);
        if (phrase.trim() === '') return assert.deepStrictEqual(places, []);
        // Cutting may split a word or an emoji; only whole pieces are guaranteed to be found.
        for (const place of places) assert.strictEqual(folded(body.slice(place.start, place.end)), folded(phrase));
        if (/^\S/.test(phrase) && /\S$/.test(phrase) && !/[\uD800-\uDFFF]/.test(phrase)) assert.ok(places.length > 0, `"${phrase}" in "${body}"`);
      }),
      { numRuns: 500 },
    );
  });
});
