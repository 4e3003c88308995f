/**
 * Deployment bundles: one minified ESM file per Lambda handler holding everything it imports —
 * its own code, the domain package, Powertools, ajv, jose and the AWS SDK v3 clients —
 * tree-shaken, so a function carries exactly one copy of each SDK client and only the parts it
 * uses. Only native packages (sharp) stay outside, installed beside the bundle for Lambda's
 * platform. Why the SDK is bundled rather than taken from the nodejs22.x runtime, and the
 * domain code rather than loaded from a layer, with the figures: docs/cold-starts.md.
 *
 * `pnpm bundle` in a service package runs bundle-cli.ts: that package's functions into dist/bundle/<id>/.
 */
import { rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FunctionDefinition, functions } from '@snapstack/domain/functions';
import { build, type Metafile } from 'esbuild';

/** The workspace root: this file is packages/packager/src/bundle.ts. */
export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export interface BundleResult {
  readonly functionId: string;
  readonly outfile: string;
  /** The entry and its chunks together. */
  readonly bytes: number;
  /** Bytes of the bundle by the package they came from (workspace source as `@snapstack/<dir>`). */
  readonly packages: Readonly<Record<string, number>>;
}

export interface BundleOptions {
  /** Default: `<package>/dist/bundle`. */
  readonly outRoot?: string;
}

export async function bundleFunction(
  functionId: keyof typeof functions,
  { outRoot }: BundleOptions = {},
): Promise<BundleResult> {
  const fn: FunctionDefinition = functions[functionId];
  const packageDir = path.join(REPO_ROOT, 'packages', fn.package);
  const outdir = path.join(outRoot ?? path.join(packageDir, 'dist', 'bundle'), functionId);
  const outfile = path.join(outdir, 'index.mjs');
  // Chunk names carry a hash: an earlier build's chunks would otherwise stay beside the new ones.
  rmSync(outdir, { recursive: true, force: true });
  const result = await build({
    entryPoints: { index: path.join(packageDir, fn.entry) },
    metafile: true,
    outdir,
    outExtension: { '.js': '.mjs' },
    // What a function imports dynamically (presigning, the SDK's credential providers other
    // than Lambda's environment variables) lands in its own chunk, read only if that path runs.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    minify: true,
    sourcemap: false,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    // Prefer the SDK's ES module builds (`module` in its exports maps and package.json): they
    // tree-shake far better than the CJS ones, which `node` would pick.
    mainFields: ['module', 'main'],
    // Workspace packages bundle from their TypeScript source (as tests and the local runner run them).
    conditions: ['@snapstack/source', 'module'],
    // Native code cannot be bundled (sharp loads its prebuilt binary by path at run time).
    external: (fn.nativeDependencies ?? []).flatMap((name) => [name, `${name}/*`]),
    // Domain errors name themselves after their class (`new.target.name`); logs keep those names.
    keepNames: true,
    legalComments: 'none',
    // Bundled CJS dependencies still call require(); give ESM output one.
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    logLevel: 'warning',
  });
  const bytes = Object.keys(result.metafile.outputs).reduce((sum, file) => sum + statSync(file).size, 0);
  return { functionId, outfile, bytes, packages: bytesByPackage(result.metafile) };
}

/** The package an input came from: the last node_modules segment (pnpm nests), or the workspace package. */
function packageOf(input: string): string {
  const dependency = /.*node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
  if (dependency) return dependency[1] as string;
  const workspace = /(?:^|\/)packages\/([^/]+)\/src\//.exec(input);
  return workspace ? `@snapstack/${workspace[1]}` : input;
}

function bytesByPackage(metafile: Metafile): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      totals[name] = (totals[name] ?? 0) + bytesInOutput;
    }
  }
  return totals;
}

export function functionsOf(packageName: string): (keyof typeof functions)[] {
  return (Object.keys(functions) as (keyof typeof functions)[]).filter(
    (id) => functions[id].package === packageName,
  );
}
