/**
 * `pnpm bench [name...]`: runs every bench (or the named ones), writes each report as JSON under
 * bench-results/ and prints a table per bench plus the targets. Benches live beside what they
 * measure: tools/bench/*.bench.ts and every workspace package's bench/*.bench.ts (the packages
 * pnpm-workspace.yaml names); see discover.ts. Benchmarks report; they do not fail the build.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Bench, BenchReport, Cell } from '@snapstack/bench-kit';
import { bundleFunction, REPO_ROOT } from '@snapstack/packager/bundle';
import { discoverBenches, selectBenches } from './discover.js';

const resultsDir = path.join(REPO_ROOT, 'bench-results');
const wanted = process.argv.slice(2);

const all = discoverBenches(REPO_ROOT);
const selected = selectBenches(all, wanted);
if (selected.unknown.length > 0 || selected.benches.length === 0) {
  console.error(
    `no bench named ${selected.unknown.join(', ') || wanted.join(', ')}; there are: ${all.map((b) => b.name).join(', ')}`,
  );
  process.exit(2);
}

mkdirSync(resultsDir, { recursive: true });
const reports: BenchReport[] = [];
const failed: string[] = [];
for (const { name, file } of selected.benches) {
  const workDir = mkdtempSync(path.join(tmpdir(), 'snapstack-bench-'));
  console.log(`\n== ${path.relative(REPO_ROOT, file)}`);
  try {
    const bench = (await import(pathToFileURL(file).href)).default as Bench;
    const report = await bench({
      workDir,
      repoRoot: REPO_ROOT,
      log: (line) => console.log(`   ${line}`),
      bundleFunction: (id) => bundleFunction(id),
    });
    reports.push(report);
    writeFileSync(
      path.join(resultsDir, `${report.name}.json`),
      `${JSON.stringify({ ...report, measuredAt: new Date().toISOString(), node: process.version }, null, 2)}\n`,
    );
    console.log(`\n${report.title}`);
    printTable(report.rows);
    for (const note of report.notes ?? []) console.log(`  note: ${note}`);
  } catch (error) {
    // One broken bench must not hide the others' figures; the run still fails at the end.
    failed.push(name);
    console.error(`   FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

console.log('\nTargets');
printTable(
  reports.flatMap((r) =>
    r.targets.map((t) => ({
      bench: r.name,
      target: t.name,
      measured: round(t.value),
      wanted: t.target,
      result: t.pass ? 'PASS' : 'MISS',
    })),
  ),
);
console.log(`\nJSON reports in ${path.relative(process.cwd(), resultsDir)}/`);

function round(n: number): number {
  return Math.abs(n) >= 100 ? Math.round(n) : Math.round(n * 100) / 100;
}

function printTable(rows: ReadonlyArray<Record<string, Cell>>): void {
  if (rows.length === 0) return;
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const text = (c: Cell | undefined) => (c === undefined ? '' : typeof c === 'number' ? String(round(c)) : c);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => text(r[c]).length)));
  const line = (cells: string[]) => `  ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ')}`;
  console.log(line(columns));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(columns.map((c) => text(row[c]))));
}
if (failed.length > 0) {
  console.error(`\n${failed.length} bench(es) failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
