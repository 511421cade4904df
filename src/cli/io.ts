// What a CLI command may touch: output streams and the file system; tests pass their own.
import * as path from 'path';
import type { FileSystem } from '../core/fs';
import { nodeFs } from '../node/nodeFs';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  fs: FileSystem;
  /** The working directory, for resolving relative paths. */
  cwd: string;
  env: Record<string, string | undefined>;
}

export const nodeIo: CliIo = {
  out: (t) => process.stdout.write(t.endsWith('\n') ? t : t + '\n'),
  err: (t) => process.stderr.write(t.endsWith('\n') ? t : t + '\n'),
  fs: nodeFs,
  cwd: process.cwd(),
  env: process.env,
};

/** An absolute path with forward slashes (as the core's FileSystem wants), relative ones against io.cwd. */
export function absolute(io: CliIo, p: string): string {
  return path.resolve(io.cwd, p).split(path.sep).join('/');
}

/** Bad arguments: the CLI prints the message and exits 2. */
export class UsageError extends Error {}

/**
 * Splits arguments into positionals and `--name value` / `--flag` options.
 * `flags` lists the options that take no value; any other option must have one.
 */
export function parseArgs(
  args: string[],
  known: { values: string[]; flags: string[] },
): {
  positional: string[];
  options: Map<string, string>;
  flags: Set<string>;
} {
  const positional: string[] = [];
  const options = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (!a.startsWith('--')) {
      positional.push(a);
      continue;
    }
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2);
    if (known.flags.includes(name)) {
      flags.add(name);
    } else if (known.values.includes(name)) {
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      options.set(name, value);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return { positional, options, flags };
}
