/**
 * Bundle budgets: the JavaScript bytes each function's artefact may carry (its entry and chunks,
 * unzipped: what Lambda reads and parses in a cold start; native packages beside it are pinned
 * and counted elsewhere), recorded in `bundle-budgets.json` with ~12% headroom over the size
 * measured when the budget was set. A change that pulls a heavy module into a function fails
 * packages/packager/test/bundle-budgets.test.ts in review instead of surfacing as a slower cold
 * start; an intended growth raises the budget in the same change, saying why.
 *
 * @example
 * overBudget({ getUser: 650_000 }, { getUser: 600_000 }) // ["getUser: 650000 bytes > budget 600000 (+8.3%)"]
 */
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';

export const BUDGETS_FILE = new URL('../bundle-budgets.json', import.meta.url);

/** Headroom a new budget gets over the measured size. */
export const BUDGET_HEADROOM = 0.12;

export type Budgets = Readonly<Record<string, number>>;

export function readBudgets(): Budgets {
  const { functions } = JSON.parse(readFileSync(BUDGETS_FILE, 'utf8')) as { functions: Budgets };
  return functions;
}

/** The JavaScript bytes of a function zip: everything but the native packages under node_modules/. */
export function codeBytes(zipFile: string): number {
  return Object.entries(unzipSync(readFileSync(zipFile)))
    .filter(([name]) => !name.startsWith('node_modules/'))
    .reduce((sum, [, data]) => sum + data.byteLength, 0);
}

/** One line per function over its budget, or with no budget at all. */
export function overBudget(sizes: Readonly<Record<string, number>>, budgets: Budgets): string[] {
  return Object.entries(sizes).flatMap(([id, bytes]) => {
    const budget = budgets[id];
    if (budget === undefined) return [`${id}: no budget in bundle-budgets.json`];
    if (bytes <= budget) return [];
    return [`${id}: ${bytes} bytes > budget ${budget} (+${(((bytes - budget) / budget) * 100).toFixed(1)}%)`];
  });
}

/** The budget a function gets when it is set from a measured size: the headroom, rounded up to KiB. */
export function budgetFor(bytes: number): number {
  return Math.ceil((bytes * (1 + BUDGET_HEADROOM)) / 1024) * 1024;
}
