/**
 * All stacks of one stage, wired by cross-stack references: bootstrap, stateful, one stack per
 * service package, the API, and the web app.
 */

import type { Artifacts } from '@snapstack/packager/artifacts';
import type { App } from 'cdktf';
import type { StageConfig, SynthOptions } from './config.js';
import { ApiStack } from './stacks/api-stack.js';
import { BootstrapStack } from './stacks/bootstrap-stack.js';
import { ServiceStack, servicePackages } from './stacks/service-stack.js';
import { StatefulStack } from './stacks/stateful-stack.js';
import { WebStack } from './stacks/web-stack.js';

export interface StageStacks {
  readonly bootstrap: BootstrapStack;
  readonly stateful: StatefulStack;
  readonly services: readonly ServiceStack[];
  readonly api: ApiStack;
  readonly web: WebStack;
}

export function createStageStacks(
  app: App,
  config: StageConfig,
  options: SynthOptions,
  artifacts: Artifacts,
): StageStacks {
  const base = { config, options };
  const bootstrap = new BootstrapStack(app, base);
  const stateful = new StatefulStack(app, { ...base, artifacts });
  const services = servicePackages().map(
    (packageName) => new ServiceStack(app, { ...base, packageName, stateful, artifacts }),
  );
  const functions = Object.assign({}, ...services.map((s) => s.functions));
  const api = new ApiStack(app, { ...base, stateful, functions });
  const web = new WebStack(app, { ...base, stateful, api, artifacts });
  return { bootstrap, stateful, services, api, web };
}
