/**
 * Stage configurations the synth fixture adds to the real stages, so the options no stage uses
 * yet are synthesized, tested and checked by `terraform validate` too.
 */
import { type StageConfig, stageConfig } from '../src/config.js';

/** prod with a custom domain on its distribution (ACM in us-east-1, Route 53 alias). */
export const CUSTOM_DOMAIN = {
  outdir: 'prod-custom-domain',
  domain: { domainName: 'snapstack.example', hostedZoneId: 'Z0123456789ABCDEFGHIJ' },
} as const;

export function customDomainConfig(): StageConfig {
  const prod = stageConfig('prod');
  return { ...prod, delivery: { ...prod.delivery, customDomain: CUSTOM_DOMAIN.domain } };
}
