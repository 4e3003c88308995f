/**
 * Reading what global-setup.ts synthesized: every stage with its real (S3) backend, and dev
 * once more with a local backend and offline provider settings for `terraform plan`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { inject } from 'vitest';
import { STAGES, type Stage } from '../src/config.js';
import type { CUSTOM_DOMAIN } from './variants.js';

declare module 'vitest' {
  export interface ProvidedContext {
    synthRoot: string;
  }
}

// biome-ignore lint/suspicious/noExplicitAny: synthesized Terraform JSON is untyped by nature.
export type TerraformJson = Record<string, any>;

export interface SynthesizedStack {
  readonly stage: string;
  readonly name: string;
  readonly dir: string;
  readonly json: TerraformJson;
}

export const synthRoot = (): string => inject('synthRoot');

/** A stage, dev with the local backend, or a variant of test/variants.ts. */
export type SynthOutdir = Stage | 'dev-plan' | (typeof CUSTOM_DOMAIN)['outdir'];

export function stageOutdir(stage: SynthOutdir): string {
  return path.join(synthRoot(), stage);
}

export function stacksOf(stage: SynthOutdir): SynthesizedStack[] {
  const stacksDir = path.join(stageOutdir(stage), 'stacks');
  return readdirSync(stacksDir)
    .sort()
    .map((name) => {
      const dir = path.join(stacksDir, name);
      return { stage, name, dir, json: JSON.parse(readFileSync(path.join(dir, 'cdk.tf.json'), 'utf8')) };
    });
}

export function allStacks(): SynthesizedStack[] {
  return STAGES.flatMap((stage) => stacksOf(stage));
}
