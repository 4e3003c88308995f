import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TerraformJson } from './synthesized.js';

/** Any file works as a code asset for synth tests: TerraformAsset copies it. */
export function fakeZip(name = 'code.zip'): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'snapstack-asset-')), name);
  writeFileSync(file, 'PK\u0005\u0006'.padEnd(22, '\u0000'));
  return file;
}

/** Resources of one type in a synthesized stack, as a list. */
export function resources(synthesized: string, type: string): TerraformJson[] {
  return Object.values((JSON.parse(synthesized).resource?.[type] ?? {}) as Record<string, TerraformJson>);
}

export function policyOf(synthesized: string, type = 'aws_iam_role_policy'): TerraformJson[] {
  return resources(synthesized, type).map((r) => JSON.parse(r.policy));
}

/**
 * Like cdktf's `toHaveResourceWithProperties`, but partial all the way down (that matcher wants
 * nested blocks in full): passes when one resource of the type matches `partial`.
 */
export function expectResource(
  synthesized: string,
  construct: { readonly tfResourceType: string },
  partial: object,
): void {
  const list = resources(synthesized, construct.tfResourceType);
  const matches = list.some((r) => {
    try {
      expect(r).toMatchObject(partial);
      return true;
    } catch {
      return false;
    }
  });
  if (!matches) expect(list, `no ${construct.tfResourceType} matches`).toContainEqual(partial);
}

/** The one policy document of that type in a synthesized stack. */
export function onlyPolicy(synthesized: string, type = 'aws_iam_role_policy'): TerraformJson {
  const [policy, ...more] = policyOf(synthesized, type);
  if (!policy || more.length > 0)
    throw new Error(`expected exactly one ${type}, found ${more.length + (policy ? 1 : 0)}`);
  return policy;
}
