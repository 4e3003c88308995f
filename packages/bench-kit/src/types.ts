import type { FunctionId } from '@snapstack/domain/functions';

/**
 * The contract every `*.bench.ts` module fulfils (in tools/bench/ or a workspace package's
 * bench/): `export default async (ctx) => BenchReport`.
 */
export interface BenchContext {
  /** Scratch space for this bench (deleted afterwards). */
  readonly workDir: string;
  /** The repository root, for benches that start the local runner's CLI. */
  readonly repoRoot: string;
  readonly log: (line: string) => void;
  /**
   * A catalog function's deployment bundle, built as the artefact builder builds it (domain
   * layer and AWS SDK external), into the function's package `dist/bundle/<id>/`. Given by the
   * bench runner so benches measure the deployed shape without importing the bundler by path.
   */
  readonly bundleFunction: (functionId: FunctionId) => Promise<BundledFunction>;
}

export interface BundledFunction {
  readonly outfile: string;
  readonly bytes: number;
}

export type Cell = string | number;

export interface BenchTarget {
  readonly name: string;
  /** Measured value, as the ratio or figure the target is stated in. */
  readonly value: number;
  /** Human form of the target, e.g. "<= 1.25x". */
  readonly target: string;
  readonly pass: boolean;
}

export interface BenchReport {
  readonly name: string;
  readonly title: string;
  readonly rows: ReadonlyArray<Record<string, Cell>>;
  readonly targets: readonly BenchTarget[];
  readonly notes?: readonly string[];
}

export type Bench = (ctx: BenchContext) => Promise<BenchReport>;
