/**
 * `pnpm synth|plan|deploy|destroy [--stage <s>] [--stack <part>] [--local] [--auto-approve]`
 *
 * - synth: every stack of the stage (of every stage without --stage) into infra/cdktf.out/<stage>.
 * - plan: synth, then `terraform init` + `terraform plan` in each stack, in dependency order.
 * - deploy / destroy: synth, then cdktf-cli (`cdktf deploy|destroy --skip-synth`) over the
 *   stage's stacks except bootstrap (name it with `--stack bootstrap`: an administrator applies it).
 *
 * `--local` keeps state in local files (infra/.state/<stage>) instead of the stage's S3 backend;
 * `--migrate-state` (deploy) moves a stack's state after such a backend switch.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildArtifacts, DEFAULT_ARTIFACTS_DIR } from '../../tools/artifacts.js';
import { STAGES, stageConfig, synthOptionsFromEnv } from './config.js';
import { INFRA_DIR } from './stacks/snapstack-stack.js';
import { synthStage } from './synth.js';

const MIRROR = '/opt/tf-plugins';
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    stage: { type: 'string' },
    stack: { type: 'string', multiple: true },
    local: { type: 'boolean', default: false },
    'auto-approve': { type: 'boolean', default: false },
    'migrate-state': { type: 'boolean', default: false },
  },
});
const command = positionals[0];
if (!command || !['synth', 'plan', 'deploy', 'destroy'].includes(command)) {
  console.error(
    'usage: cli.ts synth|plan|deploy|destroy [--stage dev|staging|prod] [--stack <part>] [--local] [--auto-approve]',
  );
  process.exit(2);
}
if (command !== 'synth' && !values.stage) {
  console.error(`${command} needs --stage (${STAGES.join(', ')})`);
  process.exit(2);
}

const env: NodeJS.ProcessEnv = {
  ...process.env,
  CHECKPOINT_DISABLE: '1',
  ...(values.local ? { SNAPSTACK_BACKEND: 'local' } : {}),
  // Offline provider mirror on the project's machines; elsewhere Terraform uses the registry.
  ...(existsSync(MIRROR) ? { TF_CLI_CONFIG_FILE: path.join(INFRA_DIR, 'terraform.rc') } : {}),
};
const options = synthOptionsFromEnv(env, env.SNAPSTACK_ARTIFACTS_DIR ?? DEFAULT_ARTIFACTS_DIR);
const artifacts = await buildArtifacts({ outDir: options.artifactsDir });
const stages = values.stage ? [values.stage] : [...STAGES];

for (const stage of stages) {
  const config = stageConfig(stage);
  const outdir = path.join(INFRA_DIR, 'cdktf.out', stage);
  const stacks = synthStage(config, options, artifacts, outdir);
  console.log(`synthesized ${stage} -> ${path.relative(process.cwd(), outdir)}`);
  if (command === 'synth') continue;

  const ordered = [stacks.bootstrap, stacks.stateful, ...stacks.services, stacks.api].map((s) => s.stackName);
  const wanted = values.stack?.map((part) => `snapstack-${stage}-${part}`);
  for (const name of wanted ?? []) {
    if (!ordered.includes(name)) throw new Error(`no stack ${name}; stacks: ${ordered.join(', ')}`);
  }
  const targets = wanted ?? ordered.filter((name) => name !== stacks.bootstrap.stackName);

  if (command === 'plan') {
    for (const name of targets) {
      const cwd = path.join(outdir, 'stacks', name);
      console.log(`\n== ${name}`);
      run('terraform', ['init', '-input=false'], cwd);
      run('terraform', ['plan', '-input=false'], cwd);
    }
    continue;
  }
  const order = command === 'destroy' ? [...targets].reverse() : targets;
  run(
    path.join(INFRA_DIR, 'node_modules', '.bin', 'cdktf'),
    [
      command,
      '--skip-synth',
      '--output',
      outdir,
      ...(wanted ? ['--ignore-missing-stack-dependencies'] : []),
      ...(values['auto-approve'] ? ['--auto-approve'] : []),
      ...(values['migrate-state'] ? ['--migrate-state'] : []),
      ...order,
    ],
    INFRA_DIR,
    { SNAPSTACK_STAGE: stage },
  );
}

function run(cmd: string, args: readonly string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}): void {
  const result = spawnSync(cmd, args, { cwd, stdio: 'inherit', env: { ...env, ...extraEnv } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
