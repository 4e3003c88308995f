import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type CliRun, parseCli, SYNTH_OUT_DIR, stackParts } from '@snapstack/infra/cli';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { computeAffected, githubOutputs, parseAffectedArgs } from './affected.js';
import { parseReleaseAssetsArgs } from './release-assets.js';
import { parseValidateArgs } from './terraform-validate.js';
import { type WorkflowCommand, workflowCommands } from './workflow-commands.js';
import { REPO_ROOT, readWorkspace } from './workspace.js';

// Every project CLI a workflow may call, by entry point, with its own argument parser. A workflow
// calling a project script that is not listed here fails the first test below.
const parsers: Readonly<Record<string, (argv: readonly string[]) => { kind: string; message?: string }>> = {
  'infra/src/cli.ts': parseCli,
  'tools/delivery/affected.ts': parseAffectedArgs,
  'tools/delivery/release-assets.ts': parseReleaseAssetsArgs,
  'tools/delivery/terraform-validate.ts': (argv) => parseValidateArgs(argv, REPO_ROOT),
  // `pnpm artifacts` reads no argv at all: any argument in a workflow would be silently ignored.
  'packages/packager/src/artifacts-cli.ts': (argv) =>
    argv.length === 0
      ? { kind: 'run' }
      : { kind: 'error', message: `takes no arguments, got ${argv.join(' ')}` },
};

// Representative values for the workflows' expressions: the affected.ts outputs are computed,
// not written down, for a change to everything and for a change to one service package.
const workspace = readWorkspace();
const scenarios = {
  everything: githubOutputs(computeAffected('all', workspace)),
  'one service': githubOutputs(computeAffected(['packages/users/package.json'], workspace), 'a'.repeat(40)),
};
const deployStages = Object.values(
  (
    parse(readFileSync(path.join(REPO_ROOT, '.github/workflows/deploy.yml'), 'utf8')) as {
      jobs: Record<string, { with?: { stage?: string } }>;
    }
  ).jobs,
).flatMap((job) => (job.with?.stage ? [job.with.stage] : []));

function values(stage: string, outputs: Record<string, string>): Record<string, string> {
  const fromOutputs = (prefix: string) =>
    Object.fromEntries(Object.entries(outputs).map(([key, value]) => [`${prefix}.${key}`, value]));
  return {
    ...fromOutputs('steps.affected.outputs'),
    ...fromOutputs('needs.changes.outputs'),
    'inputs.stage': stage,
    'inputs.sha': 'b'.repeat(40),
    'inputs.all-stacks': 'false',
    'github.event.pull_request.base.sha || github.event.before': 'c'.repeat(40),
    'needs.changesets.outputs.published-packages': JSON.stringify([
      { name: '@snapstack/users', version: '0.2.0' },
      { name: '@snapstack/infra', version: '0.3.0' },
    ]),
    'matrix.node': '22',
  };
}
const runner = { GITHUB_OUTPUT: '/tmp/github-output', GITHUB_REPOSITORY: 'snapstack/snapstack' };
const workflowFiles = ['ci.yml', 'deploy.yml', 'deploy-stage.yml', 'release.yml'].map(
  (f) => `.github/workflows/${f}`,
);

const commandsFor = (stage: string, outputs: Record<string, string>): WorkflowCommand[] =>
  workflowFiles.flatMap((file) => workflowCommands(REPO_ROOT, file, values(stage, outputs), runner));

describe('project commands in the workflows, through their own parsers', () => {
  it.each(Object.entries(scenarios))('every one parses (%s changed)', (_scenario, outputs) => {
    for (const stage of deployStages) {
      const commands = commandsFor(stage, outputs);
      // Not vacuous: synth, deploy, affected (3 lines), release-assets (2), artifacts, terraform-validate.
      expect(commands.map((c) => c.script).sort()).toEqual(
        [
          'packages/packager/src/artifacts-cli.ts',
          'infra/src/cli.ts',
          'infra/src/cli.ts',
          'tools/delivery/affected.ts',
          'tools/delivery/affected.ts',
          'tools/delivery/affected.ts',
          'tools/delivery/release-assets.ts',
          'tools/delivery/release-assets.ts',
          'tools/delivery/terraform-validate.ts',
        ].sort(),
      );
      for (const command of commands) {
        const parser = parsers[command.script];
        expect(
          parser,
          `${command.where}: ${command.script} has no parser registered in this test`,
        ).toBeDefined();
        const parsed = parser!(command.argv);
        expect(parsed, `${command.where}: ${command.line} -> ${JSON.stringify(command.argv)}`).toMatchObject({
          kind: 'run',
        });
      }
    }
  });

  it.each(Object.entries(scenarios))(
    'the deploy step deploys exactly the affected stacks of its stage (%s changed)',
    (_scenario, outputs) => {
      expect(deployStages).toEqual(['dev', 'staging', 'prod']);
      for (const stage of deployStages) {
        const deploys = commandsFor(stage, outputs)
          .filter((c) => c.script === 'infra/src/cli.ts')
          .map((c) => parseCli(c.argv) as CliRun)
          .filter((c) => c.command === 'deploy');
        expect(deploys).toHaveLength(1);
        const [deploy] = deploys;
        expect(deploy!.stages).toEqual([stage]);
        // The same set, run in the stacks' dependency order.
        const affected = outputs.stacks!.split(',');
        expect(deploy!.stacks).toEqual(stackParts().filter((part) => affected.includes(part)));
        expect([...deploy!.stacks!].sort()).toEqual([...affected].sort());
        // cdktf deploy would wait for a keypress; prod's approval is the GitHub environment's.
        expect(deploy!.autoApprove).toBe(true);
        expect(deploy!.local).toBe(false);
      }
    },
  );

  it('affected.ts names every stack the infra CLI knows, bootstrap left to an administrator', () => {
    expect(scenarios.everything.stacks!.split(',').sort()).toEqual(
      stackParts()
        .filter((part) => part !== 'bootstrap')
        .sort(),
    );
    expect(scenarios.everything['manual-stacks']).toBe('bootstrap');
    expect(scenarios['one service'].stacks).toBe('service-users');
  });

  it('CI validates the directory pnpm synth writes', () => {
    const ci = commandsFor('dev', scenarios.everything).filter((c) =>
      c.where.startsWith('.github/workflows/ci.yml'),
    );
    const synth = ci
      .map((c) => (c.script === 'infra/src/cli.ts' ? parseCli(c.argv) : undefined))
      .find(Boolean);
    expect(synth).toMatchObject({ kind: 'run', command: 'synth', stages: ['dev', 'staging', 'prod'] });
    const validate = ci.find((c) => c.script === 'tools/delivery/terraform-validate.ts')!;
    expect(parseValidateArgs(validate.argv, REPO_ROOT)).toEqual({ kind: 'run', dirs: [SYNTH_OUT_DIR] });
  });

  it('would have caught the old deploy line and the old stack ids', () => {
    expect(parseCli(['deploy', '--stage', 'dev', '--stacks', 'stateful,users,api'])).toMatchObject({
      kind: 'error',
      message: expect.stringMatching(/Unknown option '--stacks'/),
    });
    expect(parseCli(['deploy', '--stage', 'dev', '--stack', 'stateful,users,api'])).toMatchObject({
      kind: 'error',
      message: expect.stringMatching(/unknown stack "users"/),
    });
  });
});
