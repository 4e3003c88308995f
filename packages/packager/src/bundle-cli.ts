/**
 * `pnpm bundle` in a service package: bundles that package's functions into its dist/bundle/<id>/.
 * The package is the working directory (pnpm runs scripts there); its directory name is the
 * catalog's `package` field.
 */
import path from 'node:path';
import { bundleFunction, functionsOf } from './bundle.js';

const packageName = path.basename(process.cwd());
const results = await Promise.all(functionsOf(packageName).map((id) => bundleFunction(id)));
for (const r of results)
  console.log(
    `${r.functionId}: ${(r.bytes / 1024).toFixed(1)} KiB -> ${path.relative(process.cwd(), r.outfile)}`,
  );
