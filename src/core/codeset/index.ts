// Code sets: import official files, store them compactly, search, check and compare years.
export * from './import';
export * from './codeSet';
export * from './search';
export * from './store';
export * from './check';
export * from './diff';
export { titleWords, forEachLine, firstLines } from './text';
export type { TextSource } from './text';
export * from './importPaths';
export * from './terms';
export * from './indexTables';
export * from './tabular';
export { readXml } from './xml';
