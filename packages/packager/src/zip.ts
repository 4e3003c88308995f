/** Deterministic zips (sorted entries, fixed timestamps) and unzipping, for the artefacts. */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync, type Zippable, zipSync } from 'fflate';

/** 1980-01-01 is the earliest date a zip can hold; any fixed date makes the archive reproducible. */
const ZIP_MTIME = new Date('1980-01-01T00:00:00Z');

export interface ZipInfo {
  readonly zipFile: string;
  readonly zippedBytes: number;
  readonly unzippedBytes: number;
  /** Base64 SHA-256 of the zip: what Lambda reports as `CodeSha256`, to verify a deploy. */
  readonly sha256: string;
}

/** Zips a directory deterministically; returns the zip's path and sizes. */
export function zipDirectory(dir: string, zipFile: string): ZipInfo {
  const tree: Zippable = {};
  let unzippedBytes = 0;
  for (const rel of listFiles(dir)) {
    const data = readFileSync(path.join(dir, rel));
    unzippedBytes += data.byteLength;
    // 0o100644 << 16: a regular, world-readable file (Lambda runs code as a non-owner user).
    tree[rel] = [data, { mtime: ZIP_MTIME, os: 3, attrs: 0o100644 << 16, level: 9 }];
  }
  const zipped = zipSync(tree);
  mkdirSync(path.dirname(zipFile), { recursive: true });
  writeFileSync(zipFile, zipped);
  const sha256 = createHash('sha256').update(zipped).digest('base64');
  return { zipFile, zippedBytes: zipped.byteLength, unzippedBytes, sha256 };
}

function listFiles(root: string, rel = ''): string[] {
  const out: string[] = [];
  const dir = path.join(root, rel);
  for (const name of readdirSync(dir).sort()) {
    const relPath = rel ? `${rel}/${name}` : name;
    const stat = statSync(path.join(dir, name));
    if (stat.isDirectory()) out.push(...listFiles(root, relPath));
    else if (stat.isFile()) out.push(relPath);
  }
  return out;
}

/** Unpacks a zip into `dir`, as Lambda unpacks a function or a layer (the bench stages both). */
export function unzipInto(zipFile: string, dir: string): void {
  for (const [name, data] of Object.entries(unzipSync(readFileSync(zipFile)))) {
    if (name.endsWith('/')) continue;
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, data);
  }
}
