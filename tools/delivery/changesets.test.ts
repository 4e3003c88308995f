import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './workspace.js';

// The real changesets CLI and our real .changeset/config.json, on a two-package workspace in a
// throwaway git repository: what the release workflow runs on main, minus the push.
const changeset = path.join(REPO_ROOT, 'node_modules', '.bin', 'changeset');
const root = mkdtempSync(path.join(tmpdir(), 'delivery-changesets-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const run = (cmd: string, ...args: string[]) =>
  execFileSync(cmd, args, {
    cwd: root,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@t',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@t',
    },
  });
const git = (...args: string[]) => run('git', '-c', 'commit.gpgsign=false', ...args);
const write = (file: string, text: string) => {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
};
const version = (dir: string) =>
  (JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8')) as { version: string }).version;
const tags = () => git('tag', '--list').split('\n').filter(Boolean).sort();

describe('changesets with .changeset/config.json', () => {
  write('package.json', JSON.stringify({ name: 'snapstack', private: true }));
  write('pnpm-workspace.yaml', 'packages:\n  - packages/*\n');
  write('packages/domain/package.json', JSON.stringify({ name: '@snapstack/domain', version: '0.1.0' }));
  write(
    'packages/users/package.json',
    JSON.stringify({
      name: '@snapstack/users',
      version: '0.1.0',
      dependencies: { '@snapstack/domain': 'workspace:*' },
    }),
  );
  write(
    'packages/local/package.json',
    JSON.stringify({ name: '@snapstack/local', version: '0.1.0', private: true }),
  );
  mkdirSync(path.join(root, '.changeset'));
  copyFileSync(
    path.join(REPO_ROOT, '.changeset', 'config.json'),
    path.join(root, '.changeset', 'config.json'),
  );
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-qm', 'initial');

  // One changesets run and a git tag per workspace package: seconds, more with every package.
  it('tags every package on the first release, then versions, changelogs and tags only the packages changesets name', () => {
    // First release on main: every package, private ones too, gets @snapstack/<pkg>@x.y.z.
    const first = run(changeset, 'tag');
    expect(first).toContain('New tag:  @snapstack/local@0.1.0');
    expect(tags()).toEqual(['@snapstack/domain@0.1.0', '@snapstack/local@0.1.0', '@snapstack/users@0.1.0']);

    // A PR adds a changeset; the "Version packages" PR is `changeset version`.
    write(
      '.changeset/brave-owls.md',
      '---\n"@snapstack/users": minor\n"@snapstack/local": patch\n---\n\nPaged listing\n',
    );
    run(changeset, 'version');
    expect([version('packages/domain'), version('packages/users'), version('packages/local')]).toEqual([
      '0.1.0',
      '0.2.0',
      '0.1.1',
    ]);
    expect(readFileSync(path.join(root, 'packages/users/CHANGELOG.md'), 'utf8')).toMatch(
      /## 0\.2\.0[\s\S]*Paged listing/,
    );
    expect(existsSync(path.join(root, 'packages/domain/CHANGELOG.md'))).toBe(false);
    git('add', '-A');
    git('commit', '-qm', 'version packages');

    // Merging it: `changeset tag` tags only the versions that have no tag yet.
    const out = run(changeset, 'tag');
    expect(out.match(/New tag:\s+\S+/g)).toEqual([
      'New tag:  @snapstack/local@0.1.1',
      'New tag:  @snapstack/users@0.2.0',
    ]);
    expect(tags()).toContain('@snapstack/users@0.2.0');
    expect(tags()).not.toContain('@snapstack/domain@0.2.0');
  }, 30_000);
});
