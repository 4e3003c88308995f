/**
 * The runner bench's per-function table: each function's artefact (built by the packager as
 * `pnpm artifacts` builds it) staged as Lambda stages it (lambda-sandbox.ts), its cold import
 * under Node 22 as a ratio to a bare `node -e 0` of the same Node in the same run, its first
 * invocation after that as a ratio to a warm one (cold-start.ts), and its sizes. A function
 * over its target gets the breakdown of where its init goes.
 */
import path from 'node:path';
import { type BenchTarget, type Cell, coldImportRatio, timingEnv } from '@snapstack/bench-kit';
import { type FunctionDefinition, type FunctionId, functions } from '@snapstack/domain/functions';
import { buildArtifacts, DEFAULT_ARTIFACTS_DIR } from '@snapstack/packager/artifacts';
import { bundleFunction } from '@snapstack/packager/bundle';
import type { TestRunner } from '../src/testing.js';
import { type FirstInvocation, firstInvocation, invocationEvents } from './cold-start.js';
import { createSandbox, lambdaNode } from './lambda-sandbox.js';

/** The targets: API functions within 4x a bare start, sharp's within 6x; a first call within 1.5x a warm one. */
export const COLD_IMPORT_TARGET = { api: 4, sharp: 6 } as const;
export const FIRST_INVOCATION_TARGET = 1.5;

export interface ColdStartTable {
  readonly rows: Record<string, Cell>[];
  readonly targets: BenchTarget[];
  readonly notes: string[];
}

export async function functionColdStarts(
  runner: TestRunner,
  workDir: string,
  log: (line: string) => void,
): Promise<ColdStartTable> {
  const node = lambdaNode();
  const artifacts = await buildArtifacts({ outDir: DEFAULT_ARTIFACTS_DIR });
  const sandbox = createSandbox(artifacts, path.join(workDir, 'lambda'));
  const events = await invocationEvents(runner);
  const rows: Record<string, Cell>[] = [];
  const targets: BenchTarget[] = [];
  const notes = [
    `Runtime: Node ${node.version} (nodejs22.x's major) for both the function and the bare start.`,
    'Targets hold the wall-clock ratio; the CPU-time ratio (all threads) beside it does not count the wait for a core on a loaded machine.',
    ...(node.note ? [node.note] : []),
  ];
  rows.push({
    function: 'layer (domain)',
    'zip KiB': kib(artifacts.layer.zippedBytes),
    'unzipped KiB': kib(artifacts.layer.unzippedBytes),
  });
  for (const id of selectedFunctions()) {
    const fn: FunctionDefinition = functions[id];
    const { taskRoot, env: lambdaEnv } = sandbox.stage(id);
    const env = timingEnv({ ...runner.environment(id), ...lambdaEnv });
    const handlerFile = path.join(taskRoot, 'index.mjs');
    const cold = coldImportRatio(handlerFile, env, 15, { node: node.path, cwd: taskRoot });
    const limit = fn.nativeDependencies?.includes('sharp')
      ? COLD_IMPORT_TARGET.sharp
      : COLD_IMPORT_TARGET.api;
    const first = events[id] ? await firstInvocation(node.path, handlerFile, env, events[id]) : undefined;
    const zip = artifacts.functions[id];
    log(
      `${id}: cold import ${cold.importMs.toFixed(0)} ms vs node ${cold.bareMs.toFixed(0)} ms (${cold.ratio.toFixed(2)}x)` +
        (first ? `, first call ${first.firstMs.toFixed(1)} ms vs warm ${first.warmMs.toFixed(1)} ms` : ''),
    );
    rows.push({
      function: id,
      'zip KiB': kib(zip.zippedBytes),
      'unzipped KiB': kib(zip.unzippedBytes),
      'cold import ms': cold.importMs,
      'bare node ms': cold.bareMs,
      'import / bare': cold.ratio,
      'CPU import / bare': cold.cpuRatio,
      ...(first
        ? { 'first call ms': first.firstMs, 'warm call ms': first.warmMs, 'first / warm': first.ratio }
        : {}),
    });
    targets.push({
      name: `${id}: cold import / bare node`,
      value: cold.ratio,
      target: `<= ${limit}x`,
      pass: cold.ratio <= limit,
    });
    if (first) {
      targets.push({
        name: `${id}: first invocation / warm`,
        value: first.ratio,
        target: `<= ${FIRST_INVOCATION_TARGET}x`,
        pass: first.ratio <= FIRST_INVOCATION_TARGET,
      });
    }
    if (cold.ratio > limit) notes.push(await breakdown(id, cold, first?.importMs, workDir));
    if (first && first.ratio > FIRST_INVOCATION_TARGET) notes.push(firstCallBreakdown(id, first));
  }
  return { rows, targets, notes };
}

/** Every function, or those named in BENCH_FUNCTIONS (comma-separated), to iterate on a few. */
function selectedFunctions(): FunctionId[] {
  const all = Object.keys(functions) as FunctionId[];
  const wanted = process.env.BENCH_FUNCTIONS?.split(',').map((s) => s.trim());
  if (!wanted) return all;
  const unknown = wanted.filter((id) => !all.includes(id as FunctionId));
  if (unknown.length > 0) throw new Error(`BENCH_FUNCTIONS names unknown functions: ${unknown.join(', ')}`);
  return wanted as FunctionId[];
}

/** Where a function's init goes: process start, the import itself, and its bundle's biggest packages. */
async function breakdown(
  id: FunctionId,
  cold: { importMs: number; bareMs: number },
  importInProcessMs: number | undefined,
  workDir: string,
): Promise<string> {
  const { packages } = await bundleFunction(id, { outRoot: path.join(workDir, 'breakdown') });
  const total = Object.values(packages).reduce((a, b) => a + b, 0);
  const top = Object.entries(packages)
    .sort(([, a], [, b]) => b - a)
    .slice(0, 6)
    .map(([name, bytes]) => `${name} ${kib(bytes)} KiB (${((bytes / total) * 100).toFixed(0)}%)`);
  const inProcess =
    importInProcessMs === undefined ? '' : `, of which the import itself ${importInProcessMs.toFixed(0)} ms`;
  return (
    `${id} misses: ${cold.importMs.toFixed(0)} ms = node start ${cold.bareMs.toFixed(0)} ms + ` +
    `${(cold.importMs - cold.bareMs).toFixed(0)} ms loading its code${inProcess}; its bundle by package: ${top.join(', ')}.`
  );
}

/** Where a first call's extra time goes: what it loads, and how fast the gap closes after it. */
function firstCallBreakdown(id: FunctionId, first: FirstInvocation): string {
  const loaded = first.loadedOnFirstCall.length > 0 ? first.loadedOnFirstCall.join(', ') : 'nothing';
  return (
    `${id} first call misses: ${first.firstMs.toFixed(1)} ms, then ${first.secondMs.toFixed(1)} ms, warm ${first.warmMs.toFixed(1)} ms; ` +
    `modules it loads: ${loaded}. The rest is the request path's first run (V8 compiles each function on first call and warms its caches).`
  );
}

function kib(bytes: number): number {
  return Math.round((bytes / 1024) * 10) / 10;
}
