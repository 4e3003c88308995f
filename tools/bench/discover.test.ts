import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../delivery/workspace.js';
import { discoverBenches, selectBenches } from './discover.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'bench-discovery-'));
  roots.push(root);
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

describe('bench discovery', () => {
  it('finds tools/bench and every workspace package bench/, infra included, and nothing else', () => {
    const root = workspace({
      'pnpm-workspace.yaml': 'packages:\n  - packages/*\n  - infra\n',
      'tools/bench/runner.bench.ts': '',
      'tools/bench/helper.ts': '',
      'packages/users/package.json': '{"name":"@x/users"}',
      'packages/users/bench/likes.bench.ts': '',
      'packages/users/src/not-a.bench.ts': '',
      'packages/no-manifest/bench/orphan.bench.ts': '',
      'infra/package.json': '{"name":"@x/infra"}',
      'infra/bench/infra.bench.ts': '',
    });
    expect(discoverBenches(root).map((b) => [b.name, path.relative(root, b.file)])).toEqual([
      ['infra', 'infra/bench/infra.bench.ts'],
      ['likes', 'packages/users/bench/likes.bench.ts'],
      ['runner', 'tools/bench/runner.bench.ts'],
    ]);
  });

  it('refuses two benches with one name, naming both files', () => {
    const root = workspace({
      'pnpm-workspace.yaml': 'packages:\n  - packages/*\n',
      'tools/bench/likes.bench.ts': '',
      'packages/users/package.json': '{"name":"@x/users"}',
      'packages/users/bench/likes.bench.ts': '',
    });
    expect(() => discoverBenches(root)).toThrow(
      /"likes": tools\/bench\/likes\.bench\.ts and packages\/users\/bench\/likes\.bench\.ts/,
    );
  });

  it('selects named benches and reports the unknown ones', () => {
    const all = [
      { name: 'likes', file: '/a' },
      { name: 'runner', file: '/b' },
    ];
    expect(selectBenches(all, [])).toEqual({ benches: all, unknown: [] });
    expect(selectBenches(all, ['runner', 'nope'])).toEqual({ benches: [all[1]], unknown: ['nope'] });
  });

  it('sees the benches of this repository where they live', () => {
    const names = discoverBenches(REPO_ROOT).map((b) => [b.name, path.relative(REPO_ROOT, b.file)]);
    expect(names).toEqual(
      expect.arrayContaining([
        ['authorizer', 'packages/authorizer/bench/authorizer.bench.ts'],
        ['likes', 'packages/users/bench/likes.bench.ts'],
        ['thumbnails', 'packages/thumbnailer/bench/thumbnails.bench.ts'],
        ['runner', 'packages/local/bench/runner.bench.ts'],
        ['infra', 'infra/bench/infra.bench.ts'],
      ]),
    );
  });
});
