/** `pnpm artifacts`: builds every artefact into dist/artifacts and prints their sizes. */
import path from 'node:path';
import { buildArtifacts } from './artifacts.js';

const artifacts = await buildArtifacts();
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const rows = [['layer', artifacts.layer] as const, ...Object.entries(artifacts.functions)];
for (const [name, info] of rows) {
  console.log(
    `${name}: ${kib(info.zippedBytes)} zipped, ${kib(info.unzippedBytes)} unzipped -> ${path.relative(process.cwd(), info.zipFile)}`,
  );
}
