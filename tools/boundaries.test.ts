import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type FunctionDefinition, functions } from '@snapstack/domain/functions';
import { afterAll, describe, expect, it } from 'vitest';
import { type BoundaryViolation, boundaryAreas, boundaryViolations, importsOf } from './boundaries.js';
import { REPO_ROOT } from './delivery/workspace.js';

const label = (v: BoundaryViolation) => `${v.file} -> ${v.specifier}`;

describe('package boundaries of this repository', () => {
  const violations = boundaryViolations(REPO_ROOT);

  it('has no import that leaves its package by path or reaches past a package’s exports', () => {
    expect(violations.map((v) => `${label(v)}: ${v.problem}`)).toEqual([]);
  });

  it('curates every exports map: named entries, no wildcard', () => {
    const wildcards = boundaryAreas(REPO_ROOT).flatMap((area) =>
      (area.exports ?? []).filter((key) => key.includes('*')).map((key) => `${area.name} ${key}`),
    );
    expect(wildcards).toEqual([]);
  });

  it("exports every catalog function's handler from its package, pointing at the catalog's entry", () => {
    const missing = Object.entries(functions as Record<string, FunctionDefinition>).flatMap(([id, fn]) => {
      const manifest = JSON.parse(
        readFileSync(path.join(REPO_ROOT, 'packages', fn.package, 'package.json'), 'utf8'),
      ) as { exports?: Record<string, { '@snapstack/source'?: string }> };
      const key = `./${fn.entry.replace(/^src\//, '').replace(/\.ts$/, '')}`;
      const source = manifest.exports?.[key]?.['@snapstack/source'];
      return source === `./${fn.entry}` ? [] : [`${id}: ${fn.package} ${key} -> ${String(source)}`];
    });
    expect(missing).toEqual([]);
  });
});

describe('the boundary check on a workspace with planted violations', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'boundaries-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  };
  write('pnpm-workspace.yaml', 'packages:\n  - packages/*\n');
  write(
    'packages/a/package.json',
    JSON.stringify({
      name: '@snapstack/a',
      exports: { './api': './src/api.ts', './package.json': './package.json' },
    }),
  );
  write('packages/a/src/api.ts', "export { internal } from './internal.js';\n");
  write('packages/a/src/internal.ts', 'export const internal = 1;\n');
  write('packages/c/package.json', JSON.stringify({ name: '@snapstack/c' }));
  write('packages/c/src/index.ts', 'export const c = 1;\n');
  write(
    'packages/b/package.json',
    JSON.stringify({ name: '@snapstack/b', exports: { '.': './src/index.ts' } }),
  );
  write(
    'packages/b/src/index.ts',
    [
      "import { internal } from '../../a/src/internal.js';",
      "import { own } from './own.js';",
      "export { api } from '@snapstack/a/api';",
      "import '@snapstack/a/package.json';",
      "import { x } from 'some-npm-package/deep/path';",
      "// import '../../a/src/commented-out.js'",
      'const text = "import \'../../a/src/in-a-string.js\'";',
      'export { internal, own, text, x };',
    ].join('\n'),
  );
  write('packages/b/src/own.ts', 'export const own = 1;\n');
  write('packages/b/test/b.test.ts', "import type { Internal } from '@snapstack/a/src/internal';\n");
  write('packages/b/bench/b.bench.ts', "export default () => import('../../../tools/helper.js');\n");
  write('packages/b/src/c.mts', "export * from '@snapstack/c/src/index';\n");
  write('packages/b/node_modules/dep/index.ts', "import '../../../../a/src/internal.js';\n");
  write('tools/helper.ts', "import '../packages/a/src/internal.js';\nimport '@snapstack/a/internal';\n");

  it('names each file and import that crosses, and nothing else', () => {
    const found = boundaryViolations(root).map((v) => [v.file, v.specifier, v.problem]);
    expect(found).toEqual(
      expect.arrayContaining([
        ['packages/b/src/index.ts', '../../a/src/internal.js', expect.stringMatching(/leaves packages\/b\//)],
        [
          'packages/b/test/b.test.ts',
          '@snapstack/a/src/internal',
          expect.stringMatching(/does not export "\.\/src\/internal"/),
        ],
        [
          'packages/b/bench/b.bench.ts',
          '../../../tools/helper.js',
          expect.stringMatching(/leaves packages\/b\//),
        ],
        [
          'packages/b/src/c.mts',
          '@snapstack/c/src/index',
          expect.stringMatching(/@snapstack\/c has no "exports"/),
        ],
        ['tools/helper.ts', '../packages/a/src/internal.js', expect.stringMatching(/leaves tools\//)],
        [
          'tools/helper.ts',
          '@snapstack/a/internal',
          expect.stringMatching(/exports: \.\/api, \.\/package\.json/),
        ],
      ]),
    );
    expect(found).toHaveLength(6);
  });

  it('reads imports the way TypeScript does: type-only, re-exports and dynamic, never comments', () => {
    expect(
      importsOf(
        "import type { A } from './a.js';\nexport * from './b.js';\nawait import('./c.js');\n// import './d.js'\n",
      ),
    ).toEqual(['./a.js', './b.js', './c.js']);
  });
});
