/**
 * `pnpm synth|plan|destroy` and `pnpm run deploy` (a bare `pnpm deploy` is pnpm's own command):
 * `<command> [--stage <s>] [--stack <part>[,<part>...]]... [--local] [--auto-approve] [--migrate-state]`
 *
 * - synth: every stack of the stage (of every stage without --stage) into infra/cdktf.out/<stage>.
 * - plan: synth, then `terraform init` + `terraform plan` in each stack, in dependency order.
 * - deploy / destroy: synth, then cdktf-cli (`cdktf deploy|destroy --skip-synth`) over the
 *   stage's stacks except bootstrap (name it with `--stack bootstrap`: an administrator applies it).
 *
 * `--stack` takes a stack part (`stateful`, `service-users`, `api`, `web`, `bootstrap`), repeated or as
 * a comma list (the deploy workflow passes tools/delivery/affected.ts's `stacks` output as is);
 * the stacks run in dependency order whatever order they are named in.
 * `--local` keeps state in local files (infra/.state/<stage>) instead of the stage's S3 backend;
 * `--migrate-state` (deploy) moves a stack's state after such a backend switch.
 * `--help` prints the usage (exit 0); an unknown option or a bad value prints it to stderr (exit 2).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resourceName } from '@snapstack/domain/naming';
import { buildArtifacts, DEFAULT_ARTIFACTS_DIR } from '@snapstack/packager/artifacts';
import { STAGES, type Stage, stageConfig, synthOptionsFromEnv } from './config.js';
import { servicePackages } from './stacks/service-stack.js';
import { INFRA_DIR } from './stacks/snapstack-stack.js';
import { synthStage } from './synth.js';

export const COMMANDS = ['synth', 'plan', 'deploy', 'destroy'] as const;
/** Where synth writes: `<SYNTH_OUT_DIR>/<stage>/stacks/<stack>/cdk.tf.json`. */
export const SYNTH_OUT_DIR = path.join(INFRA_DIR, 'cdktf.out');
export type Command = (typeof COMMANDS)[number];

/** The stack parts of a stage (`snapstack-<stage>-<part>`), in dependency order, as app.ts builds them. */
export function stackParts(): string[] {
  return ['bootstrap', 'stateful', ...servicePackages().map((name) => `service-${name}`), 'api', 'web'];
}

export const USAGE = `usage: pnpm synth [--stage <stage>]
       pnpm plan --stage <stage> [--stack <part>[,<part>...]]... [--local]
       pnpm run deploy --stage <stage> [--stack <part>[,<part>...]]... [--local] [--auto-approve] [--migrate-state]
       pnpm destroy --stage <stage> [--stack <part>[,<part>...]]... [--local] [--auto-approve]

  --stage <stage>   ${STAGES.join(', ')} (synth: every stage without it)
  --stack <part>    only these stacks (default: all but bootstrap), repeated or comma-separated:
                    ${stackParts().join(', ')}
  --local           Terraform state in infra/.state/<stage> instead of the stage's S3 bucket
  --auto-approve    deploy/destroy without the interactive confirmation
  --migrate-state   deploy: move a stack's state after switching between --local and S3
  -h, --help        print this help`;

export interface CliRun {
  readonly kind: 'run';
  readonly command: Command;
  /** Explicit stage, or every stage (synth without --stage). */
  readonly stages: readonly Stage[];
  /** Stack parts named with --stack, deduplicated, in dependency order; undefined = the default set. */
  readonly stacks?: readonly string[];
  readonly local: boolean;
  readonly autoApprove: boolean;
  readonly migrateState: boolean;
}

/** What the command line asks for: a run, the help (exit 0), or a usage error (exit 2). */
export type CliParse =
  | CliRun
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string };

const ONLY_FOR: Readonly<Record<string, readonly Command[]>> = {
  stack: ['plan', 'deploy', 'destroy'],
  'auto-approve': ['deploy', 'destroy'],
  'migrate-state': ['deploy'],
};

/** Parses `argv` (without node and the script); pure, so tests run it on the workflows' lines. */
export function parseCli(argv: readonly string[]): CliParse {
  let parsed: ReturnType<typeof parseCliArgs>;
  try {
    parsed = parseCliArgs(argv);
  } catch (error) {
    // util.parseArgs's own message: "Unknown option '--stacks'", "Option '--stage <value>' argument missing", ...
    return {
      kind: 'error',
      message: (error as Error).message.replace(/\. To specify a positional .*$/s, ''),
    };
  }
  const { positionals, values } = parsed;
  if (values.help) return { kind: 'help' };
  const [command, ...extra] = positionals;
  if (!command || !(COMMANDS as readonly string[]).includes(command)) {
    return { kind: 'error', message: command ? `unknown command "${command}"` : 'no command' };
  }
  if (extra.length > 0) return { kind: 'error', message: `unexpected argument "${extra[0]}"` };
  const cmd = command as Command;
  for (const [option, commands] of Object.entries(ONLY_FOR)) {
    const given = values[option as keyof typeof values];
    if (given !== undefined && given !== false && !commands.includes(cmd)) {
      return { kind: 'error', message: `--${option} is for ${commands.join(', ')}, not ${cmd}` };
    }
  }
  if (values.stage !== undefined && !(STAGES as readonly string[]).includes(values.stage)) {
    return { kind: 'error', message: `unknown stage "${values.stage}" (stages: ${STAGES.join(', ')})` };
  }
  if (cmd !== 'synth' && values.stage === undefined) {
    return { kind: 'error', message: `${cmd} needs --stage (${STAGES.join(', ')})` };
  }
  let stacks: string[] | undefined;
  if (values.stack) {
    const named = values.stack.flatMap((v) => v.split(',')).map((part) => part.trim());
    const parts = stackParts();
    const unknown = named.find((part) => !parts.includes(part));
    if (unknown !== undefined) {
      return {
        kind: 'error',
        message:
          unknown === '' ? 'empty --stack value' : `unknown stack "${unknown}" (stacks: ${parts.join(', ')})`,
      };
    }
    stacks = parts.filter((part) => named.includes(part));
  }
  return {
    kind: 'run',
    command: cmd,
    stages: values.stage ? [values.stage as Stage] : [...STAGES],
    ...(stacks ? { stacks } : {}),
    local: values.local,
    autoApprove: values['auto-approve'],
    migrateState: values['migrate-state'],
  };
}

function parseCliArgs(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: true,
    options: {
      stage: { type: 'string' },
      stack: { type: 'string', multiple: true },
      local: { type: 'boolean', default: false },
      'auto-approve': { type: 'boolean', default: false },
      'migrate-state': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

const MIRROR = '/opt/tf-plugins';

async function main(cli: CliRun): Promise<void> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CHECKPOINT_DISABLE: '1',
    ...(cli.local ? { SNAPSTACK_BACKEND: 'local' } : {}),
    // Offline provider mirror on the project's machines; elsewhere Terraform uses the registry.
    ...(existsSync(MIRROR) ? { TF_CLI_CONFIG_FILE: path.join(INFRA_DIR, 'terraform.rc') } : {}),
  };
  const options = synthOptionsFromEnv(env, env.SNAPSTACK_ARTIFACTS_DIR ?? DEFAULT_ARTIFACTS_DIR);
  const artifacts = await buildArtifacts({ outDir: options.artifactsDir });

  for (const stage of cli.stages) {
    const config = stageConfig(stage);
    const outdir = path.join(SYNTH_OUT_DIR, stage);
    const stacks = synthStage(config, options, artifacts, outdir);
    console.log(`synthesized ${stage} -> ${path.relative(process.cwd(), outdir)}`);
    if (cli.command === 'synth') continue;

    const ordered = [stacks.bootstrap, stacks.stateful, ...stacks.services, stacks.api, stacks.web].map(
      (s) => s.stackName,
    );
    const wanted = cli.stacks?.map((part) => resourceName(stage, part));
    for (const name of wanted ?? []) {
      if (!ordered.includes(name)) throw new Error(`no stack ${name}; stacks: ${ordered.join(', ')}`);
    }
    // Dependency order, whatever order --stack named them in.
    const targets = wanted
      ? ordered.filter((name) => wanted.includes(name))
      : ordered.filter((name) => name !== stacks.bootstrap.stackName);

    if (cli.command === 'plan') {
      for (const name of targets) {
        const cwd = path.join(outdir, 'stacks', name);
        console.log(`\n== ${name}`);
        run('terraform', ['init', '-input=false'], cwd);
        run('terraform', ['plan', '-input=false'], cwd);
      }
      continue;
    }
    const order = cli.command === 'destroy' ? [...targets].reverse() : targets;
    run(
      path.join(INFRA_DIR, 'node_modules', '.bin', 'cdktf'),
      [
        cli.command,
        '--skip-synth',
        '--output',
        outdir,
        ...(wanted ? ['--ignore-missing-stack-dependencies'] : []),
        ...(cli.autoApprove ? ['--auto-approve'] : []),
        ...(cli.migrateState ? ['--migrate-state'] : []),
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
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  const cli = parseCli(process.argv.slice(2));
  if (cli.kind === 'help') {
    process.stdout.write(`${USAGE}\n`);
  } else if (cli.kind === 'error') {
    process.stderr.write(`${cli.message}\n${USAGE}\n`);
    process.exitCode = 2;
  } else {
    await main(cli);
  }
}
