import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  changedFilesSince,
  classifyFile,
  computeAffected,
  githubOutputs,
  TOOLS_PROJECT,
} from './affected.js';
import { readWorkspace } from './workspace.js';

// A small workspace on disk, shaped like ours: domain <- users <- local, infra, and a git history.
const root = mkdtempSync(path.join(tmpdir(), 'delivery-affected-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const write = (file: string, text: string) => {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
};
const pkg = (dir: string, name: string, deps: Record<string, string> = {}, withTests = true) => {
  write(`${dir}/package.json`, JSON.stringify({ name, version: '0.1.0', dependencies: deps }));
  if (withTests) write(`${dir}/vitest.config.ts`, 'export default {};\n');
};
write('pnpm-workspace.yaml', 'packages:\n  - packages/*\n  - infra\n');
pkg('packages/domain', '@snapstack/domain');
pkg('packages/users', '@snapstack/users', { '@snapstack/domain': 'workspace:*' });
pkg('packages/local', '@snapstack/local', { '@snapstack/users': 'workspace:*' });
pkg('infra', '@snapstack/infra', { '@snapstack/domain': 'workspace:*' }, false);
const workspace = readWorkspace(root);

const git = (...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', '-c', 'commit.gpgsign=false', ...args], {
    cwd: root,
    encoding: 'utf8',
  }).trim();

describe('classifyFile', () => {
  it.each([
    ['packages/users/src/handlers/get-user.ts', { kind: 'package', name: '@snapstack/users' }],
    ['infra/src/main.ts', { kind: 'package', name: '@snapstack/infra' }],
    ['docs/delivery.md', { kind: 'inert' }],
    ['CONTRIBUTING.md', { kind: 'inert' }],
    ['.changeset/brave-owls-sing.md', { kind: 'inert' }],
    ['.github/workflows/ci.yml', { kind: 'delivery' }],
    ['.changeset/config.json', { kind: 'delivery' }],
    ['tools/delivery/affected.ts', { kind: 'delivery' }],
    ['pnpm-lock.yaml', { kind: 'global' }],
    ['tools/plain-summary-reporter.ts', { kind: 'global' }],
    ['packages/removed-package/src/index.ts', { kind: 'global' }],
  ])('%s is %o', (file, expected) => {
    expect(classifyFile(file, workspace)).toEqual(expected);
  });
});

describe('computeAffected', () => {
  it('adds the dependents of a changed package, and runs only their tests and the tools checks', () => {
    const result = computeAffected(['packages/users/src/use-cases/users.ts'], workspace, root);
    expect(result).toMatchObject({
      all: false,
      packages: ['@snapstack/local', '@snapstack/users'],
      vitestProjects: ['@snapstack/local', '@snapstack/users', TOOLS_PROJECT],
      stacks: ['service-users'],
      manualStacks: [],
    });
  });

  it('affects everything after a root change, and skips vitest projects that have no config', () => {
    const result = computeAffected(['tsconfig.base.json', 'docs/x.md'], workspace, root);
    expect(result.all).toBe(true);
    expect(result.packages).toHaveLength(4);
    expect(result.vitestProjects).not.toContain('@snapstack/infra');
    expect(result.stacks).toEqual(['stateful', 'service-users', 'api', 'web']);
    expect(result.manualStacks).toEqual(['bootstrap']);
  });

  it('runs only the delivery checks for a workflow change, and nothing for docs', () => {
    expect(computeAffected(['.github/CODEOWNERS'], workspace, root)).toMatchObject({
      packages: [],
      vitestProjects: [TOOLS_PROJECT],
      stacks: [],
    });
    expect(computeAffected(['docs/delivery.md', 'README.md'], workspace, root).vitestProjects).toEqual([]);
  });

  it('turns the result into one-line GitHub outputs', () => {
    const outputs = githubOutputs(
      computeAffected(['packages/domain/src/routes.ts'], workspace, root),
      'abc123',
    );
    expect(outputs).toMatchObject({
      'lint-args': '--changed --since=abc123 --no-errors-on-unmatched',
      any: 'true',
      'turbo-filters':
        '--filter=@snapstack/infra --filter=@snapstack/domain --filter=@snapstack/local --filter=@snapstack/users',
      stacks: 'stateful,service-users,api,web',
      synth: 'true',
    });
    expect(outputs['vitest-args']).toBe(
      '--project=@snapstack/domain --project=@snapstack/local --project=@snapstack/users --project=tools',
    );
    for (const value of Object.values(outputs)) expect(value).not.toContain('\n');
  });

  it('lints everything after a root change or without a base', () => {
    expect(githubOutputs(computeAffected(['biome.json'], workspace, root), 'abc123')['lint-args']).toBe('');
    expect(githubOutputs(computeAffected(['packages/users/x.ts'], workspace, root))['lint-args']).toBe('');
  });
});

describe('changedFilesSince', () => {
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-qm', 'base');
  const base = git('rev-parse', 'HEAD');
  git('checkout', '-qb', 'feature');
  write('packages/users/src/a.ts', 'export {};\n');
  git('mv', 'packages/domain/vitest.config.ts', 'packages/domain/vitest.config.mts');
  git('add', '-A');
  git('commit', '-qm', 'change');
  git('checkout', '-q', 'main');
  write('infra/main-only.ts', 'export {};\n');
  git('add', '-A');
  git('commit', '-qm', 'main moved on');
  git('checkout', '-q', 'feature');

  it('lists what the branch changed since the merge base, both sides of a rename', () => {
    expect([...changedFilesSince('main', 'HEAD', root)].sort()).toEqual([
      'packages/domain/vitest.config.mts',
      'packages/domain/vitest.config.ts',
      'packages/users/src/a.ts',
    ]);
    expect(changedFilesSince(base, 'HEAD', root)).toHaveLength(3);
  });

  it.each([undefined, '', '0000000000000000000000000000000000000000', 'f'.repeat(40)])(
    'answers "all" when the base %o is missing or unknown',
    (badBase) => {
      expect(changedFilesSince(badBase, 'HEAD', root)).toBe('all');
    },
  );
});
