#!/usr/bin/env node
/**
 * Builds the scaled_jpeg addon (native/scaled_jpeg.c, native/dc_decode.c) against libjpeg-turbo.
 *
 *   node native/build.mjs                      this machine: build/native/<platform>-<arch>/
 *   node native/build.mjs --target linux-arm64 AWS Lambda arm64, cross-compiled (see below)
 *   node native/build.mjs --if-possible        as the package's install script: a machine without
 *                                              a C compiler or libjpeg headers gets a warning, and
 *                                              the thumbnailer decodes with sharp alone
 *
 * The host build links the system libjpeg (Debian: libjpeg62-turbo-dev; macOS: brew install
 * jpeg-turbo, with CFLAGS/LDFLAGS pointing at it). The linux-arm64 build uses Debian's cross
 * compiler and its arm64 libjpeg-turbo (gcc-aarch64-linux-gnu, libjpeg62-turbo-dev:arm64);
 * Debian ships libjpeg.a without -fPIC, so the shared library is copied beside the addon and
 * found through an $ORIGIN rpath. Plain `cc`, no node-gyp: two C files, N-API headers from the
 * pinned node-api-headers package, nothing downloaded.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, realpathSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_ROOT = fileURLToPath(new URL('..', import.meta.url));
const SOURCES = ['scaled_jpeg.c', 'dc_decode.c'].map((file) => path.join(PACKAGE_ROOT, 'native', file));
export const ADDON_FILE = 'scaled_jpeg.node';

const TARGETS = {
  host: {
    id: `${process.platform}-${process.arch}`,
    cc: process.env.CC ?? 'cc',
    libDirs: [],
    bundleLibjpeg: false,
  },
  'linux-arm64': {
    id: 'linux-arm64',
    cc: process.env.CC_LINUX_ARM64 ?? 'aarch64-linux-gnu-gcc',
    libDirs: ['/usr/lib/aarch64-linux-gnu'],
    bundleLibjpeg: true,
  },
};

export function outputDir(targetId) {
  return path.join(PACKAGE_ROOT, 'build/native', targetId);
}

function napiInclude() {
  const require = createRequire(import.meta.url);
  return require('node-api-headers').include_dir;
}

export function build(targetName = 'host') {
  const target = TARGETS[targetName];
  if (!target) throw new Error(`unknown target ${targetName}: use one of ${Object.keys(TARGETS).join(', ')}`);
  const out = outputDir(target.id);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const flags = (name) => (process.env[name] ?? '').split(/\s+/).filter(Boolean);
  const args = [
    '-O2',
    '-std=c11',
    '-Wall',
    '-Wextra',
    '-fPIC',
    '-shared',
    '-fvisibility=hidden',
    ...(process.platform === 'darwin' && targetName === 'host' ? ['-undefined', 'dynamic_lookup'] : []),
    `-I${napiInclude()}`,
    ...flags('CFLAGS'),
    ...SOURCES,
    '-o',
    path.join(out, ADDON_FILE),
    ...target.libDirs.map((dir) => `-L${dir}`),
    ...flags('LDFLAGS'),
    '-ljpeg',
    ...(target.bundleLibjpeg ? ['-Wl,-rpath,$ORIGIN'] : []),
  ];
  execFileSync(target.cc, args, { stdio: ['ignore', 'inherit', 'inherit'] });
  if (target.bundleLibjpeg) {
    const soname = 'libjpeg.so.62';
    const found = target.libDirs.map((dir) => path.join(dir, soname)).find((file) => existsSync(file));
    if (!found) throw new Error(`${soname} for ${target.id} not found in ${target.libDirs.join(', ')}`);
    copyFileSync(realpathSync(found), path.join(out, soname));
  }
  return out;
}

function main() {
  const argv = process.argv.slice(2);
  const ifPossible = argv.includes('--if-possible');
  const targetIndex = argv.indexOf('--target');
  const targetName = targetIndex >= 0 ? argv[targetIndex + 1] : 'host';
  try {
    const out = build(targetName);
    console.log(`scaled_jpeg: built ${path.relative(PACKAGE_ROOT, path.join(out, ADDON_FILE))}`);
  } catch (error) {
    const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
    if (!ifPossible) {
      console.error(`scaled_jpeg: build failed: ${why}`);
      process.exit(1);
    }
    console.warn(
      `scaled_jpeg: not built (${why}). The thumbnailer will decode JPEGs with sharp alone, ~20% slower. ` +
        'Install a C compiler and libjpeg-turbo headers (Debian: apt-get install -y gcc libjpeg62-turbo-dev), ' +
        'then run: pnpm --filter @snapstack/thumbnailer build:native',
    );
  }
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) main();
