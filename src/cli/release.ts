import type { CliIo } from './io';

// Placeholder until release/export land.
export async function releaseCommand(_args: string[], io: CliIo): Promise<number> {
  io.err('casebook release: not built yet');
  return 1;
}
export async function exportCommand(_args: string[], io: CliIo): Promise<number> {
  io.err('casebook export: not built yet');
  return 1;
}
