/**
 * Which CDKTF stacks a set of changed workspace packages redeploys.
 *
 * Stacks, by the part the infra app names them with (`snapstack-<stage>-<part>`, the values
 * `pnpm run deploy --stack` takes): `stateful` (tables, buckets, queues, the distribution), one
 * per service package (`service-users`, `service-thumbnailer`, ...), `api` (the REST API built
 * from the route table), `web` (the web app's build and its config) and `bootstrap` (the GitHub OIDC provider and deploy role). Bootstrap is never deployed by
 * a workflow — it creates the very role the workflow assumes — so it is reported as `manual`.
 */
import { deliveryPackage, deliveryPackages, packageDirName } from './packages.js';

export const STATEFUL_STACK = 'stateful';
export const API_STACK = 'api';
export const WEB_STACK = 'web';
export const BOOTSTRAP_STACK = 'bootstrap';

/** The stack of a service package: `service-<directory name>` (infra/src/stacks/service-stack.ts). */
export const serviceStack = (dir: string): string => `service-${packageDirName(dir)}`;

export interface StackSelection {
  /** In deploy order: stateful, services (alphabetical), api, web. */
  readonly deploy: readonly string[];
  /** Stacks a change touches that an administrator deploys by hand. */
  readonly manual: readonly string[];
}

/**
 * @param changed names of the changed workspace packages (dependents already included)
 * @param present names of the packages in the workspace now: only their services have stacks
 *
 * @example
 * affectedStacks(['@snapstack/users'], workspaceNames) // { deploy: ['service-users'], manual: [] }
 */
export function affectedStacks(changed: Iterable<string>, present: Iterable<string>): StackSelection {
  const presentServices = [...present]
    .filter((name) => name in deliveryPackages && deliveryPackage(name).kind === 'service')
    .map((name) => serviceStack(deliveryPackage(name).dir))
    .sort();
  const everything = [STATEFUL_STACK, ...presentServices, API_STACK, WEB_STACK];

  const deploy = new Set<string>();
  const manual = new Set<string>();
  for (const name of changed) {
    const pkg = deliveryPackage(name);
    switch (pkg.kind) {
      case 'layer':
        // Tables, schemas and routes live in the domain package; every function runs on its layer.
        for (const stack of everything) deploy.add(stack);
        break;
      case 'infra':
        for (const stack of everything) deploy.add(stack);
        manual.add(BOOTSTRAP_STACK);
        break;
      case 'service':
        deploy.add(serviceStack(pkg.dir));
        break;
      case 'web':
        deploy.add(WEB_STACK);
        break;
      case 'dev-tool':
        break;
    }
  }
  return { deploy: everything.filter((stack) => deploy.has(stack)), manual: [...manual] };
}
