/**
 * One synth of one stage in a fresh process, for infra.bench.ts: prints
 * `{"ms":…, "maxRssMb":…, "stacks":…}`. The artefacts are built first and outside the timing
 * (esbuild runs in its own process, so it does not count towards this process's peak memory).
 */
import { performance } from 'node:perf_hooks';
import { buildArtifacts } from '@snapstack/packager/artifacts';

const [stage, outdir, artifactsDir] = process.argv.slice(2);
if (!stage || !outdir || !artifactsDir)
  throw new Error('usage: infra-synth-child.ts <stage> <outdir> <artifactsDir>');
const artifacts = await buildArtifacts({ outDir: artifactsDir });
const start = performance.now();
// Loading the app's modules (cdktf, the provider classes) is part of what a synth costs.
const { stageConfig } = await import('../src/config.js');
const { synthStage } = await import('../src/synth.js');
const stacks = synthStage(stageConfig(stage), { backend: 's3', artifactsDir }, artifacts, outdir);
const ms = performance.now() - start;
const count = 3 + stacks.services.length;
console.log(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, stacks: count }));
