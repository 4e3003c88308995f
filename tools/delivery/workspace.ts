/**
 * The real workspace, read the way pnpm reads it: the globs in `pnpm-workspace.yaml`, then each
 * matched directory's `package.json`. Delivery checks walk this, never a hand-written list, so a
 * package added later is seen the moment its directory exists.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface WorkspacePackage {
  readonly name: string;
  /** Directory relative to the repository root, POSIX separators (`packages/users`). */
  readonly dir: string;
  readonly version: string | undefined;
  readonly private: boolean;
  /** Names of the other workspace packages this one depends on (any dependency field). */
  readonly workspaceDependencies: readonly string[];
}

interface PackageJson {
  name?: string;
  version?: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** Expands pnpm workspace globs. Supports literal dirs, `dir/*` and `!` exclusions: what we use. */
export function expandWorkspaceGlobs(root: string, globs: readonly string[]): string[] {
  const included = new Set<string>();
  const excluded = new Set<string>();
  for (const raw of globs) {
    const negated = raw.startsWith('!');
    const glob = (negated ? raw.slice(1) : raw).replace(/^\.\//, '').replace(/\/$/, '');
    let dirs: string[];
    if (glob.includes('**')) {
      throw new Error(
        `workspace glob "${raw}" uses "**": keep packages one level deep (see CONTRIBUTING.md)`,
      );
    } else if (glob.endsWith('/*')) {
      const parent = glob.slice(0, -2);
      const abs = path.join(root, parent);
      dirs = existsSync(abs)
        ? readdirSync(abs, { withFileTypes: true })
            .filter((entry) => entry.isDirectory())
            .map((entry) => `${parent}/${entry.name}`)
        : [];
    } else if (glob.includes('*')) {
      throw new Error(`workspace glob "${raw}" is not supported by tools/delivery/workspace.ts`);
    } else {
      dirs = [glob];
    }
    for (const dir of dirs) (negated ? excluded : included).add(dir);
  }
  return [...included]
    .filter((dir) => !excluded.has(dir) && existsSync(path.join(root, dir, 'package.json')))
    .sort();
}

export function readWorkspace(root: string = REPO_ROOT): WorkspacePackage[] {
  const config = parse(readFileSync(path.join(root, 'pnpm-workspace.yaml'), 'utf8')) as {
    packages?: string[];
  };
  const dirs = expandWorkspaceGlobs(root, config.packages ?? []);
  const manifests = dirs.map((dir) => {
    const json = JSON.parse(readFileSync(path.join(root, dir, 'package.json'), 'utf8')) as PackageJson;
    if (!json.name) throw new Error(`${dir}/package.json has no "name"`);
    return { dir, json, name: json.name };
  });
  const names = new Set(manifests.map((m) => m.name));
  return manifests.map(({ dir, json, name }) => {
    const deps = new Set<string>();
    for (const field of [
      json.dependencies,
      json.devDependencies,
      json.peerDependencies,
      json.optionalDependencies,
    ]) {
      for (const dep of Object.keys(field ?? {})) if (names.has(dep) && dep !== name) deps.add(dep);
    }
    return {
      name,
      dir,
      version: json.version,
      private: json.private === true,
      workspaceDependencies: [...deps].sort(),
    };
  });
}

/** The given packages plus every package that depends on them, directly or transitively. */
export function withDependents(workspace: readonly WorkspacePackage[], names: Iterable<string>): Set<string> {
  const result = new Set(names);
  let grew = true;
  while (grew) {
    grew = false;
    for (const pkg of workspace) {
      if (!result.has(pkg.name) && pkg.workspaceDependencies.some((dep) => result.has(dep))) {
        result.add(pkg.name);
        grew = true;
      }
    }
  }
  return result;
}
