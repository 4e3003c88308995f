/**
 * `pnpm artifacts`: builds every artefact into dist/artifacts and prints their sizes, with each
 * function's JavaScript against its budget (budgets.ts). `pnpm artifacts --write-budgets`
 * records the measured sizes plus the headroom as the new budgets: for a reviewed growth.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildArtifacts } from './artifacts.js';
import { BUDGETS_FILE, budgetFor, codeBytes, readBudgets } from './budgets.js';

const artifacts = await buildArtifacts();
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
console.log(
  `layer: ${kib(artifacts.layer.zippedBytes)} zipped, ${kib(artifacts.layer.unzippedBytes)} unzipped -> ${path.relative(process.cwd(), artifacts.layer.zipFile)}`,
);
console.log(`web app: ${path.relative(process.cwd(), artifacts.web.dir)}`);
const budgets = readBudgets();
const sizes: Record<string, number> = {};
for (const [name, info] of Object.entries(artifacts.functions)) {
  sizes[name] = codeBytes(info.zipFile);
  const budget = budgets[name];
  const share = budget ? `${((sizes[name] / budget) * 100).toFixed(0)}% of its budget` : 'no budget';
  console.log(
    `${name}: ${kib(info.zippedBytes)} zipped, ${kib(info.unzippedBytes)} unzipped, JavaScript ${kib(sizes[name])} (${share}) -> ${path.relative(process.cwd(), info.zipFile)}`,
  );
}
if (process.argv.includes('--write-budgets')) {
  const functions = Object.fromEntries(Object.entries(sizes).map(([id, bytes]) => [id, budgetFor(bytes)]));
  writeFileSync(BUDGETS_FILE, `${JSON.stringify({ functions }, null, 2)}\n`);
  console.log(`budgets written to ${path.relative(process.cwd(), new URL(BUDGETS_FILE).pathname)}`);
}
