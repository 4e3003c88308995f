/**
 * `terraform init -backend=false` + `terraform validate` in every synthesized stack directory.
 * Exits non-zero naming each stack that fails. Usage: `terraform-validate.ts <dir>...`, each a
 * stacks directory (`<outdir>/stacks`), a stage's outdir, or `infra/cdktf.out` as `pnpm synth`
 * writes it (`infra/cdktf.out/<stage>/stacks/<stack>`): every stack under it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runWhenMain } from './command.js';

export interface StackValidation {
  readonly stack: string;
  readonly ok: boolean;
  readonly output: string;
}

function terraform(args: readonly string[], cwd: string): { ok: boolean; output: string } {
  const result = spawnSync('terraform', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, TF_IN_AUTOMATION: '1' },
  });
  if (result.error) throw result.error;
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

/** The stacks directories under `dir`: itself, `<dir>/stacks`, or every `<dir>/<stage>/stacks`. */
export function stacksDirs(dir: string): string[] {
  if (!existsSync(dir)) throw new Error(`${dir} does not exist: run pnpm synth first`);
  if (path.basename(dir) === 'stacks') return [dir];
  if (existsSync(path.join(dir, 'stacks'))) return [path.join(dir, 'stacks')];
  const nested = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, 'stacks')))
    .map((entry) => path.join(dir, entry.name, 'stacks'))
    .sort();
  if (nested.length === 0) throw new Error(`no synthesized stacks under ${dir}`);
  return nested;
}

export function validateStacks(dir: string): StackValidation[] {
  const stacks = stacksDirs(dir).flatMap((stacksDir) =>
    readdirSync(stacksDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => path.join(stacksDir, entry.name))
      .sort(),
  );
  if (stacks.length === 0) throw new Error(`no synthesized stacks under ${dir}`);
  return stacks.map((cwd) => {
    const stack = path.basename(cwd);
    const init = terraform(['init', '-backend=false', '-input=false', '-no-color'], cwd);
    if (!init.ok) return { stack, ok: false, output: init.output };
    const validate = terraform(['validate', '-no-color'], cwd);
    return { stack, ok: validate.ok, output: validate.output };
  });
}

export const VALIDATE_USAGE = 'usage: terraform-validate.ts <dir>... (e.g. infra/cdktf.out)';

export type ValidateArgs =
  | { readonly kind: 'run'; readonly dirs: readonly string[] }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string };

/** Parses the command line (without node and the script); pure, for the workflow tests. */
export function parseValidateArgs(argv: readonly string[], cwd = process.cwd()): ValidateArgs {
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: { help: { type: 'boolean', short: 'h', default: false } },
    });
    if (values.help) return { kind: 'help' };
    if (positionals.length === 0) return { kind: 'error', message: 'no directory given' };
    return { kind: 'run', dirs: positionals.map((dir) => path.resolve(cwd, dir)) };
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  }
}

runWhenMain(
  import.meta.filename,
  (argv) => parseValidateArgs(argv),
  VALIDATE_USAGE,
  (args) => {
    const results = args.dirs.flatMap((dir) => validateStacks(dir));
    for (const { stack, ok, output } of results) {
      process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${stack}\n`);
      if (!ok) process.stdout.write(`${output}\n`);
    }
    if (results.some((r) => !r.ok)) process.exitCode = 1;
  },
);
