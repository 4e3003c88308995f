import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { functions } from '@snapstack/domain/functions';
import { afterAll, describe, expect, it } from 'vitest';
import { changesetsProblems, codeOwnersProblems, deliveryConfigProblems, readRepoFile } from './checks.js';
import { REPO_ROOT, readWorkspace } from './workspace.js';

const workspace = readWorkspace();

describe('the real workspace', () => {
  it('walks pnpm-workspace.yaml and finds the packages that exist', () => {
    const names = workspace.map((pkg) => pkg.name);
    expect(names).toEqual(
      expect.arrayContaining(['@snapstack/domain', '@snapstack/users', '@snapstack/infra']),
    );
    expect(workspace.find((pkg) => pkg.name === '@snapstack/users')?.workspaceDependencies).toContain(
      '@snapstack/domain',
    );
  });

  it('gives every workspace package an owning team in .github/CODEOWNERS', () => {
    expect(codeOwnersProblems(workspace, readRepoFile(REPO_ROOT, '.github/CODEOWNERS'))).toEqual([]);
  });

  it('gives every workspace package and every catalog function a delivery configuration', () => {
    expect(deliveryConfigProblems(workspace, undefined, functions)).toEqual([]);
  });

  it('lets changesets version and tag every workspace package independently', () => {
    expect(changesetsProblems(workspace, readRepoFile(REPO_ROOT, '.changeset/config.json'))).toEqual([]);
  });
});

describe('the checks on a workspace that is missing things', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'delivery-ws-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const add = (dir: string, json: object) => {
    mkdirSync(path.join(root, dir), { recursive: true });
    writeFileSync(path.join(root, dir, 'package.json'), JSON.stringify(json));
  };
  writeFileSync(
    path.join(root, 'pnpm-workspace.yaml'),
    'packages:\n  - packages/*\n  - infra\n  - "!packages/scratch"\n',
  );
  add('packages/domain', { name: '@snapstack/domain', version: '0.1.0' });
  add('packages/newcomer', { name: '@snapstack/newcomer', version: '0.1.0', private: true });
  add('packages/scratch', { name: 'scratch' });
  mkdirSync(path.join(root, 'packages/not-a-package'));
  add('infra', { name: '@snapstack/infra', private: true });
  const fixture = readWorkspace(root);

  it('reads the globs like pnpm: exclusions honoured, directories without package.json skipped', () => {
    expect(fixture.map((pkg) => pkg.dir)).toEqual(['infra', 'packages/domain', 'packages/newcomer']);
  });

  it('reports a package added without a CODEOWNERS entry, and one re-owned by a later line', () => {
    const codeowners = [
      '/packages/domain/ @snapstack/domain-owners',
      '/infra/ @snapstack/infra',
      '* @someone',
    ].join('\n');
    expect(codeOwnersProblems(fixture, codeowners)).toEqual([
      '@snapstack/infra: CODEOWNERS line 3 overrides line 2',
      '@snapstack/domain: CODEOWNERS line 3 overrides line 1',
      '@snapstack/newcomer: no CODEOWNERS entry "/packages/newcomer/" in .github/CODEOWNERS',
    ]);
  });

  it('reports an owner that is a person instead of a team', () => {
    expect(codeOwnersProblems(fixture.slice(0, 1), '/infra/ @alice')).toEqual([
      '@snapstack/infra: CODEOWNERS line 1 must name owning team(s) as @org/team',
    ]);
  });

  it('reports a package with no delivery configuration and a function whose package is not a service', () => {
    expect(
      deliveryConfigProblems(fixture, undefined, {
        makeThing: { package: 'newcomer' },
        localThing: { package: 'local' },
      }),
    ).toEqual([
      '@snapstack/newcomer: missing from tools/delivery/packages.ts',
      'function makeThing: its package "newcomer" is not in packages.ts',
      'function localThing: @snapstack/local must be kind "service"',
    ]);
  });

  it('reports what stops changesets from versioning and tagging each package on its own', () => {
    const config = JSON.stringify({
      fixed: [['@snapstack/domain', '@snapstack/infra']],
      ignore: ['@snapstack/domain'],
      privatePackages: { version: true, tag: false },
    });
    expect(changesetsProblems(fixture, config)).toEqual([
      '.changeset/config.json: "fixed"/"linked" groups break independent versioning',
      '@snapstack/infra: package.json has no "version"',
      '@snapstack/infra: private, but privatePackages.version/tag are not both true',
      '@snapstack/domain: ignored by changesets',
      '@snapstack/newcomer: private, but privatePackages.version/tag are not both true',
    ]);
  });
});
