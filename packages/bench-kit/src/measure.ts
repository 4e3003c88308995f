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

/** Prints the process's CPU time (all threads, user + system) on stderr as it exits. */
const REPORT_CPU =
  "process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('\\ncpu-us '+(u.user+u.system)+'\\n')})";

/** Wall and CPU time of one `node <args>` run whose script starts with REPORT_CPU, in ms. */
function timeNodeWithCpu(args: readonly string[], env: NodeJS.ProcessEnv, run: NodeRun) {
  const { node = process.execPath, cwd } = run;
  const started = performance.now();
  const result = spawnSync(node, args, { env, cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  const wallMs = performance.now() - started;
  const stderr = result.stderr.toString();
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed: ${stderr}`);
  const cpu = /cpu-us (\d+)\s*$/.exec(stderr);
  if (!cpu) throw new Error(`node ${args.join(' ')} reported no CPU time: ${stderr}`);
  return { wallMs, cpuMs: Number(cpu[1]) / 1000 };
}

/**
 * Median cold-start time of importing a module, and of a bare node start (a script that only
 * reports its CPU time), interleaved so both see the same machine noise; the ratio is what the
 * targets are stated in. CPU time (every thread of the process) comes with it: on a loaded
 * machine a start waits for a core, which wall time counts and CPU time does not.
 */
export function coldImportRatio(moduleFile: string, env: NodeJS.ProcessEnv, runs = 15, run: NodeRun = {}) {
  const bareArgs = ['-e', REPORT_CPU];
  const importArgs = [
    '--input-type=module',
    '-e',
    `${REPORT_CPU}; await import(${JSON.stringify(pathToFileURL(moduleFile).href)})`,
  ];
  timeNodeWithCpu(bareArgs, env, run); // warm the page cache for both
  timeNodeWithCpu(importArgs, env, run);
  const bare: { wallMs: number; cpuMs: number }[] = [];
  const withImport: { wallMs: number; cpuMs: number }[] = [];
  for (let i = 0; i < runs; i++) {
    bare.push(timeNodeWithCpu(bareArgs, env, run));
    withImport.push(timeNodeWithCpu(importArgs, env, run));
  }
  const bareMs = median(bare.map((b) => b.wallMs));
  const importMs = median(withImport.map((b) => b.wallMs));
  const bareCpuMs = median(bare.map((b) => b.cpuMs));
  const importCpuMs = median(withImport.map((b) => b.cpuMs));
  return {
    bareMs,
    importMs,
    ratio: importMs / bareMs,
    bareCpuMs,
    importCpuMs,
    cpuRatio: importCpuMs / bareCpuMs,
  };
}
