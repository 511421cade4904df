import type { CliIo } from './io';

// Placeholder until the grade command lands.
export async function gradeCommand(_args: string[], io: CliIo): Promise<number> {
  io.err('casebook grade: not built yet');
  return 1;
}
