/**
 * The gateway's own answers (4XX/5XX it produces before or instead of an integration): the
 * domain's statuses and messages, and on every one of them — the domain's and the DEFAULT_4XX /
 * DEFAULT_5XX catch-alls — the CORS headers `gatewayCorsHeaders` renders, so browsers can read
 * them. The local gateway answers with the same headers.
 */
import { ApiGatewayGatewayResponse } from '@cdktf/provider-aws/lib/api-gateway-gateway-response/index.js';
import { gatewayCorsHeaders } from '@snapstack/domain/cors';
import type { ApiScope, RestApiProps } from './types.js';

const CATCH_ALLS = ['DEFAULT_4XX', 'DEFAULT_5XX'];

export function addGatewayResponses(
  { scope, restApiId }: ApiScope,
  responses: RestApiProps['gatewayResponses'],
  allowOrigins: readonly string[],
): ApiGatewayGatewayResponse[] {
  const responseParameters = Object.fromEntries(
    Object.entries(gatewayCorsHeaders(allowOrigins)).map(([name, value]) => [
      `gatewayresponse.header.${name}`,
      `'${value}'`,
    ]),
  );
  const declared = Object.entries(responses).map(
    ([type, response]) =>
      new ApiGatewayGatewayResponse(scope, `gateway-response-${type}`, {
        restApiId,
        responseType: type,
        statusCode: String(response.statusCode),
        responseParameters,
        responseTemplates: {
          'application/json':
            response.message === null ? '{"message":null}' : '{"message":$context.error.messageString}',
        },
      }),
  );
  // Every other 4XX/5XX keeps its own status and body but gets the CORS headers.
  const catchAlls = CATCH_ALLS.filter((type) => !(type in responses)).map(
    (type) =>
      new ApiGatewayGatewayResponse(scope, `gateway-response-${type}`, {
        restApiId,
        responseType: type,
        responseParameters,
      }),
  );
  return [...declared, ...catchAlls];
}
