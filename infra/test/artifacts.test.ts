import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { functions } from '@snapstack/domain/routes';
import { unzipSync } from 'fflate';
import {
  NATIVE_ADDON_APT_INSTALL,
  nativeInstallCommand,
  pinnedVersion,
  stageNativeAddon,
  zipDirectory,
} from '../../tools/artifacts.js';
import { glibcVersion, readElf } from './elf.js';
import { artifactsDir } from './synthesized.js';

const entries = (zip: string) => Object.keys(unzipSync(readFileSync(zip)));

describe('deployment artefacts', () => {
  it('ship the domain package and its production dependencies in the layer, and no AWS SDK', () => {
    const names = entries(path.join(artifactsDir(), 'layer.zip'));
    expect(names).toContain('nodejs/node_modules/@snapstack/domain/package.json');
    expect(names).toContain('nodejs/node_modules/@snapstack/domain/dist/routes.js');
    expect(names).toContain('nodejs/node_modules/@aws-lambda-powertools/logger/package.json');
    expect(names).toContain('nodejs/node_modules/ajv/package.json');
    expect(names.filter((n) => n.includes('@aws-sdk/'))).toEqual([]);
    expect(
      names.filter((n) => n.endsWith('.ts') && !n.endsWith('.d.ts') && n.includes('@snapstack/domain/')),
    ).toEqual([]);
    const manifest = JSON.parse(
      Buffer.from(
        unzipSync(readFileSync(path.join(artifactsDir(), 'layer.zip')))[
          'nodejs/node_modules/@snapstack/domain/package.json'
        ]!,
      ).toString(),
    );
    expect(JSON.stringify(manifest.exports)).not.toContain('@snapstack/source');
  });

  it('list every artefact with its size and Lambda-style SHA-256 in manifest.json', () => {
    const manifest = JSON.parse(readFileSync(path.join(artifactsDir(), 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.functions).sort()).toEqual(Object.keys(functions).sort());
    const layerZip = readFileSync(path.join(artifactsDir(), manifest.layer.zipFile));
    expect(manifest.layer.sha256).toBe(createHash('sha256').update(layerZip).digest('base64'));
    expect(manifest.layer.zippedBytes).toBe(layerZip.byteLength);
  });

  const declared = (id: string): readonly string[] =>
    (functions as Record<string, { nativeDependencies?: readonly string[] }>)[id]!.nativeDependencies ?? [];
  const addons = (id: string): readonly string[] =>
    (functions as Record<string, { nativeAddons?: readonly string[] }>)[id]!.nativeAddons ?? [];

  it.each(Object.keys(functions))(
    'zip one ESM bundle for %s, with exactly the native packages it imports beside it',
    (id) => {
      const zip = unzipSync(readFileSync(path.join(artifactsDir(), 'functions', `${id}.zip`)));
      const names = Object.keys(zip);
      // Beside index.mjs: the thumbnailer's addon and the libjpeg it loads, for functions declaring it.
      expect(names.filter((n) => !n.startsWith('node_modules/'))).toEqual(
        addons(id).includes('thumbnailer')
          ? ['index.mjs', 'libjpeg.so.62', 'scaled_jpeg.node']
          : ['index.mjs'],
      );
      const bundle = Buffer.from(zip['index.mjs']!).toString();
      // Native packages are external: a bundle that imports one must ship it (and vice versa).
      expect(/["']sharp["']/.test(bundle)).toBe(declared(id).includes('sharp'));
      for (const name of declared(id)) {
        const fn = (functions as Record<string, { package: string }>)[id]!;
        const manifest = JSON.parse(Buffer.from(zip[`node_modules/${name}/package.json`]!).toString());
        expect(manifest.version).toBe(pinnedVersion(fn.package, name));
      }
      if (declared(id).includes('sharp')) {
        // The prebuilt binary for Lambda's platform only: linux-arm64 (glibc), not the build machine's.
        const platformPackages = new Set(
          names.flatMap((n) => /^node_modules\/@img\/(sharp-[^/]+)\//.exec(n)?.[1] ?? []),
        );
        expect([...platformPackages].sort()).toEqual(['sharp-libvips-linux-arm64', 'sharp-linux-arm64']);
      } else {
        expect(names.filter((n) => n.startsWith('node_modules/'))).toEqual([]);
      }
    },
  );

  it('install native dependencies for Lambda (linux, arm64, glibc) at the pinned version', () => {
    expect(nativeInstallCommand('sharp', '0.35.1', '/tmp/x')).toEqual(
      expect.arrayContaining([
        '--os=linux',
        '--cpu=arm64',
        '--libc=glibc',
        '--prefix',
        '/tmp/x',
        'sharp@0.35.1',
      ]),
    );
  });

  it('are byte-for-byte reproducible, so unchanged code keeps its hash', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'snapstack-zip-'));
    mkdirSync(path.join(dir, 'src', 'b'), { recursive: true });
    writeFileSync(path.join(dir, 'src', 'b', 'x.js'), 'export const x = 1;\n');
    writeFileSync(path.join(dir, 'index.mjs'), 'export const handler = () => 1;\n');
    const first = readFileSync(
      zipDirectory(dir, path.join(dir, '..', `${path.basename(dir)}-1.zip`)).zipFile,
    );
    const second = readFileSync(
      zipDirectory(dir, path.join(dir, '..', `${path.basename(dir)}-2.zip`)).zipFile,
    );
    expect(first.equals(second)).toBe(true);
    expect(Object.keys(unzipSync(first))).toEqual(['index.mjs', 'src/b/x.js']);
  });

  it('take a native dependency only at the exact version the service package pins', () => {
    expect(pinnedVersion('users', '@aws-sdk/client-dynamodb')).toMatch(/^\d+\.\d+\.\d+$/);
    expect(() => pinnedVersion('users', 'sharp')).toThrow(/must pin sharp to an exact version/);
  });
});

/** Lambda's nodejs22.x runs on Amazon Linux 2023: glibc 2.34. */
const LAMBDA_GLIBC = [2, 34] as const;
const EM_AARCH64 = 183;
const ET_DYN = 3;

describe('the native thumbnail decoder in the artefacts', () => {
  const withAddon = Object.keys(functions).filter((id) =>
    ((functions as Record<string, { nativeAddons?: readonly string[] }>)[id]!.nativeAddons ?? []).includes(
      'thumbnailer',
    ),
  );

  it('ships with both functions that run the thumbnailer core', () => {
    expect(withAddon.sort()).toEqual(['processImage', 'thumbnailer']);
  });

  it.each(withAddon)('%s: scaled_jpeg.node is an arm64 shared object that finds libjpeg beside it', (id) => {
    const zip = unzipSync(readFileSync(path.join(artifactsDir(), 'functions', `${id}.zip`)));
    const addon = readElf(Buffer.from(zip['scaled_jpeg.node']!));
    expect(addon.machine).toBe(EM_AARCH64);
    expect(addon.type).toBe(ET_DYN);
    expect(addon.needed).toContain('libjpeg.so.62');
    expect(addon.runpath).toBe('$ORIGIN');
    const libjpeg = readElf(Buffer.from(zip['libjpeg.so.62']!));
    expect(libjpeg.machine).toBe(EM_AARCH64);
    expect(libjpeg.type).toBe(ET_DYN);
    expect(libjpeg.soname).toBe('libjpeg.so.62');
    // Everything the addon needs from libjpeg, the bundled copy is (its own symbol versions).
    expect(addon.versionsNeeded.filter((v) => v.file === 'libjpeg.so.62').length).toBeGreaterThan(0);
  });

  it.each(withAddon)('%s: neither the addon nor its libjpeg needs a glibc newer than 2.34', (id) => {
    const zip = unzipSync(readFileSync(path.join(artifactsDir(), 'functions', `${id}.zip`)));
    for (const file of ['scaled_jpeg.node', 'libjpeg.so.62']) {
      const glibc = readElf(Buffer.from(zip[file]!))
        .versionsNeeded.map((v) => glibcVersion(v.version))
        .filter((v) => v !== undefined);
      expect(glibc.length, `${file} requires no GLIBC_ version at all`).toBeGreaterThan(0);
      const tooNew = glibc.filter(
        ([major, minor]) => major * 1000 + minor > LAMBDA_GLIBC[0] * 1000 + LAMBDA_GLIBC[1],
      );
      expect(tooNew, file).toEqual([]);
    }
  });

  it('reads glibc symbol versions, so a too-new one would be caught', () => {
    expect(glibcVersion('GLIBC_2.38')).toEqual([2, 38]);
    expect(glibcVersion('GLIBC_2.2.5')).toEqual([2, 2]);
    expect(glibcVersion('LIBJPEG_6.2')).toBeUndefined();
  });

  it('refuses to build artefacts without the arm64 cross toolchain, naming the apt packages', async () => {
    const saved = process.env.CC_LINUX_ARM64;
    process.env.CC_LINUX_ARM64 = '/nonexistent/aarch64-linux-gnu-gcc';
    try {
      const dest = mkdtempSync(path.join(tmpdir(), 'snapstack-addon-'));
      await expect(stageNativeAddon('thumbnailer', dest)).rejects.toThrow(
        /gcc-aarch64-linux-gnu libc6-dev-arm64-cross libjpeg62-turbo-dev:arm64/,
      );
      expect(NATIVE_ADDON_APT_INSTALL).toContain('dpkg --add-architecture arm64');
    } finally {
      if (saved === undefined) delete process.env.CC_LINUX_ARM64;
      else process.env.CC_LINUX_ARM64 = saved;
    }
  });
});
