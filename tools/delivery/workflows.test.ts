import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseReleaseAssetsArgs } from './release-assets.js';
import { workflowCommands } from './workflow-commands.js';
import { actionlintFindings, localReferenceProblems, workflowFiles } from './workflow-lint.js';
import { REPO_ROOT } from './workspace.js';

const files = workflowFiles(REPO_ROOT);
const read = (file: string) => readFileSync(path.join(REPO_ROOT, file), 'utf8');
const workflows = files.filter((file) => file.startsWith('.github/workflows/'));

interface Workflow {
  on: Record<string, unknown>;
  permissions?: unknown;
  concurrency?: unknown;
  env?: Record<string, string>;
  jobs: Record<
    string,
    {
      'runs-on'?: string;
      permissions?: unknown;
      environment?: unknown;
      needs?: string | string[];
      uses?: string;
      with?: Record<string, unknown>;
      strategy?: { matrix?: Record<string, unknown> };
      steps?: { uses?: string; run?: string }[];
    }
  >;
}
const workflow = (file: string) => parse(read(file)) as Workflow;

describe('workflow files', () => {
  it('include the CI, release and deploy workflows and the shared setup action', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        '.github/workflows/ci.yml',
        '.github/workflows/release.yml',
        '.github/workflows/deploy.yml',
        '.github/workflows/deploy-stage.yml',
        '.github/actions/setup-workspace/action.yml',
      ]),
    );
  });

  it.each(workflows)('%s lints clean with actionlint', async (file) => {
    expect(await actionlintFindings(read(file), file)).toEqual([]);
  });

  it.each(files)('%s calls local actions and reusable workflows with the inputs they declare', (file) => {
    expect(localReferenceProblems(REPO_ROOT, file)).toEqual([]);
  });

  it.each(workflows)('%s pins every action to a major tag or a commit SHA', (file) => {
    const refs = [...read(file).matchAll(/uses:\s*([^\s#]+)/g)]
      .map((m) => m[1]!)
      .filter((u) => !u.startsWith('./'));
    for (const ref of refs) expect(ref).toMatch(/^[\w.-]+\/[\w./-]+@(v\d+(\.\d+){0,2}|[0-9a-f]{40})$/);
  });

  it.each(workflows)('%s sets least-privilege permissions and a concurrency group', (file) => {
    const doc = workflow(file);
    expect(doc.permissions).toEqual({ contents: 'read' });
    // Called workflows inherit the caller's concurrency; every other workflow declares its own.
    if (!('workflow_call' in doc.on)) expect(doc.concurrency).toBeDefined();
    for (const job of Object.values(doc.jobs)) {
      const perms = (job.permissions ?? {}) as Record<string, string>;
      for (const [scope, level] of Object.entries(perms)) {
        expect(['contents', 'pull-requests', 'id-token'], `${file}: ${scope}: ${level}`).toContain(scope);
      }
    }
  });

  it.each(workflows.filter((file) => !file.endsWith('/deploy.yml')))(
    '%s disables turbo and cdktf telemetry',
    (file) => {
      expect(workflow(file).env).toMatchObject({ TURBO_TELEMETRY_DISABLED: '1', CHECKPOINT_DISABLE: '1' });
    },
  );
});

describe('what the workflows do', () => {
  it('CI runs on pull requests and pushes, with Node 22 (the Lambda runtime) in the matrix, running pnpm test', () => {
    const ci = workflow('.github/workflows/ci.yml');
    expect(Object.keys(ci.on)).toEqual(expect.arrayContaining(['pull_request', 'push']));
    expect(ci.jobs.verify?.strategy?.matrix?.node).toContain('22');
    const runs = (ci.jobs.verify?.steps ?? []).map((step) => step.run ?? '');
    expect(runs).toContain('pnpm test $VITEST_ARGS');
    expect(runs.some((run) => run.startsWith('pnpm turbo run typecheck bundle'))).toBe(true);
    // The synth job's synth and terraform-validate lines: workflow-commands.test.ts, through their parsers.
  });

  it('deploy goes dev -> staging -> prod, each stage in its own GitHub environment with OIDC', () => {
    const deploy = workflow('.github/workflows/deploy.yml');
    expect(deploy.jobs.staging?.needs).toBe('dev');
    expect(deploy.jobs.prod?.needs).toBe('staging');
    expect(Object.values(deploy.jobs).map((job) => job.with?.stage)).toEqual(['dev', 'staging', 'prod']);
    const stage = workflow('.github/workflows/deploy-stage.yml');
    const job = stage.jobs.deploy!;
    expect(job.environment).toEqual({ name: `\${{ inputs.stage }}` });
    expect(job.permissions).toMatchObject({ 'id-token': 'write' });
    const steps = job.steps ?? [];
    expect(steps.map((s) => s.uses)).toContain('aws-actions/configure-aws-credentials@v4');
    expect(read('.github/workflows/deploy-stage.yml')).not.toMatch(/aws-access-key-id|AWS_SECRET_ACCESS_KEY/);
    // What the deploy step runs is checked by workflow-commands.test.ts, through the CLI's parser.
  });

  it('release versions with changesets and attaches only the released packages artefacts', () => {
    const release = read('.github/workflows/release.yml');
    expect(release).toContain('uses: changesets/action@v1');
    expect(release).toContain('publish: pnpm exec changeset tag');
    const uploads = workflowCommands(REPO_ROOT, '.github/workflows/release.yml', {
      'needs.changesets.outputs.published-packages': JSON.stringify([
        { name: '@snapstack/users', version: '1.0.0' },
      ]),
    })
      .filter((c) => c.script === 'tools/delivery/release-assets.ts')
      .map((c) => parseReleaseAssetsArgs(c.argv));
    expect(uploads).toContainEqual(
      expect.objectContaining({
        kind: 'run',
        upload: true,
        published: [{ name: '@snapstack/users', version: '1.0.0' }],
      }),
    );
  });
});

describe('the linter itself', () => {
  it('reports real mistakes, so a clean result means something', async () => {
    const broken = [
      'on: push',
      'jobs:',
      '  build:',
      '    runs-on: ubuntu-24.04',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '        with: { fetch-dept: 0 }',
      `      - run: echo "\${{ github.event.head_commit.message }}"`,
      `      - run: echo \${{ matrix.node }}`,
    ].join('\n');
    const findings = await actionlintFindings(broken, 'broken.yml');
    expect(findings.map((f) => [f.line, f.kind])).toEqual([
      [7, 'action'],
      [8, 'expression'],
      [9, 'expression'],
    ]);
  });
});

describe('the local reference check', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'delivery-wf-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  write(
    '.github/actions/setup/action.yml',
    'name: s\ndescription: s\ninputs:\n  node-version:\n    description: v\n    required: true\nruns:\n  using: composite\n  steps: []\n',
  );
  write(
    '.github/workflows/called.yml',
    'on:\n  workflow_call:\n    inputs:\n      stage:\n        type: string\n        required: true\njobs: {}\n',
  );
  write(
    '.github/workflows/caller.yml',
    [
      'on: push',
      'jobs:',
      '  a:',
      '    runs-on: ubuntu-24.04',
      '    steps:',
      '      - uses: ./.github/actions/missing',
      '      - uses: ./.github/actions/setup',
      '        with: { node-versoin: 22 }',
      '  b:',
      '    uses: ./.github/workflows/called.yml',
      '    with: { stage: dev }',
    ].join('\n'),
  );

  it('reports a missing target, an undeclared input and a required input left out', () => {
    expect(localReferenceProblems(root, '.github/workflows/caller.yml')).toEqual([
      '.github/workflows/caller.yml job a: ./.github/actions/missing does not exist',
      '.github/workflows/caller.yml job a: .github/actions/setup/action.yml has no input "node-versoin"',
      '.github/workflows/caller.yml job a: required input "node-version" of .github/actions/setup/action.yml is not given',
    ]);
  });
});
