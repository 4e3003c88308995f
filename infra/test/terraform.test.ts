/**
 * Terraform itself checks the synthesized stacks: `init` + `validate` for every stack of every
 * stage and for the stateful stack of the custom-domain variant (test/variants.ts), and
 * `plan -refresh=false` with fake credentials for dev. Providers come from the
 * machine's filesystem mirror through the project's CLI config (infra/terraform.rc).
 *
 * Runtime: one `terraform init -backend=false` into a shared data directory (every stack needs
 * the same single provider), then `validate` per stack; plan inits each dev stack with its local
 * backend, sharing a plugin cache.
 */
import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { allStacks, type SynthesizedStack, stacksOf, type TerraformJson } from './synthesized.js';
import { CUSTOM_DOMAIN } from './variants.js';

const run = promisify(execFile);
const infraDir = fileURLToPath(new URL('..', import.meta.url));
const MIRROR = '/opt/tf-plugins/registry.terraform.io/hashicorp/aws/5.100.0';

function terraformVersion(): string | undefined {
  try {
    return execFileSync('terraform', ['version'], { encoding: 'utf8' }).split('\n')[0];
  } catch {
    return undefined;
  }
}

const haveTerraform = terraformVersion() !== undefined;
const haveMirror = existsSync(MIRROR);
const skipReason = haveTerraform
  ? undefined
  : 'terraform is not installed: skipping init/validate/plan (install Terraform >= 1.10)';
if (skipReason) console.warn(`[infra] ${skipReason}`);
if (haveTerraform && !haveMirror)
  console.warn(`[infra] no provider mirror at ${MIRROR}: terraform init will use the registry`);

const work = mkdtempSync(path.join(tmpdir(), 'snapstack-tf-'));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  // The project's CLI config points at the mirror; without the mirror, Terraform's defaults (the registry).
  ...(haveMirror ? { TF_CLI_CONFIG_FILE: path.join(infraDir, 'terraform.rc') } : {}),
  TF_PLUGIN_CACHE_DIR: path.join(work, 'plugin-cache'),
  TF_IN_AUTOMATION: '1',
  CHECKPOINT_DISABLE: '1',
};

/** `terraform init`, skipping the test (with the reason) when no mirror and no registry can serve the provider. */
async function init(
  cwd: string,
  args: readonly string[],
  skip: (note: string) => void,
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<void> {
  try {
    await terraform(cwd, ['init', '-input=false', ...args], extraEnv);
  } catch (error) {
    if (
      !haveMirror &&
      /registry|Failed to query available provider packages|could not connect/i.test((error as Error).message)
    ) {
      skip(`no provider mirror at ${MIRROR} and the Terraform registry is unreachable: skipping`);
    }
    throw error;
  }
}

async function terraform(
  cwd: string,
  args: readonly string[],
  extraEnv: NodeJS.ProcessEnv = {},
): Promise<string> {
  try {
    const { stdout } = await run('terraform', [...args, '-no-color'], {
      cwd,
      env: { ...env, ...extraEnv },
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    throw new Error(`terraform ${args.join(' ')} in ${cwd} failed:\n${e.stderr ?? ''}\n${e.stdout ?? ''}`);
  }
}

/** Runs `fn` over `items`, at most `limit` at a time (2 cores, shared). */
async function pool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: limit }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await fn(item);
    }),
  );
}

describe.skipIf(skipReason !== undefined)('terraform', () => {
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  /** One `init` into a shared data directory (every stack needs the same single provider), then `validate` per stack. */
  async function validateAll(
    stacks: readonly SynthesizedStack[],
    skip: (note: string) => void,
  ): Promise<string[]> {
    mkdirSync(env.TF_PLUGIN_CACHE_DIR!, { recursive: true });
    // Every stack requires exactly hashicorp/aws 5.100.0, so one init serves them all.
    const providers = new Set(stacks.map((s) => JSON.stringify(s.json.terraform.required_providers)));
    expect(providers.size).toBe(1);
    const shared = path.join(work, 'shared');
    const dataDir = path.join(work, 'shared-data');
    if (!existsSync(path.join(shared, '.terraform.lock.hcl'))) {
      mkdirSync(shared, { recursive: true });
      writeFileSync(
        path.join(shared, 'main.tf.json'),
        JSON.stringify({ terraform: { required_providers: stacks[0]!.json.terraform.required_providers } }),
      );
      await init(shared, ['-backend=false'], skip, { TF_DATA_DIR: dataDir });
    }
    const failures: string[] = [];
    await pool(stacks, 2, async (stack: SynthesizedStack) => {
      copyFileSync(path.join(shared, '.terraform.lock.hcl'), path.join(stack.dir, '.terraform.lock.hcl'));
      try {
        const out = await terraform(stack.dir, ['validate', '-json'], { TF_DATA_DIR: dataDir });
        const result = JSON.parse(out) as { valid: boolean; diagnostics: unknown[] };
        if (!result.valid) failures.push(`${stack.dir}: ${JSON.stringify(result.diagnostics)}`);
      } catch (error) {
        failures.push(`${stack.dir}: ${(error as Error).message}`);
      }
    });
    return failures;
  }

  it('validates every synthesized stack of every stage', async (ctx) => {
    const stacks = allStacks();
    expect(stacks.map((s) => s.name)).toEqual(
      expect.arrayContaining([
        'snapstack-dev-api',
        'snapstack-staging-stateful',
        'snapstack-prod-service-users',
        'snapstack-prod-bootstrap',
      ]),
    );
    expect(await validateAll(stacks, (note) => ctx.skip(note))).toEqual([]);
  });

  it('validates the stateful stack of a stage with a custom domain on its distribution', async (ctx) => {
    // The variant differs from prod in its stateful stack only (certificate, DNS, us-east-1 provider).
    const variant = stacksOf(CUSTOM_DOMAIN.outdir).filter((s) => s.name.endsWith('-stateful'));
    expect(variant).toHaveLength(1);
    expect(variant[0]!.json.resource.aws_acm_certificate).toBeDefined();
    expect(await validateAll(variant, (note) => ctx.skip(note))).toEqual([]);
  });

  it('plans dev offline with fake credentials (-refresh=false)', async (ctx) => {
    mkdirSync(env.TF_PLUGIN_CACHE_DIR!, { recursive: true });
    const stacks = stacksOf('dev-plan');
    const byName = new Map(stacks.map((s) => [s.name, s]));
    const fake = {
      AWS_ACCESS_KEY_ID: 'AKIAFAKEFAKEFAKEFAKE',
      AWS_SECRET_ACCESS_KEY: 'fake',
      AWS_REGION: 'eu-west-1',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    // Upstream stacks are not applied, so their remote state is seeded with stand-in outputs.
    for (const stack of stacks) {
      for (const remote of Object.values(
        (stack.json.data?.terraform_remote_state ?? {}) as Record<string, TerraformJson>,
      )) {
        const statePath = String(remote.config.path);
        const producer = byName.get(path.basename(statePath, '.tfstate'));
        if (!producer) throw new Error(`${stack.name} reads state of an unknown stack: ${statePath}`);
        mkdirSync(path.dirname(statePath), { recursive: true });
        writeFileSync(statePath, JSON.stringify(standInState(producer.json)));
      }
    }
    // Terraform's plugin cache is not safe for concurrent `init`: init one by one, plan two at a time.
    for (const stack of stacks) await init(stack.dir, [], (note) => ctx.skip(note), fake);
    const summaries: string[] = [];
    await pool(stacks, 2, async (stack) => {
      const out = await terraform(stack.dir, ['plan', '-refresh=false', '-input=false', '-lock=false'], fake);
      const summary = /Plan: (\d+) to add, (\d+) to change, (\d+) to destroy/.exec(out);
      expect(summary, `${stack.name} plan output:\n${out}`).not.toBeNull();
      expect(Number(summary![1])).toBeGreaterThan(0);
      summaries.push(`${stack.name}: ${summary![0]}`);
    });
    expect(summaries).toHaveLength(stacks.length);
  });
});

/** A Terraform v4 state holding only outputs, shaped like what each producer would output. */
function standInState(producer: TerraformJson): TerraformJson {
  const outputs: Record<string, { value: string; type: string; sensitive: boolean }> = {};
  for (const [name, output] of Object.entries((producer.output ?? {}) as Record<string, TerraformJson>)) {
    outputs[name] = {
      value: standInValue(String(output.value)),
      type: 'string',
      sensitive: Boolean(output.sensitive),
    };
  }
  return {
    version: 4,
    terraform_version: '1.11.4',
    serial: 1,
    lineage: 'stand-in',
    outputs,
    resources: [],
    check_results: null,
  };
}

function standInValue(expression: string): string {
  const [, type = '', attr = ''] = /^\$\{([a-z0-9_]+)\.[^.]+\.([a-z_]+)\}$/.exec(expression) ?? [];
  const account = '123456789012';
  const region = 'eu-west-1';
  const known: Record<string, string> = {
    'aws_dynamodb_table.arn': `arn:aws:dynamodb:${region}:${account}:table/stand-in`,
    'aws_dynamodb_table.name': 'stand-in',
    'aws_lambda_layer_version.arn': `arn:aws:lambda:${region}:${account}:layer:stand-in:1`,
    'aws_lambda_function.arn': `arn:aws:lambda:${region}:${account}:function:stand-in`,
    'aws_lambda_function.function_name': 'stand-in',
    'aws_lambda_function.invoke_arn': `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/arn:aws:lambda:${region}:${account}:function:stand-in/invocations`,
    'aws_sqs_queue.arn': `arn:aws:sqs:${region}:${account}:stand-in`,
    'aws_sqs_queue.url': `https://sqs.${region}.amazonaws.com/${account}/stand-in`,
    'aws_s3_bucket.arn': 'arn:aws:s3:::stand-in',
    'aws_s3_bucket.bucket': 'stand-in',
    'aws_s3_bucket.id': 'stand-in',
  };
  return (
    known[`${type}.${attr}`] ??
    (attr === 'arn' ? `arn:aws:${type.split('_')[1]}:${region}:${account}:stand-in` : 'stand-in')
  );
}
