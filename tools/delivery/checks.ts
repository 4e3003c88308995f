/**
 * Consistency checks between the real workspace and the delivery configuration: CODEOWNERS,
 * tools/delivery/packages.ts, .changeset/config.json and the domain function catalog. Each returns
 * a list of problems (empty = fine) so tests can show every problem at once.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { deliveryPackages, packageDirName } from './packages.js';
import type { WorkspacePackage } from './workspace.js';

export interface CodeOwnersRule {
  readonly pattern: string;
  readonly owners: readonly string[];
  readonly line: number;
}

export function parseCodeOwners(text: string): CodeOwnersRule[] {
  return text.split('\n').flatMap((raw, index) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return [];
    const [pattern, ...owners] = line.split(/\s+/);
    return [{ pattern: pattern!, owners, line: index + 1 }];
  });
}

/** Team handles only (`@org/team`): a package owned by a person or by nobody is a finding. */
const TEAM = /^@[\w-]+\/[\w-]+$/;

export function codeOwnersProblems(workspace: readonly WorkspacePackage[], codeowners: string): string[] {
  const rules = parseCodeOwners(codeowners);
  return workspace.flatMap((pkg) => {
    const wanted = new Set([`/${pkg.dir}/`, `/${pkg.dir}`, `${pkg.dir}/`]);
    const explicit = rules.filter((rule) => wanted.has(rule.pattern));
    const rule = explicit.at(-1);
    if (!rule) return [`${pkg.name}: no CODEOWNERS entry "/${pkg.dir}/" in .github/CODEOWNERS`];
    if (rule.owners.length === 0 || !rule.owners.every((owner) => TEAM.test(owner))) {
      return [`${pkg.name}: CODEOWNERS line ${rule.line} must name owning team(s) as @org/team`];
    }
    // GitHub applies the last matching rule: nothing after the package's line may re-own it.
    const later = rules.filter(
      (other) =>
        other.line > rule.line &&
        (other.pattern === '*' || pkg.dir.startsWith(other.pattern.replace(/^\//, ''))),
    );
    return later.map((other) => `${pkg.name}: CODEOWNERS line ${other.line} overrides line ${rule.line}`);
  });
}

export function deliveryConfigProblems(
  workspace: readonly WorkspacePackage[],
  manifest: Readonly<Record<string, { readonly dir: string; readonly kind: string }>> = deliveryPackages,
  catalog: Readonly<Record<string, { readonly package: string }>> = {},
): string[] {
  const problems: string[] = [];
  for (const pkg of workspace) {
    const entry = manifest[pkg.name];
    if (!entry) problems.push(`${pkg.name}: missing from tools/delivery/packages.ts`);
    else if (entry.dir !== pkg.dir)
      problems.push(`${pkg.name}: packages.ts says ${entry.dir}, workspace has ${pkg.dir}`);
  }
  for (const [name, entry] of Object.entries(manifest)) {
    const atDir = workspace.find((pkg) => pkg.dir === entry.dir);
    if (atDir && atDir.name !== name)
      problems.push(`${entry.dir} is ${atDir.name}, packages.ts calls it ${name}`);
  }
  for (const [id, fn] of Object.entries(catalog)) {
    const owner = Object.entries(manifest).find(([, entry]) => packageDirName(entry.dir) === fn.package);
    if (!owner) problems.push(`function ${id}: its package "${fn.package}" is not in packages.ts`);
    else if (owner[1].kind !== 'service') problems.push(`function ${id}: ${owner[0]} must be kind "service"`);
  }
  return problems;
}

interface ChangesetsConfig {
  fixed?: unknown[];
  linked?: unknown[];
  ignore?: string[];
  privatePackages?: { version?: boolean; tag?: boolean } | false;
}

/** Every workspace package can be versioned and tagged on its own by changesets. */
export function changesetsProblems(workspace: readonly WorkspacePackage[], configText: string): string[] {
  const config = JSON.parse(configText) as ChangesetsConfig;
  const problems: string[] = [];
  if ((config.fixed ?? []).length > 0 || (config.linked ?? []).length > 0) {
    problems.push('.changeset/config.json: "fixed"/"linked" groups break independent versioning');
  }
  const privateOk =
    config.privatePackages !== false && config.privatePackages?.version && config.privatePackages?.tag;
  for (const pkg of workspace) {
    if ((config.ignore ?? []).includes(pkg.name)) problems.push(`${pkg.name}: ignored by changesets`);
    if (!pkg.version) problems.push(`${pkg.name}: package.json has no "version"`);
    if (pkg.private && !privateOk) {
      problems.push(`${pkg.name}: private, but privatePackages.version/tag are not both true`);
    }
  }
  return problems;
}

/** Reads a repository file, or explains that it is missing. */
export function readRepoFile(root: string, file: string): string {
  const abs = path.join(root, file);
  if (!existsSync(abs)) throw new Error(`${file} is missing`);
  return readFileSync(abs, 'utf8');
}
