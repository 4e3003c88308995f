/**
 * The files a package's GitHub release carries, picked from what `pnpm artifacts` wrote under
 * dist/artifacts/: the layer zip for @snapstack/domain, one zip per catalog function for a service
 * package (named after the function id: `createUser.zip`), nothing for infra and dev tools (their
 * release is the tag and the changelog).
 *
 * In the release workflow: `release-assets.ts --published '<changesets publishedPackages JSON>'
 * [--dir dist/artifacts] [--upload]` prints the plan and, with --upload, attaches the files with
 * `gh release upload`. It fails if a service's function has no zip: a release never ships short.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { functions } from '@snapstack/domain/routes';
import { appendGithubOutputs } from './affected.js';
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

function main(argv: readonly string[]): void {
  let published: PublishedPackage[] = [];
  let dir = path.join(REPO_ROOT, 'dist', 'artifacts');
  let upload = false;
  let needsOnly = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--published') published = JSON.parse(argv[++i] ?? '[]') as PublishedPackage[];
    else if (arg === '--dir') dir = path.resolve(argv[++i] ?? dir);
    else if (arg === '--upload') upload = true;
    else if (arg === '--needs-artifacts') needsOnly = true;
    else throw new Error(`unknown argument ${arg}`);
  }
  if (needsOnly) {
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

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main(process.argv.slice(2));
}
