import type { CliIo } from './io';

// Placeholder until the codes command lands.
export async function codesCommand(_args: string[], io: CliIo): Promise<number> {
  io.err('casebook codes: not built yet');
  return 1;
}
