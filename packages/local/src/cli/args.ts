/**
 * The command line of every local command (`pnpm dev`, `token`, `apikey`, `redrive`): Node's
 * `util.parseArgs` in strict mode plus `--help`, with one behaviour for all of them — `--help`
 * prints the usage and exits 0; an unknown option, a missing value or a stray argument prints
 * what is wrong and the usage on stderr and exits 2 (no stack trace).
 *
 * @example
 * const values = parseCommandLine({ usage: 'Usage: pnpm token [--sub <id>]', options: { sub: { type: 'string' } } });
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export interface CommandLine<O extends Options> {
  /** The usage text, printed as is (end it without a newline). */
  readonly usage: string;
  readonly options: O;
  /** Defaults to the process's arguments. */
  readonly args?: readonly string[];
}

/** The parsed option values, typed from the option declarations. */
export type Values<O extends Options> = ReturnType<typeof parseArgs<{ options: O; strict: true }>>['values'];

/** What the parse decided: run with these values, print help, or refuse (exit 2). */
export type Parsed<O extends Options> =
  | { readonly kind: 'run'; readonly values: Values<O> }
  | { readonly kind: 'help' }
  | { readonly kind: 'usage-error'; readonly message: string };

export function interpretCommandLine<O extends Options>(line: CommandLine<O>): Parsed<O> {
  try {
    const { values } = parseArgs({
      args: [...(line.args ?? process.argv.slice(2))],
      options: { ...line.options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    });
    if ((values as { help?: boolean }).help) return { kind: 'help' };
    return { kind: 'run', values: values as never };
  } catch (error) {
    // parseArgs's own errors (ERR_PARSE_ARGS_*) are the user's mistake; anything else is ours.
    if (!String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS_')) throw error;
    return { kind: 'usage-error', message: (error as Error).message };
  }
}

/** Parses the process's command line; exits for `--help` (0) and for a usage error (2). */
export function parseCommandLine<O extends Options>(line: CommandLine<O>): Values<O> {
  const parsed = interpretCommandLine(line);
  if (parsed.kind === 'help') {
    process.stdout.write(`${line.usage}\n`);
    process.exit(0);
  }
  if (parsed.kind === 'usage-error') usageError(parsed.message, line.usage);
  return parsed.values;
}

/** A command line that parsed but makes no sense (`--port abc`): the reason, the usage, exit 2. */
export function usageError(message: string, usage: string): never {
  process.stderr.write(`${message}\n\n${usage}\n`);
  process.exit(2);
}
