/** The contract every `tools/bench/*.bench.ts` module fulfils: `export default async (ctx) => BenchReport`. */
export interface BenchContext {
  /** Scratch space for this bench (deleted afterwards). */
  readonly workDir: string;
  readonly log: (line: string) => void;
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
