/**
 * `terraform init -backend=false` + `terraform validate` in every synthesized stack directory
 * (cdktf writes one per stack under infra/cdktf.out/stacks/). Exits non-zero naming each stack
 * that fails. Usage: `terraform-validate.ts <stacks-dir>`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';

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

export function validateStacks(stacksDir: string): StackValidation[] {
  if (!existsSync(stacksDir)) throw new Error(`${stacksDir} does not exist: run pnpm synth first`);
  const stacks = readdirSync(stacksDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  if (stacks.length === 0) throw new Error(`no synthesized stacks under ${stacksDir}`);
  return stacks.map((stack) => {
    const cwd = path.join(stacksDir, stack);
    const init = terraform(['init', '-backend=false', '-input=false', '-no-color'], cwd);
    if (!init.ok) return { stack, ok: false, output: init.output };
    const validate = terraform(['validate', '-no-color'], cwd);
    return { stack, ok: validate.ok, output: validate.output };
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const dir = process.argv[2];
  if (!dir) throw new Error('usage: terraform-validate.ts <stacks-dir>');
  const results = validateStacks(path.resolve(dir));
  for (const { stack, ok, output } of results) {
    process.stdout.write(`${ok ? 'ok  ' : 'FAIL'} ${stack}\n`);
    if (!ok) process.stdout.write(`${output}\n`);
  }
  if (results.some((r) => !r.ok)) process.exitCode = 1;
}
