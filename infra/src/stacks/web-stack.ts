/**
 * The web stack: the web app's build and its `config.json`, uploaded to the web bucket the
 * stage's distribution serves. Last in a stage's deploy order: `config.json` names the API URL
 * (API stack) and the user pool (stateful stack). A change to packages/web deploys this stack
 * alone; the distribution, its bucket and the pages' Content-Security-Policy live in the
 * stateful stack (web-tier.ts).
 */
import type { Artifacts } from '@snapstack/packager/artifacts';
import { TerraformOutput } from 'cdktf';
import type { Construct } from 'constructs';
import { WebSite } from '../constructs/web-site.js';
import type { ApiStack } from './api-stack.js';
import { SnapstackStack, type SnapstackStackProps } from './snapstack-stack.js';
import type { StatefulStack } from './stateful-stack.js';

export interface WebStackProps extends SnapstackStackProps {
  readonly stateful: StatefulStack;
  readonly api: ApiStack;
  readonly artifacts: Artifacts;
}

export class WebStack extends SnapstackStack {
  public readonly site: WebSite;

  constructor(scope: Construct, props: WebStackProps) {
    super(scope, 'web', props);
    const { delivery, signIn } = props.stateful;
    this.site = new WebSite(this, 'web-site', {
      bucket: delivery.webBucket,
      distDir: props.artifacts.web.dir,
      apiUrl: props.api.api.url,
      appUrl: delivery.url,
      signIn: {
        issuer: signIn.endpoints.issuer,
        clientId: signIn.endpoints.clientId,
        loginHost: signIn.loginDomain,
      },
    });
    new TerraformOutput(this, 'web-app-url', { value: `${delivery.url}/` });
  }
}
