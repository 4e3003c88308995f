/**
 * The CDKTF app. `SNAPSTACK_STAGE` picks one stage (cdktf-cli always sets it, see cli.ts);
 * without it every stage is synthesized into `cdktf.out/<stage>/`.
 */
import path from 'node:path';
import { buildArtifacts, DEFAULT_ARTIFACTS_DIR } from '@snapstack/packager/artifacts';
import { STAGES, stageConfig, synthOptionsFromEnv } from './config.js';
import { INFRA_DIR } from './stacks/snapstack-stack.js';
import { synthStage } from './synth.js';

const options = synthOptionsFromEnv(
  process.env,
  process.env.SNAPSTACK_ARTIFACTS_DIR ?? DEFAULT_ARTIFACTS_DIR,
);
const artifacts = await buildArtifacts({ outDir: options.artifactsDir });
const selected = process.env.SNAPSTACK_STAGE ? [process.env.SNAPSTACK_STAGE] : STAGES;
for (const stage of selected) {
  const outdir = process.env.CDKTF_OUTDIR ?? path.join(INFRA_DIR, 'cdktf.out', stage);
  synthStage(stageConfig(stage), options, artifacts, outdir);
  console.log(`synthesized ${stage} -> ${path.relative(process.cwd(), outdir)}`);
}
