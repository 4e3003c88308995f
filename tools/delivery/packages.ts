/**
 * Delivery configuration of every workspace package: what kind of artefact it ships, and so which
 * stacks a change to it redeploys and which files its GitHub release carries. Owning teams live in
 * .github/CODEOWNERS (the file GitHub reads); tools/delivery/delivery-config.test.ts fails when a
 * workspace package is missing here, in CODEOWNERS, or cannot be released by changesets.
 *
 * Packages listed before their directory exists (arriving from parallel branches) are fine: they
 * take effect when the directory appears.
 */
export type DeliveryKind =
  /** @snapstack/domain: ships as the Lambda Layer; every function and the API derive from it. */
  | 'layer'
  /** Owns Lambda functions (entries in the domain function catalog): one service stack. */
  | 'service'
  /** The CDKTF app: a change can touch any stack. */
  | 'infra'
  /** The web app's static build: the web stack uploads it to the stage's web bucket. */
  | 'web'
  /** Local tooling only: never deployed, released as a tag + changelog. */
  | 'dev-tool';

export interface DeliveryPackage {
  readonly dir: string;
  readonly kind: DeliveryKind;
}

export const deliveryPackages = {
  '@snapstack/domain': { dir: 'packages/domain', kind: 'layer' },
  '@snapstack/users': { dir: 'packages/users', kind: 'service' },
  '@snapstack/authorizer': { dir: 'packages/authorizer', kind: 'service' },
  '@snapstack/metadata-api': { dir: 'packages/metadata-api', kind: 'service' },
  '@snapstack/thumbnailer': { dir: 'packages/thumbnailer', kind: 'service' },
  '@snapstack/local': { dir: 'packages/local', kind: 'dev-tool' },
  '@snapstack/packager': { dir: 'packages/packager', kind: 'dev-tool' },
  '@snapstack/bench-kit': { dir: 'packages/bench-kit', kind: 'dev-tool' },
  '@snapstack/web': { dir: 'packages/web', kind: 'web' },
  '@snapstack/infra': { dir: 'infra', kind: 'infra' },
} as const satisfies Record<string, DeliveryPackage>;

export type DeliveryPackageName = keyof typeof deliveryPackages;

export function deliveryPackage(name: string): DeliveryPackage {
  const pkg = (deliveryPackages as Record<string, DeliveryPackage>)[name];
  if (!pkg) {
    throw new Error(
      `${name} has no delivery configuration: add it to tools/delivery/packages.ts (CONTRIBUTING.md)`,
    );
  }
  return pkg;
}

/** The function catalog's `package` field is the directory under packages/. */
export function packageDirName(dir: string): string {
  return dir.slice(dir.lastIndexOf('/') + 1);
}
