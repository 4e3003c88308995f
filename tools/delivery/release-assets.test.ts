import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { functions } from '@snapstack/domain/functions';
import { afterAll, describe, expect, it } from 'vitest';
import { assetsFor, hasArtifacts, releasePlan, releaseTag } from './release-assets.js';

const dir = mkdtempSync(path.join(tmpdir(), 'delivery-artifacts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const touch = (file: string) => {
  mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
  writeFileSync(path.join(dir, file), 'zip');
};
const usersFunctions = Object.entries(functions)
  .filter(([, fn]) => fn.package === 'users')
  .map(([id]) => id);
touch('layer/domain-layer.zip');
for (const id of usersFunctions) touch(`functions/${id}.zip`);
touch('functions/someoneElse.zip');

describe('release assets', () => {
  it('tags as changesets does: @snapstack/<pkg>@x.y.z', () => {
    expect(releaseTag({ name: '@snapstack/users', version: '1.2.3' })).toBe('@snapstack/users@1.2.3');
  });

  it('attaches a service its own function zips, one per catalog function, and nothing else', () => {
    const files = assetsFor('@snapstack/users', dir).map((file) => path.relative(dir, file));
    expect(usersFunctions.length).toBeGreaterThan(0);
    expect(files.sort()).toEqual(usersFunctions.map((id) => `functions/${id}.zip`).sort());
  });

  it('attaches the layer zip to a domain release', () => {
    expect(assetsFor('@snapstack/domain', dir).map((f) => path.relative(dir, f))).toEqual([
      'layer/domain-layer.zip',
    ]);
  });

  it('releases infra and dev tools as tag and changelog only, without building artefacts', () => {
    expect(releasePlan([{ name: '@snapstack/local', version: '0.2.0' }], dir)).toEqual([
      { tag: '@snapstack/local@0.2.0', files: [] },
    ]);
    expect(hasArtifacts('@snapstack/infra')).toBe(false);
    expect(hasArtifacts('@snapstack/users')).toBe(true);
  });

  it('fails rather than ship a release that is missing a function zip', () => {
    const catalog = { ...functions, brandNew: { package: 'users' } };
    expect(() => assetsFor('@snapstack/users', dir, catalog)).toThrow(/no brandNew\.zip/);
    expect(() => assetsFor('@snapstack/domain', path.join(dir, 'functions'))).toThrow(/no layer zip/);
  });
});
