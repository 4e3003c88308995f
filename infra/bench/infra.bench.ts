/**
 * Infra: synth time and peak memory per stage (the app run with node, as `pnpm synth` does,
 * against cdktf-cli's `cdktf synth` as the peer), and the deployed artefact sizes against
 * Lambda's limits (50 MB zipped for a direct upload; 250 MB unzipped, function plus layers).
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Bench, BenchReport, BenchTarget } from '@snapstack/bench-kit';
import { functions } from '@snapstack/domain/functions';
import {
  buildArtifacts,
  LAMBDA_LIMITS,
  stageNativeDependency,
  zipDirectory,
} from '@snapstack/packager/artifacts';
import { REPO_ROOT } from '@snapstack/packager/bundle';

const STAGES = ['dev', 'staging', 'prod'] as const;
const MB = 1024 * 1024;
/** The sharp version the size probe stages when no catalog function declares a native dependency. */
const SHARP_PROBE_VERSION = '0.35.5';

const bench: Bench = async (ctx) => {
  const artifactsDir = path.join(ctx.workDir, 'artifacts');
  const artifacts = await buildArtifacts({ outDir: artifactsDir });
  const env = { ...process.env, CHECKPOINT_DISABLE: '1' };
  const rows: BenchReport['rows'][number][] = [];
  const targets: BenchTarget[] = [];

  for (const stage of STAGES) {
    const out = execFileSync(
      process.execPath,
      [
        '--conditions=@snapstack/source',
        '--import',
        'tsx',
        'infra/bench/infra-synth-child.ts',
        stage,
        path.join(ctx.workDir, 'synth', stage),
        artifactsDir,
      ],
      { cwd: REPO_ROOT, env, encoding: 'utf8' },
    );
    const r = JSON.parse(out.trim().split('\n').pop()!) as { ms: number; maxRssMb: number; stacks: number };
    ctx.log(
      `synth ${stage}: ${r.ms.toFixed(0)} ms, peak RSS ${r.maxRssMb.toFixed(0)} MB, ${r.stacks} stacks`,
    );
    rows.push({ item: `synth ${stage} (node)`, stacks: r.stacks, ms: r.ms, peakRssMb: r.maxRssMb });
    targets.push({
      name: `synth ${stage} peak RSS (MB)`,
      value: r.maxRssMb,
      target: '<= 512',
      pass: r.maxRssMb <= 512,
    });
  }

  // Peer: the same dev synth through cdktf-cli (what `cdktf synth` costs end to end).
  const cli = path.join(REPO_ROOT, 'infra', 'node_modules', '.bin', 'cdktf');
  const nodeDev = rows[0]!.ms as number;
  const start = performance.now();
  execFileSync(cli, ['synth', '--output', path.join(ctx.workDir, 'synth-cli')], {
    cwd: path.join(REPO_ROOT, 'infra'),
    env: { ...env, SNAPSTACK_STAGE: 'dev', SNAPSTACK_ARTIFACTS_DIR: artifactsDir },
    stdio: 'ignore',
  });
  const cliMs = performance.now() - start;
  rows.push({ item: 'synth dev (cdktf-cli, incl. artefact build)', ms: cliMs });
  targets.push({
    name: 'synth dev: node / cdktf-cli time',
    value: nodeDev / cliMs,
    target: '< 1x',
    pass: nodeDev < cliMs,
  });

  const layer = artifacts.layer;
  rows.push({
    item: 'layer.zip',
    zippedKiB: layer.zippedBytes / 1024,
    unzippedKiB: layer.unzippedBytes / 1024,
  });
  for (const [id, info] of Object.entries(artifacts.functions)) {
    const unzippedWithLayer = info.unzippedBytes + layer.unzippedBytes;
    rows.push({
      item: `${id}.zip`,
      zippedKiB: info.zippedBytes / 1024,
      unzippedKiB: info.unzippedBytes / 1024,
      withLayerMiB: unzippedWithLayer / MB,
    });
    targets.push({
      name: `${id} zipped (MB)`,
      value: info.zippedBytes / MB,
      target: '<= 50',
      pass: info.zippedBytes <= LAMBDA_LIMITS.zippedBytes,
    });
    targets.push({
      name: `${id} + layer unzipped (MB)`,
      value: unzippedWithLayer / MB,
      target: '<= 250',
      pass: unzippedWithLayer <= LAMBDA_LIMITS.unzippedBytes,
    });
  }

  // Thumbnailer-shaped artefact: functions that declare native dependencies are measured as
  // built; until one exists, a probe stages sharp for linux-arm64 through the same code path.
  const notes: string[] = [];
  const native = Object.entries(functions).filter(
    ([, fn]) => (fn as { nativeDependencies?: readonly string[] }).nativeDependencies?.length,
  );
  if (native.length === 0) {
    try {
      const prefix = stageNativeDependency('sharp', SHARP_PROBE_VERSION, path.join(ctx.workDir, 'native'));
      const dir = path.join(ctx.workDir, 'probe');
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'index.mjs'), "export { default } from 'sharp';\n");
      cpSync(path.join(prefix, 'node_modules'), path.join(dir, 'node_modules'), { recursive: true });
      const probe = zipDirectory(dir, path.join(ctx.workDir, 'probe.zip'));
      const withLayer = probe.unzippedBytes + layer.unzippedBytes;
      rows.push({
        item: `probe: sharp ${SHARP_PROBE_VERSION} linux-arm64 zip`,
        zippedKiB: probe.zippedBytes / 1024,
        unzippedKiB: probe.unzippedBytes / 1024,
        withLayerMiB: withLayer / MB,
      });
      targets.push({
        name: 'sharp probe zipped (MB)',
        value: probe.zippedBytes / MB,
        target: '<= 50',
        pass: probe.zippedBytes <= LAMBDA_LIMITS.zippedBytes,
      });
      targets.push({
        name: 'sharp probe + layer unzipped (MB)',
        value: withLayer / MB,
        target: '<= 250',
        pass: withLayer <= LAMBDA_LIMITS.unzippedBytes,
      });
      notes.push(
        'no function declares nativeDependencies yet: the sharp row is a probe (bundle stub + sharp for linux-arm64) built by the same path the thumbnailer will use',
      );
    } catch (error) {
      notes.push(
        `sharp probe skipped (npm registry unreachable?): ${(error as Error).message.split('\n')[0]}`,
      );
    }
  }
  notes.push(
    'synth times include loading cdktf and the provider classes (deep imports); artefacts are built beforehand',
  );
  if (!existsSync(cli)) notes.push('cdktf-cli missing: peer row is not comparable');
  return {
    name: 'infra',
    title: 'Infra: synth per stage, artefact sizes vs Lambda limits',
    rows,
    targets,
    notes,
  };
};

export default bench;
