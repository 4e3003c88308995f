/**
 * What a bench module and `pnpm bench` (tools/bench/run.ts) share: the bench contract and the
 * measurement helpers. Benches live in the package they measure (`<package>/bench/*.bench.ts`)
 * and import this by name, so no bench reaches into another package by path.
 */
export * from './measure.js';
export type * from './types.js';
