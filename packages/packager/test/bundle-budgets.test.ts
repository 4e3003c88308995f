import path from 'node:path';
import { functions } from '@snapstack/domain/functions';
import { inject } from 'vitest';
import { budgetFor, codeBytes, overBudget, readBudgets } from '../src/budgets.js';

/** Built once by global-setup.ts. */
const artifactsDir = (): string => inject('artifactsDir');

describe('bundle budgets', () => {
  it('name every function of the catalog and nothing else', () => {
    expect(Object.keys(readBudgets()).sort()).toEqual(Object.keys(functions).sort());
  });

  it.each(Object.keys(functions))('hold the JavaScript %s ships (a heavy import fails here)', (id) => {
    const bytes = codeBytes(path.join(artifactsDir(), 'functions', `${id}.zip`));
    expect(overBudget({ [id]: bytes }, readBudgets())).toEqual([]);
  });

  it('report a function over its budget, and one without a budget', () => {
    expect(overBudget({ a: 1100, b: 1000, c: 1 }, { a: 1000, b: 1000 })).toEqual([
      'a: 1100 bytes > budget 1000 (+10.0%)',
      'c: no budget in bundle-budgets.json',
    ]);
  });

  it('set a new budget with the headroom, rounded up to whole KiB', () => {
    expect(budgetFor(100_000)).toBe(112_640); // 112,000 bytes -> 109.4 KiB -> 110 KiB
  });
});
