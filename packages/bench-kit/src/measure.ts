/** Measurement helpers shared by the benches. */
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/** The environment for timing Node starts: NODE_EXTRA_CA_CERTS adds ~90 ms to every start here. */
export function timingEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.NODE_EXTRA_CA_CERTS;
  delete env.NODE_OPTIONS;
  return env;
}

/** Which Node runs a timed child, and where: default this process's binary and directory. */
export interface NodeRun {
  readonly node?: string;
  readonly cwd?: string;
}

/** Wall time of one `node <args>` run, in ms. */
export function timeNode(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  { node = process.execPath, cwd }: NodeRun = {},
): number {
  const started = performance.now();
  const result = spawnSync(node, args, { env, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  const elapsed = performance.now() - started;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${result.stderr.toString()}`);
  return elapsed;
}

/**
 * Median cold-start time of importing a module, and of a bare `node -e 0`, interleaved so
 * both see the same machine noise; the ratio is what the targets are stated in.
 */
export function coldImportRatio(moduleFile: string, env: NodeJS.ProcessEnv, runs = 15, run: NodeRun = {}) {
  const bare: number[] = [];
  const withImport: number[] = [];
  const script = `await import(${JSON.stringify(pathToFileURL(moduleFile).href)})`;
  timeNode(['-e', '0'], env, run); // warm the page cache for both
  timeNode(['--input-type=module', '-e', script], env, run);
  for (let i = 0; i < runs; i++) {
    bare.push(timeNode(['-e', '0'], env, run));
    withImport.push(timeNode(['--input-type=module', '-e', script], env, run));
  }
  const bareMs = median(bare);
  const importMs = median(withImport);
  return { bareMs, importMs, ratio: importMs / bareMs };
}
