/**
 * Synthesizes one stage into `<outdir>/stacks/<stack>/cdk.tf.json` (the same layout cdktf-cli
 * writes), so tests, the bench and `pnpm synth` share one code path.
 */
import { mkdirSync } from 'node:fs';
import type { Artifacts } from '@snapstack/packager/artifacts';
import { App } from 'cdktf';
import { createStageStacks, type StageStacks } from './app.js';
import type { StageConfig, SynthOptions } from './config.js';

export function synthStage(
  config: StageConfig,
  options: SynthOptions,
  artifacts: Artifacts,
  outdir?: string,
): StageStacks {
  if (outdir) mkdirSync(outdir, { recursive: true });
  const app = new App({ ...(outdir ? { outdir } : {}), skipValidation: false });
  const stacks = createStageStacks(app, config, options, artifacts);
  app.synth();
  return stacks;
}
