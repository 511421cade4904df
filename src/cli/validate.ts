import type { CliIo } from './io';

// Placeholder until the validate command lands.
export async function validateCommand(_args: string[], io: CliIo): Promise<number> {
  io.err('casebook validate: not built yet');
  return 1;
}
