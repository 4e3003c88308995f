/**
 * How every delivery command meets its command line: a pure parser (which the workflow tests
 * run on the workflows' own command lines) answers run, help or a usage error, and this runs
 * the command only when its module is the script node started, so importing it runs nothing.
 */
import path from 'node:path';

export type CommandLine<Run extends { readonly kind: 'run' }> =
  | Run
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string };

/** Help goes to stdout; a usage error to stderr with exit code 2, as for every CLI of this repository. */
export function runWhenMain<Run extends { readonly kind: 'run' }>(
  moduleFile: string,
  parse: (argv: readonly string[]) => CommandLine<Run>,
  usage: string,
  main: (args: Run) => void,
): void {
  if (!process.argv[1] || path.resolve(process.argv[1]) !== path.resolve(moduleFile)) return;
  const args = parse(process.argv.slice(2));
  if (args.kind === 'help') process.stdout.write(`${usage}\n`);
  else if (args.kind === 'error') {
    process.stderr.write(`${args.message}\n${usage}\n`);
    process.exitCode = 2;
  } else main(args as Run);
}
