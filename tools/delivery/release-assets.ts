/**
 * The files a package's GitHub release carries, picked from what `pnpm artifacts` wrote under
 * dist/artifacts/: the layer zip for @snapstack/domain, one zip per catalog function for a service
 * package (named after the function id: `createUser.zip`), nothing for infra, the web app and dev
 * tools (their release is the tag and the changelog).
 *
 * In the release workflow: `release-assets.ts --published '<changesets publishedPackages JSON>'
 * [--dir dist/artifacts] [--upload]` prints the plan and, with --upload, attaches the files with
 * `gh release upload`. It fails if a service's function has no zip: a release never ships short.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { functions } from '@snapstack/domain/functions';
import { appendGithubOutputs } from './affected.js';
import { runWhenMain } from './command.js';
import { deliveryPackage, packageDirName } from './packages.js';
import { REPO_ROOT } from './workspace.js';

export interface PublishedPackage {
  readonly name: string;
  readonly version: string;
}

export interface ReleaseAssets {
  readonly tag: string;
  readonly files: readonly string[];
}

type Catalog = Readonly<Record<string, { readonly package: string }>>;

function zipsUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.zip'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

/** Release tag of a package version, as `changeset tag` writes it. */
export function releaseTag({ name, version }: PublishedPackage): string {
  return `${name}@${version}`;
}

/** Whether releasing this package needs `pnpm artifacts` to run first. */
export function hasArtifacts(name: string): boolean {
  const kind = deliveryPackage(name).kind;
  return kind === 'layer' || kind === 'service';
}

export function assetsFor(name: string, artifactsDir: string, catalog: Catalog = functions): string[] {
  const pkg = deliveryPackage(name);
  const zips = zipsUnder(artifactsDir);
  const stem = (file: string) => path.basename(file, '.zip');
  if (pkg.kind === 'layer') {
    const layers = zips.filter((file) => stem(file).includes('layer'));
    if (layers.length === 0) throw new Error(`no layer zip (*layer*.zip) under ${artifactsDir} for ${name}`);
    return layers;
  }
  if (pkg.kind === 'service') {
    const ids = Object.entries(catalog)
      .filter(([, fn]) => fn.package === packageDirName(pkg.dir))
      .map(([id]) => id);
    return ids.map((id) => {
      const zip = zips.find((file) => stem(file) === id);
      if (!zip) throw new Error(`no ${id}.zip under ${artifactsDir} for ${name}: run pnpm artifacts`);
      return zip;
    });
  }
  return [];
}

export function releasePlan(published: readonly PublishedPackage[], artifactsDir: string): ReleaseAssets[] {
  return published.map((pkg) => ({ tag: releaseTag(pkg), files: assetsFor(pkg.name, artifactsDir) }));
}

export const RELEASE_ASSETS_USAGE =
  "usage: release-assets.ts --published '<publishedPackages JSON>' [--dir <dir>] [--upload | --needs-artifacts]";

export type ReleaseAssetsArgs =
  | {
      readonly kind: 'run';
      readonly published: readonly PublishedPackage[];
      readonly dir: string;
      readonly upload: boolean;
      readonly needsArtifacts: boolean;
    }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string };

const isPublished = (v: unknown): v is PublishedPackage =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as PublishedPackage).name === 'string' &&
  typeof (v as PublishedPackage).version === 'string';

function parseReleaseArgv(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      published: { type: 'string' },
      dir: { type: 'string', default: path.join(REPO_ROOT, 'dist', 'artifacts') },
      upload: { type: 'boolean', default: false },
      'needs-artifacts': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

/** Parses the command line (without node and the script); pure, for the workflow tests. */
export function parseReleaseAssetsArgs(argv: readonly string[]): ReleaseAssetsArgs {
  let values: ReturnType<typeof parseReleaseArgv>['values'];
  try {
    ({ values } = parseReleaseArgv(argv));
  } catch (error) {
    return { kind: 'error', message: (error as Error).message };
  }
  if (values.help) return { kind: 'help' };
  if (values.upload && values['needs-artifacts'])
    return { kind: 'error', message: '--upload and --needs-artifacts are exclusive' };
  let published: unknown;
  try {
    published = JSON.parse(values.published ?? '[]');
  } catch {
    return { kind: 'error', message: `--published is not JSON: ${values.published}` };
  }
  if (!Array.isArray(published) || !published.every(isPublished))
    return { kind: 'error', message: '--published must be a JSON array of { name, version }' };
  return {
    kind: 'run',
    published,
    dir: path.resolve(values.dir),
    upload: values.upload,
    needsArtifacts: values['needs-artifacts'],
  };
}

function main(args: Extract<ReleaseAssetsArgs, { kind: 'run' }>): void {
  const { published, dir, upload } = args;
  if (args.needsArtifacts) {
    const needed = published.some((pkg) => hasArtifacts(pkg.name));
    process.stdout.write(`needs-artifacts=${needed}\n`);
    appendGithubOutputs({ 'needs-artifacts': String(needed) });
    return;
  }
  for (const { tag, files } of releasePlan(published, dir)) {
    process.stdout.write(`${tag}: ${files.length === 0 ? '(tag and changelog only)' : ''}\n`);
    for (const file of files) process.stdout.write(`  ${path.relative(REPO_ROOT, file)}\n`);
    if (upload && files.length > 0) {
      execFileSync('gh', ['release', 'upload', tag, ...files, '--clobber'], { stdio: 'inherit' });
    }
  }
}

runWhenMain(import.meta.filename, parseReleaseAssetsArgs, RELEASE_ASSETS_USAGE, main);
