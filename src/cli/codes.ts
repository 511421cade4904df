// `casebook codes import|search|diff`: import official code-set files into a store, search them,
// and compare two years. Exit 0 done, 1 invalid input or nothing imported, 2 bad usage.
import * as os from 'os';
import * as path from 'path';
import type { CodeSystem } from '../core/model';
import { CODE_SYSTEMS } from '../core/model';
import { type CodeHit, CodeStore, INDEX_TABLE_TITLES, indexPath, type StoredIndexInfo, type StoredSetInfo, importPaths, yearLabel } from '../core/codeset';
import { type CliIo, UsageError, absolute, parseArgs } from './io';

const USAGE = `usage:
  casebook codes import FILE|DIR... [--store DIR] [--year Y] [--system S]
  casebook codes search QUERY [--system S] [--year Y] [--limit N] [--json] [--store DIR]
  casebook codes diff OLD NEW [--system S] [--json] [--store DIR]

The store is --store DIR, else $CASEBOOK_HOME, else ~/.casebook.`;

export async function codesCommand(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === '--help' || sub === '-h' || sub === 'help') {
    io.out(USAGE);
    return 0;
  }
  switch (sub) {
    case 'import':
      return importCommand(rest, io);
    case 'search':
      return searchCommand(rest, io);
    case 'diff':
      return diffCommand(rest, io);
    default:
      throw new UsageError(sub ? `unknown sub-command '${sub}'\n${USAGE}` : `give a sub-command\n${USAGE}`);
  }
}

/** --store DIR, else $CASEBOOK_HOME, else ~/.casebook. */
export function storeFolder(io: CliIo, option: string | undefined): string {
  if (option) return absolute(io, option);
  if (io.env.CASEBOOK_HOME) return absolute(io, io.env.CASEBOOK_HOME);
  return absolute(io, path.join(io.env.HOME ?? io.env.USERPROFILE ?? os.homedir(), '.casebook'));
}

function systemOption(value: string | undefined): CodeSystem | undefined {
  if (value === undefined) return undefined;
  const wanted = value.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const system = CODE_SYSTEMS.find((s) => s.replace(/[^A-Z0-9]/g, '') === wanted);
  if (!system) throw new UsageError(`--system must be ${CODE_SYSTEMS.join(', ')} (got '${value}')`);
  return system;
}

function yearOption(value: string | undefined, name = '--year'): number | undefined {
  if (value === undefined) return undefined;
  const m = /^(?:FY)?(\d{4})$/i.exec(value.trim());
  if (!m) throw new UsageError(`${name} must be a year such as 2026 (got '${value}')`);
  return Number(m[1]);
}

/** Text for a terminal: control characters (ESC sequences, C1 controls, tabs, line ends) shown as \xNN, never acted on. */
export function inert(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function count(n: number, word: string): string {
  return `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;
}

async function importCommand(args: string[], io: CliIo): Promise<number> {
  const { positional, options } = parseArgs(args, { values: ['store', 'year', 'system'], flags: [] });
  if (positional.length === 0) throw new UsageError('give the code-set files or folders to import: casebook codes import FILE|DIR...');
  const year = yearOption(options.get('year'));
  const system = systemOption(options.get('system'));
  const store = new CodeStore(io.fs, storeFolder(io, options.get('store')));
  const result = await importPaths(
    store,
    positional.map((p) => absolute(io, p)),
    { year, system },
  );
  for (const info of result.saved) io.out(describeImport(info));
  for (const info of result.savedIndexes) io.out(describeIndexImport(info));
  for (const note of result.skipped) io.err(`skipped ${note}`);
  for (const error of result.errors) io.err(error);
  const savedAny = result.saved.length + result.savedIndexes.length > 0;
  if (!savedAny && result.errors.length === 0) {
    io.err(`no code-set files found in ${positional.join(', ')}`);
    return 1;
  }
  if (savedAny) io.err(`store: ${store.dir}`);
  return result.errors.length > 0 ? 1 : 0;
}

function describeImport(info: StoredSetInfo): string {
  const parts = [count(info.billable, 'billable code')];
  if (info.headers) parts.push(count(info.headers, 'category header'));
  if (info.discontinued) parts.push(`${count(info.discontinued, 'discontinued code')}`);
  if (info.modifiers) parts.push(count(info.modifiers, 'modifier'));
  return `imported ${info.system} ${yearLabel(info.system, info.year)} from ${info.source}: ${count(info.codes, 'code')} (${parts.join(', ')})`;
}

function describeIndexImport(info: StoredIndexInfo): string {
  return `imported ICD-10-CM ${yearLabel('ICD-10-CM', info.year)} ${INDEX_TABLE_TITLES[info.table]} from ${info.source}: ${count(info.entries, 'entry')}`.replace(
    /entrys$/,
    'entries',
  );
}

async function searchCommand(args: string[], io: CliIo): Promise<number> {
  const { positional, options, flags } = parseArgs(args, { values: ['system', 'year', 'limit', 'store'], flags: ['json'] });
  const query = positional.join(' ').trim();
  if (query === '') throw new UsageError('give a code or words to search for: casebook codes search QUERY');
  const system = systemOption(options.get('system'));
  const year = yearOption(options.get('year'));
  const limitText = options.get('limit');
  const limit = limitText === undefined ? 20 : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`--limit must be a whole number of at least 1 (got '${limitText}')`);
  const store = new CodeStore(io.fs, storeFolder(io, options.get('store')));
  const imported = (await store.list()).filter((s) => !system || s.system === system);
  if (imported.length === 0 || (year !== undefined && !imported.some((s) => s.year <= year))) {
    const what = [system, year].filter((x) => x !== undefined).join(' ');
    io.err(`no ${what ? what + ' ' : ''}code set imported in ${store.dir}: run 'casebook codes import FILE' with the CMS/CDC files`);
    return 1;
  }
  const hits = await store.search(query, { system, year, limit });
  if (flags.has('json')) {
    io.out(
      JSON.stringify(
        hits.map((h) => ({
          code: h.code,
          system: h.system,
          title: h.title,
          billable: h.billable,
          ...(h.needsMoreCharacters ? { needsMoreCharacters: true } : {}),
          ...(h.dose ? { dose: h.dose } : {}),
          ...(h.via ? { via: h.via } : {}),
          ...(h.index ? { index: h.index } : {}),
        })),
        null,
        2,
      ),
    );
  } else {
    // A fourth column says how a hit was found when not by its own title words; titles from a file are printed inert.
    for (const h of hits) io.out([inert(h.code), h.system, inert(h.title), howFound(h)].filter((x) => x !== undefined).join('\t'));
    if (hits.length === 0) io.err(`no codes match '${query}'`);
  }
  return 0;
}

function howFound(h: CodeHit): string | undefined {
  if (h.index) return `${h.index.table}: ${indexPath(h.index)}`;
  return h.via;
}

async function diffCommand(args: string[], io: CliIo): Promise<number> {
  const { positional, options, flags } = parseArgs(args, { values: ['system', 'store'], flags: ['json'] });
  if (positional.length !== 2) throw new UsageError('give two years: casebook codes diff OLD NEW (e.g. 2025 2026)');
  const oldYear = yearOption(positional[0], 'OLD')!;
  const newYear = yearOption(positional[1], 'NEW')!;
  const system = systemOption(options.get('system')) ?? 'ICD-10-CM';
  const store = new CodeStore(io.fs, storeFolder(io, options.get('store')));
  const years = await store.years(system);
  const missing = [oldYear, newYear].filter((y) => !years.includes(y));
  if (missing.length > 0) {
    io.err(
      `${system} ${missing.map((y) => yearLabel(system, y)).join(' and ')} not imported in ${store.dir}` +
        (years.length ? ` (imported: ${years.map((y) => yearLabel(system, y)).join(', ')})` : '') +
        `: run 'casebook codes import FILE' first`,
    );
    return 1;
  }
  const diff = (await store.diff(system, oldYear, newYear))!;
  if (flags.has('json')) {
    io.out(JSON.stringify(diff, null, 2));
    return 0;
  }
  const lines = [`${system} ${yearLabel(system, oldYear)} -> ${yearLabel(system, newYear)}`, '', `Added (${diff.added.length}):`];
  for (const a of diff.added) lines.push(`  ${a.code}\t${a.title}`);
  lines.push('', `Deleted (${diff.deleted.length}):`);
  for (const d of diff.deleted) lines.push(`  ${d.code}\t${d.title}`);
  lines.push('', `Retitled (${diff.retitled.length}):`);
  for (const r of diff.retitled) lines.push(`  ${r.code}\t${r.oldTitle}\n  ${' '.repeat(r.code.length)}\t-> ${r.newTitle}`);
  io.out(lines.join('\n'));
  return 0;
}
