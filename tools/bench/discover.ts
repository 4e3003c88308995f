/**
 * Where `pnpm bench` finds benches: tools/bench/*.bench.ts, and bench/*.bench.ts in every
 * workspace package pnpm-workspace.yaml names (read as pnpm reads it), so a bench added beside
 * the code it measures is run without being registered anywhere. A bench's name is its file
 * name without `.bench.ts`; two benches with one name would overwrite one report, so that fails.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { readWorkspace } from '../delivery/workspace.js';

export interface BenchFile {
  /** `thumbnails` for packages/thumbnailer/bench/thumbnails.bench.ts. */
  readonly name: string;
  /** Absolute path. */
  readonly file: string;
}

const SUFFIX = '.bench.ts';

export function discoverBenches(root: string): BenchFile[] {
  const dirs = ['tools/bench', ...readWorkspace(root).map((pkg) => `${pkg.dir}/bench`)];
  const found: BenchFile[] = [];
  for (const dir of dirs) {
    const abs = path.join(root, dir);
    if (!existsSync(abs)) continue;
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      if (!entry.isFile() || !entry.name.endsWith(SUFFIX)) continue;
      found.push({ name: entry.name.slice(0, -SUFFIX.length), file: path.join(abs, entry.name) });
    }
  }
  const byName = new Map<string, string>();
  for (const bench of found) {
    const other = byName.get(bench.name);
    if (other) {
      throw new Error(
        `two benches are named "${bench.name}": ${path.relative(root, other)} and ${path.relative(root, bench.file)}`,
      );
    }
    byName.set(bench.name, bench.file);
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/** The benches `pnpm bench [name...]` runs: all of them, or the named ones (unknown names listed). */
export function selectBenches(
  all: readonly BenchFile[],
  wanted: readonly string[],
): { benches: BenchFile[]; unknown: string[] } {
  if (wanted.length === 0) return { benches: [...all], unknown: [] };
  const names = new Set(all.map((b) => b.name));
  return {
    benches: all.filter((b) => wanted.includes(b.name)),
    unknown: wanted.filter((name) => !names.has(name)),
  };
}
