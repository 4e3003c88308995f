/**
 * Every function starts with the environment infra gives it: each handler module (and so its
 * package's config.ts, read once at cold start) is imported in a fresh Node process whose
 * environment is exactly the synthesized `environment.variables` of that function (resource
 * names stood in for Terraform references) plus what Lambda itself sets. A variable a config
 * requires and infra forgot fails here, not at the first request after a deploy.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { type FunctionDefinition, type FunctionId, functions } from '@snapstack/domain/functions';
import { REPO_ROOT } from '@snapstack/packager/bundle';
import { stacksOf, type TerraformJson } from './synthesized.js';

const run = promisify(execFile);

/** What the Lambda runtime provides on its own (credentials are never read at import). */
const LAMBDA_PROVIDED = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'cold-start-test',
  AWS_SECRET_ACCESS_KEY: 'cold-start-test',
  // The Parameters and Secrets extension authenticates the function with it.
  AWS_SESSION_TOKEN: 'cold-start-test',
};

function synthesizedEnvironment(id: FunctionId): Record<string, string> {
  const lambda = stacksOf('dev')
    .flatMap((s) =>
      Object.values((s.json.resource?.aws_lambda_function ?? {}) as Record<string, TerraformJson>),
    )
    .find((f) => f.function_name === `snapstack-dev-${id}`);
  if (!lambda) throw new Error(`no synthesized function ${id}`);
  // A cross-stack reference resolves to a physical name or domain at apply time. Each one is
  // replaced where it stands, so a URL (`https://${...}`) or the issuers' JSON keeps its shape.
  let resolved = 0;
  return Object.fromEntries(
    Object.entries(lambda.environment.variables as Record<string, string>).map(([k, v]) => [
      k,
      v.replace(/\$\{[^}]*\}/g, () => `resolved-${k.toLowerCase().replace(/_/g, '-')}-${++resolved}`),
    ]),
  );
}

async function coldStart(id: FunctionId, environment: Record<string, string>): Promise<void> {
  const fn: FunctionDefinition = functions[id];
  const entry = path.join(REPO_ROOT, 'packages', fn.package, fn.entry);
  await run(
    process.execPath,
    [
      '--conditions=@snapstack/source',
      '--import',
      'tsx',
      '--input-type=module',
      '-e',
      `await import(${JSON.stringify(entry)});`,
    ],
    {
      cwd: path.join(REPO_ROOT, 'packages', fn.package),
      // Only what Lambda would have: nothing leaks in from the test runner's environment.
      env: { PATH: process.env.PATH ?? '', ...LAMBDA_PROVIDED, ...environment },
      timeout: 60_000,
    },
  );
}

describe('cold start with the synthesized environment', () => {
  it.each(Object.keys(functions) as FunctionId[])('imports %s without a missing setting', async (id) => {
    await expect(coldStart(id, synthesizedEnvironment(id))).resolves.toBeUndefined();
  });

  it('fails when a variable a config requires is missing', async () => {
    const { IMAGES_BUCKET: _, ...withoutBucket } = synthesizedEnvironment('getMetadata');
    await expect(coldStart('getMetadata', withoutBucket)).rejects.toThrow(/IMAGES_BUCKET/);
  });
});
