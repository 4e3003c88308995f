/**
 * Deployment bundles: one minified ESM file per Lambda handler, from the entry the function
 * catalog names. `@snapstack/domain` stays external (it ships as the Lambda Layer), and so do
 * native packages (sharp ships beside the bundle). The AWS SDK v3 is external too, taken from
 * the nodejs22.x runtime: the layer's adapters (`@snapstack/domain/dynamo`) must import the
 * same SDK copy as the function that passes them commands, and the layer carries no SDK.
 * `bundleSdk: true` exists so the bench can show what bundling it would cost.
 *
 * `pnpm bundle` in a service package runs bundle-cli.ts: that package's functions into dist/bundle/<id>/.
 */
import { statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { functions } from '@snapstack/domain/functions';
import { build, type Metafile } from 'esbuild';

/** The workspace root: this file is packages/packager/src/bundle.ts. */
export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Packages that are provided at run time instead of bundled. */
export const RUNTIME_PROVIDED = ['@snapstack/domain', 'sharp', '@aws-sdk'];

export interface BundleResult {
  readonly functionId: string;
  readonly outfile: string;
  readonly bytes: number;
  /** Bytes of the bundle by the package they came from (workspace source as `@snapstack/<dir>`). */
  readonly packages: Readonly<Record<string, number>>;
}

export interface BundleOptions {
  /** Default: `<package>/dist/bundle`. */
  readonly outRoot?: string;
  readonly bundleSdk?: boolean;
}

export async function bundleFunction(
  functionId: keyof typeof functions,
  { outRoot, bundleSdk = false }: BundleOptions = {},
): Promise<BundleResult> {
  const fn = functions[functionId];
  const packageDir = path.join(REPO_ROOT, 'packages', fn.package);
  const outfile = path.join(outRoot ?? path.join(packageDir, 'dist', 'bundle'), functionId, 'index.mjs');
  const external = RUNTIME_PROVIDED.filter((name) => bundleSdk === false || name !== '@aws-sdk');
  const result = await build({
    entryPoints: [path.join(packageDir, fn.entry)],
    metafile: true,
    outfile,
    bundle: true,
    minify: true,
    sourcemap: false,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    // Prefer the SDK's ES module builds: they tree-shake far better than the CJS ones.
    mainFields: ['module', 'main'],
    // Workspace packages bundle from their TypeScript source (as tests and the local runner run them).
    conditions: ['@snapstack/source'],
    external: external.flatMap((name) => [name, `${name}/*`]),
    // Bundled CJS dependencies still call require(); give ESM output one.
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    logLevel: 'warning',
  });
  return { functionId, outfile, bytes: statSync(outfile).size, packages: bytesByPackage(result.metafile) };
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
