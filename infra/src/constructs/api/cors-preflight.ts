/**
 * CORS preflight: a MOCK `OPTIONS` method on every path that has routes, answering with the
 * domain's `PREFLIGHT_STATUS` and `preflightHeaders` — static values, the same for every caller,
 * exactly what the local gateway answers (it renders them with the same functions).
 */
import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration/index.js';
import { ApiGatewayIntegrationResponse } from '@cdktf/provider-aws/lib/api-gateway-integration-response/index.js';
import { ApiGatewayMethod } from '@cdktf/provider-aws/lib/api-gateway-method/index.js';
import { ApiGatewayMethodResponse } from '@cdktf/provider-aws/lib/api-gateway-method-response/index.js';
import { PREFLIGHT_STATUS, preflightHeaders } from '@snapstack/domain/cors';
import type { ITerraformDependable } from 'cdktf';
import { slug } from './resource-tree.js';
import type { ApiScope } from './types.js';

export interface PreflightProps {
  readonly path: string;
  readonly resourceId: string;
  /** The methods the path's routes declare (`OPTIONS` is added by `preflightHeaders`). */
  readonly methods: readonly string[];
  readonly allowOrigins: readonly string[];
}

/** Returns what the deployment must wait for: the method, the mock and its response. */
export function addPreflight(
  { scope, restApiId }: ApiScope,
  { path, resourceId, methods, allowOrigins }: PreflightProps,
): ITerraformDependable[] {
  const headers = Object.entries(preflightHeaders(allowOrigins, methods));
  const options = new ApiGatewayMethod(scope, `method-OPTIONS-${slug(path)}`, {
    restApiId,
    resourceId,
    httpMethod: 'OPTIONS',
    authorization: 'NONE',
  });
  const mock = new ApiGatewayIntegration(scope, `integration-OPTIONS-${slug(path)}`, {
    restApiId,
    resourceId,
    httpMethod: options.httpMethod,
    type: 'MOCK',
    requestTemplates: { 'application/json': `{"statusCode": ${PREFLIGHT_STATUS}}` },
  });
  const response = new ApiGatewayMethodResponse(scope, `method-response-OPTIONS-${slug(path)}`, {
    restApiId,
    resourceId,
    httpMethod: options.httpMethod,
    statusCode: String(PREFLIGHT_STATUS),
    responseParameters: Object.fromEntries(headers.map(([name]) => [`method.response.header.${name}`, true])),
  });
  const integrationResponse = new ApiGatewayIntegrationResponse(
    scope,
    `integration-response-OPTIONS-${slug(path)}`,
    {
      restApiId,
      resourceId,
      httpMethod: options.httpMethod,
      statusCode: response.statusCode,
      responseParameters: Object.fromEntries(
        headers.map(([name, value]) => [`method.response.header.${name}`, `'${value}'`]),
      ),
      dependsOn: [mock],
    },
  );
  return [options, mock, integrationResponse];
}
