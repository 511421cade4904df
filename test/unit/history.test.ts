import assert from 'node:assert/strict';
import { DEFAULT_POLICY } from '../../src/core/model';
import { grade } from '../../src/core/grade';
import { appendHistory, caseHistory, historyLine, historyPath, parseHistory, readHistory } from '../../src/core/history';
import { MemFs } from './memfs';
import { dx, key, note, tag, work } from './grade-fixtures';

const result = grade(note(), key([dx('I10'), dx('E78.5')]), work([tag('I10', { system: 'ICD-10-CM' })]), DEFAULT_POLICY);
const TIME = new Date('2026-11-24T10:15:00.000Z');

describe('history.jsonl', () => {
  it('writes one JSON line per attempt with time, case, earned, possible, percent, passed and the graded lines', () => {
    assert.equal(
      historyLine(result, TIME),
      '{"time":"2026-11-24T10:15:00.000Z","case":"c1","earned":1,"possible":2,"percent":0.5,"passed":false,"lines":[' +
        '{"kind":"diagnosis","system":"ICD-10-CM","status":"exact","expected":"I10","entered":"I10","earned":1,"possible":1,"errors":[]},' +
        '{"kind":"diagnosis","system":"ICD-10-CM","status":"missing","expected":"E78.5","entered":null,"earned":0,"possible":1,"errors":["missing"]}]}',
    );
  });

  it('reads history written before lines were kept, and keeps out malformed lines of an entry', () => {
    const old = '{"time":"2026-11-01T09:00:00.000Z","case":"c1","earned":1,"possible":1,"percent":1,"passed":true}';
    const odd =
      '{"time":"2026-11-02T09:00:00.000Z","case":"c1","earned":0,"possible":1,"percent":0,"passed":false,"lines":[{"kind":"x"},7,{"kind":"diagnosis","system":"ICD-10-CM","status":"missing","expected":"I10","entered":null,"errors":["missing","bogus"]}]}';
    const [a, b] = parseHistory([old, odd].join('\n'));
    assert.equal(a.lines, undefined);
    assert.equal(a.percent, 1);
    assert.deepEqual(b.lines, [
      { kind: 'diagnosis', system: 'ICD-10-CM', status: 'missing', expected: 'I10', entered: null, earned: 0, possible: 0, errors: ['missing'] },
    ]);
  });

  it('reads back what it wrote and skips bad lines without throwing', () => {
    const text = [historyLine(result, TIME), 'not json', '{"time":1}', '', '[1,2]', historyLine({ ...result, case: 'c2' }, TIME), '{"trunc'].join('\n');
    const entries = parseHistory(text);
    assert.deepEqual(
      entries.map((e) => e.case),
      ['c1', 'c2'],
    );
    assert.deepEqual(
      caseHistory(entries, 'c2').map(({ lines: _lines, ...totals }) => totals),
      [{ time: TIME.toISOString(), case: 'c2', earned: 1, possible: 2, percent: 0.5, passed: false }],
    );
    assert.equal(caseHistory(entries, 'c2')[0].lines?.length, 2);
  });

  it('appends attempts to PACK/.casebook/history.jsonl, creating it, keeping earlier lines', async () => {
    const fs = new MemFs();
    fs.put('/pack/casebook.json', '{}');
    await appendHistory(fs, '/pack', result, TIME);
    await appendHistory(fs, '/pack', { ...result, percent: 1, passed: true }, new Date('2026-11-25T08:00:00.000Z'));
    assert.equal(historyPath('/pack'), '/pack/.casebook/history.jsonl');
    const { entries } = await readHistory(fs, '/pack');
    assert.deepEqual(
      entries.map((e) => [e.time, e.percent]),
      [
        ['2026-11-24T10:15:00.000Z', 0.5],
        ['2026-11-25T08:00:00.000Z', 1],
      ],
    );
    assert.deepEqual(await fs.readdir('/pack/.casebook'), [{ name: 'history.jsonl', kind: 'file' }]);
  });

  it('keeps the old history when the write fails', async () => {
    const fs = new MemFs();
    await appendHistory(fs, '/pack', result, TIME);
    fs.beforeOperation = (op) => {
      if (op === 'rename') throw new Error('disk full');
    };
    await assert.rejects(appendHistory(fs, '/pack', result, TIME), /disk full/);
    fs.beforeOperation = undefined;
    assert.equal((await readHistory(fs, '/pack')).entries.length, 1);
  });
});
