import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { validateStacks } from './terraform-validate.js';

// Terraform is optional for `pnpm test`: without it, this one check says so and is skipped.
const hasTerraform = spawnSync('terraform', ['version'], { stdio: 'ignore' }).status === 0;
if (!hasTerraform)
  console.warn('[delivery] terraform is not installed: skipping validateStacks (install Terraform >= 1.10)');

describe.skipIf(!hasTerraform)('validateStacks', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'delivery-tf-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // The layout `pnpm synth` writes: <outdir>/<stage>/stacks/<stack>/cdk.tf.json.
  const stack = (stage: string, name: string, json: object) => {
    mkdirSync(path.join(dir, stage, 'stacks', name), { recursive: true });
    writeFileSync(path.join(dir, stage, 'stacks', name, 'cdk.tf.json'), JSON.stringify(json));
  };
  // Provider-free stacks, so init needs no network or mirror. Values are Terraform expressions.
  stack('dev', 'good', {
    variable: { stage: { type: 'string', default: 'dev' } },
    output: { o: { value: `\${var.stage}` } },
  });
  stack('prod', 'bad', { output: { o: { value: `\${var.undeclared}` } } });

  it('passes a valid stack and names the invalid one with terraform’s reason, in every stage', () => {
    const results = validateStacks(dir);
    expect(results.map(({ stack, ok }) => ({ stack, ok }))).toEqual([
      { stack: 'good', ok: true },
      { stack: 'bad', ok: false },
    ]);
    expect(results[1]!.output).toContain('undeclared');
    // One stage's outdir, or its stacks directory, validates that stage only.
    expect(validateStacks(path.join(dir, 'prod')).map((r) => r.stack)).toEqual(['bad']);
    expect(validateStacks(path.join(dir, 'dev', 'stacks')).map((r) => r.stack)).toEqual(['good']);
  });

  it('refuses an empty or missing synth output instead of passing vacuously', () => {
    expect(() => validateStacks(path.join(dir, 'nope'))).toThrow(/run pnpm synth/);
    const empty = path.join(dir, 'empty');
    mkdirSync(empty);
    expect(() => validateStacks(empty)).toThrow(/no synthesized stacks/);
    mkdirSync(path.join(empty, 'stacks'));
    expect(() => validateStacks(empty)).toThrow(/no synthesized stacks/);
  });
});
