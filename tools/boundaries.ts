/**
 * Package boundaries, checked over the source instead of trusted to review: every import in a
 * workspace package (src, test, bench, configs) and in tools/ must stay inside its own package
 * when relative, and a `@snapstack/<pkg>/<subpath>` import must name an entry the target's
 * `exports` lists (a deep import fails in Node too; this names the file that does it). Imports
 * are read with TypeScript's own pre-processor, so `import type`, `export ... from` and dynamic
 * `import()` all count, and strings or comments never do.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { readWorkspace } from './delivery/workspace.js';

export interface BoundaryArea {
  /** Package name, or `tools` for the repository's tools/ folder (not a package). */
  readonly name: string;
  /** Directory relative to the root, POSIX separators. */
  readonly dir: string;
  /** The keys of its package.json `exports` (undefined for tools/ or a package without one). */
  readonly exports?: readonly string[];
}

export interface BoundaryViolation {
  /** File relative to the root, POSIX separators. */
  readonly file: string;
  readonly specifier: string;
  readonly problem: string;
}

const SOURCE = /\.(ts|mts|cts)$/;
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'cdktf.out', '.turbo', 'coverage']);
const SCOPE = '@snapstack/';

const posix = (p: string) => p.split(path.sep).join('/');

/** The workspace packages (as pnpm-workspace.yaml names them) and tools/, with their exports. */
export function boundaryAreas(root: string): BoundaryArea[] {
  const packages = readWorkspace(root).map((pkg) => {
    const json = JSON.parse(readFileSync(path.join(root, pkg.dir, 'package.json'), 'utf8')) as {
      exports?: unknown;
    };
    const exports =
      json.exports && typeof json.exports === 'object' ? Object.keys(json.exports as object) : undefined;
    return { name: pkg.name, dir: pkg.dir, ...(exports ? { exports } : {}) };
  });
  return [...packages, { name: 'tools', dir: 'tools' }];
}

function sourceFiles(root: string, dir: string, skip: ReadonlySet<string>): string[] {
  const abs = path.join(root, dir);
  return readdirSync(abs, { withFileTypes: true }).flatMap((entry) => {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      return SKIPPED_DIRS.has(entry.name) || skip.has(rel) ? [] : sourceFiles(root, rel, skip);
    }
    return entry.isFile() && SOURCE.test(entry.name) && !entry.name.endsWith('.d.ts') ? [rel] : [];
  });
}

/** Every import specifier of a source file, as TypeScript sees them. */
export function importsOf(text: string): string[] {
  const info = ts.preProcessFile(text, true, true);
  return info.importedFiles.map((f) => f.fileName);
}

/** `@snapstack/thumbnailer/api` -> ['@snapstack/thumbnailer', './api']; `.` for the bare name. */
function splitScoped(specifier: string): [string, string] {
  const [scope, name, ...rest] = specifier.split('/');
  return [`${scope}/${name}`, rest.length === 0 ? '.' : `./${rest.join('/')}`];
}

export function boundaryViolations(root: string, areas: readonly BoundaryArea[] = boundaryAreas(root)) {
  const violations: BoundaryViolation[] = [];
  const byName = new Map(areas.map((area) => [area.name, area]));
  // A package nested inside another area's folder is its own area, not the outer one's files.
  const areaDirs = new Set(areas.map((area) => area.dir));
  for (const area of areas) {
    const nested = new Set([...areaDirs].filter((dir) => dir !== area.dir && dir.startsWith(`${area.dir}/`)));
    for (const file of sourceFiles(root, area.dir, nested)) {
      for (const specifier of importsOf(readFileSync(path.join(root, file), 'utf8'))) {
        const problem = problemOf(specifier, file, area, byName);
        if (problem) violations.push({ file, specifier, problem });
      }
    }
  }
  return violations;
}

function problemOf(
  specifier: string,
  file: string,
  area: BoundaryArea,
  byName: ReadonlyMap<string, BoundaryArea>,
): string | undefined {
  if (specifier.startsWith('.')) {
    const target = posix(path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)));
    return target === area.dir || target.startsWith(`${area.dir}/`)
      ? undefined
      : `leaves ${area.dir}/ for ${target}: import it by package name`;
  }
  if (!specifier.startsWith(SCOPE)) return undefined;
  const [name, subpath] = splitScoped(specifier);
  const target = byName.get(name);
  if (!target || target.name === 'tools') return undefined;
  if (!target.exports) return `${name} has no "exports": add the entry "${subpath}" to its package.json`;
  return target.exports.includes(subpath)
    ? undefined
    : `${name} does not export "${subpath}" (its exports: ${target.exports.join(', ')})`;
}
