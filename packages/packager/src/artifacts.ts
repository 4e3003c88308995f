/**
 * Deployment artefacts, the files infra uploads: `dist/artifacts/layer.zip` (the domain package
 * as a Lambda Layer) and `dist/artifacts/functions/<id>.zip` for every function of the catalog
 * (its esbuild bundle, plus its native dependencies for linux-arm64 when it declares any: sharp
 * comes as its prebuilt npm packages for that platform, so no compiler is involved anywhere).
 *
 * Zips are deterministic (sorted entries, fixed timestamps), so an unchanged function keeps its
 * hash and Terraform leaves it alone.
 *
 * `dist/artifacts/web/` is the web app's static build (packages/web), which infra uploads to the
 * stage's web bucket.
 *
 * `pnpm artifacts` runs artifacts-cli.ts; the CDKTF app calls `buildArtifacts()` before it synthesizes.
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { type FunctionDefinition, type FunctionId, functions } from '@snapstack/domain/functions';
import { build } from 'esbuild';
import { bundleFunction, REPO_ROOT } from './bundle.js';
import { type ZipInfo, zipDirectory } from './zip.js';

export { unzipInto, type ZipInfo, zipDirectory } from './zip.js';

export const DEFAULT_ARTIFACTS_DIR = path.join(REPO_ROOT, 'dist', 'artifacts');

/** Lambda's documented limits for a function's code. */
export const LAMBDA_LIMITS = {
  /** Zipped, direct upload. */
  zippedBytes: 50 * 1024 * 1024,
  /** Unzipped, function code plus all its layers. */
  unzippedBytes: 250 * 1024 * 1024,
} as const;

/** The web app's static build: `index.html` and hashed `assets/`. */
export interface WebAppBuild {
  readonly dir: string;
}

export interface Artifacts {
  readonly dir: string;
  readonly layer: ZipInfo;
  readonly web: WebAppBuild;
  readonly functions: Readonly<Record<FunctionId, ZipInfo>>;
}

export interface BuildArtifactsOptions {
  readonly outDir?: string;
  /** Only these functions (default: the whole catalog). */
  readonly functionIds?: readonly FunctionId[];
}

const DOMAIN_DIR = path.join(REPO_ROOT, 'packages', 'domain');
/** The runtime provides the SDK; a copy in the layer would shadow it and split client classes. */
const NEVER_IN_LAYER = /^@aws-sdk\//;

export async function buildArtifacts({
  outDir = DEFAULT_ARTIFACTS_DIR,
  functionIds,
}: BuildArtifactsOptions = {}): Promise<Artifacts> {
  const ids = functionIds ?? (Object.keys(functions) as FunctionId[]);
  mkdirSync(outDir, { recursive: true });
  const layer = await buildLayerArtifact(outDir);
  const web = buildWebAppArtifact(outDir);
  const entries = await Promise.all(
    ids.map(async (id) => [id, await buildFunctionArtifact(id, outDir)] as const),
  );
  // For the release workflow: what was built, with sizes and hashes, paths relative to outDir.
  const relative = (info: ZipInfo) => ({ ...info, zipFile: path.relative(outDir, info.zipFile) });
  const manifest = {
    layer: relative(layer),
    web: path.relative(outDir, web.dir),
    functions: Object.fromEntries(entries.map(([id, info]) => [id, relative(info)])),
  };
  writeFileSync(path.join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return { dir: outDir, layer, web, functions: Object.fromEntries(entries) as Record<FunctionId, ZipInfo> };
}

/** One function: bundle, native dependencies beside it, zip. */
export async function buildFunctionArtifact(id: FunctionId, outDir: string): Promise<ZipInfo> {
  const bundleRoot = path.join(outDir, 'bundles');
  const bundleDir = path.join(bundleRoot, id);
  rmSync(bundleDir, { recursive: true, force: true });
  await bundleFunction(id, { outRoot: bundleRoot });
  const fn: FunctionDefinition = functions[id];
  for (const name of fn.nativeDependencies ?? []) {
    const staged = stageNativeDependency(name, pinnedVersion(fn.package, name), path.join(outDir, '.native'));
    cpSync(path.join(staged, 'node_modules'), path.join(bundleDir, 'node_modules'), { recursive: true });
  }
  return zipDirectory(bundleDir, path.join(outDir, 'functions', `${id}.zip`));
}

/** The version a service package pins for a native dependency; ranges are refused. */
export function pinnedVersion(packageDirName: string, name: string): string {
  const manifest = JSON.parse(
    readFileSync(path.join(REPO_ROOT, 'packages', packageDirName, 'package.json'), 'utf8'),
  );
  const version: unknown = manifest.dependencies?.[name];
  if (typeof version !== 'string' || !/^\d+\.\d+\.\d+$/.test(version)) {
    throw new Error(
      `packages/${packageDirName}/package.json must pin ${name} to an exact version (found ${String(version)})`,
    );
  }
  return version;
}

/** The platform npm installs a native package for: Lambda's (arm64, glibc), or the bench's host. */
export interface NativePlatform {
  readonly os: string;
  readonly cpu: string;
  readonly libc: string;
}

/** What Lambda runs the functions on (infra's LAMBDA_ARCHITECTURE). */
export const LAMBDA_PLATFORM: NativePlatform = { os: 'linux', cpu: 'arm64', libc: 'glibc' };

/** The npm command that installs one native package for Lambda's platform into `prefix`. */
export function nativeInstallCommand(
  name: string,
  version: string,
  prefix: string,
  platform: NativePlatform = LAMBDA_PLATFORM,
): readonly string[] {
  return [
    'npm',
    'install',
    '--no-save',
    '--no-package-lock',
    '--omit=dev',
    '--no-audit',
    '--no-fund',
    `--os=${platform.os}`,
    `--cpu=${platform.cpu}`,
    `--libc=${platform.libc}`,
    '--prefix',
    prefix,
    `${name}@${version}`,
  ];
}

/** Installs (once, cached by name, version and platform) a native package and returns its prefix. */
export function stageNativeDependency(
  name: string,
  version: string,
  cacheRoot: string,
  platform: NativePlatform = LAMBDA_PLATFORM,
): string {
  const { os, cpu, libc } = platform;
  const prefix = path.join(cacheRoot, `${name.replace('/', '+')}@${version}-${os}-${cpu}-${libc}`);
  if (existsSync(path.join(prefix, 'node_modules', name, 'package.json'))) return prefix;
  rmSync(prefix, { recursive: true, force: true });
  mkdirSync(prefix, { recursive: true });
  // An empty manifest stops npm from walking up into the workspace root.
  writeFileSync(path.join(prefix, 'package.json'), '{"private":true}\n');
  const [cmd, ...args] = nativeInstallCommand(name, version, prefix, platform);
  execFileSync(cmd!, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  return prefix;
}

const WEB_DIR = path.join(REPO_ROOT, 'packages', 'web');

/** The web app, built by its own Vite config into `<outDir>/web` (one build serves every stage). */
export function buildWebAppArtifact(outDir: string): WebAppBuild {
  const dir = path.join(outDir, 'web');
  const vite = path.join(WEB_DIR, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) throw new Error(`${vite} is missing: run pnpm install at the repository root`);
  execFileSync(process.execPath, [vite, 'build', '--outDir', dir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: WEB_DIR,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return { dir };
}

/** The layer: `nodejs/node_modules/@snapstack/domain` (compiled) and its production dependencies. */
export async function buildLayerArtifact(outDir: string): Promise<ZipInfo> {
  const stage = path.join(outDir, 'layer');
  rmSync(stage, { recursive: true, force: true });
  const nodeModules = path.join(stage, 'nodejs', 'node_modules');
  const domainOut = path.join(nodeModules, '@snapstack', 'domain');
  const sources = readdirSync(path.join(DOMAIN_DIR, 'src'))
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && !f.endsWith('.d.ts'))
    .map((f) => path.join(DOMAIN_DIR, 'src', f));
  await build({
    entryPoints: sources,
    outdir: path.join(domainOut, 'dist'),
    bundle: false,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    logLevel: 'warning',
  });
  const manifest = JSON.parse(readFileSync(path.join(DOMAIN_DIR, 'package.json'), 'utf8'));
  // The layer ships JavaScript only: drop the source condition and the dev-only fields.
  const layerManifest = {
    name: manifest.name,
    version: manifest.version,
    type: manifest.type,
    sideEffects: manifest.sideEffects,
    exports: { './*': { default: './dist/*.js' }, './package.json': './package.json' },
    dependencies: manifest.dependencies,
  };
  writeFileSync(path.join(domainOut, 'package.json'), `${JSON.stringify(layerManifest, null, 2)}\n`);
  copyProductionDependencies(DOMAIN_DIR, nodeModules);
  return zipDirectory(stage, path.join(outDir, 'layer.zip'));
}

/**
 * Copies a package's production dependencies (transitively, hoisted like npm does, nested on a
 * version clash) out of pnpm's store layout into a plain `node_modules`. Peer dependencies are
 * the runtime's business and `@aws-sdk/*` is refused outright.
 */
export function copyProductionDependencies(packageDir: string, destNodeModules: string): string[] {
  const placed = new Map<string, string>(); // top-level name -> version
  const copied: string[] = [];
  const visit = (fromRealDir: string, manifest: PackageManifest, nestDir: string | undefined) => {
    const optional = new Set(Object.keys(manifest.optionalDependencies ?? {}));
    for (const name of Object.keys(manifest.dependencies ?? {}).sort()) {
      if (NEVER_IN_LAYER.test(name))
        throw new Error(`${manifest.name} depends on ${name}: the layer must not carry the AWS SDK`);
      const source = resolvePackageDir(fromRealDir, name);
      if (!source) {
        if (optional.has(name)) continue;
        throw new Error(`cannot resolve ${name} from ${fromRealDir}: run pnpm install`);
      }
      const depManifest = readManifest(source);
      const top = placed.get(name);
      let dest: string;
      if (top === undefined) {
        placed.set(name, depManifest.version);
        dest = path.join(destNodeModules, name);
      } else if (top === depManifest.version) {
        continue;
      } else {
        if (!nestDir) throw new Error(`version clash for ${name} at the top level`);
        dest = path.join(nestDir, 'node_modules', name);
        if (existsSync(dest)) continue;
      }
      cpSync(source, dest, {
        recursive: true,
        dereference: true,
        filter: (src) => !src.slice(source.length).includes('node_modules'),
      });
      copied.push(`${name}@${depManifest.version}`);
      visit(source, depManifest, dest);
    }
  };
  visit(realpathSync(packageDir), readManifest(packageDir), undefined);
  return copied.sort();
}

interface PackageManifest {
  readonly name: string;
  readonly version: string;
  readonly dependencies?: Record<string, string>;
  readonly optionalDependencies?: Record<string, string>;
}

function readManifest(dir: string): PackageManifest {
  return JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageManifest;
}

/** Node's lookup: `node_modules/<name>` in the directory or any ancestor. */
function resolvePackageDir(fromDir: string, name: string): string | undefined {
  for (let dir = fromDir; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return realpathSync(candidate);
    if (path.dirname(dir) === dir) return undefined;
  }
}
