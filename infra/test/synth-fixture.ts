/**
 * Run by global-setup.ts in a plain Node process (the way `pnpm synth` runs the app):
 * `node --conditions=@snapstack/source --import tsx test/synth-fixture.ts <root>`.
 */
import path from 'node:path';
import { buildArtifacts } from '@snapstack/packager/artifacts';
import { STAGES, stageConfig } from '../src/config.js';
import { synthStage } from '../src/synth.js';
import { CUSTOM_DOMAIN, customDomainConfig } from './variants.js';

const root = process.argv[2];
if (!root) throw new Error('usage: synth-fixture.ts <root>');
const artifacts = await buildArtifacts({ outDir: path.join(root, 'artifacts') });
for (const stage of STAGES) {
  synthStage(
    stageConfig(stage),
    { backend: 's3', artifactsDir: artifacts.dir },
    artifacts,
    path.join(root, stage),
  );
}
synthStage(
  stageConfig('dev'),
  {
    backend: 'local',
    skipAwsChecks: true,
    localStateDir: path.join(root, 'dev-plan-state'),
    artifactsDir: artifacts.dir,
  },
  artifacts,
  path.join(root, 'dev-plan'),
);
synthStage(
  customDomainConfig(),
  { backend: 's3', artifactsDir: artifacts.dir },
  artifacts,
  path.join(root, CUSTOM_DOMAIN.outdir),
);
