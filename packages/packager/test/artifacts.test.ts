import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { functions } from '@snapstack/domain/functions';
import { unzipSync } from 'fflate';
import { inject } from 'vitest';
import { nativeInstallCommand, pinnedVersion, zipDirectory } from '../src/artifacts.js';

/** Built once by global-setup.ts. */
const artifactsDir = (): string => inject('artifactsDir');

const declaredNative = (id: string): readonly string[] =>
  (functions as Record<string, { nativeDependencies?: readonly string[] }>)[id]!.nativeDependencies ?? [];
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

  it("build the web app for the stage's web bucket: its page and the hashed assets it loads", () => {
    const manifest = JSON.parse(readFileSync(path.join(artifactsDir(), 'manifest.json'), 'utf8'));
    const webDir = path.join(artifactsDir(), manifest.web);
    const page = readFileSync(path.join(webDir, 'index.html'), 'utf8');
    const loaded = [...page.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(loaded.some((asset) => asset.endsWith('.js'))).toBe(true);
    for (const asset of loaded)
      expect(readFileSync(path.join(webDir, asset)).byteLength, asset).toBeGreaterThan(0);
    // The development entry is replaced by the build's: no TypeScript reaches a browser.
    expect(page).not.toContain('/src/main.ts');
  });

  it.each(Object.keys(functions))(
    'zip one ESM bundle (entry and chunks) for %s, with exactly the native packages it imports beside it',
    (id) => {
      const zip = unzipSync(readFileSync(path.join(artifactsDir(), 'functions', `${id}.zip`)));
      const names = Object.keys(zip);
      const code = names.filter((n) => !n.startsWith('node_modules/'));
      // The handler's entry and the chunks it imports (dynamic imports load theirs on first use).
      expect(code).toContain('index.mjs');
      expect(code.filter((n) => n !== 'index.mjs' && !/^chunks\/[\w-]+\.mjs$/.test(n))).toEqual([]);
      const bundle = code.map((n) => Buffer.from(zip[n]!).toString()).join('\n');
      // Native packages are external: a bundle that imports one must ship it (and vice versa).
      // (An import of it, not the name: the bundled function catalog spells "sharp" for every function.)
      expect(/(?:from|import\(?)\s*["']sharp["']/.test(bundle)).toBe(declaredNative(id).includes('sharp'));
      for (const name of declaredNative(id)) {
        const fn = (functions as Record<string, { package: string }>)[id]!;
        const manifest = JSON.parse(Buffer.from(zip[`node_modules/${name}/package.json`]!).toString());
        expect(manifest.version).toBe(pinnedVersion(fn.package, name));
      }
      if (declaredNative(id).includes('sharp')) {
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

/** e_machine of an ELF file (little-endian): 183 is AArch64, what Lambda's arm64 runs. */
const EM_AARCH64 = 183;
const elfMachine = (file: Uint8Array) => {
  const bytes = Buffer.from(file);
  return bytes.readUInt32BE(0) === 0x7f454c46 ? bytes.readUInt16LE(0x12) : undefined;
};

describe('sharp in the artefacts', () => {
  const withSharp = Object.keys(functions).filter((id) => declaredNative(id).includes('sharp'));

  it('ships with both functions that run the thumbnailer core', () => {
    expect(withSharp.sort()).toEqual(['processImage', 'thumbnailer']);
  });

  it.each(withSharp)(
    '%s: sharp and libvips are the prebuilt linux-arm64 binaries, nothing compiled here',
    (id) => {
      const zip = unzipSync(readFileSync(path.join(artifactsDir(), 'functions', `${id}.zip`)));
      const names = Object.keys(zip);
      const binding = names.filter((n) =>
        /^node_modules\/@img\/sharp-linux-arm64\/(.+\/)?sharp-linux-arm64[^/]*\.node$/.test(n),
      );
      expect(binding).toHaveLength(1);
      expect(elfMachine(zip[binding[0]!]!)).toBe(EM_AARCH64);
      const libvips = names.filter((n) =>
        /^node_modules\/@img\/sharp-libvips-linux-arm64\/lib\/libvips-cpp\.so[.\d]*$/.test(n),
      );
      expect(libvips).toHaveLength(1);
      expect(elfMachine(zip[libvips[0]!]!)).toBe(EM_AARCH64);
      // No other native code: nothing built on this machine, no library of its platform.
      const elf = names.filter((n) => elfMachine(zip[n]!) !== undefined);
      expect(elf.filter((n) => !n.startsWith('node_modules/@img/'))).toEqual([]);
      expect(elf.every((n) => elfMachine(zip[n]!) === EM_AARCH64)).toBe(true);
    },
  );
});
