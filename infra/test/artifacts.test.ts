import { readFileSync } from 'node:fs';
import path from 'node:path';
import { functions } from '@snapstack/domain/routes';
import { unzipSync } from 'fflate';
import { nativeInstallCommand } from '../../tools/artifacts.js';
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

  it.each(Object.keys(functions))('zip one ESM bundle for %s', (id) => {
    expect(entries(path.join(artifactsDir(), 'functions', `${id}.zip`))).toEqual(['index.mjs']);
  });

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
});
