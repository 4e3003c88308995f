/** An optional custom domain (regional endpoint, TLS 1.2) mapped to the stage. */
import { ApiGatewayBasePathMapping } from '@cdktf/provider-aws/lib/api-gateway-base-path-mapping/index.js';
import { ApiGatewayDomainName } from '@cdktf/provider-aws/lib/api-gateway-domain-name/index.js';
import type { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage/index.js';
import type { ApiScope, RestApiProps } from './types.js';

export function addCustomDomain(
  { scope, restApiId }: ApiScope,
  stage: ApiGatewayStage,
  domain: NonNullable<RestApiProps['customDomain']>,
): ApiGatewayDomainName {
  const domainName = new ApiGatewayDomainName(scope, 'domain', {
    domainName: domain.domainName,
    regionalCertificateArn: domain.certificateArn,
    endpointConfiguration: { types: ['REGIONAL'] },
    securityPolicy: 'TLS_1_2',
  });
  new ApiGatewayBasePathMapping(scope, 'base-path', {
    apiId: restApiId,
    stageName: stage.stageName,
    domainName: domainName.domainName,
  });
  return domainName;
}
